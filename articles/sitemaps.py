"""Sitemaps: an index of the site's sitemaps, one for the pages that are not articles (home page,
sections), articles bucketed by page id, and a Google News sitemap.

Article bucket k holds the reader-visible articles with ids in [k*size, (k+1)*size) (size:
`NEWSROOM_SITEMAP_BUCKET_SIZE`), so a bucket page is a primary-key range scan however large the
archive grows, and an article stays in one bucket for life (a purge targets exactly that page).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Max
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from . import reader_cache
from .conf import newsroom_setting
from .models import ArticlePage
from .site_name import site_name

NEWS_WINDOW = datetime.timedelta(hours=48)
# The news sitemap schema allows at most 1,000 URLs per file.
NEWS_SITEMAP_LIMIT = 1000
# The sitemap protocol's limit on URLs per sitemap.
SITEMAP_URL_LIMIT = 50_000
# Page ids are at most a 64-bit integer: a bucket beyond that cannot hold any.
MAX_PAGE_ID = 2**63 - 1


@dataclass(frozen=True)
class SitemapEntry:
    """A `<url>` of a sitemap or a `<sitemap>` of the index."""

    location: str
    lastmod: datetime.datetime | datetime.date | None = None
    changefreq: str | None = None
    priority: float | None = None

    @property
    def w3c_lastmod(self) -> str:
        """W3C Datetime, to the second, in UTC; a plain date stays a date."""
        if isinstance(self.lastmod, datetime.datetime):
            if timezone.is_aware(self.lastmod):
                return self.lastmod.astimezone(datetime.UTC).isoformat(timespec="seconds")
            return self.lastmod.isoformat(timespec="seconds")
        return self.lastmod.isoformat() if self.lastmod else ""


def bucket_size() -> int:
    size = newsroom_setting("SITEMAP_BUCKET_SIZE")
    if not isinstance(size, int) or not 1 <= size <= SITEMAP_URL_LIMIT:
        raise ImproperlyConfigured(
            f"NEWSROOM_SITEMAP_BUCKET_SIZE must be a whole number from 1 to {SITEMAP_URL_LIMIT}."
        )
    return size


def bucket_of(page_id: int) -> int:
    """The article sitemap bucket an article is listed in, for life."""
    return page_id // bucket_size()


def article_modified():
    """An article's last significant change, as its JSON-LD `dateModified` says: the later of
    its last publication and its publication date (either may be missing on imported pages)."""
    return Greatest(
        Coalesce("last_published_at", "publication_date"),
        Coalesce("publication_date", "last_published_at"),
    )


def _site_articles(site: Site):
    """The site's reader-visible articles, without the listing's image prefetching."""
    return (
        ArticlePage.objects.for_readers()
        .descendant_of(site.root_page)
        .select_related(None)
        .prefetch_related(None)
    )


def _site_other_pages(site: Site):
    """The site's live, public pages that are not articles: the home page and the sections."""
    return site.root_page.get_descendants(inclusive=True).live().public().not_type(ArticlePage)


def _index_summary(site: Site, size: int) -> dict:
    """One aggregate per sitemap kind: the other pages' count and lastmod, and each non-empty
    article bucket with its lastmod."""
    other = _site_other_pages(site).aggregate(
        count=Count("pk"),
        lastmod=Max(Coalesce("last_published_at", "latest_revision_created_at")),
    )
    buckets = (
        _site_articles(site)
        .order_by()
        .annotate(bucket=ExpressionWrapper(F("pk") / size, output_field=IntegerField()))
        .values("bucket")
        .annotate(lastmod=Max(article_modified()))
        .order_by("bucket")
    )
    return {
        "other_pages": (other["count"], other["lastmod"]),
        "buckets": [(row["bucket"], row["lastmod"]) for row in buckets],
    }


def sitemap_index_entries(*, site: Site) -> list[SitemapEntry]:
    """The sections sitemap and every non-empty article bucket, each with its lastmod
    (cached until content changes)."""
    size = bucket_size()
    summary = reader_cache.cached(
        f"sitemap-index:{site.pk}:{size}", lambda: _index_summary(site, size)
    )
    entries = []
    count, lastmod = summary["other_pages"]
    if count:
        entries.append(SitemapEntry(site.root_url + reverse("articles:sitemap_sections"), lastmod))
    entries.extend(
        SitemapEntry(
            site.root_url + reverse("articles:sitemap_articles", kwargs={"bucket": bucket}),
            lastmod,
        )
        for bucket, lastmod in summary["buckets"]
    )
    return entries


def section_sitemap_entries(request, *, site: Site) -> list[SitemapEntry]:
    """The home page and sections (any page but articles), as each page's
    `get_sitemap_urls()` gives them: a page type can add or drop its own entries."""
    pages = _site_other_pages(site).order_by("path").defer_streamfields().specific()
    return [
        SitemapEntry(
            location=url["location"],
            lastmod=url.get("lastmod"),
            changefreq=url.get("changefreq"),
            priority=url.get("priority"),
        )
        for page in pages
        for url in page.get_sitemap_urls(request)
        if url.get("location")
    ]


def article_sitemap_entries(request, *, site: Site, bucket: int) -> list[SitemapEntry]:
    """Reader-visible articles of `site` in `bucket`, by id: one primary-key range scan."""
    size = bucket_size()
    if bucket < 0 or (bucket + 1) * size > MAX_PAGE_ID:
        return []
    articles = (
        _site_articles(site)
        .filter(pk__gte=bucket * size, pk__lt=(bucket + 1) * size)
        .annotate(modified=article_modified())
        .only("url_path")
        .order_by("pk")
    )
    entries = []
    for article in articles:
        location = article.get_full_url(request)
        if location:
            entries.append(SitemapEntry(location, article.modified))
    return entries


def news_language(language_code: str) -> str:
    """The news sitemap wants ISO 639 codes; Chinese keeps its script (zh-cn, zh-tw)."""
    code = language_code.lower()
    return code if code in ("zh-cn", "zh-tw") else code.split("-")[0]


def recent_articles(*, site: Site, now: datetime.datetime | None = None):
    """Live, public articles published in the last 48 hours, newest first."""
    since = (now or timezone.now()) - NEWS_WINDOW
    return (
        ArticlePage.objects.for_readers()
        .descendant_of(site.root_page)
        .filter(publication_date__gte=since)
        .select_related("locale")[:NEWS_SITEMAP_LIMIT]
    )


def news_sitemap_entries(request, *, site: Site) -> list[dict]:
    publication_name = site_name(site)
    return [
        {
            "location": article.get_full_url(request),
            "publication_name": publication_name,
            "language": news_language(article.locale.language_code),
            "publication_date": article.publication_date,
            "title": article.title,
        }
        for article in recent_articles(site=site)
    ]
