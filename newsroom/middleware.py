"""Response headers for serving behind a shared cache, and the admin's own security policy."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

try:  # django-csp is a production dependency (the `site` extra).
    from csp.middleware import CSPMiddleware
    from csp.utils import default_config
except ImportError:  # pragma: no cover - only without the site extra
    CSPMiddleware = None


class CacheHeadersMiddleware:
    """Cache-Control for the cache in front of the site.

    - Anonymous GET/HEAD of reader pages that set no cookie: `public, max-age, s-maxage`
      (`NEWSROOM_CACHE_MAX_AGE` for browsers, `NEWSROOM_CACHE_S_MAXAGE` for Varnish or a CDN,
      which publishing purges), `Vary: Cookie`. Search and the APIs get the short age only.
    - The admin, previews, logged-in readers, other methods and anything that sets a cookie:
      `private, no-cache, no-store`, so no shared cache keeps them.
    A view that set its own Cache-Control keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "newsroom_esi_included", False):
            # The page includes the alerts banner by ESI (articles/templatetags/newsroom_alerts.py).
            response["Surrogate-Control"] = 'content="ESI/1.0"'
        path = request.path_info
        private = (
            request.method not in ("GET", "HEAD")
            or path.startswith(tuple(settings.NEWSROOM_CACHE_PRIVATE_PREFIXES))
            or getattr(request, "is_preview", False)
            or _is_authenticated(request)
            or bool(response.cookies)
        )
        if private:
            if not response.has_header("Cache-Control") or request.method not in ("GET", "HEAD"):
                add_never_cache_headers(response)
            patch_cache_control(response, private=True)
            return response
        patch_vary_headers(response, ("Cookie",))
        if response.has_header("Cache-Control") or response.status_code not in (200, 301, 404):
            return response
        max_age = settings.NEWSROOM_CACHE_MAX_AGE
        shared = (
            max_age
            if path.startswith(tuple(settings.NEWSROOM_CACHE_SHORT_PREFIXES))
            else settings.NEWSROOM_CACHE_S_MAXAGE
        )
        patch_cache_control(response, public=True, max_age=max_age, s_maxage=shared)
        return response


def _is_authenticated(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


if CSPMiddleware is not None:

    class PathCSPMiddleware(CSPMiddleware):
        """django-csp with two policies: `CONTENT_SECURITY_POLICY` for the public site and the
        looser `NEWSROOM_ADMIN_CONTENT_SECURITY_POLICY` under `NEWSROOM_CSP_ADMIN_PREFIXES`
        (Wagtail's admin uses inline scripts and styles in places). Views that set their own
        policy with django-csp's decorators keep it."""

        def get_policy_parts(self, request, response, report_only=False):
            parts = super().get_policy_parts(request, response, report_only=report_only)
            admin_policy = getattr(settings, "NEWSROOM_ADMIN_CONTENT_SECURITY_POLICY", None)
            prefixes = tuple(getattr(settings, "NEWSROOM_CSP_ADMIN_PREFIXES", ("/admin/",)))
            if (
                not report_only
                and parts.config is None
                and admin_policy
                and request.path_info.startswith(prefixes)
            ):
                parts.config = default_config(admin_policy["DIRECTIVES"])
            return parts
