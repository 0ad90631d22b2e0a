"""Which images and documents readers may see: those a live, public page uses, as Wagtail's
reference index records it (each page's image slots and links, written when the page is
saved). An image used only by a draft, a scheduled, embargoed or private article, or by
nothing at all, is the newsroom's own business until that article goes out.

Files: originals are never served to readers (articles.views.media for the embedded site;
the web server or bucket in production, docs/deploy.md), and every upload's name carries a
random part, so neither an original nor a rendition (named after it) can be guessed before
its article is out.
"""

import os
import secrets

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, IntegerField
from django.db.models.functions import Cast
from wagtail.models import Page, ReferenceIndex


def _live_public_page_ids():
    return Page.objects.live().public().annotate(id_text=Cast("pk", CharField())).values("id_text")


def publicly_used(queryset):
    """`queryset` (images or documents) narrowed to what a live, public page uses."""
    model = queryset.model
    base_type = ContentType.objects.get_for_model(
        model._meta.get_parent_list()[-1] if model._meta.get_parent_list() else model,
        for_concrete_model=False,
    )
    used_ids = (
        ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=_live_public_page_ids(),
            to_content_type=base_type,
        )
        .annotate(to_id=Cast("to_object_id", IntegerField()))
        .values_list("to_id", flat=True)
    )
    # By id, which search backends also apply to a search's results.
    return queryset.filter(pk__in=used_ids)


def live_pages_using(obj):
    """Live pages whose saved content uses `obj` (an image in a slot, a linked document)."""
    page_ids = ReferenceIndex.get_references_to(obj).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    return Page.objects.live().filter(
        pk__in=[int(pk) for pk in page_ids.values_list("object_id", flat=True) if pk.isdigit()]
    )


ORIGINALS_FOLDER = "original_images/"


def unguessable_name(filename: str) -> str:
    """`photo.jpg` -> `photo.3f9c2a7d1b6e4c08.jpg`: 64 random bits in every upload's name."""
    stem, extension = os.path.splitext(os.path.basename(filename))
    return f"{stem[:60]}.{secrets.token_hex(8)}{extension}"


def is_original(path: str) -> bool:
    return path.lstrip("/").startswith(ORIGINALS_FOLDER)
