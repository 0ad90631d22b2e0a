"""What articles and sections expose through Wagtail's API v3 (the models' `api_fields`).

Kept apart from the models (and free of model imports) so models.py can use these lists.
"""

from ninja import Schema
from rest_framework.fields import Field
from wagtail.api import APIField

from . import images


class SectionRef(Schema):
    id: int
    title: str
    url: str | None


class AuthorRef(Schema):
    id: int
    name: str
    role: str  # their job title
    url: str  # the author page, /authors/<slug>/
    contribution: str  # what they did for this story (NEWSROOM_BYLINE_ROLES key)
    contribution_label: str  # “Photos”


class Crop(Schema):
    url: str
    full_url: str
    width: int
    height: int


class LeadImageCrops(Schema):
    crop_16x9: Crop
    crop_4x3: Crop
    crop_1x1: Crop


class PrimarySectionField(Field):
    """The section an article lives under: its URL and breadcrumb."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page) -> SectionRef:
        section = page.get_parent()
        return {"id": section.pk, "title": section.title, "url": section.url}


class BylineField(Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page) -> list[AuthorRef]:
        return [
            {
                "id": entry.author.pk,
                "name": entry.author.name,
                "role": entry.author.role,
                "url": entry.author.get_absolute_url(),
                "contribution": entry.contribution,
                "contribution_label": entry.get_contribution_display(),
            }
            for entry in page.byline.select_related("author")
        ]


class LeadImageCropsField(Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page) -> LeadImageCrops | None:
        return images.api_crops(page.lead_image)


class CanonicalUrlField(Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page) -> str | None:
        return page.full_url


class LastPublishedField(Field):
    """When the article was last updated for readers."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page) -> str | None:
        return page.last_published_at.isoformat() if page.last_published_at else None


ARTICLE_API_FIELDS = [
    APIField("standfirst", writable=True),
    APIField("article_type", writable=True),
    APIField("publication_date", writable=True),
    APIField("updated_at", serializer=LastPublishedField()),
    APIField("authors", serializer=BylineField()),
    APIField("byline", writable=True),
    APIField("primary_section", serializer=PrimarySectionField()),
    APIField("secondary_sections", writable=True),
    APIField("body", writable=True),
    APIField("lead_image", writable=True),
    APIField("lead_image_alt", writable=True),
    APIField("lead_image_caption", writable=True),
    APIField("lead_image_credit", writable=True),
    APIField("lead_image_crops", serializer=LeadImageCropsField()),
    APIField("corrections", writable=True),
    APIField("tags", writable=True),
    APIField("canonical_url", serializer=CanonicalUrlField()),
]


class CoverageStatusField(Field):
    """ "upcoming", "live" or "ended": whether the coverage is still taking updates."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page) -> str:
        return page.coverage_status()


class LiveEntriesUrlField(Field):
    """Where the page's entries are listed in the API (and posted, by those assigned)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page) -> str:
        return f"/api/v3/live-entries/?page={page.pk}"


LIVE_COVERAGE_API_FIELDS = [
    *ARTICLE_API_FIELDS,
    APIField("coverage_start", writable=True),
    APIField("coverage_end", writable=True),
    APIField("coverage_status", serializer=CoverageStatusField()),
    APIField("entries_url", serializer=LiveEntriesUrlField()),
]
SECTION_API_FIELDS = [
    APIField("introduction", writable=True),
    APIField("canonical_url", serializer=CanonicalUrlField()),
]
BYLINE_API_FIELDS = [APIField("author", writable=True), APIField("contribution", writable=True)]
CORRECTION_API_FIELDS = [
    APIField("kind", writable=True),
    APIField("text", writable=True),
    APIField("noted_at", writable=True),
]
