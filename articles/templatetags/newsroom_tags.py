from django import template
from wagtail.models import Site

from articles.models import SectionPage

register = template.Library()


@register.simple_tag(takes_context=True)
def top_sections(context):
    """The site's top-level sections, for the masthead navigation."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(
        SectionPage.objects.live()
        .public()
        .filter(depth=site.root_page.depth + 1, path__startswith=site.root_page.path)
        .order_by("path")
    )
