"""System checks for a site's settings that the app's promises depend on."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.utils.module_loading import import_string


@register(Tags.security)
def image_form_guards_live_articles(app_configs, **kwargs):
    from .image_guard import FORM_BASE, NewsroomImageForm

    configured = getattr(settings, "WAGTAILIMAGES_IMAGE_FORM_BASE", "")
    try:
        guarded = bool(configured) and issubclass(import_string(configured), NewsroomImageForm)
    except ImportError:
        guarded = False
    if guarded:
        return []
    return [
        Warning(
            "Whoever uploaded an image can change it while live articles show it, unreviewed.",
            hint=f'Set WAGTAILIMAGES_IMAGE_FORM_BASE = "{FORM_BASE}" (or a subclass).',
            id="articles.W001",
        )
    ]
