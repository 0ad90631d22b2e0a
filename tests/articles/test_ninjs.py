"""Articles as IPTC ninjs 2.1 and 3.1 JSON, validated against schemas written from the
specification (tests/articles/ninjs_schemas.py)."""

import datetime

import pytest
from django.utils import timezone

from articles import ninjs

from .conftest import HIDDEN_TITLES
from .ninjs_schemas import VALIDATOR_2_1 as VALIDATOR
from .ninjs_schemas import VALIDATOR_3_1

MAY_12 = timezone.make_aware(datetime.datetime(2025, 5, 12, 9, 30))


def test_minimal_story_is_valid_ninjs():
    item = ninjs.to_ninjs(ninjs.Story(uri="http://example.com/a/", guid="urn:uuid:1", headline="A"))
    VALIDATOR.validate(item)
    assert item["headlines"] == [{"role": "main", "contenttype": "text/plain", "value": "A"}]
    assert "bodies" not in item and "associations" not in item


def test_schema_catches_a_malformed_item():
    item = ninjs.to_ninjs(ninjs.Story(uri="http://example.com/a/", guid="g", headline="A"))
    item["headlines"] = "A"  # ninjs 1.x shape
    assert not VALIDATOR.is_valid(item)
    assert not VALIDATOR.is_valid({"headlines": []})  # no uri


@pytest.fixture
def article(seed_article):
    return seed_article(
        body=[
            ("paragraph", "<p>Putin announced talks &amp; more.</p>"),
            ("quote", {"quote": "We are <ready>.", "attribution": "Putin"}),
        ],
    )


