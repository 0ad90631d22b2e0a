"""Limits on guessing: page passwords may be tried a few times per client address, then the
client waits. Counted in Django's default cache (shared between servers with Redis).

`client_ip` is also what django-axes uses for the admin login's lockout, so both see the real
client behind the proxies the site runs (`NEWSROOM_TRUSTED_PROXIES`).
"""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from wagtail.views import authenticate_with_password

from .conf import newsroom_setting


def client_ip(request) -> str | None:
    """The client's address: with `NEWSROOM_TRUSTED_PROXIES` = N proxies in front (each
    appending to X-Forwarded-For), the address the outermost one saw; the connection's own
    address when N is 0. Addresses further left could be forged."""
    trusted = getattr(settings, "NEWSROOM_TRUSTED_PROXIES", 0)
    if trusted:
        forwarded = [
            address.strip()
            for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if address.strip()
        ]
        if len(forwarded) >= trusted:
            return forwarded[-trusted]
    return request.META.get("REMOTE_ADDR")


def throttled_authenticate_with_password(request, page_view_restriction_id, page_id):
    """Wagtail's page-password view, refusing a client after too many wrong passwords."""
    if request.method != "POST":
        return authenticate_with_password(request, page_view_restriction_id, page_id)
    limit = newsroom_setting("PASSWORD_ATTEMPTS")
    window = newsroom_setting("PASSWORD_ATTEMPTS_WINDOW")
    key = f"newsroom:password-failures:{client_ip(request)}"
    if cache.get(key, 0) >= limit:
        minutes = max(1, window // 60)
        response = render(
            request,
            "articles/too_many_attempts.html",
            {"minutes": minutes},
            status=429,
        )
        response["Retry-After"] = str(window)
        return response
    response = authenticate_with_password(request, page_view_restriction_id, page_id)
    if response.status_code != 302:  # the form again: the password was wrong
        cache.add(key, 0, window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
    return response
