"""Sitemaps: Wagtail's sitemap of every live, public page, and a Google News sitemap."""

import datetime

from django.conf import settings
from django.utils import timezone
from wagtail.models import Site

from .models import ArticlePage

NEWS_WINDOW = datetime.timedelta(hours=48)
# The news sitemap schema allows at most 1,000 URLs per file.
NEWS_SITEMAP_LIMIT = 1000


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
    publication_name = site.site_name or getattr(settings, "WAGTAIL_SITE_NAME", "")
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
