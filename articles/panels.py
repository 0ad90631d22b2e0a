from django.urls import reverse
from wagtail.admin.panels import Panel

from .editorial_checks import editorial_warnings, is_embargoed, publishing_problems
from .review_state import display_name, last_note, step_and_groups


def editorial_checks_context(page) -> dict:
    """What the checks panel shows for `page`, saved or as a form holds it."""
    return {
        "problems": publishing_problems(page),
        "warnings": editorial_warnings(page),
        "embargo_until": page.embargo_until if is_embargoed(page) else None,
    }


class EditorialChecksPanel(Panel):
    """Shows the writer what still needs attention on an article, what blocks publishing
    (alt text, credit) and what is worth a look (empty slots, no standfirst); the form's
    script (articles/js/article_form.js) brings it up to date as the form changes."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "articles/admin/editorial_checks_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            if page is None:
                return context
            context.update(editorial_checks_context(page))
            context["image_rights_url"] = reverse("newsroom_image_rights", args=[0])
            if page.pk:
                context["checks_url"] = reverse("newsroom_checks_on_edit", args=[page.pk])
            elif getattr(self.form, "parent_page", None) is not None:
                meta = page._meta
                context["checks_url"] = reverse(
                    "newsroom_checks_on_create",
                    args=[meta.app_label, meta.model_name, self.form.parent_page.pk],
                )
            return context


class ReviewPanel(Panel):
    """Where the story is in review, at the top of its edit screen: above all, when it was
    sent back, who sent it and their comment, so the writer needn't dig for it."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "articles/admin/review_panel.html"

        def is_shown(self):
            page = self.instance
            return page is not None and page.pk is not None and page.current_workflow_state

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            state = self.instance.current_workflow_state
            step, groups = step_and_groups(self.instance.current_workflow_task_state)
            note = last_note(state)
            context.update(
                sent_back=state.status == state.STATUS_NEEDS_CHANGES,
                note=note,
                noted_by=display_name(note.by) if note else "",
                step=step,
                groups=groups,
                submitted_by=display_name(state.requested_by),
                submitted_at=state.created_at,
            )
            return context
