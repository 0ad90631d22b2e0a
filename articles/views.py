"""Reader-facing views that are not pages: search, robots.txt and the news sitemap."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.models import Site

from .search import search_articles
from .sitemaps import news_sitemap_entries


def _site_or_404(request) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site matches this host.")
    return site


@require_GET
def robots_txt(request):
    context = {
        "search_url": reverse("articles:search"),
        "sitemap_url": request.build_absolute_uri(reverse("articles:sitemap")),
        "news_sitemap_url": request.build_absolute_uri(reverse("articles:news_sitemap")),
    }
    return render(request, "articles/robots.txt", context, content_type="text/plain")


@require_GET
def news_sitemap(request):
    entries = news_sitemap_entries(request, site=_site_or_404(request))
    return render(
        request, "articles/news_sitemap.xml", {"entries": entries}, content_type="application/xml"
    )


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()
    results = search_articles(query=query, page_number=request.GET.get("page"))
    canonical = {"q": query, **({"page": results.number} if results and results.number > 1 else {})}
    context = {
        "search_query": query,
        "results": results,
        "results_query_prefix": urlencode({"q": query}) + "&",
        "canonical_url": request.build_absolute_uri(
            reverse("articles:search") + (f"?{urlencode(canonical)}" if query else "")
        ),
    }
    return render(request, "articles/search.html", context)
