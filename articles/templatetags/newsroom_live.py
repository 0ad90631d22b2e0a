"""The live coverage page's stream, from the one cached value per page (articles/live/)."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe

from ..conf import newsroom_setting
from ..live import updates

register = template.Library()


def _safe(entry: dict) -> dict:
    # Rendered by articles/includes/live_entry.html, which escapes the story text.
    return {**entry, "html": mark_safe(entry["html"])}  # noqa: S308


@register.simple_tag(takes_context=True)
def live_stream(context, page):
    """What the template shows of `page`'s updates (computed once per render)."""
    request = context.get("request")
    memo = getattr(request, "_newsroom_live_streams", None)
    if memo is None:
        memo = {}
        if request is not None:
            request._newsroom_live_streams = memo
    if page.pk in memo:
        return memo[page.pk]
    value = updates.for_request(page, request)
    shown = updates.for_readers_page(value)
    try:
        url = reverse("articles:live_updates", kwargs={"page_id": page.pk}) if page.pk else ""
    except NoReverseMatch:  # a host project that doesn't route the reader URLs
        url = ""
    start, end = value.get("coverage_start"), value.get("coverage_end")
    memo[page.pk] = {
        "value": value,
        "status": updates.status(value) if value.get("readable") else page.coverage_status(),
        "coverage_start": parse_datetime(start) if start else page.coverage_start,
        "coverage_end": parse_datetime(end) if end else page.coverage_end,
        "version": value.get("version", ""),
        "updates_url": url,
        "poll_seconds": newsroom_setting("LIVE_POLL_SECONDS"),
        "pinned": _safe(shown["pinned"]) if shown["pinned"] else None,
        "entries": [_safe(entry) for entry in shown["entries"]],
        "key_events_html": mark_safe(value.get("key_events_html", "")),  # noqa: S308
    }
    return memo[page.pk]
