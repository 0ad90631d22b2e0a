"""{% breaking_news %}: the breaking-news banner in every reader page (articles/base.html).

Behind Varnish (which says `Surrogate-Capability: ...=ESI/1.0`) the page carries an ESI
include of /alerts/banner/ instead of the banner: Varnish keeps each page once, whatever
the alerts, and the small banner on its own for as long as it stays right. Served directly,
the banner is rendered in place from the cached alerts (no query).
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..alerts import current
from ..reader import rendered

register = template.Library()

ESI_MARK = "newsroom_esi_included"


def _esi_capable(request) -> bool:
    return request is not None and "ESI/1.0" in request.headers.get("Surrogate-Capability", "")


@register.simple_tag(takes_context=True)
def breaking_news(context):
    request = context.get("request")
    if getattr(request, rendered.RENDERING_SHARED, False):
        # A page rendered once for every reader: the banner goes in per request.
        return mark_safe(rendered.BANNER_SLOT)  # noqa: S308 - a constant
    return _banner(request)


def _banner(request) -> str:
    if _esi_capable(request):
        # newsroom/middleware.py answers with Surrogate-Control, so Varnish processes ESI.
        setattr(request, ESI_MARK, True)
        return format_html('<esi:include src="{}" />', reverse("articles:alert_banner"))
    return current.banner_html(request)


def fill_banner_slot(request, response) -> None:
    """The banner, as this request gets it, in a shared page's slot (reader/rendered.py)."""
    slot = rendered.BANNER_SLOT.encode()
    if slot not in response.content:
        return
    response.content = response.content.replace(slot, _banner(request).encode(), 1)
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    if getattr(request, ESI_MARK, False):
        response["Surrogate-Control"] = 'content="ESI/1.0"'
