"""What readers get of a live coverage page's updates, computed once per change.

The whole stream (each update rendered once, the key events, whether readers may see the
page at all) is one value in the shared cache per page. The writer's changes reach it
through the one owner of content changes (articles/signal_handlers.py), which recomputes it
once the change is committed; any state change of the page (published, unpublished, made
private, moved, deleted) does the same. So the page, its update endpoint and its feeds read
one cache value, and a reader's poll costs one cache read. Readers' lookups only ever *add*
a value that is missing: a lookup that raced a change can't overwrite what the change wrote.
A timeout bounds how long a value can outlive a change nobody announced.
"""

import hashlib
import json

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .. import bylines, reader_cache
from ..blocks import plain_body_html
from ..bylines import Credit
from ..conf import newsroom_setting
from ..models import ArticlePage, LiveCoveragePage
from .entries import entry_text

TIMEOUT = 60
# Updates sent to readers' pages with their HTML: the newest ones and any changed lately
# (the rest are listed by id, so a page drops one an editor hid).
SENT_NEWEST = 30
SENT_CHANGED_WITHIN = 30 * 60


def _key(page_id: int) -> str:
    return f"newsroom:{reader_cache.code_version()}:live-updates:{page_id}"


def _credits(entry) -> list[Credit]:
    return [
        Credit(name=author.name, role=author.role, slug=author.slug, contribution="reporting")
        for author in entry.authors.all()
    ]


def entry_summary(entry, *, pinned: bool) -> dict:
    """One update as readers get it: its words, times, authors and rendered HTML."""
    credits = _credits(entry)
    return {
        "id": entry.pk,
        "anchor": entry.anchor(),
        "time": timezone.localtime(entry.posted_at).strftime("%H:%M"),
        "posted_at": entry.posted_at.isoformat(),
        "updated_at": entry.updated_at.isoformat(),
        "headline": entry.headline,
        "text": entry_text(entry),
        "body_html": plain_body_html(entry.body),
        "authors": [credit.name for credit in credits],
        "key_event": entry.is_key_event,
        "pinned": pinned,
        "correction_note": entry.correction_note,
        "html": render_to_string(
            "articles/includes/live_entry.html",
            {
                "entry": entry,
                "pinned": pinned,
                "byline_groups": bylines.grouped(credits),
            },
        ),
    }


def compute(page_id: int, *, preview: bool = False) -> dict:
    """The page's stream as readers may see it, from the database (for an editor's preview,
    whether or not readers may see the page yet)."""
    readable = preview or ArticlePage.objects.for_readers().filter(pk=page_id).exists()
    page = LiveCoveragePage.objects.filter(pk=page_id).first() if readable else None
    if page is None:
        return {"readable": False}
    shown = newsroom_setting("LIVE_ENTRIES_SHOWN")
    entries = list(page.entries.filter(is_hidden=False).prefetch_related("authors")[:shown])
    pinned = next((entry for entry in entries if entry.is_pinned), None)
    stream = [entry_summary(entry, pinned=entry is pinned) for entry in entries]
    content = {
        "readable": True,
        "page_id": page.pk,
        "coverage_start": page.coverage_start.isoformat() if page.coverage_start else None,
        "coverage_end": page.coverage_end.isoformat() if page.coverage_end else None,
        "pinned": pinned.pk if pinned else None,
        "entries": stream,
    }
    content["key_events_html"] = render_to_string(
        "articles/includes/live_key_events.html",
        {"key_events": for_readers_page(content)["key_events"]},
    )
    content["version"] = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[
        :16
    ]
    return content


def stream(page_id: int) -> dict:
    """The page's stream: one cache read when it is there."""
    key = _key(page_id)
    value = cache.get(key)
    if value is None:
        value = compute(page_id)
        cache.add(key, value, TIMEOUT)
    return value


def for_request(page, request) -> dict:
    """`page`'s stream as this request may see it: an editor's preview sees it whether or
    not readers may yet; readers get the cached one."""
    if page.pk is None:
        return {"readable": False}
    if getattr(request, "is_preview", False):
        return compute(page.pk, preview=True)
    return stream(page.pk)


def refresh(page_id: int) -> None:
    """Recompute after a change (the writer's word wins over any reader's lookup)."""
    cache.set(_key(page_id), compute(page_id), TIMEOUT)


def status(value: dict, now=None) -> str:
    """ "upcoming", "live" or "ended", at this moment."""
    now = now or timezone.now()
    end = value.get("coverage_end")
    if end and parse_datetime(end) <= now:
        return "ended"
    start = value.get("coverage_start")
    if start and parse_datetime(start) > now:
        return "upcoming"
    return "live"


def for_readers_page(value: dict) -> dict:
    """What the page's template shows: the pinned update, the rest newest first, and the
    key events (oldest first, as a timeline reads)."""
    entries = value.get("entries", [])
    return {
        "pinned": next((e for e in entries if e["pinned"]), None),
        "entries": [e for e in entries if not e["pinned"]],
        "key_events": sorted((e for e in entries if e["key_event"]), key=lambda e: e["posted_at"]),
    }


def for_polling(value: dict, now=None) -> dict:
    """What a reader's page asks for every few seconds: every visible update by id, with the
    HTML of the newest and of those changed lately."""
    now = now or timezone.now()
    entries = value["entries"]
    newest = {e["id"] for e in [e for e in entries if not e["pinned"]][:SENT_NEWEST]}
    sent = []
    for e in entries:
        recent = (now - parse_datetime(e["updated_at"])).total_seconds() < SENT_CHANGED_WITHIN
        item = {"id": e["id"], "updated_at": e["updated_at"], "pinned": e["pinned"]}
        if e["pinned"] or e["id"] in newest or recent:
            item["html"] = e["html"]
        sent.append(item)
    return {
        "version": value["version"],
        "status": status(value, now),
        "poll_seconds": newsroom_setting("LIVE_POLL_SECONDS"),
        "entries": sent,
        "key_events_html": value["key_events_html"],
    }
