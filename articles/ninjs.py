"""Mapping a story to IPTC ninjs (News in JSON), 2.1 and 3.1. Pure Python: no Django.

ninjs keeps headlines, descriptions, bodies, renditions and associations as arrays of
objects with a role or name; dates are ISO 8601 date-times; only `uri` is required, and no
property outside the schema is allowed. 3.x is 2.1 with camelCase names (`pubStatus`,
`contentType`, `altIds`) and `embargoed` renamed `embargoedUntil`; the IPTC recommends it for
new work. Tags travel as `subjects`, sections too (told apart by `rel`), corrections in
`ednote` (ninjs has no property of its own for them), the article type in `genres`, rights
in `copyrightholder`, `copyrightnotice` and `usageterms`.
"""

import datetime
import re
from dataclasses import dataclass, field

VERSIONS = {
    "2.1": "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json",
    "3.1": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json",
}
NINJS_VERSION = "2.1"
# 2.1 names that 3.x spells otherwise; every other name is the same in both.
RENAMED_IN_3 = {
    "altids": "altIds",
    "charcount": "charCount",
    "contentcreated": "contentCreated",
    "contenttype": "contentType",
    "copyrightholder": "copyrightHolder",
    "copyrightnotice": "copyrightNotice",
    "ednote": "edNote",
    "embargoed": "embargoedUntil",
    "firstcreated": "firstCreated",
    "infosources": "infoSources",
    "pubstatus": "pubStatus",
    "representationtype": "representationType",
    "sizeinbytes": "sizeInBytes",
    "trustindicators": "trustIndicators",
    "usageterms": "usageTerms",
    "versioncreated": "versionCreated",
    "wordcount": "wordCount",
}


@dataclass(frozen=True)
class Picture:
    uri: str
    alt_text: str = ""
    caption: str = ""
    credit: str = ""
    # name -> (href, media type, width, height)
    renditions: dict[str, tuple[str, str, int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Update:
    """One update of live coverage: an item of its own, with its own address and time."""

    uri: str
    name: str
    headline: str = ""
    body_html: str = ""
    by: str = ""
    published: datetime.datetime | None = None
    version_created: datetime.datetime | None = None
    correction: str = ""


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
    # The byline as readers read it (“By A and B. Photos by C.”), and each person in it:
    # (name, role on the story, author page uri).
    by: str = ""
    people: list[tuple[str, str, str]] = field(default_factory=list)
    # (title, uri) of each section, primary first
    sections: list[tuple[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # The kind of article (its label: "Opinion"), as a ninjs genre; empty for plain news.
    genre: str = ""
    # (kind, text, noted_at)
    corrections: list[tuple[str, str, datetime.datetime]] = field(default_factory=list)
    lead_image: Picture | None = None
    # Rights: who holds the copyright, the notice to show, and the terms of reuse.
    copyright_holder: str = ""
    copyright_notice: str = ""
    usage_terms: str = ""
    # Live coverage: its updates, newest first (as associations, after the lead image).
    profile: str = "newsroom-article"
    updates: list[Update] = field(default_factory=list)
    # IPTC urgency (1 most urgent) while a breaking-news alert points at the story.
    urgency: int | None = None


@dataclass(frozen=True)
class Alert:
    """A breaking-news alert: a short text item with an urgency and an expiry, associated
    with the story it points at."""

    uri: str
    text: str
    urgency: int
    story_uri: str
    story_headline: str = ""
    starts: datetime.datetime | None = None
    expires: datetime.datetime | None = None
    version_created: datetime.datetime | None = None


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


def to_ninjs(story: Story, *, version: str = NINJS_VERSION) -> dict:
    """A ninjs text item for `story` in `version` ("2.1" or "3.1"); empty optional properties
    are left out."""
    if version not in VERSIONS:
        raise ValueError(f"ninjs version {version!r} is not one of {', '.join(VERSIONS)}.")
    item = {
        "standard": {"name": "ninjs", "version": version, "schema": VERSIONS[version]},
        **_ninjs_2_1(story),
    }
    return item if version.startswith("2.") else _camel_case(item)


def alert_to_ninjs(alert: Alert, *, version: str = NINJS_VERSION) -> dict:
    """A breaking-news alert as a ninjs text item: its text as the headline, `urgency` as
    IPTC's (1 most urgent, 9 least), `expires` its end, and the story it points at as an
    association of its own."""
    if version not in VERSIONS:
        raise ValueError(f"ninjs version {version!r} is not one of {', '.join(VERSIONS)}.")
    item: dict = {
        "standard": {"name": "ninjs", "version": version, "schema": VERSIONS[version]},
        "uri": alert.uri,
        "type": "text",
        "profile": "newsroom-alert",
        "pubstatus": "usable",
        "urgency": alert.urgency,
        "headlines": [_text("main", alert.text)],
    }
    optional = {
        "contentcreated": _date(alert.starts),
        "versioncreated": _date(alert.version_created),
        "expires": _date(alert.expires),
    }
    item.update({key: value for key, value in optional.items() if value})
    story: dict = {"name": "story", "uri": alert.story_uri, "type": "text"}
    if alert.story_headline:
        story["headlines"] = [_text("main", alert.story_headline)]
    item["associations"] = [story]
    return item if version.startswith("2.") else _camel_case(item)


def _camel_case(value):
    """A 2.1 item in 3.x names: property names only, never the values."""
    if isinstance(value, dict):
        return {RENAMED_IN_3.get(key, key): _camel_case(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_camel_case(inner) for inner in value]
    return value


def _ninjs_2_1(story: Story) -> dict:
    item: dict = {
        "uri": story.uri,
        "type": "text",
        "profile": story.profile,
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
        "by": story.by,
        "copyrightholder": story.copyright_holder,
        "copyrightnotice": story.copyright_notice,
        "usageterms": story.usage_terms,
        "urgency": story.urgency,
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
    subjects = [{"name": title, "uri": uri, "rel": "section"} for title, uri in story.sections]
    subjects += [{"name": tag, "rel": "tag"} for tag in story.tags]
    if subjects:
        item["subjects"] = subjects
    if story.people:
        item["people"] = [
            {"name": name, "rel": rel, **({"uri": uri} if uri else {})}
            for name, rel, uri in story.people
        ]
    if story.genre:
        item["genres"] = [{"name": story.genre}]
    if story.corrections:
        item["ednote"] = " ".join(
            f"{kind.capitalize()} ({noted_at.date().isoformat()}): {text}"
            for kind, text, noted_at in story.corrections
        )
    associations = [_picture(story.lead_image)] if story.lead_image else []
    associations += [_update(update) for update in story.updates]
    if associations:
        item["associations"] = associations
    return item


def _update(update: Update) -> dict:
    """A live update as an associated text item. Associations are an ordered array in 2.1
    and 3.x alike, and each is a whole ninjs item: its own uri, times, byline and body, which
    is what an update is (a client can show, link or syndicate one on its own)."""
    item: dict = {"name": update.name, "uri": update.uri, "type": "text"}
    if update.headline:
        item["headlines"] = [_text("main", update.headline)]
    optional = {
        "contentcreated": _date(update.published),
        "versioncreated": _date(update.version_created),
        "by": update.by,
        "ednote": update.correction,
    }
    item.update({key: value for key, value in optional.items() if value})
    if update.body_html:
        item["bodies"] = [
            {
                "role": "main",
                "contenttype": "text/html",
                "charcount": len(update.body_html),
                "wordcount": _words(update.body_html),
                "value": update.body_html,
            }
        ]
    return item
