"""Which cached URLs a change makes stale, and purging them (Wagtail's frontend cache).

An article appears on its own page, on its primary and secondary sections (and their feeds),
on the front page, in the site feeds, in the sitemap index, in its article sitemap bucket and in
the news sitemap. A section appears on its own page and feeds, on the front page and in the
sections sitemap; moving it (or changing its slug) changes the URL of every page under it.
`urls_to_purge`, `section_urls_to_purge` and `section_move_urls_to_purge` list those URLs;
`purge` sends them to the frontend cache configured in `WAGTAILFRONTENDCACHE` (after the
transaction commits, through Wagtail's purge task, so a database task queue's worker does it
in production). Signal handlers in `articles.signal_handlers` call these.
"""

import contextlib
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Site

from .models import LISTING_CACHED_PATHS, ArticlePage, LiveCoveragePage, SectionPage
from .sitemaps import bucket_of

SITE_WIDE_URL_NAMES = (
    "articles:feed",
    "articles:feed_atom",
    "articles:sitemap",
    "articles:news_sitemap",
    # Names the news sitemap only while it has a story.
    "articles:robots_txt",
)


def _reader_url(root_url: str, name: str, **kwargs) -> str | None:
    try:
        return root_url + reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:  # a host project that does not route the reader URLs
        return None


def _feed_urls(url: str | None) -> list[str]:
    """A section's page and its feeds, for an address no page object stands for (a section
    that moved away from it)."""
    return [url + path.lstrip("/") for path in LISTING_CACHED_PATHS] if url else []


def page_urls(page) -> list[str]:
    """Every URL `page` is cached at, the Wagtail way: its address on each site, joined with
    each of its `get_cached_paths()`."""
    batch = PurgeBatch()
    batch.add_page(page)
    return sorted(batch.urls)


def _section_urls(section) -> list[str]:
    return page_urls(section)


def _site_urls(site: Site | None) -> list[str]:
    """The front page, the site feeds, the sitemap index, the news sitemap and robots.txt of
    `site`."""
    if site is None:
        return []
    return [
        site.root_page.get_full_url(),
        *(_reader_url(site.root_url, name) for name in SITE_WIDE_URL_NAMES),
    ]


def site_urls(page) -> list[str]:
    """The front page, the site feeds and the sitemaps of `page`'s site."""
    return _unique(_site_urls(page.get_site()))


def _article_sitemap_url(root_url: str, article_id: int) -> str | None:
    return _reader_url(root_url, "articles:sitemap_articles", bucket=bucket_of(article_id))


def _unique(urls: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(url for url in urls if url))


def archive_urls(root_url: str, extras_list: Iterable[dict]) -> list[str]:
    """The author pages, topic pages and corrections log (each with its feed) that list an
    article whose stored reader extras (`ArticlePage.reader_extras`, now and before the
    change) are `extras_list`."""
    urls = []
    for extras in extras_list:
        for author in extras.get("byline", []):
            if author.get("slug"):
                urls += [
                    _reader_url(root_url, name, slug=author["slug"])
                    for name in ("articles:author", "articles:author_feed")
                ]
        for tag in extras.get("tags", []):
            if isinstance(tag, dict):
                urls += [
                    _reader_url(root_url, name, slug=tag["slug"])
                    for name in ("articles:topic", "articles:topic_feed")
                ]
        if extras.get("corrections"):
            urls += [
                _reader_url(root_url, name)
                for name in ("articles:corrections", "articles:corrections_feed")
            ]
    return urls


def author_urls(author) -> list[str]:
    """An author's page and feed on every site."""
    extras = {"byline": [{"slug": author.slug}]}
    return _unique(
        url for root in Site.get_site_root_paths() for url in archive_urls(root.root_url, [extras])
    )


