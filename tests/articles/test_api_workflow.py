"""Review over the headless API (articles/api_workflow.py): submit, approve and request
changes with real API tokens, per role, with the sentences a client shows its user."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from wagtail.models import PageLogEntry

from articles.models import ArticlePage
from articles.roles import COPY_EDITORS, EDITORS, REPORTERS

from .test_api_write import PAGES, article_payload, created, problem, token_for
from .workflow_helpers import make_user


@pytest.fixture
def desk(home):
    """A reporter, a copy editor and an editor, each with their own API token."""
    people = {
        "reporter": make_user("reporter", REPORTERS),
        "copy editor": make_user("copyeditor", COPY_EDITORS),
        "editor": make_user("editor", EDITORS),
    }
    people["reporter"].first_name, people["reporter"].last_name = "Ria", "Porter"
    people["reporter"].save()
    return {role: token_for(user) for role, user in people.items()}


def draft(desk, world, **fields) -> ArticlePage:
    return created(desk["reporter"].post(PAGES, article_payload(world, **fields)))


def act(api, article, action, comment=None):
    body = {"comment": comment} if comment is not None else None
    return api.post(f"{PAGES}{article.pk}/actions/{action}/", body)


def ok(response) -> dict:
    assert response.status_code == 200, response.content[:800]
    return response.json()


def test_a_story_goes_through_review_by_api_with_the_right_names(desk, world):
    article = draft(desk, world)

    state = ok(act(desk["reporter"], article, "submit"))
    assert state["status"] == "in_review" and state["step"] == "Copy desk"
    assert state["waiting_for"] == [COPY_EDITORS]
    assert state["submitted_by"] == {"username": "reporter", "name": "Ria Porter"}
    assert state["message"] == f"Submitted for review. It waits for Copy desk ({COPY_EDITORS})."
    assert state["your_actions"] == []

    # The copy desk must say what needs changing.
    refused = problem(act(desk["copy editor"], article, "request_changes", "  "), 422)
    assert "a comment is required" in refused["errors"][0]["msg"]
    assert ok(desk["copy editor"].get(f"{PAGES}{article.pk}/workflow/"))["status"] == "in_review"

    state = ok(act(desk["copy editor"], article, "request_changes", "Name the harbour."))
    assert state["status"] == "changes_requested"
    assert state["message"] == (
        "Sent back to Ria Porter with your comment. It returns to Copy desk when they resubmit."
    )
    # The reporter's client sees who sent it back, and why, and that resubmitting is theirs.
    mine = ok(desk["reporter"].get(f"{PAGES}{article.pk}/workflow/"))
    assert mine["last_note"]["comment"] == "Name the harbour."
    assert mine["last_note"]["by"]["username"] == "copyeditor"
    assert mine["last_note"]["outcome"] == "changes_requested"
    assert mine["your_actions"] == ["submit"]
    problem(act(desk["copy editor"], article, "approve"), 409)

    desk["reporter"].patch(f"{PAGES}{article.pk}/", {"title": "Whitby harbour reopens"})
    state = ok(act(desk["reporter"], article, "submit"))
    assert state["status"] == "in_review" and state["step"] == "Copy desk"

    state = ok(act(desk["copy editor"], article, "approve", "Good now."))
    assert state["step"] == "Editor sign-off" and state["waiting_for"] == [EDITORS]
    assert state["message"] == f"Approved at Copy desk. It waits for Editor sign-off ({EDITORS})."
    assert state["last_note"]["by"]["username"] == "copyeditor"
    refused = problem(act(desk["copy editor"], article, "approve"), 403)
    assert refused["detail"] == (
        f"This story is at Editor sign-off: only {EDITORS} approve it or send it back there."
    )

    state = ok(act(desk["editor"], article, "approve"))
    article.refresh_from_db()
    assert article.live and article.title == "Whitby harbour reopens"
    assert state["status"] == "approved" and state["live"] is True
    assert state["message"].startswith("Approved and published: ")
    assert state["message"].endswith(article.url)
    publish_log = PageLogEntry.objects.get(page=article, action="wagtail.publish")
    assert publish_log.user.username == "editor"
    assert "Whitby harbour reopens" in Client().get(world.url).content.decode()


def test_reporters_cannot_review_and_nobody_skips_a_step(desk, world):
    article = draft(desk, world)
    problem(act(desk["copy editor"], article, "approve"), 409)  # not submitted yet
    ok(act(desk["reporter"], article, "submit"))
    refused = problem(act(desk["reporter"], article, "approve"), 403)
    assert refused["detail"] == (
        f"This story is at Copy desk: only {COPY_EDITORS} approve it or send it back there."
    )
    problem(act(desk["reporter"], article, "request_changes", "Looks fine to me"), 403)
    # An editor isn't on the copy desk: the steps are taken in order.
    problem(act(desk["editor"], article, "approve"), 403)
    again = problem(act(desk["reporter"], article, "submit"), 409)
    assert again["detail"].startswith("This story is already in review. It waits for Copy desk")
    article.refresh_from_db()
    assert article.current_workflow_task.name == "Copy desk" and not article.live


def test_the_last_approval_sends_back_a_story_that_cannot_be_published(desk, world, make_image):
    photo = make_image("Harbour")
    article = draft(desk, world, lead_image_id=photo.pk, lead_image_alt="Boats")  # no credit
    ok(act(desk["reporter"], article, "submit"))
    ok(act(desk["copy editor"], article, "approve"))
    state = ok(act(desk["editor"], article, "approve"))
    assert state["status"] == "changes_requested" and state["live"] is False
    assert state["message"].startswith("Not published. Sent back automatically")
    assert "credit" in state["message"]


def test_an_approved_embargoed_story_is_scheduled_not_published(desk, world):
    embargo = timezone.now() + datetime.timedelta(days=1)
    article = draft(desk, world)
    article.embargo_until = embargo  # an editor's (articles.set_embargo)
    article.save_revision()
    ok(act(desk["reporter"], article, "submit"))
    ok(act(desk["copy editor"], article, "approve"))
    state = ok(act(desk["editor"], article, "approve"))
    assert state["live"] is False and state["scheduled_for"] is not None
    scheduled = datetime.datetime.fromisoformat(state["scheduled_for"])
    assert abs(scheduled - embargo) < datetime.timedelta(minutes=1)
    assert state["message"] == f"Approved; it will be published at {state['scheduled_for']}."


def test_strangers_get_nothing(desk, world):
    article = draft(desk, world)
    anonymous = Client()
    for action in ("submit", "approve", "request_changes"):
        response = anonymous.post(f"{PAGES}{article.pk}/actions/{action}/")
        assert response.status_code == 401
    assert anonymous.get(f"{PAGES}{article.pk}/workflow/").status_code == 401
    # Another reporter can neither see nor submit someone else's draft.
    other = token_for(make_user("other", REPORTERS))
    problem(other.get(f"{PAGES}{article.pk}/workflow/"), 404)
    problem(act(other, article, "submit"), 404)
    article.refresh_from_db()
    assert not article.workflow_in_progress


def test_a_reporter_cannot_submit_a_section_by_api(desk, world):
    refused = problem(act(desk["reporter"], world, "submit"), 403)
    assert refused["detail"].startswith("Only editors submit sections")
    assert not world.__class__.objects.get(pk=world.pk).workflow_in_progress


def test_the_review_actions_are_in_the_openapi_schema(client, home):
    paths = client.get("/api/v3/openapi.json").json()["paths"]
    for action in ("submit", "approve", "request_changes"):
        assert f"/api/v3/pages/{{page_id}}/actions/{action}/" in paths
    assert "/api/v3/pages/{page_id}/workflow/" in paths
    body = paths["/api/v3/pages/{page_id}/actions/request_changes/"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]


def approve_by_admin(user, article, task_state_pk):
    from django.urls import reverse

    client = Client()
    client.force_login(user)
    url = reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "approve", task_state_pk))
    return client.post(url, {}, headers={"x-requested-with": "XMLHttpRequest"}).status_code


@pytest.mark.parametrize("door", ["API", "admin"])
@pytest.mark.django_db(transaction=True)
def test_two_copy_editors_approving_at_once_take_one_step(door):
    """Both had the story open at the copy desk. Without serialising, both approvals would
    land on the copy desk's step and the second would push the story past the editor's
    sign-off (Wagtail's own workflow action has this race)."""
    from django.contrib.contenttypes.models import ContentType

    from articles.models import SectionPage
    from articles.setup import set_up_newsroom

    ContentType.objects.clear_cache()  # see tests/e2e: an earlier flush renumbers them
    set_up_newsroom()
    world = SectionPage.objects.get(slug="world")
    reporter = token_for(make_user("reporter", REPORTERS))
    article = created(reporter.post(PAGES, article_payload(world)))
    ok(act(reporter, article, "submit"))
    task_state_pk = ArticlePage.objects.get(pk=article.pk).current_workflow_task_state.pk
    reviewers = [make_user(f"copy{n}", COPY_EDITORS) for n in range(2)]
    apis = {user.pk: token_for(user) for user in reviewers}
    statuses = []
    start = threading.Barrier(len(reviewers))

    def approve(user):
        try:
            start.wait()
            if door == "API":
                statuses.append(act(apis[user.pk], article, "approve").status_code)
            else:
                statuses.append(approve_by_admin(user, article, task_state_pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 403]
    article.refresh_from_db()
    assert article.current_workflow_task.name == "Editor sign-off" and not article.live
