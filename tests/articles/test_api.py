"""The headless API (Wagtail API v3 at /api/v3/): what anonymous clients can read."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from .conftest import HIDDEN_TITLES

MAY_12 = timezone.make_aware(datetime.datetime(2025, 5, 12, 9, 30))


@pytest.fixture
def article(seed_article, make_image):
    return seed_article(
        body=[
            ("paragraph", "<p>Putin announced talks.</p>"),
            (
                "image",
                {
                    "image": make_image("Forum hall", size=(1200, 800)),
                    "alt_text": "Delegates in the hall",
                    "caption": "The forum hall",
                    "credit": "AP Photo",
                },
            ),
            ("quote", {"quote": "We are prepared.", "attribution": "Putin"}),
        ],
    )


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.json()


def test_article_detail_exposes_the_article_fields(client, article, top_stories, world, author):
    data = get_json(client, f"/api/v3/pages/{article.pk}/")
    assert data["meta"]["type"] == "articles.ArticlePage"
    assert data["title"] == "Putin Signals Willingness for Direct Peace Talks"
    assert data["standfirst"] == "The Kremlin says it is ready to talk."
    assert datetime.datetime.fromisoformat(data["publication_date"]) == MAY_12
    assert datetime.datetime.fromisoformat(data["updated_at"]) == article.last_published_at
    assert data["authors"] == [
        {
            "id": author.pk,
            "name": "Anna Petrova",
            "role": "Moscow correspondent",
            "url": "/authors/anna-petrova/",
            "contribution": "reporting",
            "contribution_label": "Reporting",
        }
    ]
    assert data["article_type"] == "news"
    assert data["primary_section"] == {
        "id": top_stories.pk,
        "title": "Top Stories",
        "url": "/top-stories/",
    }
    assert data["secondary_sections"] == [world.pk]
    assert data["canonical_url"] == (
        "http://localhost/top-stories/putin-signals-willingness-for-direct-peace-talks/"
    )
    assert [block["type"] for block in data["body"]] == ["paragraph", "image", "quote"]
    assert data["body"][0]["value"] == "<p>Putin announced talks.</p>"
    assert data["body"][2]["value"] == {"quote": "We are prepared.", "attribution": "Putin"}
    image_slot = data["body"][1]["value"]
    assert (image_slot["alt_text"], image_slot["caption"], image_slot["credit"]) == (
        "Delegates in the hall",
        "The forum hall",
        "AP Photo",
    )
    assert image_slot["crops"]["crop_16x9"]["url"].endswith(".fill-1200x675.jpg")
    assert image_slot["crops"]["crop_16x9"]["full_url"].startswith("http")
    assert data["lead_image"]["id"] == article.lead_image.pk
    assert (data["lead_image_alt"], data["lead_image_caption"], data["lead_image_credit"]) == (
        "The Kremlin's towers",
        "The Kremlin in Moscow",
        "Reuters",
    )
    crops = data["lead_image_crops"]
    assert {name: (c["width"], c["height"]) for name, c in crops.items()} == {
        "crop_16x9": (1200, 675),
        "crop_4x3": (1200, 900),
        "crop_1x1": (1200, 1200),
    }
    assert crops["crop_1x1"]["url"].endswith(".fill-1200x1200.jpg")
    assert [(c["kind"], c["text"]) for c in data["corrections"]] == [
        ("correction", "An earlier version misnamed the forum.")
    ]


def test_section_detail_exposes_the_section_fields(client, world):
    world.introduction = "News from around the world."
    world.save_revision().publish()
    data = get_json(client, f"/api/v3/pages/{world.pk}/")
    assert data["meta"]["type"] == "articles.SectionPage"
    assert data["introduction"] == "News from around the world."
    assert data["canonical_url"] == "http://localhost/world/"


def test_anonymous_clients_see_live_public_articles_only(client, article, hidden_articles):
    listing = get_json(client, "/api/v3/pages/?type=articles.ArticlePage&limit=20")
    assert [item["title"] for item in listing["items"]] == [article.title]
    assert listing["count"] == 1
    for hidden in hidden_articles:
        get_json(client, f"/api/v3/pages/{hidden.pk}/", status=404)
        get_json(client, f"/api/v3/pages/{hidden.pk}/?version=draft", status=404)
    searched = get_json(client, "/api/v3/pages/?search=story")
    assert not set(HIDDEN_TITLES) & {item["title"] for item in searched["items"]}


def test_a_session_login_does_not_reveal_drafts(admin_client, hidden_articles):
    """Only API tokens authenticate: a logged-in browser is still an anonymous API client."""
    for hidden in hidden_articles:
        get_json(admin_client, f"/api/v3/pages/{hidden.pk}/", status=404)


def test_openapi_schema_is_served(client, home):
    schema = get_json(client, "/api/v3/openapi.json")
    assert schema["openapi"].startswith("3.")
    assert "/api/v3/pages/{page_id}/" in schema["paths"]
    article_schema = schema["components"]["schemas"]["ArticlePageSchema"]
    for field in ("standfirst", "publication_date", "authors", "body", "lead_image_crops"):
        assert field in article_schema["properties"], field


@override_settings(WAGTAILAPI_DOCS_ENABLED=False, NEWSROOM_API_SCHEMA_PUBLIC=False)
def test_production_turns_docs_and_schema_off(client, home):
    assert client.get("/api/v3/docs/").status_code == 404
    assert client.get("/api/v3/openapi.json").status_code == 404


def test_production_settings_disable_the_docs():
    import ast
    from pathlib import Path

    import newsroom.settings

    source = Path(newsroom.settings.__file__).with_name("production.py").read_text()
    assignments = {
        node.targets[0].id: node.value
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert ast.literal_eval(assignments["WAGTAILAPI_DOCS_ENABLED"]) is False
    assert ast.literal_eval(assignments["NEWSROOM_API_SCHEMA_PUBLIC"]) is False


def test_docs_are_on_in_development(client, home):
    assert client.get("/api/v3/docs/").status_code == 200