def urls_to_purge(
    article, *, previous_sections=(), previous_url: str | None = None, previous_extras=None
) -> list[str]:
    """Every URL showing `article`: itself, its sections and their feeds, the front page,
    the site feeds, the sitemap index, its article sitemap bucket and the news sitemap, and
    the author, topic and corrections pages listing it.

    `previous_sections`: sections it was filed in before this change (a secondary section
    taken off, the old parent after a move); `previous_url`: its URL before a move;
    `previous_extras`: its stored byline, tags and corrections before this change (an author
    or a topic taken off). A move keeps the article in its bucket (buckets go by page id).
    """
    primary = article.get_parent()
    sections = [primary, *article.secondary_sections.all(), *previous_sections]
    seen = set()
    urls = [*page_urls(article), previous_url]
    if isinstance(article, LiveCoveragePage):
        urls += live_urls(article)
    for section in sections:
        if section is None or section.pk in seen:
            continue
        seen.add(section.pk)
        urls.extend(_section_urls(section))
    site = article.get_site()
    urls.extend(_site_urls(site))
    if site is not None:
        urls.append(_article_sitemap_url(site.root_url, article.pk))
        urls += archive_urls(site.root_url, [article.reader_extras or {}, previous_extras or {}])
    return _unique(urls)


def live_urls(page) -> list[str]:
    """What an update to live coverage changes: the page, its feeds of updates and the
    endpoint readers' pages poll."""
    site = page.get_site()
    urls = page_urls(page)
    if site is not None:
        urls.append(_reader_url(site.root_url, "articles:live_updates", page_id=page.pk))
    return _unique(urls)


ALERT_URL_NAMES = ("articles:alert_banner", "articles:alerts_feed", "articles:alerts_feed_atom")


def alert_urls(*, alert_ids: Iterable[int] = (), page_ids: Iterable[int] = ()) -> list[str]:
    """Everything that shows breaking-news alerts apart from the pages themselves, which
    include the banner by ESI (articles/alerts/): on every site, the banner, the alerts feeds
    and the alerts in API v3; the ninjs items of `alert_ids`, and of the stories `page_ids`
    (their urgency)."""
    urls = []
    for site in Site.objects.all():
        root = site.root_url
        urls += [_reader_url(root, name) for name in ALERT_URL_NAMES]
        urls.append(root + "/api/v3/alerts/")
        for pk in alert_ids:
            urls += [_reader_url(root, f"articles:{n}_alert", pk=pk) for n in ("ninjs", "ninjs3")]
        for pk in page_ids:
            urls += [_reader_url(root, f"articles:{n}_article", pk=pk) for n in ("ninjs", "ninjs3")]
    return _unique(urls)


def section_urls_to_purge(section) -> list[str]:
    """A section's own change (published, unpublished, deleted): the section, its feeds, the
    front page (its rail), the site feeds and sitemaps, the sections sitemap among them."""
    site = section.get_site()
    sections_sitemap = _reader_url(site.root_url, "articles:sitemap_sections") if site else None
    return _unique([*_section_urls(section), *_site_urls(site), sections_sitemap])


def subtree_urls_to_purge(page) -> list[str]:
    """Every URL showing `page` or anything under it, for a change that reaches them all (a
    view restriction added, changed or lifted): an article's own URLs, or for a section (or
    the front page) every live page under it and everything listing them."""
    if isinstance(page, ArticlePage):
        return urls_to_purge(page)
    return section_move_urls_to_purge(
        page, url_path_before=page.url_path, url_path_after=page.url_path
    )


def urls_for_path(url_path: str, root_paths=None) -> list[str]:
    """The full URL of the page at `url_path` on each site it is under, built the way Wagtail's
    `Page.get_url_parts` builds it, without loading the page: for pages that just moved away
    from that path, and for many pages at once. `root_paths`: `Site.get_site_root_paths()`."""
    if root_paths is None:
        root_paths = Site.get_site_root_paths()
    i18n = getattr(settings, "WAGTAIL_I18N_ENABLED", False)
    append_slash = getattr(settings, "WAGTAIL_APPEND_SLASH", True)
    urls = []
    for root in root_paths:
        if not url_path.startswith(root.root_path):
            continue
        language = translation.override(root.language_code) if i18n else contextlib.nullcontext()
        try:
            with language:
                page_path = reverse("wagtail_serve", args=(url_path[len(root.root_path) :],))
        except NoReverseMatch:  # Wagtail's page serving is not routed (a headless host)
            continue
        if not append_slash and page_path != "/":
            page_path = page_path.rstrip("/")
        urls.append(root.root_url + page_path)
    return urls


