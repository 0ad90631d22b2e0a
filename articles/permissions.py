"""Who may manage sections and embargoes, whichever door they come by.

Sections are the newsroom's structure, so only people with `articles.change_sectionpage`
(editors, and superusers) edit, submit, publish, copy, move, lock or delete one. Everyone who
may add pages still files articles under it: that is `can_add_subpage`, left as Wagtail has
it. The admin's views, bulk actions and the API v3 actions all ask `page.permissions_for_user`,
so one tester covers them; creating a section is refused in `wagtail_hooks.before_create_page`
and the API's create action (Wagtail's add-page permission doesn't know the page type).
"""

from wagtail.models import PagePermissionTester

MANAGE_SECTIONS = "articles.change_sectionpage"
CREATE_SECTIONS = "articles.add_sectionpage"
SET_EMBARGO = "articles.set_embargo"


def manages_sections(user) -> bool:
    return user.is_active and user.has_perm(MANAGE_SECTIONS)


def may_create_sections(user) -> bool:
    return user.is_active and user.has_perm(CREATE_SECTIONS)


def sections_refusal(verb: str) -> str:
    return (
        f"Only editors {verb} sections; reporters and copy editors file articles in them. "
        "Ask an editor."
    )


class SectionPermissionTester(PagePermissionTester):
    def _editor_and(self, allowed: bool) -> bool:
        return allowed and manages_sections(self.user)

    def can_edit(self):
        return self._editor_and(super().can_edit())

    def can_delete(self, ignore_bulk=False):
        return self._editor_and(super().can_delete(ignore_bulk=ignore_bulk))

    def can_publish(self):
        return self._editor_and(super().can_publish())

    def can_unpublish(self):
        return self._editor_and(super().can_unpublish())

    def can_submit_for_moderation(self):
        return self._editor_and(super().can_submit_for_moderation())

    def can_lock(self):
        return self._editor_and(super().can_lock())

    def can_copy(self):
        return self._editor_and(super().can_copy())
