"""Names for Wagtail's status side panel (our copy of its template:
templates/wagtailadmin/shared/side_panels/includes/status/workflow.html). Wagtail names the
person who saved a revision, or who submitted the story, where a reader of the panel expects
the person who acted: who published, who sent it back, who approved the step before."""

from django import template
from wagtail.models import PageLogEntry, WorkflowState

from ..review_state import last_note

register = template.Library()


@register.simple_tag
def live_published_by(page):
    """Who published (or scheduled) the live revision: the log knows; the revision's user is
    whoever saved it (the copy editor, when the editor approved without changes)."""
    if not getattr(page, "live_revision_id", None):
        return None
    entry = (
        PageLogEntry.objects.filter(
            page=page,
            revision_id=page.live_revision_id,
            action__in=("wagtail.publish", "wagtail.publish.schedule"),
            user__isnull=False,
        )
        .select_related("user")
        .order_by("-timestamp", "-pk")
        .first()
    )
    return entry.user if entry else None


@register.simple_tag
def workflow_heading_actor(workflow_state):
    """Who the heading's "by" names: the reviewer who asked for changes, or approved the step
    before the one the story waits at; the submitter while at the first step."""
    note = last_note(workflow_state)
    if note is not None and note.by is not None:
        sent_back = workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
        if sent_back or note.outcome == "approved":
            return note.by
    return workflow_state.requested_by
