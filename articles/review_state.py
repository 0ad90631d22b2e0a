"""Where a story is in review, for the people working on it: the admin's review panel
(articles/panels.py) and the API's workflow state (articles/api_workflow.py) read it here."""

from dataclasses import dataclass
from datetime import datetime

from wagtail.models import TaskState, WorkflowState


@dataclass(frozen=True)
class ReviewNote:
    """The last finished review step: who acted there, how, when and with what comment."""

    step: str
    outcome: str  # "approved" or "changes_requested"
    by: object | None  # the user
    at: datetime | None
    comment: str


def display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def current_or_last_state(page) -> WorkflowState | None:
    return page.current_workflow_state or (
        WorkflowState.objects.for_instance(page).order_by("-created_at", "-id").first()
    )


def step_and_groups(task_state) -> tuple[str | None, list[str]]:
    """The step a task state is at, and the names of the groups who act on it."""
    if task_state is None:
        return None, []
    task = task_state.task.specific
    groups = sorted(task.groups.values_list("name", flat=True)) if hasattr(task, "groups") else []
    return task.name, groups


def last_note(state: WorkflowState | None) -> ReviewNote | None:
    if state is None:
        return None
    finished = (
        TaskState.objects.filter(workflow_state=state)
        .exclude(status__in=(TaskState.STATUS_IN_PROGRESS, TaskState.STATUS_CANCELLED))
        .select_related("finished_by", "task")
        .order_by("-finished_at", "-id")
        .first()
    )
    if finished is None:
        return None
    return ReviewNote(
        step=finished.task.name,
        outcome="approved" if finished.status == TaskState.STATUS_APPROVED else "changes_requested",
        by=finished.finished_by,
        at=finished.finished_at,
        comment=finished.comment or "",
    )
