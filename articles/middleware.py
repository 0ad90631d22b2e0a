"""Reader requests without repeated lookups. Optional, and safe for every request:

MIDDLEWARE = [..., "articles.middleware.ReaderCacheMiddleware", ...]
"""

from django.http.request import split_domain_port

from . import reader_cache
from .reader import rendered
from .routing import site_for_hostname, site_root_paths
from .templatetags.newsroom_alerts import fill_banner_slot

LIVE_UPDATES_PREFIX = "/live/"


class ReaderCacheMiddleware:
    """Reads the content version once per request, and gives Wagtail the request's site and
    the sites' root paths from the reader cache, instead of a query and a cache read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(LIVE_UPDATES_PREFIX):
            # A live page's poll reads one cache value and needs no site (articles/live/views.py).
            return self.get_response(request)
        # Reader pages rendered once for everyone have a slot for the banner, filled here.
        setattr(request, rendered.FILLS_BANNER, True)
        with reader_cache.request_scope():
            # Wagtail's Site.find_for_request() returns what is stored here. The raw host,
            # as Wagtail reads it: a host outside ALLOWED_HOSTS still gets the default site.
            hostname = split_domain_port(request._get_raw_host())[0]
            request._wagtail_site = site_for_hostname(hostname, request.get_port())
            request._wagtail_cached_site_root_paths = site_root_paths()
            response = self.get_response(request)
            if getattr(response, rendered.HAS_BANNER_SLOT, False):
                fill_banner_slot(request, response)
            return response
