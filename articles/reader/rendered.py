"""Reader pages rendered once per content version, for anonymous readers.

A page's `serve()` runs every per-request rule first (the site and routing, the embargo,
Wagtail's view-restriction check, scheduled and expired state: all before `serve()` is
called, or in the page's own `serve()` before this); then, for a request that may share
(`may_share`), the HTML comes from the shared cache, keyed by site, page, page number and
date (the masthead shows it), and is rendered only when content readers see has changed.

Never shared, neither read nor filled: staff or anyone with a session (a page password
entered, a login), previews, other methods than GET/HEAD, a page under a view restriction,
a response that is not a plain 200 or that sets a cookie. The breaking-news banner, which
changes on the clock, is left as a slot and filled per request (articles/middleware.py), so
only a project with that middleware shares pages at all.

Knows nothing of models: the page models import it.
"""

import functools
import hashlib
import zlib

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from .. import reader_cache
from ..conf import newsroom_setting

BANNER_SLOT = "<!--newsroom:breaking-news-->"
# Set on the request by articles.middleware.ReaderCacheMiddleware, which fills the slot.
FILLS_BANNER = "newsroom_fills_banner"
# Set while the shared copy renders: the banner tag leaves its slot.
RENDERING_SHARED = "newsroom_rendering_shared"
# Set on a response with the slot in it.
HAS_BANNER_SLOT = "newsroom_banner_slot"


def may_share(request, page=None) -> bool:
    return bool(
        newsroom_setting("RENDER_ONCE")
        and getattr(request, FILLS_BANNER, False)
        and request.method in ("GET", "HEAD")
        and not getattr(request, "is_preview", False)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not _is_authenticated(request)
        # Page models without the newsroom's cached check count as private.
        and (page is None or not getattr(page, "has_view_restrictions", lambda: True)())
    )


def _is_authenticated(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _page_number(request) -> str | None:
    """The one query parameter reader pages read (`?page=`), as a key: "-" without it, None
    when it is not a plain number (such a request renders its own: any other parameter, a
    tracking one, say, cannot multiply the copies kept)."""
    number = request.GET.get("page")
    if number is None:
        return "-"
    plain = number.isascii() and number.isdigit() and len(number) <= 6
    return number if plain else None


def cache_name(request, what: str) -> str | None:
    """`what` (a page, a view) for this request's site, page number and day."""
    number = _page_number(request)
    if number is None:
        return None
    site = getattr(request, "_wagtail_site", None)
    today = timezone.localdate().isoformat()
    return f"html:{site.pk if site else 0}:{what}:{number}:{today}"


def serve_shared(request, what: str, render) -> HttpResponse:
    """The shared copy of `what` for `request`, rendering it with `render()` if there is
    none for this content version; the response has the banner slot in it."""
    rendered = {}

    def compute():
        setattr(request, RENDERING_SHARED, True)
        try:
            response = render()
            if hasattr(response, "render"):
                response.render()
        finally:
            setattr(request, RENDERING_SHARED, False)
        rendered["response"] = response
        if response.status_code != 200 or response.cookies or response.streaming:
            return None
        # Compressed: a page is 4-5 times smaller in the cache (measured: 10-14 kB to under
        # 3 kB; Redis memory bounds how many copies it keeps), for a few microseconds.
        return (response["Content-Type"], zlib.compress(response.content, 1))

    name = cache_name(request, what)
    if name is None:
        return render()
    value = reader_cache.cached(name, compute, in_process=False)
    if value is None:
        response = rendered["response"]
    else:
        content_type, compressed = value
        response = HttpResponse(zlib.decompress(compressed), content_type=content_type)
    setattr(response, HAS_BANNER_SLOT, True)
    return response


def shared_copy(request, page):
    """The shared copy `request` would get of `page` (content type, HTML), or None (for
    tests and debugging)."""
    name = cache_name(request, f"page:{page.pk}")
    value = reader_cache.peek(name, in_process=False) if name else None
    return (value[0], zlib.decompress(value[1])) if value else None


class RenderedOnceMixin:
    """For page models readers see: `serve()` through the shared copy when it may. A page
    type whose HTML follows the clock sets `rendered_once = False`."""

    rendered_once = True

    def serve(self, request, *args, **kwargs):
        parent_serve = super().serve
        if not (self.rendered_once and may_share(request, self)):
            return parent_serve(request, *args, **kwargs)
        return serve_shared(
            request, f"page:{self.pk}", lambda: parent_serve(request, *args, **kwargs)
        )


def shared_view(view):
    """A reader view (a feed, an archive page) that shows only what every reader may see,
    through the shared copy, keyed by its path."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_share(request):
            return view(request, *args, **kwargs)
        # Hashed: a path is as long as a reader makes it (only answers of 200 are kept).
        what = f"path:{hashlib.sha256(request.path.encode()).hexdigest()[:24]}"
        return serve_shared(request, what, lambda: view(request, *args, **kwargs))

    return wrapped
