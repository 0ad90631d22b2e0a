"""What readers and clients read of the alerts, each cached no longer than it stays right
(current.cache_until_change):

- /alerts/banner/      the banner alone, which Varnish includes in every page by ESI
- /alerts/feed/        RSS 2.0 of the active alerts (/alerts/feed/atom/ for Atom)
- /api/ninjs/alerts/<id>/  one active alert as an IPTC ninjs item, its urgency as ninjs's
"""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from wagtail.models import Site

from .. import ninjs
from ..feeds import MediaAtomFeed
from ..site_name import site_name
from . import current


@require_GET
def banner(request):
    return current.cache_until_change(HttpResponse(current.banner_html(request)))


class AlertsFeed(Feed):
    """The alerts active now, most urgent first."""

    def __call__(self, request, *args, **kwargs):
        return current.cache_until_change(super().__call__(request, *args, **kwargs))

    def get_object(self, request):
        self.site = Site.find_for_request(request)
        return None

    def title(self):
        return f"{site_name(self.site)}: breaking news"

    def link(self):
        return self.site.root_url + "/" if self.site else "/"

    def description(self):
        return "Breaking-news alerts while they are active."

    def items(self):
        return current.active()

    def item_title(self, alert):
        return f"{alert.urgency_label}: {alert.text}"

    def item_description(self, alert):
        return alert.text

    def item_link(self, alert):
        return alert.full_url

    def item_guid(self, alert):
        return f"{alert.full_url}#alert-{alert.id}"

    item_guid_is_permalink = False

    def item_pubdate(self, alert):
        return alert.starts_at

    def item_updateddate(self, alert):
        return alert.updated_at


class AlertsAtomFeed(AlertsFeed):
    feed_type = MediaAtomFeed
    subtitle = AlertsFeed.description


def ninjs_alert_source(alert: current.Alert) -> ninjs.Alert:
    return ninjs.Alert(
        uri=f"{alert.full_url}#alert-{alert.id}",
        text=alert.text,
        urgency=alert.urgency,
        story_uri=alert.full_url,
        story_headline=alert.page_title,
        starts=alert.starts_at,
        expires=alert.expires_at,
        version_created=alert.updated_at,
    )


@require_GET
def ninjs_alert(request, pk: int, version: str = ninjs.NINJS_VERSION):
    alert = next((alert for alert in current.active() if alert.id == pk), None)
    if alert is None:
        raise Http404("No active alert has this id.")
    response = JsonResponse(
        ninjs.alert_to_ninjs(ninjs_alert_source(alert), version=version),
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
    return current.cache_until_change(response)
