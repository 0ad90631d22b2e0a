"""Review over the headless API: submit, approve and request changes as API v3 actions.

    GET  /api/v3/pages/{id}/workflow/                  where the story is in review
    POST /api/v3/pages/{id}/actions/submit/            send the latest revision to review
    POST /api/v3/pages/{id}/actions/approve/           {"comment": "..."} optional
    POST /api/v3/pages/{id}/actions/request_changes/   {"comment": "..."} required

The role rules are the admin's, because the same objects decide: Wagtail's page permission
tester for submitting (our section tester refuses sections to non-editors), and the current
review task's `get_actions` for approving and sending back (members of that step's group).
Every change goes through Wagtail's workflow methods, so the signals, log entries, purges and
the pre-publish check of `ReviewTask` are exactly the admin's.
"""

from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Body, Router, Schema
from ninja.errors import HttpError
from pydantic import PositiveInt
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.api.v3.errors import as_validation_error
from wagtail.models import Page, WorkflowState

from .models import SectionPage
from .permissions import sections_refusal
from .review_state import current_or_last_state, display_name, last_note, step_and_groups

router = Router(auth=BearerTokenAuth(), tags=["pages"])


class ReviewComment(Schema):
    comment: str = ""


class Person(Schema):
    username: str
    name: str


class ReviewNote(Schema):
    step: str
    outcome: str  # "approved" or "changes_requested"
    by: Person | None
    at: str | None
    comment: str


class ReviewState(Schema):
    page_id: int
    title: str
    # "not_in_review", "in_review", "changes_requested", "approved" (finished; live or scheduled)
    status: str
    step: str | None
    waiting_for: list[str]
    submitted_by: Person | None
    submitted_at: str | None
    last_note: ReviewNote | None
    live: bool
    scheduled_for: str | None
    your_actions: list[str]
    message: str


def _person(user) -> Person | None:
    if user is None:
        return None
    return Person(username=user.get_username(), name=display_name(user))


def _note(note) -> ReviewNote | None:
    if note is None:
        return None
    return ReviewNote(
        step=note.step,
        outcome=note.outcome,
        by=_person(note.by),
        at=note.at.isoformat() if note.at else None,
        comment=note.comment,
    )


def _editable_page(request: HttpRequest, page_id: int) -> Page:
    """The page, if the token's user may at least edit or review it; a 404 otherwise, so
    that ids of other people's drafts don't leak. Sections are the site's public structure:
    their actions are refused with the reason instead."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404("No page has that id.")
    page = page.specific
    if page.permissions_for_user(request.user).can_edit() or isinstance(page, SectionPage):
        return page
    task_state = page.current_workflow_task_state
    if task_state is not None and task_state.task.specific.get_actions(page, request.user):
        return page
    raise Http404("No page with that id is yours to edit or review.")


def _may_submit(page, user) -> bool:
    """The admin's rule: someone who may edit the page submits it, when it isn't locked, has
    a workflow and isn't already in review (a story sent back may be resubmitted)."""
    perms = page.permissions_for_user(user)
    state = page.current_workflow_state
    sent_back = state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES
    return perms.can_edit() and (perms.can_submit_for_moderation() or sent_back)


def _available_actions(page, user) -> list[str]:
    actions = ["submit"] if _may_submit(page, user) else []
    task_state = page.current_workflow_task_state
    if task_state is not None:
        names = {name for name, _, _ in task_state.task.specific.get_actions(page, user)}
        if "approve" in names:
            actions.append("approve")
        if "reject" in names:
            actions.append("request_changes")
    return actions


def review_state(page, user, message: str = "") -> ReviewState:
    page = Page.objects.get(pk=page.pk).specific  # what the action left behind
    state = current_or_last_state(page)
    task_state = page.current_workflow_task_state
    step, groups = step_and_groups(task_state)
    status = {
        WorkflowState.STATUS_IN_PROGRESS: "in_review",
        WorkflowState.STATUS_NEEDS_CHANGES: "changes_requested",
        WorkflowState.STATUS_APPROVED: "approved",
    }.get(state.status if state else None, "not_in_review")
    if status == "changes_requested":
        step = state.current_task_state.task.name if state.current_task_state else None
    revision = page.get_latest_revision()
    scheduled = revision.approved_go_live_at if revision else None
    return ReviewState(
        page_id=page.pk,
        title=page.get_admin_display_title(),
        status=status,
        step=step,
        waiting_for=groups,
        submitted_by=_person(state.requested_by) if state else None,
        submitted_at=state.created_at.isoformat() if state else None,
        last_note=_note(last_note(state)),
        live=page.live,
        scheduled_for=scheduled.isoformat() if scheduled else None,
        your_actions=_available_actions(page, user),
        message=message,
    )


def _waits_for(page) -> str:
    step, groups = step_and_groups(page.current_workflow_task_state)
    return f"It waits for {step} ({', '.join(groups)})." if groups else f"It waits for {step}."