def test_article_as_ninjs(client, article):
    response = client.get(f"/api/ninjs/articles/{article.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    item = response.json()
    VALIDATOR.validate(item)
    assert item["standard"]["version"] == "2.1"
    assert item["uri"] == (
        "http://localhost/top-stories/putin-signals-willingness-for-direct-peace-talks/"
    )
    assert item["type"] == "text" and item["pubstatus"] == "usable"
    assert item["altids"] == [{"role": "guid", "value": f"urn:uuid:{article.translation_key}"}]
    assert item["headlines"][0]["value"] == article.title
    assert item["descriptions"] == [
        {"role": "summary", "contenttype": "text/plain", "value": article.standfirst}
    ]
    assert datetime.datetime.fromisoformat(item["contentcreated"]) == MAY_12
    assert datetime.datetime.fromisoformat(item["versioncreated"]) == article.last_published_at
    assert item["by"] == "By Anna Petrova."
    assert item["people"] == [
        {
            "name": "Anna Petrova",
            "rel": "reporting",
            "uri": "http://localhost/authors/anna-petrova/",
        }
    ]
    assert item["language"] == "en"
    assert [(s["name"], s["uri"]) for s in item["subjects"]] == [
        ("Top Stories", "http://localhost/top-stories/"),
        ("World", "http://localhost/world/"),
    ]
    (body,) = item["bodies"]
    assert body["contenttype"] == "text/html"
    assert body["value"] == (
        "<p>Putin announced talks &amp; more.</p>\n"
        "<blockquote><p>We are &lt;ready&gt;.</p></blockquote>"
    )
    assert body["wordcount"] == 8
    assert item["ednote"] == "Correction (2025-05-12): An earlier version misnamed the forum."
    (picture,) = item["associations"]
    assert picture["type"] == "picture"
    assert picture["copyrightholder"] == "Reuters"
    assert {
        "role": "alternative",
        "contenttype": "text/plain",
        "value": "The Kremlin's towers",
    } in (picture["descriptions"])
    assert [(r["name"], r["width"], r["height"]) for r in picture["renditions"]] == [
        ("16x9", 1200, 675),
        ("4x3", 1200, 900),
        ("1x1", 1200, 1200),
    ]
    # On the Site's own host, like the item's uri, whatever host the request named.
    assert picture["renditions"][0]["href"].startswith("http://localhost/media/images/")
    assert item["copyrightholder"] == "Newsroom"
    assert item["copyrightnotice"] == "© 2025 Newsroom"


def test_hidden_articles_have_no_ninjs(client, hidden_articles):
    for hidden in hidden_articles:
        assert hidden.title in HIDDEN_TITLES
        assert client.get(f"/api/ninjs/articles/{hidden.pk}/").status_code == 404
    assert client.get("/api/ninjs/articles/999999/").status_code == 404


def test_schemas_refuse_what_the_specification_does_not_define():
    item = ninjs.to_ninjs(ninjs.Story(uri="http://example.com/a/", guid="g", headline="A"))
    assert not VALIDATOR.is_valid({**item, "keywords": ["x"]})  # not a ninjs 2.x property
    assert not VALIDATOR_3_1.is_valid(item)  # 2.1 names (pubstatus, altids) are not 3.x names
    assert VALIDATOR_3_1.is_valid(
        ninjs.to_ninjs(
            ninjs.Story(uri="http://example.com/a/", guid="g", headline="A"), version="3.1"
        )
    )
    with pytest.raises(ValueError, match="not one of 2.1, 3.1"):
        ninjs.to_ninjs(
            ninjs.Story(uri="http://example.com/a/", guid="g", headline="A"), version="1.3"
        )


@pytest.fixture
def full_article(seed_article, settings):
    """Everything an editor can fill in: byline, lead image, body, tags, sections,
    corrections, and the site's terms of reuse."""
    settings.NEWSROOM_USAGE_TERMS = "Syndication partners only."
    return seed_article(
        body=[
            ("paragraph", "<p>Putin announced talks.</p>"),
            ("quote", {"quote": "We are ready.", "attribution": "Putin"}),
        ],
        tags=["Diplomacy", "Ukraine war"],
    )


def test_article_with_everything_filled_in_is_valid_ninjs_2_1(client, full_article):
    item = client.get(f"/api/ninjs/articles/{full_article.pk}/").json()
    VALIDATOR.validate(item)
    assert "keywords" not in item
    assert [(s["name"], s["rel"]) for s in item["subjects"]] == [
        ("Top Stories", "section"),
        ("World", "section"),
        ("Diplomacy", "tag"),
        ("Ukraine war", "tag"),
    ]
    assert item["usageterms"] == "Syndication partners only."
    assert item["ednote"].startswith("Correction (2025-05-12)")


def test_article_with_everything_filled_in_is_valid_ninjs_3_1(client, full_article):
    response = client.get(f"/api/ninjs/3/articles/{full_article.pk}/")
    assert response.status_code == 200
    item = response.json()
    VALIDATOR_3_1.validate(item)
    assert item["standard"] == {
        "name": "ninjs",
        "version": "3.1",
        "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json",
    }
    assert item["pubStatus"] == "usable"
    assert item["altIds"] == [{"role": "guid", "value": f"urn:uuid:{full_article.translation_key}"}]
    assert datetime.datetime.fromisoformat(item["contentCreated"]) == MAY_12
    assert item["bodies"][0]["contentType"] == "text/html"
    assert item["bodies"][0]["wordCount"] == 6
    assert item["usageTerms"] == "Syndication partners only."
    assert item["edNote"].startswith("Correction (2025-05-12)")
    (picture,) = item["associations"]
    assert picture["copyrightHolder"] == "Reuters"
    assert {r["contentType"] for r in picture["renditions"]} == {"image/jpeg"}
    # Values are never renamed: only property names are.
    assert {
        "role": "alternative",
        "contentType": "text/plain",
        "value": "The Kremlin's towers",
    } in (picture["descriptions"])


def test_hidden_articles_have_no_ninjs_3(client, hidden_articles):
    for hidden in hidden_articles:
        assert client.get(f"/api/ninjs/3/articles/{hidden.pk}/").status_code == 404
