"""Writing through the headless API (Wagtail API v3) with real API tokens: each role can do
what it can do in the admin and no more; publishing is refused to reporters."""

import json

import pytest
from django.test import Client
from wagtail.models import APIToken, Page, PageLogEntry

from articles.models import ArticlePage, HomePage, SectionPage
from articles.roles import COPY_EDITORS, EDITORS, REPORTERS

from .workflow_helpers import make_user

PAGES = "/api/v3/pages/"


class TokenClient:
    """What a headless client sees: JSON in, status and JSON out, a bearer token (or none)."""

    def __init__(self, plaintext: str | None = None):
        self.client = Client()
        self.headers = {"authorization": f"Bearer {plaintext}"} if plaintext else {}

    def _send(self, method, url, data=None):
        body = json.dumps(data) if data is not None else None
        return getattr(self.client, method)(
            url, data=body, content_type="application/json", headers=self.headers
        )

    def get(self, url):
        return self.client.get(url, headers=self.headers)

    def post(self, url, data=None):
        return self._send("post", url, data)

    def patch(self, url, data):
        return self._send("patch", url, data)

    def delete(self, url):
        return self._send("delete", url)


def token_for(user) -> TokenClient:
    _, plaintext = APIToken.create_token(user=user, name=f"{user.username} app")
    return TokenClient(plaintext)


@pytest.fixture
def reporter_api(home):
    return token_for(make_user("reporter", REPORTERS))


@pytest.fixture
def copy_editor_api(home):
    return token_for(make_user("copyeditor", COPY_EDITORS))


@pytest.fixture
def editor_api(home):
    return token_for(make_user("editor", EDITORS))


def article_payload(section, action=None, **fields):
    meta = {"type": "articles.ArticlePage", "parent_id": section.pk}
    if action:
        meta["action"] = action
    return {
        "meta": meta,
        "title": "Harbour reopens after storm",
        "standfirst": "Boats are back.",
        "secondary_sections": [],
        "body": [{"type": "paragraph", "value": "<p>The harbour reopened.</p>"}],
        **fields,
    }


