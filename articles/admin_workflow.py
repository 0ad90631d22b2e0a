"""The article's admin screens in review: messages that say what happened and where the story
goes next, and one obvious primary action per role at each step.

Wagtail 8.0 routes a page type's admin views through its page viewset; the newsroom's
(`ArticlePageViewSet`, registered in wagtail_hooks) changes only the messages. After an
approval from the edit screen Wagtail says "Page ... has been updated", and after one from the
dashboard or the status dialog it says nothing at all.
"""

from django.contrib.messages import get_messages
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.admin import messages
from wagtail.admin.action_menu import WorkflowMenuItem
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import WorkflowState

from .models import ArticlePage
from .review_state import display_name, step_and_groups


def where_it_waits(state) -> str:
    step, groups = step_and_groups(state.current_task_state)
    return f"{step}, waiting for {', '.join(groups)}" if groups else f"{step}"


def review_outcome(page, step: str) -> str | None:
    """What the last review action did, read from the story's workflow afterwards (the
    newsroom's review task may turn an approval into a send-back: articles/models.py)."""
    page = type(page).objects.get(pk=page.pk)
    state = WorkflowState.objects.for_instance(page).order_by("-created_at", "-pk").first()
    if state is None:
        return None
    title = page.get_admin_display_title()
    if state.status == WorkflowState.STATUS_IN_PROGRESS:
        return f"Approved at {step}: “{title}” is now at {where_it_waits(state)}."
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return (
            f"Sent back from {step} to {display_name(state.requested_by)}, with your comment: "
            "they see it on the story and on their dashboard, and resubmit when it's done."
        )
    if state.status == WorkflowState.STATUS_APPROVED:
        if page.live and not page.has_unpublished_changes:
            return f"Approved at {step} and published: “{title}” is live."
        return f"Approved at {step}: “{title}” is scheduled and goes live on time."
    return None


def submitted(page) -> str:
    state = page.current_workflow_state
    where = where_it_waits(state) if state else "review"
    return f"“{page.get_admin_display_title()}” is submitted: it is now at {where}."


def replace_confirmation(request, text: str) -> None:
    """Put `text` in place of the confirmation Wagtail just queued, keeping its buttons
    (View draft, Edit): Wagtail has no hook between making its message and adding it."""
    queued = getattr(get_messages(request), "_queued_messages", None)
    if not queued:
        messages.success(request, text)
        return
    old = str(queued[-1].message)  # HTML: the escaped sentence, then the buttons
    buttons_at = old.find("<")
    buttons = old[buttons_at:] if buttons_at >= 0 else ""
    queued[-1].message = mark_safe(escape(text) + buttons)  # noqa: S308 - Wagtail's own buttons


class ArticleCreateView(CreateView):
    def submit_action(self):
        response = super().submit_action()
        replace_confirmation(self.request, submitted(self.page))
        return response


class ArticleEditView(EditView):
    def submit_action(self):
        response = super().submit_action()
        replace_confirmation(self.request, submitted(self.page))
        return response

    def perform_workflow_action(self):
        self.review_step = self.page.current_workflow_task.name
        return super().perform_workflow_action()

    def add_save_confirmation_message(self):
        text = None
        if self.action_name == "perform_workflow_action":
            text = review_outcome(self.page, self.review_step)
        if text:
            messages.success(self.request, text)
        else:
            super().add_save_confirmation_message()


class ArticleWorkflowActionView(WorkflowActionView):
    """Approve or send back from the dashboard or the status dialog."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        self.task_state.refresh_from_db()
        if self.task_state.status != self.task_state.STATUS_IN_PROGRESS:  # it was acted on
            text = review_outcome(self.object, self.task.name)
            if text:
                messages.success(request, text)
        return response


class ArticlePageViewSet(PageViewSet):
    model = ArticlePage
    parent_models = []  # leave the sections' explorer listing to Wagtail
    add_view_class = ArticleCreateView
    edit_view_class = ArticleEditView
    workflow_action_view_class = ArticleWorkflowActionView


def one_primary_action(menu_items, request, context) -> None:
    """Wagtail makes the first item of the page's action menu its primary button. While a
    story is in review: a reviewer at their step gets "Approve" (the step's own action, not
    "Publish" around it); a writer locked out gets "Page locked", not "Cancel workflow"."""
    page = context.get("page")
    if context.get("view") != "edit" or page is None:
        return
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        return
    if any(isinstance(item, WorkflowMenuItem) for item in menu_items):
        approve = [
            item
            for item in menu_items
            if isinstance(item, WorkflowMenuItem)
            and item.name == "approve"
            and not item.launch_modal
        ]
        rest = [i for i in menu_items if i not in approve and i.name != "action-publish"]
        menu_items[:] = approve + rest
    elif context.get("locked_for_user"):
        locked = [item for item in menu_items if item.name == "action-page-locked"]
        menu_items[:] = locked + [item for item in menu_items if item not in locked]
