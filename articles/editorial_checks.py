"""Checks an article must pass before it is published, and warnings editors should see.

Works on any ArticlePage instance, saved or not (a form's instance, a revision's object)."""

from django.utils import timezone

from . import images
from .conf import newsroom_setting


def _filled_slots(page):
    """(label, alt, credit) for each image slot that has an image."""
    if page.lead_image_id:
        yield "The lead image", page.lead_image_alt, page.lead_image_credit
    yield from _body_slots(page.body, "Body image")


def _body_slots(body, label: str):
    position = 0
    for block in body:
        if block.block_type == "image":
            position += 1
            if block.value.get("image") is not None:
                value = block.value
                yield f"{label} {position}", value.get("alt_text"), value.get("credit")


def _slot_problems(slots) -> list[str]:
    problems = []
    for label, alt, credit in slots:
        if not (alt or "").strip():
            problems.append(f"{label} has no alt text: describe what it shows.")
        if newsroom_setting("REQUIRE_IMAGE_CREDIT") and not (credit or "").strip():
            problems.append(f"{label} has no credit: name the photographer or agency.")
    return problems


def entry_problems(body) -> list[str]:
    """Reasons a live update (its body blocks) cannot go live: the article's photo rules."""
    return _slot_problems(_body_slots(body, "Image"))


def publishing_problems(page) -> list[str]:
    """Reasons the article cannot be published yet; empty when it can."""
    return _slot_problems(_filled_slots(page))


def editorial_warnings(page) -> list[str]:
    """Things worth a look that don't block publishing."""
    warnings = []
    if not page.lead_image_id:
        warnings.append("The lead image slot is empty.")
    elif page.lead_image is not None:
        small = images.too_small_crops(page.lead_image.width, page.lead_image.height)
        if small:
            crops = ", ".join(
                f"{name.replace('x', ':')} is {w}×{h}" for name, (w, h) in small.items()
            )
            warnings.append(
                f"The lead image is too small for Google's article previews ({crops}; each "
                f"needs at least {images.GOOGLE_MIN_PIXELS:,} pixels, e.g. 300×169 for 16:9). "
                "Use a larger photo, at least 1200 pixels wide."
            )
    empty = sum(
        1 for block in page.body if block.block_type == "image" and block.value.get("image") is None
    )
    if empty:
        warnings.append(
            f"{empty} image slot{'s' if empty > 1 else ''} in the body "
            f"{'are' if empty > 1 else 'is'} empty; readers won't see "
            f"{'them' if empty > 1 else 'it'}."
        )
    if not (page.standfirst or "").strip():
        warnings.append("There is no standfirst.")
    return warnings


def is_embargoed(page, now=None) -> bool:
    return bool(page.embargo_until and page.embargo_until > (now or timezone.now()))
