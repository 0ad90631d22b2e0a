"""Breaking-news alerts in Wagtail's API v3 (mounted at /api/v3/alerts/ by apps.py).

    GET /api/v3/alerts/   the alerts active now, most urgent first (what the banner and the
                          alerts feed show)

Read-only and needs no token: editors write alerts in the admin, where only they may
(articles/roles.py). The answer is cached no longer than it stays right.
"""

from django.http import HttpRequest, JsonResponse
from ninja import Router, Schema

from . import current

router = Router(tags=["alerts"])


class AlertOut(Schema):
    id: int
    text: str
    urgency: int
    urgency_label: str
    page_id: int
    page_title: str
    url: str
    starts_at: str
    expires_at: str


def _out(alert: current.Alert) -> dict:
    return {
        "id": alert.id,
        "text": alert.text,
        "urgency": alert.urgency,
        "urgency_label": alert.urgency_label,
        "page_id": alert.page_id,
        "page_title": alert.page_title,
        "url": alert.full_url,
        "starts_at": alert.starts_at.isoformat(),
        "expires_at": alert.expires_at.isoformat(),
    }


@router.get(
    "/",
    response=list[AlertOut],
    url_name="newsroom_alerts",
    operation_id="newsroom_alerts",
    summary="The breaking-news alerts active now",
    description="`urgency` is IPTC's: 1 is the most urgent, 9 the least.",
)
def list_alerts(request: HttpRequest):
    response = JsonResponse(
        [_out(alert) for alert in current.active()],
        safe=False,
        json_dumps_params={"ensure_ascii": False},
    )
    return current.cache_until_change(response)
