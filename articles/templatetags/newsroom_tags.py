from django import template
from django.db.models import Min
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.models import Site

from articles import structured_data
from articles.conf import newsroom_setting
from articles.live import updates as live_updates
from articles.models import HomePage, LiveCoveragePage, SectionPage
from articles.reader_cache import cached
from articles.site_name import site_name as newsroom_site_name

register = template.Library()


@register.simple_tag(takes_context=True)
def top_sections(context):
    """The site's top-level sections (those not inside another section), for the masthead."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return cached(f"top-sections:{site.pk}", lambda: _top_sections(site))


def _top_sections(site) -> list:
    in_site = SectionPage.objects.live().public().filter(path__startswith=site.root_page.path)
    top_depth = in_site.aggregate(depth=Min("depth"))["depth"]
    return list(in_site.filter(depth=top_depth).order_by("path")) if top_depth else []


# How the footer names each policy NEWSROOM_POLICIES may give (schema.org's property names).
POLICY_LABELS = {
    "masthead": "Masthead",
    "ethicsPolicy": "Ethics policy",
    "correctionsPolicy": "Corrections",
    "verificationFactCheckingPolicy": "Fact-checking",
    "unnamedSourcesPolicy": "Unnamed sources",
    "diversityPolicy": "Diversity policy",
    "ownershipFundingInfo": "Ownership and funding",
    "actionableFeedbackPolicy": "Contact and feedback",
    "noBylinesPolicy": "Bylines",
}


@register.simple_tag
def policy_links():
    """(label, address) of the publisher's policies, for the footer."""
    return [
        (POLICY_LABELS.get(name, name), address)
        for name, address in newsroom_setting("POLICIES").items()
        if address
    ]


@register.simple_tag(takes_context=True)
def site_name(context):
    """The site's name as readers see it (articles/site_name.py)."""
    request = context.get("request")
    return newsroom_site_name(Site.find_for_request(request) if request else None)


@register.simple_tag(takes_context=True)
def page_description(context, page):
    """The page's meta description (articles/structured_data.py: page_description)."""
    return structured_data.page_description(page, site_name(context))


@register.simple_tag(takes_context=True)
def share_title(context, page):
    """The title link previews show: the front page's is the site's name, not "Home"."""
    if page.seo_title:
        return page.seo_title
    return site_name(context) if isinstance(page.specific, HomePage) else page.title


@register.simple_tag(takes_context=True)
def article_meta(context, page):
    """Canonical URL, link-preview fields and NewsArticle JSON-LD for an article page.

    Uses the sections, byline and corrections the page's context already loaded.
    """
    cached = getattr(page, "_newsroom_article_meta", None)
    if cached is not None:
        return cached
    request = context.get("request")
    meta = structured_data.article_meta(
        page=page,
        request=request,
        site=Site.find_for_request(request) if request else None,
        sections=context.get("sections", []),
        byline=context.get("byline", []),
        corrections=context.get("corrections", []),
    )
    if isinstance(page, LiveCoveragePage):
        meta.json_ld = structured_data.live_blog_json_ld(
            meta.json_ld,
            stream=live_updates.for_request(page, request),
            canonical_url=meta.canonical_url,
        )
    page._newsroom_article_meta = meta
    return meta


@register.filter
def json_ld(data):
    """A JSON-LD script element; the JSON is escaped for a script context, like json_script."""
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(structured_data.json_for_script(data)),  # noqa: S308 - escaped above
    )


@register.filter
def xml_text(value):
    """Text without the characters XML 1.0 forbids (feeds and sitemaps must stay well-formed)."""
    from articles.xml_text import xml_text as strip

    return strip(value)
