"""Headless API: the IPTC ninjs view and the OpenAPI schema view. The fields the API v3
exposes are declared on the models (`articles/api_fields.py`)."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.html import format_html
from django.views.decorators.http import require_GET

from . import images, ninjs
from .models import ArticlePage

# IPTC ninjs ------------------------------------------------------------------------------


def _section_paths(article) -> list[tuple[str, str]]:
    sections = [article.get_parent()]
    sections += [s for s in article.secondary_sections.all() if s.pk != sections[0].pk and s.live]
    return [(section.title, section.full_url) for section in sections]


def _body_html(article) -> str:
    """Paragraphs and quotes as plain HTML; pictures travel as associations, not markup."""
    parts = []
    for block in article.body:
        if block.block_type == "paragraph":
            parts.append(str(block.value))
        elif block.block_type == "quote":
            parts.append(format_html("<blockquote><p>{}</p></blockquote>", block.value["quote"]))
    return "\n".join(parts)


def ninjs_source(article, request) -> ninjs.Story:
    lead = None
    if article.lead_image:
        crops = images.crops(article.lead_image, request)
        lead = ninjs.Picture(
            uri=f"{article.full_url}#lead-image",
            alt_text=article.lead_image_alt,
            caption=article.lead_image_caption,
            credit=article.lead_image_credit,
            renditions={
                name: (ref.url, ref.media_type, ref.width, ref.height)
                for name, ref in crops.items()
            },
        )
    return ninjs.Story(
        uri=article.full_url,
        guid=f"urn:uuid:{article.translation_key}",
        headline=article.title,
        standfirst=article.standfirst,
        body_html=_body_html(article),
        first_created=article.first_published_at,
        published=article.publication_date,
        version_created=article.last_published_at,
        version=str(article.live_revision_id or ""),
        language=article.locale.language_code,
        by=[entry.author.name for entry in article.byline.select_related("author")],
        sections=_section_paths(article),
        keywords=[tag.name for tag in article.tags.all()],
        corrections=[(c.kind, c.text, c.noted_at) for c in article.corrections.all()],
        lead_image=lead,
    )


@require_GET
def openapi_schema(request):
    """The API's OpenAPI schema, served even where the interactive docs are turned off."""
    from wagtail.api.v3.api import api

    return JsonResponse(api.get_openapi_schema())


@require_GET
def ninjs_article(request, pk: int):
    """One live, public article as IPTC ninjs 2.1 JSON."""
    article = get_object_or_404(ArticlePage.objects.for_readers(), pk=pk)
    return JsonResponse(
        ninjs.to_ninjs(ninjs_source(article, request)),
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
