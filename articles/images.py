"""Image renditions for machine-readable outputs (feeds, JSON-LD, API, ninjs).

Reader pages use `{% picture %}`; these outputs need one absolute URL per crop instead.
"""

import mimetypes
from dataclasses import dataclass

# Crops for link previews and structured data: Google asks for 16:9, 4:3 and 1:1 images.
CROPS = {
    "16x9": "fill-1200x675",
    "4x3": "fill-1200x900",
    "1x1": "fill-1200x1200",
}
FEED_CROP = "16x9"


@dataclass(frozen=True)
class ImageRef:
    url: str
    width: int
    height: int
    media_type: str


def absolute_url(request, url: str) -> str:
    """Storage URLs may be relative (local media) or absolute (object storage, CDN)."""
    return request.build_absolute_uri(url) if request is not None else url


def crop(image, name: str, request=None) -> ImageRef:
    return _ref(image.get_rendition(CROPS[name]), request)


def crops(image, request=None) -> dict[str, ImageRef]:
    """Every crop, looked up (or made) together in one query."""
    renditions = image.get_renditions(*CROPS.values())
    return {name: _ref(renditions[spec], request) for name, spec in CROPS.items()}


def _ref(rendition, request) -> ImageRef:
    media_type = mimetypes.guess_type(rendition.file.name)[0] or "application/octet-stream"
    return ImageRef(
        url=absolute_url(request, rendition.url),
        width=rendition.width,
        height=rendition.height,
        media_type=media_type,
    )


def api_crops(image) -> dict | None:
    """Every crop as the API shows it: relative and full URL, width and height."""
    if image is None:
        return None
    renditions = image.get_renditions(*CROPS.values())
    return {
        f"crop_{name}": {
            "url": renditions[spec].url,
            "full_url": renditions[spec].full_url,
            "width": renditions[spec].width,
            "height": renditions[spec].height,
        }
        for name, spec in CROPS.items()
    }
