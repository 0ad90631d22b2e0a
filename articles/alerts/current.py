"""The breaking-news alerts readers see now.

One list is computed per content version (articles/reader_cache.py): the alerts that have not
expired and whose story readers may see (live, public, not embargoed). Any alert change, and
any change to what readers see, bumps the version (articles/signal_handlers.py). The clock is
applied on every read, so an alert appears at `starts_at` and goes at `expires_at` without a
write, and everything that shows alerts is cached no longer than the next such moment.
"""

import dataclasses
import datetime
import math

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control

from .. import reader_cache
from ..conf import newsroom_setting
from ..models import AlertUrgency, ArticlePage, BreakingNewsAlert

CACHE_NAME = "breaking-news-alerts"


@dataclasses.dataclass(frozen=True)
class Alert:
    id: int
    text: str
    page_id: int
    page_title: str
    url: str  # as the page links it (relative on a one-site set-up)
    full_url: str
    urgency: int
    starts_at: datetime.datetime
    expires_at: datetime.datetime
    updated_at: datetime.datetime

    @property
    def urgency_label(self) -> str:
        return AlertUrgency(self.urgency).label

    @property
    def urgency_name(self) -> str:
        return AlertUrgency(self.urgency).name.lower()

    def is_active(self, now: datetime.datetime) -> bool:
        return self.starts_at <= now < self.expires_at


def _compute() -> tuple[Alert, ...]:
    readable = ArticlePage.objects.for_readers().order_by().values("pk")
    rows = (
        BreakingNewsAlert.objects.filter(expires_at__gt=timezone.now(), page__in=readable)
        .select_related("page")
        .order_by("urgency", "-starts_at", "-pk")
    )
    return tuple(
        Alert(
            id=row.pk,
            text=row.text,
            page_id=row.page_id,
            page_title=row.page.title,
            url=row.page.get_url() or "",
            full_url=row.page.get_full_url() or "",
            urgency=row.urgency,
            starts_at=row.starts_at,
            expires_at=row.expires_at,
            updated_at=row.updated_at,
        )
        for row in rows
    )


def _known() -> tuple[Alert, ...]:
    """Every alert readers may see now or later, most urgent first, then newest."""
    return reader_cache.cached(CACHE_NAME, _compute)


def active(now: datetime.datetime | None = None) -> list[Alert]:
    now = now or timezone.now()
    return [alert for alert in _known() if alert.is_active(now)]


def banner(now: datetime.datetime | None = None) -> Alert | None:
    """The one alert the banner shows: the most urgent, then the newest."""
    alerts = active(now)
    return alerts[0] if alerts else None


def banner_html(request) -> str:
    """The banner as readers see it now (empty without an active alert)."""
    return render_to_string(
        "articles/includes/breaking_news.html", {"alert": banner()}, request=request
    )


def seconds_until_change(now: datetime.datetime | None = None) -> int:
    """How long a copy of the alerts stays right: until the next alert starts or expires,
    and at most NEWSROOM_ALERT_CACHE_SECONDS (changes are purged, the clock is not)."""
    now = now or timezone.now()
    longest = newsroom_setting("ALERT_CACHE_SECONDS")
    moments = [m for a in _known() for m in (a.starts_at, a.expires_at) if m > now]
    if not moments:
        return longest
    return max(1, min(longest, math.ceil((min(moments) - now).total_seconds())))


def cache_until_change(response, now: datetime.datetime | None = None):
    """Cache-Control for a response that shows alerts: shared caches and browsers keep it no
    longer than the alerts it shows stay right."""
    seconds = seconds_until_change(now)
    patch_cache_control(response, public=True, max_age=seconds, s_maxage=seconds)
    return response
