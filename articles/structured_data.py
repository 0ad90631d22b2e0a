"""schema.org NewsArticle JSON-LD and link-preview (Open Graph, Twitter card) data for articles."""

import datetime
import html
import json
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator

from . import bylines, images
from .conf import newsroom_setting
from .site_name import site_name

# Corrections proper; plain updates are not corrections of the record.
CORRECTION_KINDS = {"correction", "clarification"}

_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        # Full precision: DjangoJSONEncoder cuts datetimes to milliseconds.
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


def json_for_script(data) -> str:
    """JSON that can sit inside a <script> element: <, > and & escaped as in json_script."""
    return json.dumps(data, cls=_Encoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


@dataclass
class ArticleMeta:
    canonical_url: str
    title: str
    description: str
    site_name: str
    published: object
    modified: object
    sections: list[str]
    image: images.ImageRef | None = None
    image_alt: str = ""
    json_ld: dict = field(default_factory=dict)


def _modified(page):
    dates = [d for d in (page.publication_date, page.last_published_at) if d is not None]
    return max(dates) if dates else None


def author_url(author, site_url: str) -> str | None:
    """The author's page on the site at `site_url` (None where the host routes no reader URLs)."""
    if not getattr(author, "slug", ""):
        return None
    try:
        return site_url.rstrip("/") + reverse("articles:author", kwargs={"slug": author.slug})
    except NoReverseMatch:
        return None


def _person(author, site_url: str) -> dict:
    person = {"@type": "Person", "name": author.name}
    url = author_url(author, site_url)
    if url:
        person["url"] = url
    if author.role:
        person["jobTitle"] = author.role
    return person


def publisher_json_ld(*, site_name: str, site_url: str) -> dict:
    """The publication as a NewsMediaOrganization, with its policies (NEWSROOM_POLICIES)."""
    publisher = {"@type": "NewsMediaOrganization", "name": site_name, "url": site_url}
    for name, address in newsroom_setting("POLICIES").items():
        if address:
            publisher[name] = policy_url(address, site_url)
    return publisher


def policy_url(address: str, site_url: str) -> str:
    """A policy's address, on the site when it is a path."""
    return site_url.rstrip("/") + address if address.startswith("/") else address


def news_article_json_ld(
    *, page, canonical_url, site_name, site_url, sections, byline, corrections, crops
) -> dict:
    publisher = publisher_json_ld(site_name=site_name, site_url=site_url)
    # Each byline role names its people under its own property (author, contributor,
    # translator, editor: NEWSROOM_BYLINE_ROLES).
    people: dict[str, list[dict]] = {}
    for group in bylines.grouped(byline):
        people.setdefault(group.schema_property, []).extend(
            _person(credit, site_url) for credit in group.credits
        )
    data = {
        "@context": "https://schema.org",
        "@type": page.schema_type,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical_url},
        "url": canonical_url,
        "headline": page.title,
        "datePublished": page.publication_date,
        "dateModified": _modified(page),
        # Google wants an author on every article: without a byline, the publication itself.
        "author": people.pop("author", None) or [publisher],
        **people,
        "publisher": publisher,
        "articleSection": [section.title for section in sections],
    }
    if page.standfirst:
        data["description"] = page.standfirst
    if crops:
        # Google's image metadata: the credit as printed under the photo (the slot's).
        credit = {"creditText": page.lead_image_credit} if page.lead_image_credit else {}
        caption = {"caption": page.lead_image_caption} if page.lead_image_caption else {}
        data["image"] = [
            {"@type": "ImageObject", "url": ref.url, "width": ref.width, "height": ref.height}
            | credit
            | caption
            for ref in crops.values()
        ]
    notes = [c for c in corrections if c.kind in CORRECTION_KINDS]
    if notes:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": note.text, "datePublished": note.noted_at}
            for note in notes
        ]
    return data


def live_blog_json_ld(data: dict, *, stream: dict, canonical_url: str) -> dict:
    """A live coverage page's NewsArticle data as schema.org's LiveBlogPosting: when the
    coverage runs, and each update readers see as a BlogPosting of its own (its time, its
    headline or first words, its text and its address on the page)."""
    live = {**data, "@type": "LiveBlogPosting"}
    if stream.get("coverage_start"):
        live["coverageStartTime"] = stream["coverage_start"]
    if stream.get("coverage_end"):
        live["coverageEndTime"] = stream["coverage_end"]
    live["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": Truncator(entry["headline"] or entry["text"]).chars(110)
            or f"Update at {entry['time']}",
            "datePublished": entry["posted_at"],
            "dateModified": entry["updated_at"],
            "url": f"{canonical_url}#{entry['anchor']}",
            "articleBody": entry["text"],
            **(
                {"author": [{"@type": "Person", "name": n} for n in entry["authors"]]}
                if entry["authors"]
                else {}
            ),
        }
        for entry in stream.get("entries", [])
    ]
    return live


def profile_page_json_ld(*, author, url: str, request) -> dict:
    """An author page: a schema.org ProfilePage about the Person, with their profiles
    elsewhere as `sameAs` (Google's guidance for profile pages)."""
    person = {"@type": "Person", "name": author.name, "url": url}
    if author.role:
        person["jobTitle"] = author.role
    if author.bio:
        person["description"] = author.bio
    if author.photo:
        person["image"] = images.crop(author.photo, "1x1", request).url
    links = author.link_list()
    if links:
        person["sameAs"] = links
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "mainEntity": person,
    }


DESCRIPTION_LENGTH = 160  # what search engines show of a description


def page_description(page, site_name: str) -> str:
    """A page's summary for search results and link previews: what an editor wrote as its
    search description, else an article's standfirst or the start of its first paragraph, a
    section's introduction, or a line naming the site."""
    if page.search_description:
        return page.search_description
    if getattr(page, "standfirst", ""):
        return page.standfirst
    if hasattr(page, "body"):
        for block in page.body:
            if block.block_type == "paragraph":
                text = " ".join(html.unescape(strip_tags(block.value.source)).split())
                if text:
                    return Truncator(text).chars(DESCRIPTION_LENGTH)
        return ""
    if getattr(page, "introduction", ""):
        return page.introduction
    if hasattr(page, "introduction"):
        return f"{page.title}: the latest stories from {site_name}."
    return f"The latest news from {site_name}."


def article_meta(*, page, request, site, sections, byline, corrections) -> ArticleMeta:
    canonical_url = page.get_full_url(request)
    name = site_name(site)
    crops = images.crops(page.lead_image, request) if page.lead_image else {}
    return ArticleMeta(
        canonical_url=canonical_url,
        title=page.seo_title or page.title,
        description=page_description(page, name),
        site_name=name,
        published=page.publication_date,
        modified=_modified(page),
        sections=[section.title for section in sections],
        image=crops.get("16x9"),
        image_alt=page.lead_image_alt,
        json_ld=news_article_json_ld(
            page=page,
            canonical_url=canonical_url,
            site_name=name,
            site_url=site.root_url + "/" if site else "",
            sections=sections,
            byline=byline,
            corrections=corrections,
            crops=crops,
        ),
    )
