"""The admin's dashboard for the newsroom, per role (the `construct_homepage_panels` hook):

- everyone: "New article in" one button per section they may file in;
- whoever may post to live coverage now: each page, with "Post an update";
- a writer: their stories, sent back (by whom, at which step, the comment) first, then in
  review (at which step, waiting for whom) and drafts;
- a reviewer (copy desk, editors): the stories waiting at their step, with the person who
  submitted the story (Wagtail's own panel names whoever finished the step before);
- everyone: what is scheduled and what is embargoed, with the times.

Wagtail's two workflow panels are replaced by these for newsroom members.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision, TaskState, WorkflowState

from .live import rules as live_rules
from .models import ArticlePage, SectionPage
from .review_state import display_name, last_note, step_and_groups
from .roles import ROLES

LIMIT = 20  # rows per panel: a dashboard, not a listing
REPLACED_WAGTAIL_PANELS = {"user_objects_in_workflow_moderation", "workflow_objects_to_moderate"}


def is_newsroom_member(user) -> bool:
    return user.is_superuser or user.groups.filter(name__in=list(ROLES)).exists()


class NewArticlePanel(Component):
    template_name = "articles/admin/dashboard/new_article.html"
    order = 50

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        sections = [
            section
            for section in SectionPage.objects.order_by("path")
            if section.permissions_for_user(self.user).can_add_subpage()
        ]
        return {
            "sections": [
                {
                    "title": section.title,
                    "url": reverse(
                        "wagtailadmin_pages:add",
                        args=["articles", "articlepage", section.pk],
                    ),
                }
                for section in sections
            ]
        }


class LiveCoveragePanel(Component):
    """The live coverage the person may post to now, each with "Post an update": how an
    assigned reporter, who cannot edit the page itself, finds where to post."""

    template_name = "articles/admin/dashboard/live_coverage.html"
    order = 60

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        not_ended = Q(coverage_end__isnull=True) | Q(coverage_end__gt=timezone.now())
        pages = live_rules.pages_to_post_to(self.user).live().filter(not_ended)[:LIMIT]
        add_url = reverse("wagtailsnippets_articles_liveentry:add")
        return {
            "pages": [
                {"title": page.title, "post_url": f"{add_url}?page={page.pk}", "url": page.url}
                for page in pages
            ]
        }


def _articles_by_id(ids) -> dict[int, ArticlePage]:
    return ArticlePage.objects.filter(pk__in=ids).select_related("latest_revision").in_bulk()


class YourStoriesPanel(Component):
    template_name = "articles/admin/dashboard/your_stories.html"
    order = 100

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        article_type = ContentType.objects.get_for_model(ArticlePage)
        states = list(
            WorkflowState.objects.active()
            .filter(requested_by=self.user, content_type=article_type)
            .select_related("current_task_state__task")
            .order_by("-created_at")[:LIMIT]
        )
        articles = _articles_by_id(int(state.object_id) for state in states)
        sent_back, in_review = [], []
        for state in states:
            article = articles.get(int(state.object_id))
            if article is None:
                continue
            if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
                note = last_note(state)
                sent_back.append(
                    {"article": article, "note": note, "by": display_name(note.by) if note else ""}
                )
            else:
                step, groups = step_and_groups(state.current_task_state)
                in_review.append(
                    {"article": article, "step": step, "groups": groups, "since": state.created_at}
                )
        in_workflow = {state.object_id for state in states}
        drafts = [
            article
            for article in ArticlePage.objects.filter(owner=self.user, live=False)
            .select_related("latest_revision")
            .order_by("-latest_revision_created_at")[: LIMIT + len(in_workflow)]
            if str(article.pk) not in in_workflow
        ][:LIMIT]
        return {"sent_back": sent_back, "in_review": in_review, "drafts": drafts}


class ReviewQueuePanel(Component):
    template_name = "articles/admin/dashboard/review_queue.html"
    order = 150

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        task_states = list(
            TaskState.objects.reviewable_by(self.user)
            .select_related("task", "workflow_state__requested_by")
            .order_by("started_at")[:LIMIT]
        )
        pages = (
            Page.objects.filter(pk__in=[int(ts.workflow_state.object_id) for ts in task_states])
            .specific()
            .in_bulk()
        )
        rows = []
        for task_state in task_states:
            page = pages.get(int(task_state.workflow_state.object_id))
            if page is None:
                continue
            note = last_note(task_state.workflow_state)
            rows.append(
                {
                    "page": page,
                    "step": task_state.task.name,
                    "submitted_by": display_name(task_state.workflow_state.requested_by),
                    "submitted_at": task_state.workflow_state.created_at,
                    "waiting_since": task_state.started_at,
                    "approved_before": note if note and note.outcome == "approved" else None,
                    "approved_by": display_name(note.by) if note else "",
                }
            )
        return {"rows": rows}


class ScheduledPanel(Component):
    template_name = "articles/admin/dashboard/scheduled.html"
    order = 160

    def get_context_data(self, parent_context=None):
        now = timezone.now()
        article_type = ContentType.objects.get_for_model(ArticlePage)
        revisions = list(
            Revision.objects.filter(
                approved_go_live_at__gt=now, content_type=article_type
            ).order_by("approved_go_live_at")[:LIMIT]
        )
        embargoed = list(
            ArticlePage.objects.filter(embargo_until__gt=now).order_by("embargo_until")[:LIMIT]
        )
        articles = _articles_by_id([int(r.object_id) for r in revisions])
        scheduled = [
            {"article": articles[int(r.object_id)], "at": r.approved_go_live_at}
            for r in revisions
            if int(r.object_id) in articles
        ]
        return {"scheduled": scheduled, "embargoed": embargoed}


def newsroom_panels(request, panels) -> None:
    user = request.user
    if not is_newsroom_member(user):
        return
    panels[:] = [
        panel for panel in panels if getattr(panel, "name", "") not in REPLACED_WAGTAIL_PANELS
    ]
    panels.extend(
        [
            NewArticlePanel(user),
            LiveCoveragePanel(user),
            YourStoriesPanel(user),
            ReviewQueuePanel(user),
            ScheduledPanel(),
        ]
    )