def imported_articles_urls_to_purge(pages) -> list[str]:
    """Articles the importer inserted in bulk, which sends no publish signal (`pages`: pairs
    of article and parent section): their own URLs (a cache may hold a 404 for them), the
    sections they are filed in and their feeds, their sitemap buckets and the site-wide pages."""
    if not pages:
        return []
    root_paths = Site.get_site_root_paths()
    section_ids = set()
    urls = []
    for article, parent in pages:
        section_ids.add(parent.pk)
        section_ids.update(section.pk for section in article.secondary_sections.all())
        urls.extend(urls_for_path(article.url_path, root_paths))
    for section in SectionPage.objects.filter(pk__in=section_ids):
        urls.extend(_section_urls(section))
    site = pages[0][1].get_site()
    urls.extend(_site_urls(site))
    if site is not None:
        buckets = {bucket_of(article.pk) for article, _parent in pages}
        urls.extend(
            _reader_url(site.root_url, "articles:sitemap_articles", bucket=bucket)
            for bucket in sorted(buckets)
        )
    return _unique(urls)


def _parent_path(url_path: str) -> str:
    return url_path[: url_path.rstrip("/").rfind("/") + 1]


def section_move_urls_to_purge(section, *, url_path_before: str, url_path_after: str) -> list[str]:
    """A section moved, or its slug changed: `url_path_before` became `url_path_after` for it
    and every page under it.

    Purges, at the old and the new address, the section and every live page under it
    (subsections with their feeds, articles); its old and new parent (their lists of
    subsections); the sections listing a moved article as a secondary filing, and the articles
    elsewhere filed in a moved section (their links changed); and for the site(s) before and
    after, the front page, the site feeds, the sitemap index, the sections sitemap, the news
    sitemap and the article sitemap buckets of the moved articles. Four queries of plain
    values (no page objects), whatever the number of pages under the section.
    """
    root_paths = Site.get_site_root_paths()

    def new_and_old(url_path: str) -> list[str]:
        """A page's URLs at its new `url_path`, then at the old one."""
        old_path = url_path_before + url_path.removeprefix(url_path_after)
        return [*urls_for_path(url_path, root_paths), *urls_for_path(old_path, root_paths)]

    def with_feeds(section_urls: list[str]) -> list[str]:
        return [url for section_url in section_urls for url in _feed_urls(section_url)]

    live_sections = SectionPage.objects.live()
    live_articles = ArticlePage.objects.live()
    moved_sections = SectionPage.objects.descendant_of(section, inclusive=True).values("pk")
    moved_articles = live_articles.descendant_of(section)
    subsection_paths = (
        live_sections.descendant_of(section).order_by("path").values_list("url_path", flat=True)
    )
    article_rows = list(moved_articles.order_by("path").values_list("pk", "url_path"))
    listing_section_paths = (
        live_sections.filter(secondary_articles__in=moved_articles.values("pk"))
        .distinct()
        .values_list("url_path", flat=True)
    )
    filed_article_paths = (
        live_articles.filter(secondary_sections__in=moved_sections)
        .exclude(path__startswith=section.path)
        .distinct()
        .values_list("url_path", flat=True)
    )

    urls = with_feeds(new_and_old(url_path_after))
    for parent_path in dict.fromkeys([_parent_path(url_path_before), _parent_path(url_path_after)]):
        urls += with_feeds(urls_for_path(parent_path, root_paths))
    for path in subsection_paths:
        urls += with_feeds(new_and_old(path))
    for _pk, path in article_rows:
        urls += new_and_old(path)
    for path in listing_section_paths:
        urls += with_feeds(urls_for_path(path, root_paths))
    for path in filed_article_paths:
        urls += urls_for_path(path, root_paths)
    buckets = sorted({bucket_of(pk) for pk, _path in article_rows})
    site_roots = [
        root
        for root in root_paths
        if url_path_after.startswith(root.root_path) or url_path_before.startswith(root.root_path)
    ]
    for root in site_roots:
        urls += urls_for_path(root.root_path, [root])
        urls += [_reader_url(root.root_url, name) for name in SITE_WIDE_URL_NAMES]
        urls.append(_reader_url(root.root_url, "articles:sitemap_sections"))
        urls += [
            _reader_url(root.root_url, "articles:sitemap_articles", bucket=bucket)
            for bucket in buckets
        ]
    return _unique(urls)


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
    transaction.on_commit(lambda: PurgeBatch(urls).purge())
