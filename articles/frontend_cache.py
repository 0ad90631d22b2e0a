"""Which cached URLs an article change makes stale, and purging them (Wagtail's frontend cache).

An article appears on its own page, on its primary and secondary sections (and their feeds),
on the front page, in the site feeds and in both sitemaps. `urls_to_purge` lists those URLs;
`purge` sends them to the frontend cache configured in `WAGTAILFRONTENDCACHE` (after the
transaction commits, through Wagtail's purge task, so a database task queue's worker does it
in production). Signal handlers in `articles.signal_handlers` call these.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse

SITE_WIDE_URL_NAMES = (
    "articles:feed",
    "articles:feed_atom",
    "articles:sitemap",
    "articles:news_sitemap",
)


def _section_urls(section) -> list[str]:
    url = section.get_full_url()
    if not url:
        return []
    return [url, f"{url}feed/", f"{url}feed/atom/"]


def site_urls(page) -> list[str]:
    """The front page, the site feeds and the sitemaps of `page`'s site."""
    site = page.get_site()
    if site is None:
        return []
    urls = []
    home_url = site.root_page.get_full_url()
    if home_url:
        urls.append(home_url)
    for name in SITE_WIDE_URL_NAMES:
        try:
            urls.append(site.root_url + reverse(name))
        except NoReverseMatch:  # a host project that does not route the reader URLs
            continue
    return urls


def _unique(urls: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(url for url in urls if url))


def urls_to_purge(article, *, previous_sections=(), previous_url: str | None = None) -> list[str]:
    """Every URL showing `article`: itself, its sections and their feeds, the front page,
    the site feeds and the sitemaps.

    `previous_sections`: sections it was filed in before this change (a secondary section
    taken off, the old parent after a move); `previous_url`: its URL before a move.
    """
    primary = article.get_parent()
    sections = [primary, *article.secondary_sections.all(), *previous_sections]
    seen = set()
    urls = [article.get_full_url(), previous_url]
    for section in sections:
        if section is None or section.pk in seen:
            continue
        seen.add(section.pk)
        urls.extend(_section_urls(section))
    urls.extend(site_urls(article))
    return _unique(urls)


def section_urls_to_purge(section) -> list[str]:
    """A section's own change: the section, its feeds and the front page (its rail)."""
    return _unique([*_section_urls(section), *site_urls(section)])


def frontend_cache_configured() -> bool:
    return bool(
        getattr(settings, "WAGTAILFRONTENDCACHE", None)
        or getattr(settings, "WAGTAILFRONTENDCACHE_LOCATION", None)
    )


def purge(urls: Iterable[str]) -> None:
    """Purge `urls` once the current transaction commits; nothing when no cache is configured."""
    urls = list(urls)
    if not urls or not frontend_cache_configured():
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    transaction.on_commit(lambda: purge_urls_from_cache(urls))
