"""The one name readers see for the site: title, masthead, footer, Open Graph, JSON-LD, feeds
and the news sitemap all ask here, so they never disagree."""

from django.conf import settings

from .conf import newsroom_setting

FALLBACK = "Newsroom"


def site_name(site=None) -> str:
    """`NEWSROOM_SITE_NAME` if set; else the Wagtail Site's name (Settings > Sites); else
    `WAGTAIL_SITE_NAME`, which `wagtail start` always sets; else "Newsroom"."""
    return (
        newsroom_setting("SITE_NAME")
        or (site.site_name if site is not None else "")
        or getattr(settings, "WAGTAIL_SITE_NAME", "")
        or FALLBACK
    )
