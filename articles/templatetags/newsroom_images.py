from django import template
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from articles.conf import newsroom_setting

register = template.Library()

# Card images are cropped to 16:9 so listings line up; article images keep their shape.
_CARD_RATIO = 9 / 16


def picture_specs(use: str) -> list[str]:
    widths = newsroom_setting("IMAGE_WIDTHS")[use]
    specs = []
    for fmt in newsroom_setting("IMAGE_FORMATS"):
        for width in widths:
            size = (
                f"fill-{width}x{round(width * _CARD_RATIO)}" if use == "card" else f"width-{width}"
            )
            specs.append(f"format-{fmt}|{size}")
    return specs


@register.simple_tag
def newsroom_picture(image, use, alt="", sizes="100vw", loading=None, fetchpriority=None):
    """A <picture> with the renditions NEWSROOM_IMAGE_FORMATS/WIDTHS ask for `use`
    ("lead", "body" or "card")."""
    if not image:
        return ""
    attrs = {"alt": alt, "sizes": sizes}
    if loading:
        attrs["loading"] = loading
    if fetchpriority:
        attrs["fetchpriority"] = fetchpriority
    return Picture(get_renditions_or_not_found(image, picture_specs(use)), attrs)
