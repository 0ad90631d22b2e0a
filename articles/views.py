"""Reader-facing views that are not pages: search, author and topic pages, the corrections
log, robots.txt, the sitemaps; and the door to original image files, which only the
newsroom's staff may open."""

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

from . import archives, reader_cache, structured_data
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
        "meta_description": (
            f"Stories matching “{query[:100]}”, newest first."
            if query
            else "Search every story we have published."
        ),
        "results_query_prefix": urlencode({"q": query}) + "&",
        "canonical_url": request.build_absolute_uri(
            reverse("articles:search") + (f"?{urlencode(canonical)}" if query else "")
        ),
    }
    return render(request, "articles/search.html", context)


def _archive_context(request, *, url_name: str, kwargs: dict, results) -> dict:
    """The canonical address (page 2 and on keep their number) of an archive page."""
    site = _site_or_404(request)
    base = site.root_url + reverse(url_name, kwargs=kwargs or None)
    return {
        "results": results,
        "canonical_url": base + (f"?page={results.number}" if results.number > 1 else ""),
        "feed_url": reverse(f"{url_name}_feed", kwargs=kwargs or None),
        "site_url": site.root_url + "/",
    }


@require_safe
def author_page(request, slug: str):
    """An author: name, role, photo, bio and links, their stories newest first, a feed."""
    author = archives.author_or_404(slug)
    results = archives.newest_first_page(archives.articles_by(author), request.GET.get("page"))
    context = _archive_context(
        request, url_name="articles:author", kwargs={"slug": slug}, results=results
    )
    context.update(
        author=author,
        meta_description=author.bio[:160] or f"Stories by {author.name}.",
        json_ld=structured_data.profile_page_json_ld(
            author=author, url=context["canonical_url"], request=request
        ),
    )
    return render(request, "articles/author_page.html", context)


@require_safe
def topic_page(request, slug: str):
    """A topic (an article tag): its stories newest first, a feed."""
    topic = archives.topic_or_404(slug)
    results = archives.newest_first_page(archives.articles_on(topic), request.GET.get("page"))
    context = _archive_context(
        request, url_name="articles:topic", kwargs={"slug": slug}, results=results
    )
    context.update(topic=topic, meta_description=f"Stories on {topic.name}, newest first.")
    return render(request, "articles/topic_page.html", context)


@require_safe
def corrections_page(request):
    """Every public correction and update, newest first, each linking to its story."""
    results = archives.newest_first_page(archives.public_corrections(), request.GET.get("page"))
    results = type(results)(
        object_list=archives.with_articles(results.object_list),
        number=results.number,
        has_next=results.has_next,
    )
    context = _archive_context(request, url_name="articles:corrections", kwargs={}, results=results)
    context["meta_description"] = "Every correction and update to our stories, newest first."
    return render(request, "articles/corrections_page.html", context)


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


# Renditions are named after their original plus 64 random bits, and a new crop gets a new
# name: a month in caches, as the web server in docs/deploy.md gives them.
RENDITION_CACHE_CONTROL = "public, max-age=2592000"


@require_safe
def rendition(request, path: str):
    """A rendition file, for a site with no web server in front (`make serve`); readers only
    ever see renditions, so there is no check beyond the name."""
    name = f"images/{path}"
    if ".." in path.split("/") or not default_storage.exists(name):
        raise Http404("No such file.")
    response = FileResponse(default_storage.open(name), content_type=mimetypes.guess_type(name)[0])
    response["Cache-Control"] = RENDITION_CACHE_CONTROL
    return response
