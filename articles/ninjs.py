"""Mapping a story to IPTC ninjs 2.1 (News in JSON). Pure Python: no Django, no database.

ninjs 2.x keeps headlines, descriptions, bodies, renditions and associations as arrays of
objects with a role or name; dates are ISO 8601 date-times; only `uri` is required.
"""

import datetime
import re
from dataclasses import dataclass, field

NINJS_VERSION = "2.1"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"


@dataclass(frozen=True)
class Picture:
    uri: str
    alt_text: str = ""
    caption: str = ""
    credit: str = ""
    # name -> (href, media type, width, height)
    renditions: dict[str, tuple[str, str, int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Story:
    uri: str
    guid: str
    headline: str
    standfirst: str = ""
    body_html: str = ""
    first_created: datetime.datetime | None = None
    published: datetime.datetime | None = None
    version_created: datetime.datetime | None = None
    version: str = ""
    language: str = ""
    by: list[str] = field(default_factory=list)
    # (title, uri) of each section, primary first
    sections: list[tuple[str, str]] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    # (kind, text, noted_at)
    corrections: list[tuple[str, str, datetime.datetime]] = field(default_factory=list)
    lead_image: Picture | None = None


def _date(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _words(html: str) -> int:
    return len(re.sub(r"<[^>]+>", " ", html).split())


def _renditions(picture: Picture) -> list[dict]:
    return [
        {"name": name, "href": href, "contenttype": media_type, "width": width, "height": height}
        for name, (href, media_type, width, height) in picture.renditions.items()
    ]


def _text(role: str, value: str) -> dict:
    return {"role": role, "contenttype": "text/plain", "value": value}


def _picture(picture: Picture) -> dict:
    item = {
        "name": "lead-image",
        "uri": picture.uri,
        "type": "picture",
        "renditions": _renditions(picture),
    }
    if picture.caption:
        item["headlines"] = [_text("main", picture.caption)]
    descriptions = []
    if picture.alt_text:
        descriptions.append(_text("alternative", picture.alt_text))
    if picture.caption:
        descriptions.append(_text("caption", picture.caption))
    if descriptions:
        item["descriptions"] = descriptions
    if picture.credit:
        item["copyrightholder"] = picture.credit
        item["by"] = picture.credit
    return item


def to_ninjs(story: Story) -> dict:
    """A ninjs 2.1 text item for `story`; empty optional properties are left out."""
    item: dict = {
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "uri": story.uri,
        "type": "text",
        "profile": "newsroom-article",
        "pubstatus": "usable",
        "altids": [{"role": "guid", "value": story.guid}],
        "headlines": [_text("main", story.headline)],
    }
    optional = {
        "version": story.version,
        "language": story.language,
        "firstcreated": _date(story.first_created),
        "contentcreated": _date(story.published),
        "versioncreated": _date(story.version_created),
        "by": ", ".join(story.by),
        "keywords": story.keywords,
    }
    item.update({key: value for key, value in optional.items() if value})
    if story.standfirst:
        item["descriptions"] = [_text("summary", story.standfirst)]
    if story.body_html:
        item["bodies"] = [
            {
                "role": "main",
                "contenttype": "text/html",
                "charcount": len(story.body_html),
                "wordcount": _words(story.body_html),
                "value": story.body_html,
            }
        ]
    if story.sections:
        item["subjects"] = [
            {"name": title, "uri": uri, "rel": "section"} for title, uri in story.sections
        ]
    if story.corrections:
        item["ednote"] = " ".join(
            f"{kind.capitalize()} ({noted_at.date().isoformat()}): {text}"
            for kind, text, noted_at in story.corrections
        )
    if story.lead_image:
        item["associations"] = [_picture(story.lead_image)]
    return item
