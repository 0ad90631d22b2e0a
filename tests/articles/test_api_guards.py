"""API v3 doors for anonymous readers (images, documents, redirects) and clear 400s where
Wagtail 8.0's API answers 500 (articles/api_guards.py)."""

import io

import pytest
from django.core.files.base import ContentFile
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction

from articles.roles import EDITORS, REPORTERS

from .test_api_write import TokenClient, token_for
from .workflow_helpers import make_user

IMAGES = "/api/v3/images/"


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content[:300]
    return {item["title"] for item in response.json()["items"]}


@pytest.fixture
def photos(top_stories, world, make_image, article_factory, hidden_articles):
    """A photo on a live article, one in a live article's body, one on a private article, one
    used by nothing; `hidden_articles` adds "Scheduled photo" on a scheduled article."""
    live = make_image("Live photo")
    body = make_image("Body photo")
    private = make_image("Private photo")
    make_image("Unused photo")
    article_factory(world, title="Public story", lead_image=live)
    article_factory(
        world,
        title="Story with a body photo",
        body=[("image", {"image": body, "alt_text": "A", "caption": "", "credit": "AP"})],
    )
    secret = article_factory(top_stories, title="Secret story", lead_image=private)
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    return {"live": live, "body": body, "private": private}


def test_anonymous_clients_see_only_images_live_public_pages_use(client, photos):
    assert titles(client.get(IMAGES)) == {"Live photo", "Body photo"}
    assert client.get(f"{IMAGES}{photos['private'].pk}/").status_code == 404
    assert client.get(f"{IMAGES}{photos['live'].pk}/").status_code == 200
    assert titles(client.get(f"{IMAGES}?search=photo")) == {"Live photo", "Body photo"}


def test_newsroom_staff_with_a_token_see_every_image(photos, home):
    editor = token_for(make_user("editor", EDITORS))
    assert {"Private photo", "Unused photo", "Scheduled photo"} <= titles(editor.get(IMAGES))


def test_an_image_leaves_the_api_when_its_article_is_unpublished(client, photos):
    from articles.models import ArticlePage

    ArticlePage.objects.get(title="Public story").unpublish()
    assert titles(client.get(IMAGES)) == {"Body photo"}


def test_anonymous_clients_see_no_document_no_page_uses(client, home):
    document = get_document_model().objects.create(
        title="Draft contract", file=ContentFile(b"secret", name="contract.txt")
    )
    response = client.get("/api/v3/documents/")
    assert response.status_code == 200 and response.json()["items"] == []
    assert client.get(f"/api/v3/documents/{document.pk}/").status_code == 404
    editor = token_for(make_user("editor", EDITORS))
    assert titles(editor.get("/api/v3/documents/")) == {"Draft contract"}


def test_anonymous_clients_get_no_redirects(client, world, article_factory):
    secret = article_factory(world, title="Moved private story")
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)
    Redirect.objects.create(old_path="/old-private", redirect_page=secret)
    for url in ("/api/v3/redirects/", "/api/v3/redirects/find/?html_path=/old-private"):
        response = client.get(url)
        assert response.status_code == 401
        assert "old-private" not in response.content.decode()
        assert "API token" in response.json()["detail"]
    editor = token_for(make_user("editor", EDITORS))
    assert editor.get("/api/v3/redirects/").status_code == 200


# Input that Wagtail 8.0's API answers with a 500 --------------------------------------------


def detail(response) -> str:
    assert response.status_code == 400, (response.status_code, response.content[:500])
    return response.json()["detail"]


@pytest.fixture
def editor_api(home):
    return token_for(make_user("editor", EDITORS))


def test_a_write_body_that_is_not_an_object(editor_api, world, article_factory):
    article = article_factory(world, title="Bodies")
    for body in ([None, None], [1], 5, "x"):
        message = detail(editor_api.patch(f"/api/v3/pages/{article.pk}/", body))
        assert "must be a JSON object" in message
    # A string body would otherwise copy the page under the title "X".
    message = detail(editor_api.post(f"/api/v3/pages/{article.pk}/actions/copy/", "x"))
    assert "must be a JSON object" in message
    assert detail(editor_api.post("/api/v3/pages/", [1]))


def test_a_list_of_ids_given_objects(editor_api, world):
    payload = {
        "meta": {"type": "articles.ArticlePage", "parent_id": world.pk},
        "title": "Ids",
        "slug": "ids",
        "secondary_sections": [{}],
    }
    response = editor_api.post("/api/v3/pages/", payload)
    assert "secondary_sections takes a list of page ids" in detail(response)
    from articles.models import ArticlePage

    assert not ArticlePage.objects.filter(title="Ids").exists()


def test_query_values_beyond_what_a_query_can_take(client, editor_api, world, article_factory):
    article = article_factory(world, title="Queries")
    assert "offset must be a whole number" in detail(client.get(f"/api/v3/pages/?offset={2**70}"))
    assert "site must be a host name" in detail(
        client.get("/api/v3/pages/find/?html_path=/world/&site=localhost:feed")
    )
    assert "user_id must be a user's id" in detail(
        editor_api.get(f"/api/v3/pages/{article.pk}/revisions/?user_id=someone")
    )


def test_root_on_a_host_no_site_answers(client, home, settings):
    settings.ALLOWED_HOSTS = ["*"]
    from wagtail.models import Site

    Site.objects.update(is_default_site=False)
    response = client.get("/api/v3/pages/?child_of=root", HTTP_HOST="nowhere.example")
    assert "no site answers to the host name" in detail(response)


def test_an_upload_without_a_multipart_boundary(home):
    reporter = token_for(make_user("reporter", REPORTERS))
    response = reporter.client.post(
        IMAGES,
        data=io.BytesIO(b"--x\r\n").read(),
        content_type="multipart/form-data",
        headers=reporter.headers,
    )
    assert "multipart/form-data with its boundary" in detail(response)


def test_an_anonymous_write_is_still_refused_plainly(home):
    assert TokenClient().post("/api/v3/pages/", [1]).status_code in (400, 401)


def test_an_id_beyond_what_a_database_holds_is_not_found(client, home):
    """Found by fuzzing: a 500 (OverflowError on SQLite, DataError on PostgreSQL)."""
    editor = token_for(make_user("editor", EDITORS))
    huge = 2**81
    for response in (
        client.get(f"/api/v3/pages/{huge}/"),
        editor.patch(f"/api/v3/pages/{huge}/", {"title": "x"}),
        editor.delete(f"/api/v3/pages/{huge}/"),
        client.get(f"{IMAGES}{huge}/"),
    ):
        assert response.status_code == 404, response.content[:200]


def test_body_blocks_without_a_type(editor_api, world, article_factory):
    """Found by fuzzing as a copy editor: a 500 (KeyError in Wagtail's form data)."""
    article = article_factory(world, title="Blocks")
    response = editor_api.patch(f"/api/v3/pages/{article.pk}/", {"body": [{}, {"x": 1}]})
    assert 'body takes a list of blocks, each an object with "type" and "value"' in detail(response)
