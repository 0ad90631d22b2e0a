"""Image renditions for machine-readable outputs (feeds, JSON-LD, API, ninjs).

Reader pages use `{% picture %}`; these outputs need one absolute URL per crop instead.
"""

import mimetypes
from dataclasses import dataclass
from urllib.parse import urlsplit

# Crops for link previews and structured data: Google asks for 16:9, 4:3 and 1:1 images.
CROPS = {
    "16x9": "fill-1200x675",
    "4x3": "fill-1200x900",
    "1x1": "fill-1200x1200",
}
FEED_CROP = "16x9"
# Google shows an article's image only if each crop has at least this many pixels.
GOOGLE_MIN_PIXELS = 50_000


def crop_size(width: int, height: int, name: str) -> tuple[int, int]:
    """The size of crop `name` of a `width` x `height` image, as Wagtail's `fill` makes it:
    the largest area of the crop's shape, scaled down to the target but never up."""
    target_width, target_height = (int(n) for n in CROPS[name].split("-")[1].split("x"))
    ratio = target_width / target_height
    crop_width = min(width, height * ratio)
    if crop_width > target_width:
        return target_width, target_height
    return int(crop_width), int(crop_width / ratio)


def too_small_crops(width: int, height: int) -> dict[str, tuple[int, int]]:
    """Crops of a `width` x `height` image under Google's 50,000-pixel minimum."""
    sizes = {name: crop_size(width, height, name) for name in CROPS}
    return {name: (w, h) for name, (w, h) in sizes.items() if w * h < GOOGLE_MIN_PIXELS}


@dataclass(frozen=True)
class ImageRef:
    url: str
    width: int
    height: int
    media_type: str


def absolute_url(request, url: str) -> str:
    """Storage URLs may be relative (local media) or absolute (object storage, CDN). A
    relative one goes on the Site's own address, as canonical URLs do, whatever host name
    the request came in on."""
    if request is None or urlsplit(url).scheme:
        return url
    from wagtail.models import Site

    site = Site.find_for_request(request)
    return site.root_url + url if site is not None else request.build_absolute_uri(url)


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
