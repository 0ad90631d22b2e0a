"""Reader-facing views that are not pages: search, robots.txt, the sitemaps; and the door to
original image files, which only the newsroom's staff may open."""

import mimetypes
from urllib.parse import urlencode

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_safe
from wagtail.models import Site

from . import reader_cache
from .conf import newsroom_setting
from .search import search_articles
from .sitemaps import (
    article_sitemap_entries,
    bucket_size,
    news_sitemap_entries,
    recent_articles,
    section_sitemap_entries,
    sitemap_index_entries,
)

XML = "application/xml"


def _site_or_404(request) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site matches this host.")
    return site


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for on their own: the icon NEWSROOM_FAVICON names (a
    static file), where its cache-busted URL can be kept for a long time."""
    response = HttpResponseRedirect(static(newsroom_setting("FAVICON")))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def robots_txt(request):
    """Sitemap addresses on the Site's own host, as their `<loc>` entries are; the news
    sitemap only while it has a story (empty, it answers 404)."""
    site = _site_or_404(request)
    context = {
        "search_url": reverse("articles:search"),
        "sitemap_url": site.root_url + reverse("articles:sitemap"),
        "news_sitemap_url": (
            site.root_url + reverse("articles:news_sitemap")
            if recent_articles(site=site).exists()
            else None
        ),
    }
    return render(request, "articles/robots.txt", context, content_type="text/plain")


@require_GET
def sitemap_index(request):
    site = _site_or_404(request)
    # One entry per 1,000 articles: rendered once per content version, not per request.
    xml = reader_cache.cached(
        f"sitemap-index-xml:{site.pk}:{bucket_size()}",
        lambda: render_to_string(
            "articles/sitemap_index.xml", {"entries": sitemap_index_entries(site=site)}
        ),
    )
    return HttpResponse(xml, content_type=XML)


@require_GET
def sections_sitemap(request):
    entries = section_sitemap_entries(request, site=_site_or_404(request))
    return render(request, "articles/sitemap_urlset.xml", {"entries": entries}, content_type=XML)


@require_GET
def articles_sitemap(request, bucket: str):
    site = _site_or_404(request)

    def render_bucket() -> str | None:
        entries = article_sitemap_entries(request, site=site, bucket=int(bucket))
        if entries:
            return render_to_string("articles/sitemap_urlset.xml", {"entries": entries})
        return None

    # Up to 1,000 addresses to build: once per content version, kept in the shared cache only.
    xml = reader_cache.cached(
        f"sitemap-articles-xml:{site.pk}:{bucket_size()}:{bucket}", render_bucket, in_process=False
    )
    if xml is None:
        raise Http404("No articles in this sitemap.")
    return HttpResponse(xml, content_type=XML)


@require_GET
def news_sitemap(request):
    entries = news_sitemap_entries(request, site=_site_or_404(request))
    if not entries:
        # The sitemap schema wants at least one <url>: no story in 48 hours, no news sitemap.
        raise Http404("No story was published in the last 48 hours.")
    return render(request, "articles/news_sitemap.xml", {"entries": entries}, content_type=XML)


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


def original_image(request, path: str):
    """An uploaded original, for people who may use the admin; readers get renditions only
    (a photo may wait for an embargoed story). The embedded site routes every original here;
    in production the web server or bucket does (docs/deploy.md)."""
    user = request.user
    if not (user.is_active and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))):
        raise Http404("No such file.")
    name = f"original_images/{path}"
    if ".." in path.split("/") or not default_storage.exists(name):
        raise Http404("No such file.")
    response = FileResponse(default_storage.open(name), content_type=mimetypes.guess_type(name)[0])
    response["Cache-Control"] = "private, no-store"
    return response