def problem(response, status: int | tuple[int, ...]) -> dict:
    """Assert an RFC 7807 error response with the given status; return its JSON."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.content[:800])
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def created(response) -> ArticlePage:
    assert response.status_code == 201, response.content[:800]
    return ArticlePage.objects.get(pk=response.json()["id"])


def test_reporter_creates_and_edits_a_draft_under_world(reporter_api, world):
    article = created(reporter_api.post(PAGES, article_payload(world)))
    assert article.get_parent().pk == world.pk
    assert not article.live and article.live_revision is None
    assert article.owner.username == "reporter"

    response = reporter_api.patch(
        f"{PAGES}{article.pk}/",
        {"title": "Whitby harbour reopens after storm", "standfirst": "Fishing boats are back."},
    )
    assert response.status_code == 200, response.content[:800]
    assert response.json()["title"] == "Whitby harbour reopens after storm"
    article.refresh_from_db()
    draft = article.get_latest_revision_as_object()
    assert draft.title == "Whitby harbour reopens after storm"
    assert draft.standfirst == "Fishing boats are back."
    assert not article.live
    # The reporter's client reads its own draft back; readers still can't.
    mine = reporter_api.get(f"{PAGES}{article.pk}/?version=draft")
    assert mine.status_code == 200 and mine.json()["standfirst"] == "Fishing boats are back."
    assert Client().get(f"{PAGES}{article.pk}/").status_code == 404


def test_every_way_a_reporter_might_publish_is_refused(reporter_api, world, article_factory):
    refused = problem(reporter_api.post(PAGES, article_payload(world, action="publish")), 403)
    assert "permission to publish" in refused["detail"]
    assert not ArticlePage.objects.filter(title="Harbour reopens after storm").exists()

    article = created(reporter_api.post(PAGES, article_payload(world, title="Draft story")))
    url = f"{PAGES}{article.pk}/"
    problem(reporter_api.patch(url, {"meta": {"action": "publish"}, "title": "Now live?"}), 403)
    problem(reporter_api.post(f"{url}actions/publish/"), 403)
    # Copies and aliases of a live story would be live: refused too.
    live_story = article_factory(world, title="Already live")
    problem(
        reporter_api.post(
            f"{PAGES}{live_story.pk}/actions/copy/", {"keep_live": True, "slug": "live-copy"}
        ),
        403,
    )
    problem(
        reporter_api.post(f"{PAGES}{live_story.pk}/actions/create_alias/", {"slug": "live-alias"}),
        403,
    )
    problem(reporter_api.post(f"{PAGES}{live_story.pk}/actions/unpublish/"), 403)

    article.refresh_from_db()
    assert not article.live and article.live_revision is None
    assert article.get_latest_revision_as_object().title == "Draft story"
    assert not PageLogEntry.objects.filter(action="wagtail.publish", page=article).exists()
    assert set(ArticlePage.objects.filter(live=True).values_list("title", flat=True)) == {
        "Already live"
    }
    assert not Page.objects.filter(slug__in=["live-copy", "live-alias"]).exists()
    assert Client().get(f"{world.url}draft-story/").status_code == 404


def test_submitting_is_its_own_action_not_a_save_option(reporter_api, world):
    """Review has its own actions (tests/articles/test_api_workflow.py); a save with
    `meta.action: submit` is refused rather than quietly saved without submitting."""
    article = created(reporter_api.post(PAGES, article_payload(world)))
    problem(
        reporter_api.patch(f"{PAGES}{article.pk}/", {"meta": {"action": "submit"}}),
        422,
    )
    article.refresh_from_db()
    assert article.current_workflow_state is None and not article.live


def test_editor_publishes_and_readers_see_the_article(editor_api, world):
    article = created(
        editor_api.post(PAGES, article_payload(world, title="Editor story", action="publish"))
    )
    assert article.live and article.live_revision_id == article.latest_revision_id
    assert article.publication_date is not None

    reader = Client()
    page = reader.get(article.url)
    assert page.status_code == 200
    assert "Editor story" in page.content.decode()
    assert "Editor story" in reader.get(world.url).content.decode()
    assert reader.get(f"{PAGES}{article.pk}/").json()["standfirst"] == "Boats are back."


def test_editor_publishes_a_reporters_draft(reporter_api, editor_api, world):
    article = created(reporter_api.post(PAGES, article_payload(world, title="Reporter story")))
    published = editor_api.post(f"{PAGES}{article.pk}/actions/publish/")
    assert published.status_code == 200, published.content[:800]
    assert published.json()["meta"]["first_published_at"]
    article.refresh_from_db()
    assert article.live
    assert Client().get(article.url).status_code == 200


def test_copy_editor_edits_but_cannot_create_or_publish(
    copy_editor_api, reporter_api, world, article_factory
):
    refused = problem(copy_editor_api.post(PAGES, article_payload(world, title="Desk story")), 403)
    assert refused["detail"]
    assert not ArticlePage.objects.filter(title="Desk story").exists()

    article = created(reporter_api.post(PAGES, article_payload(world)))
    response = copy_editor_api.patch(f"{PAGES}{article.pk}/", {"standfirst": "Subbed."})
    assert response.status_code == 200, response.content[:800]
    article.refresh_from_db()
    assert article.get_latest_revision_as_object().standfirst == "Subbed."

    live_story = article_factory(world, title="Live story")
    response = copy_editor_api.patch(f"{PAGES}{live_story.pk}/", {"standfirst": "Fixed typo."})
    assert response.status_code == 200, response.content[:800]
    live_story.refresh_from_db()
    # The edit is a draft revision: readers still see the published version.
    assert live_story.standfirst != "Fixed typo."
    assert live_story.get_latest_revision_as_object().standfirst == "Fixed typo."
    problem(copy_editor_api.patch(f"{PAGES}{article.pk}/", {"meta": {"action": "publish"}}), 403)
    problem(copy_editor_api.post(f"{PAGES}{article.pk}/actions/publish/"), 403)
    article.refresh_from_db()
    assert not article.live


def test_anonymous_and_bad_tokens_cannot_write(reporter_api, world):
    article = created(reporter_api.post(PAGES, article_payload(world, title="Mine")))
    revoked_token, plaintext = APIToken.create_token(user=article.owner, name="old")
    revoked_token.revoke()
    for client in (TokenClient(), TokenClient("not-a-real-token"), TokenClient(plaintext)):
        problem(client.post(PAGES, article_payload(world, title="Anonymous story")), 401)
        problem(client.patch(f"{PAGES}{article.pk}/", {"title": "Defaced"}), 401)
        problem(client.post(f"{PAGES}{article.pk}/actions/publish/"), 401)
        problem(client.delete(f"{PAGES}{article.pk}/"), 401)
    assert not ArticlePage.objects.filter(title="Anonymous story").exists()
    assert article.get_latest_revision_as_object().title == "Mine"
    assert ArticlePage.objects.filter(pk=article.pk, live=False).exists()


def test_a_session_login_is_not_a_token(client, world, home):
    """A logged-in admin browser has no write access to the API: only tokens count."""
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    response = client.post(
        PAGES, json.dumps(article_payload(world)), content_type="application/json"
    )
    problem(response, 401)
    assert not ArticlePage.objects.exists()


def test_tokens_cannot_write_outside_the_newsroom(editor_api, home, world, article_factory):
    """Editors' permissions stop at the newsroom's home page: another site's tree is out."""
    root = Page.get_first_root_node()
    outside = root.add_child(instance=HomePage(title="Another site", slug="another-site"))
    elsewhere = outside.add_child(instance=SectionPage(title="Elsewhere", slug="elsewhere"))
    for parent, page_type in (
        (root, "articles.HomePage"),
        (outside, "articles.SectionPage"),
        (elsewhere, "articles.ArticlePage"),
    ):
        payload = {"meta": {"type": page_type, "parent_id": parent.pk}, "title": "Intruder"}
        if page_type == "articles.ArticlePage":
            payload["secondary_sections"] = []
        problem(editor_api.post(PAGES, payload), 403)
    assert not Page.objects.filter(title="Intruder").exists()
    problem(editor_api.patch(f"{PAGES}{elsewhere.pk}/", {"title": "Taken over"}), 403)
    problem(editor_api.post(f"{PAGES}{elsewhere.pk}/actions/publish/"), 403)
    problem(editor_api.delete(f"{PAGES}{elsewhere.pk}/"), 403)
    ours = article_factory(world, title="Our story")
    move_out = {"destination_id": elsewhere.pk, "position": "last-child"}
    problem(editor_api.post(f"{PAGES}{ours.pk}/actions/move/", move_out), 403)
    elsewhere.refresh_from_db()
    assert elsewhere.title == "Elsewhere" and elsewhere.get_parent().pk == outside.pk
    assert ArticlePage.objects.get(pk=ours.pk).get_parent().pk == world.pk


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"standfirst": "x" * 601}, "standfirst", "at most 600 characters"),
        ({"publication_date": "next Tuesday"}, "publication_date", "datetime"),
        ({"secondary_sections": [999999]}, "secondary_sections", "999999"),
        ({"byline": [{"author_id": 999999}]}, "author", "valid choice"),
        ({"corrections": [{"kind": "rumour", "text": "x"}]}, "kind", "rumour"),
        ({"lead_image_id": 999999}, "lead_image", "valid choice"),
    ],
)
def test_invalid_input_is_a_4xx_naming_the_field(reporter_api, world, payload, field, message):
    response = reporter_api.post(PAGES, article_payload(world, **{"title": "Bad input", **payload}))
    content = problem(response, (400, 422))
    assert any(
        field in [str(part) for part in error.get("loc", [])] and message in error["msg"]
        for error in content["errors"]
    ), content["errors"]
    assert not ArticlePage.objects.exists()


