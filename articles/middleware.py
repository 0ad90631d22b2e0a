"""Reader requests without repeated lookups. Optional, and safe for every request:

MIDDLEWARE = [..., "articles.middleware.ReaderCacheMiddleware", ...]
"""

from django.http.request import split_domain_port

from . import reader_cache
from .routing import site_for_hostname


class ReaderCacheMiddleware:
    """Reads the content version once per request, and finds the request's Wagtail site
    from the cached list of sites instead of asking the database on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with reader_cache.request_scope():
            # Wagtail's Site.find_for_request() returns what is stored here. The raw host,
            # as Wagtail reads it: a host outside ALLOWED_HOSTS still gets the default site.
            hostname = split_domain_port(request._get_raw_host())[0]
            request._wagtail_site = site_for_hostname(hostname, request.get_port())
            return self.get_response(request)
