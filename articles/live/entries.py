"""The one writer of live updates: post, change (correct, hide, pin) and delete.

Every door (the admin, the API) comes here, so the same rules apply everywhere: who may
(articles/live/rules.py), the photo rules of articles (alt text and credit on every photo),
one pinned update per page. Each change is recorded in the page's history (Wagtail's log,
shown under History), with who made it. What readers see follows through the one owner of
content changes (articles/signal_handlers.py), which the saves below set off.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.log_actions import log

from ..editorial_checks import entry_problems
from ..models import LiveCoveragePage, LiveEntry
from ..roles import ensure_author_profile
from . import rules

# Fields an editor may change on an update; the people assigned only post.
CHANGEABLE = (
    "posted_at",
    "headline",
    "body",
    "is_key_event",
    "is_pinned",
    "is_hidden",
    "correction_note",
)


def entry_text(entry) -> str:
    """The update's words, without markup (for the history, feeds and search engines)."""
    parts = []
    for block in entry.body:
        if block.block_type == "paragraph":
            parts.append(strip_tags(str(block.value.source)).strip())
        elif block.block_type == "quote":
            parts.append(f"“{block.value['quote']}”")
        elif block.block_type == "image" and block.value.get("caption"):
            parts.append(block.value["caption"])
    return " ".join(part for part in parts if part)


def _check_body(entry) -> None:
    if not list(entry.body):
        raise ValidationError({"body": "Write the update: add a paragraph, a photo or a quote."})
    problems = entry_problems(entry.body)
    if problems:
        raise ValidationError({"body": " ".join(problems)})


def _history(entry, user, action: str) -> None:
    log(
        instance=entry.page,
        action=action,
        user=user,
        data={
            "entry_id": entry.pk,
            "headline": entry.headline,
            "posted_at": entry.posted_at.isoformat(),
            "text": entry_text(entry)[:500],
            "hidden": entry.is_hidden,
            "correction_note": entry.correction_note,
        },
    )


def _one_pinned(entry) -> None:
    if entry.is_pinned:
        LiveEntry.objects.filter(page_id=entry.page_id, is_pinned=True).exclude(pk=entry.pk).update(
            is_pinned=False
        )


def post(
    page: LiveCoveragePage, user, entry: LiveEntry, *, authors=None, by_operator: bool = False
) -> LiveEntry:
    """Put `entry` (unsaved, its fields filled) live on `page`, posted by `user`;
    `by_operator` for a management command acting for the desk (no user, an editor's rights).

    Raises PermissionDenied (with the reason) or ValidationError (what to fix)."""
    refusal = None if by_operator else rules.post_refusal(user, page)
    if refusal:
        raise PermissionDenied(refusal)
    entry.page = page
    entry.posted_by = user
    if not by_operator and not rules.is_live_editor(user):
        # Only editors hide, back-date or annotate; a new update goes live as it is posted.
        entry.is_hidden, entry.correction_note = False, ""
        entry.posted_at = timezone.now()
    elif entry.posted_at is None:
        entry.posted_at = timezone.now()
    _check_body(entry)
    if not authors and user is not None:
        profile = ensure_author_profile(user)
        authors = [profile] if profile else []
    with transaction.atomic():
        # Two people posting at once to one page: one at a time, so one pinned update stays one.
        LiveCoveragePage.objects.select_for_update().filter(pk=page.pk).first()
        entry.save()
        entry.authors.set(authors or [])
        _one_pinned(entry)
        _history(entry, user, "newsroom.live_entry.post")
    return entry


def change(entry: LiveEntry, user, *, authors=None, **fields) -> LiveEntry:
    """Correct, hide or pin an update (editors only); unknown fields are refused."""
    if not rules.may_change(user):
        raise PermissionDenied(
            "Only editors can change an update once it is posted: ask an editor to correct it."
        )
    if "posted_at" in fields and fields["posted_at"] is None:
        del fields["posted_at"]  # left empty: it keeps its time
    unknown = set(fields) - set(CHANGEABLE)
    if unknown:
        raise ValidationError(f"These can't be changed on an update: {', '.join(sorted(unknown))}.")
    was_hidden = LiveEntry.objects.filter(pk=entry.pk).values_list("is_hidden", flat=True).first()
    hiding = bool(fields.get("is_hidden")) and not was_hidden
    for name, value in fields.items():
        setattr(entry, name, value)
    _check_body(entry)
    with transaction.atomic():
        LiveCoveragePage.objects.select_for_update().filter(pk=entry.page_id).first()
        entry.save()
        if authors is not None:
            entry.authors.set(authors or [])
        _one_pinned(entry)
        _history(entry, user, "newsroom.live_entry.hide" if hiding else "newsroom.live_entry.edit")
    return entry


def delete(entry: LiveEntry, user) -> None:
    if not rules.may_change(user):
        raise PermissionDenied("Only editors can delete an update: ask an editor.")
    with transaction.atomic():
        _history(entry, user, "newsroom.live_entry.delete")
        entry.delete()