def test_reporter_cannot_delete_or_move_even_their_own_draft(
    reporter_api, editor_api, world, top_stories
):
    """As in the admin (articles/wagtail_hooks.py): only people who can publish delete or move."""
    article = created(reporter_api.post(PAGES, article_payload(world)))
    url = f"{PAGES}{article.pk}/"
    into_top_stories = {"destination_id": top_stories.pk, "position": "last-child"}
    move = reporter_api.post(f"{url}actions/move/", into_top_stories)
    assert "only editors who can publish may move" in problem(move, 403)["detail"]
    refused = problem(reporter_api.delete(url), 403)
    assert "only editors who can publish may delete" in refused["detail"]
    problem(reporter_api.delete(f"{url}actions/delete/"), 403)
    article.refresh_from_db()
    assert article.get_parent().pk == world.pk

    moved = editor_api.post(f"{url}actions/move/", into_top_stories)
    assert moved.status_code == 200, moved.content[:800]
    assert ArticlePage.objects.get(pk=article.pk).get_parent().pk == top_stories.pk
    assert editor_api.delete(url).status_code == 204
    assert not ArticlePage.objects.filter(pk=article.pk).exists()


def test_api_publishing_runs_the_pre_publish_checks(editor_api, world, make_image):
    """The admin refuses to publish an article whose photo lacks alt text or credit; so does
    the API, whichever way it publishes."""
    photo = make_image("Harbour")
    not_ready = {"lead_image_id": photo.pk, "lead_image_alt": "", "lead_image_credit": "Staff"}
    content = problem(
        editor_api.post(PAGES, article_payload(world, action="publish", **not_ready)), 422
    )
    assert any("The lead image has no alt text" in e["msg"] for e in content["errors"])
    assert not ArticlePage.objects.exists()

    article = created(editor_api.post(PAGES, article_payload(world, **not_ready)))
    url = f"{PAGES}{article.pk}/"
    content = problem(editor_api.patch(url, {"meta": {"action": "publish"}}), 422)
    assert any("The lead image has no alt text" in e["msg"] for e in content["errors"])
    content = problem(editor_api.post(f"{url}actions/publish/"), 422)
    assert any("The lead image has no alt text" in e["msg"] for e in content["errors"])
    article.refresh_from_db()
    assert not article.live

    fixed = editor_api.patch(url, {"meta": {"action": "publish"}, "lead_image_alt": "Boats"})
    assert fixed.status_code == 200, fixed.content[:800]
    article.refresh_from_db()
    assert article.live


def test_a_limited_role_cannot_read_an_ancestors_draft(home, world):
    """Wagtail's explorable_instances include a page's ancestors (so the explorer can show
    the way down); that must not let the API serve their unpublished drafts."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    europe = SectionPage(title="Europe")
    world.add_child(instance=europe)
    europe.save_revision().publish()
    desk = Group.objects.create(name="Europe desk")
    GroupPagePermission.objects.create(
        group=desk,
        page=europe,
        permission=Permission.objects.get(
            codename="add_page", content_type__app_label="wagtailcore"
        ),
    )
    user = make_user("europe-reporter", None)
    user.groups.add(desk, Group.objects.get(name=REPORTERS))
    world.title = "World: unannounced relaunch"
    world.save_revision()  # a draft of the ancestor section

    api = token_for(user)
    response = api.get(f"{PAGES}{world.pk}/?version=draft")
    assert "unannounced relaunch" not in response.content.decode()
    assert response.status_code in (403, 404)
    # The page itself is public: the draft was withheld, not the page.
    assert TokenClient().get(f"{PAGES}{world.pk}/").status_code == 200