@router.get(
    "/{page_id}/workflow/",
    response=ReviewState,
    url_name="newsroom_pages_workflow",
    summary="Where a page is in review",
    operation_id="newsroom_pages_workflow",
)
def workflow_detail(request: HttpRequest, page_id: PositiveInt):
    page = _editable_page(request, page_id)
    return review_state(page, request.user)


@router.post(
    "/{page_id}/actions/submit/",
    response=ReviewState,
    url_name="newsroom_pages_actions_submit",
    summary="Submit the latest revision for review",
    operation_id="newsroom_pages_actions_submit",
)
def submit(request: HttpRequest, page_id: PositiveInt):
    with transaction.atomic():
        page = _locked(request, page_id)
        state = page.current_workflow_state
        if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
            raise HttpError(409, f"This story is already in review. {_waits_for(page)}")
        if not _may_submit(page, request.user):
            raise HttpError(403, _submit_refusal(page, request.user))
        if page.get_latest_revision() is None:
            page.save_revision(user=request.user)
        if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            state.resume(request.user)  # as the admin does: back to the step that sent it back
        else:
            page.get_workflow().start(page, request.user)
    page.refresh_from_db()
    return review_state(page, request.user, f"Submitted for review. {_waits_for(page)}")


@router.post(
    "/{page_id}/actions/approve/",
    response=ReviewState,
    url_name="newsroom_pages_actions_approve",
    summary="Approve the current review step",
    operation_id="newsroom_pages_actions_approve",
)
def approve(
    request: HttpRequest,
    page_id: PositiveInt,
    data: ReviewComment = Body(ReviewComment()),  # noqa: B008 - Ninja's way to declare a body
):
    step = _act(request, page_id, "approve", data.comment.strip())
    page = Page.objects.get(pk=page_id).specific
    state = current_or_last_state(page)
    if state.status == WorkflowState.STATUS_IN_PROGRESS:
        message = f"Approved at {step}. {_waits_for(page)}"
    elif state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        note = _note(last_note(state))
        message = f"Not published. {note.comment if note else ''}".strip()
    elif page.live and not page.has_unpublished_changes:
        message = f"Approved and published: {page.full_url or page.url}"
    else:
        revision = page.get_latest_revision()
        when = revision.approved_go_live_at if revision else None
        message = (
            f"Approved; it will be published at {when.isoformat()}."
            if when
            else "Approved at the last step."
        )
    return review_state(page, request.user, message)


@router.post(
    "/{page_id}/actions/request_changes/",
    response=ReviewState,
    url_name="newsroom_pages_actions_request_changes",
    summary="Send the story back to its writer with a comment",
    operation_id="newsroom_pages_actions_request_changes",
)
def request_changes(
    request: HttpRequest,
    page_id: PositiveInt,
    data: ReviewComment = Body(ReviewComment()),  # noqa: B008 - Ninja's way to declare a body
):
    comment = data.comment.strip()
    if not comment:
        raise as_validation_error(
            ValueError(),
            "Say what needs changing: a comment is required to send a story back.",
            loc=("body", "comment"),
        )
    step = _act(request, page_id, "reject", comment)
    page = Page.objects.get(pk=page_id).specific
    writer = _person(current_or_last_state(page).requested_by)
    whom = writer.name if writer else "its writer"
    return review_state(
        page,
        request.user,
        f"Sent back to {whom} with your comment. It returns to {step} when they resubmit.",
    )


def _locked(request: HttpRequest, page_id: int) -> Page:
    """The page, its row locked for this transaction, so two reviewers (or a reviewer and
    the writer) acting at once are serialised and the second sees the first's result."""
    page = _editable_page(request, page_id)
    Page.objects.select_for_update().filter(pk=page.pk).first()
    return Page.objects.get(pk=page.pk).specific


def _act(request: HttpRequest, page_id: int, action: str, comment: str) -> str:
    """Take `action` on the page's current review step as the token's user; the step's name."""
    with transaction.atomic():
        page = _locked(request, page_id)
        task_state = page.current_workflow_task_state
        if task_state is None:
            state = page.current_workflow_state
            if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
                raise HttpError(
                    409, "This story was sent back to its writer; it can't be reviewed until "
                    "they resubmit it."
                )  # fmt: skip
            raise HttpError(409, "This story isn't in review: submit it first.")
        task = task_state.task.specific
        names = {name for name, _, _ in task.get_actions(page, request.user)}
        if action not in names:
            _, groups = step_and_groups(task_state)
            raise HttpError(
                403,
                f"This story is at {task.name}: only {', '.join(groups) or 'its reviewers'} "
                "approve it or send it back there.",
            )
        task.on_action(task_state, request.user, action, comment=comment)
        return task.name


def _submit_refusal(page, user) -> str:
    if isinstance(page, SectionPage) and not page.permissions_for_user(user).can_edit():
        return sections_refusal("submit")
    if page.permissions_for_user(user).page_locked():
        return "This story is locked by someone else; ask them to unlock it before submitting."
    if not page.has_workflow:
        return "This page has no review workflow, so there is nothing to submit it to."
    return "You can submit only stories you may edit: your own drafts, or any on the copy desk."
