from wagtail.admin.panels import Panel

from .editorial_checks import editorial_warnings, is_embargoed
from .review_state import display_name, last_note, step_and_groups


class EditorialChecksPanel(Panel):
    """Shows editors what still needs attention on an article: empty slots, no standfirst."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "articles/admin/editorial_checks_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["warnings"] = editorial_warnings(page) if page is not None else []
            context["embargo_until"] = page.embargo_until if is_embargoed(page) else None
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
