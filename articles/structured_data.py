"""schema.org NewsArticle JSON-LD and link-preview (Open Graph, Twitter card) data for articles."""

import datetime
import json
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder

from . import images
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


def _person(author) -> dict:
    # No `url` yet: authors have no pages of their own to point at.
    person = {"@type": "Person", "name": author.name}
    if author.role:
        person["jobTitle"] = author.role
    return person


def news_article_json_ld(
    *, page, canonical_url, site_name, site_url, sections, byline, corrections, crops
) -> dict:
    publisher = {"@type": "NewsMediaOrganization", "name": site_name, "url": site_url}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical_url},
        "url": canonical_url,
        "headline": page.title,
        "datePublished": page.publication_date,
        "dateModified": _modified(page),
        # Google wants an author on every article: without a byline, the publication itself.
        "author": [_person(author) for author in byline] or [publisher],
        "publisher": publisher,
        "articleSection": [section.title for section in sections],
    }
    if page.standfirst:
        data["description"] = page.standfirst
    if crops:
        data["image"] = [
            {"@type": "ImageObject", "url": ref.url, "width": ref.width, "height": ref.height}
            for ref in crops.values()
        ]
    notes = [c for c in corrections if c.kind in CORRECTION_KINDS]
    if notes:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": note.text, "datePublished": note.noted_at}
            for note in notes
        ]
    return data


def article_meta(*, page, request, site, sections, byline, corrections) -> ArticleMeta:
    canonical_url = page.get_full_url(request)
    name = site_name(site)
    crops = images.crops(page.lead_image, request) if page.lead_image else {}
    return ArticleMeta(
        canonical_url=canonical_url,
        title=page.seo_title or page.title,
        description=page.search_description or page.standfirst,
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
