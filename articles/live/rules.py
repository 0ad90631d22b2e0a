"""Who may do what with live updates. The admin, the API and the writer all ask here.

- Editors (who may change updates: `articles.change_liveentry`) post to any live coverage
  page, at any time, and correct, hide or delete any update.
- Anyone an editor assigned to a page posts to it while it is live and its coverage has not
  ended; they cannot change an update once posted (an editor corrects it, with a note).
- Nobody else posts, whatever their role.
"""

from django.db.models import Q
from django.utils import timezone

from ..models import LiveAssignment, LiveCoveragePage


def is_live_editor(user) -> bool:
    return bool(user and user.is_active and user.has_perm("articles.change_liveentry"))


def is_assigned(user, page) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and LiveAssignment.objects.filter(page_id=page.pk, user_id=user.pk).exists()
    )


def post_refusal(user, page) -> str | None:
    """Why `user` may not post to `page` now, in a sentence; None if they may."""
    if is_live_editor(user):
        return None
    if not is_assigned(user, page):
        return (
            f"You aren't assigned to “{page.title}”: ask an editor to add you to its live "
            "coverage team."
        )
    if not page.live:
        return f"“{page.title}” isn't published yet: updates can be posted once it is live."
    if page.has_ended():
        return f"Coverage of “{page.title}” has ended: ask an editor to add anything more."
    return None


def may_post(user, page) -> bool:
    return post_refusal(user, page) is None


def may_change(user) -> bool:
    """Correct, hide, pin or delete an update already posted: editors only."""
    return is_live_editor(user)


def pages_to_post_to(user):
    """The live coverage pages `user` may post to now."""
    if is_live_editor(user):
        return LiveCoveragePage.objects.all().order_by("-first_published_at", "-pk")
    if not (user and user.is_authenticated and user.is_active):
        return LiveCoveragePage.objects.none()
    not_ended = Q(coverage_end__isnull=True) | Q(coverage_end__gt=timezone.now())
    pages = LiveCoveragePage.objects.live().filter(not_ended, assignments__user=user)
    return pages.order_by("-first_published_at", "-pk").distinct()


def may_post_somewhere(user) -> bool:
    """Asked on every admin screen (the menu): one query at most."""
    return is_live_editor(user) or pages_to_post_to(user).exists()
