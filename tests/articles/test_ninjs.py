"""Articles as IPTC ninjs 2.1 JSON, validated against the parts of the ninjs schema we use.

The official schema (iptc.org/std/ninjs/ninjs-schema_2.1.json) cannot be fetched here, so its
required field and the shapes of the properties we emit are written out below from the spec.
"""

import datetime

import jsonschema
import pytest
from django.utils import timezone

from articles import ninjs

from .conftest import HIDDEN_TITLES

_TEXT = {
    "type": "object",
    "required": ["value"],
    "properties": {
        "role": {"type": "string"},
        "contenttype": {"type": "string"},
        "value": {"type": "string"},
    },
    "additionalProperties": False,
}
_RENDITION = {
    "type": "object",
    "required": ["href"],
    "properties": {
        "name": {"type": "string"},
        "href": {"type": "string", "format": "uri"},
        "contenttype": {"type": "string"},
        "width": {"type": "integer", "minimum": 1},
        "height": {"type": "integer", "minimum": 1},
    },
    "additionalProperties": False,
}
NINJS_2_1 = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["uri"],
    "additionalProperties": False,
    "properties": {
        "standard": {
            "type": "object",
            "required": ["name", "version"],
            "properties": {
                "name": {"const": "ninjs"},
                "version": {"type": "string", "pattern": r"^2\.\d+$"},
                "schema": {"type": "string", "format": "uri"},
            },
        },
        "uri": {"type": "string", "format": "uri"},
        "type": {
            "enum": ["text", "audio", "video", "picture", "graphic", "composite", "component"]
        },
        "profile": {"type": "string"},
        "version": {"type": "string"},
        "pubstatus": {"enum": ["usable", "withheld", "canceled"]},
        "language": {"type": "string"},
        "firstcreated": {"type": "string", "format": "date-time"},
        "contentcreated": {"type": "string", "format": "date-time"},
        "versioncreated": {"type": "string", "format": "date-time"},
        "by": {"type": "string"},
        "ednote": {"type": "string"},
        "copyrightholder": {"type": "string"},
        "keywords": {"type": "array", "items": {"type": "string"}},
        "altids": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["role", "value"],
                "properties": {"role": {"type": "string"}, "value": {"type": "string"}},
            },
        },
        "headlines": {"type": "array", "items": _TEXT},
        "descriptions": {"type": "array", "items": _TEXT},
        "bodies": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["value"],
                "properties": {
                    "role": {"type": "string"},
                    "contenttype": {"type": "string"},
                    "charcount": {"type": "integer", "minimum": 0},
                    "wordcount": {"type": "integer", "minimum": 0},
                    "value": {"type": "string"},
                },
                "additionalProperties": False,
            },
        },
        "subjects": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "rel": {"type": "string"},
                    "uri": {"type": "string", "format": "uri"},
                },
                "additionalProperties": False,
            },
        },
        "renditions": {"type": "array", "items": _RENDITION},
        "associations": {"type": "array", "items": {"$ref": "#/definitions/association"}},
    },
    "definitions": {
        "association": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "uri": {"type": "string", "format": "uri"},
                "type": {"enum": ["text", "picture", "graphic", "audio", "video"]},
                "headlines": {"type": "array", "items": _TEXT},
                "descriptions": {"type": "array", "items": _TEXT},
                "renditions": {"type": "array", "items": _RENDITION},
                "by": {"type": "string"},
                "copyrightholder": {"type": "string"},
            },
            "additionalProperties": False,
        }
    },
}
VALIDATOR = jsonschema.Draft7Validator(NINJS_2_1, format_checker=jsonschema.FormatChecker())
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
    assert item["by"] == "Anna Petrova"
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
    assert picture["renditions"][0]["href"].startswith("http://testserver/media/images/")


def test_hidden_articles_have_no_ninjs(client, hidden_articles):
    for hidden in hidden_articles:
        assert hidden.title in HIDDEN_TITLES
        assert client.get(f"/api/ninjs/articles/{hidden.pk}/").status_code == 404
    assert client.get("/api/ninjs/articles/999999/").status_code == 404
