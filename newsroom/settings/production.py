"""Production: everything from the environment (docs/deploy.md has the full list and an example).

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL. Recommended: REDIS_URL (cache and sessions).
Optional: AWS_STORAGE_BUCKET_NAME and friends (media on S3-compatible storage), OPENSEARCH_URL or
ELASTICSEARCH_URL (search; PostgreSQL full-text otherwise), VARNISH_URL (purge on publish).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import (
    env_bool,
    frontend_cache_from_env,
    media_origin_from_env,
    media_storage_from_env,
    search_backends_from_env,
    session_engine_from_env,
)

DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
        "string, for example the output of: "
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

INSTALLED_APPS = [  # noqa: F405
    *INSTALLED_APPS,  # noqa: F405
    "csp",
    # The database-backed task queue; `manage.py db_worker` runs its tasks.
    "django_tasks_db",
]

# WhiteNoise serves the hashed static files straight after the security headers are decided;
# the security policy goes on every response, the admin's own looser one under /admin/.
_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")  # noqa: F405
MIDDLEWARE = [  # noqa: F405
    *MIDDLEWARE[: _security + 1],  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.middleware.PathCSPMiddleware",
    *MIDDLEWARE[_security + 1 :],  # noqa: F405
]

# Persistent connections, checked before reuse.
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", 60))  # noqa: F405
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Cache (base: Redis when REDIS_URL is set) and sessions in it, kept in the database too.
SESSION_ENGINE = session_engine_from_env(os.environ)

# Uploaded images, renditions and documents: S3-compatible storage when configured.
STORAGES = {
    "default": media_storage_from_env(os.environ),
    # Hashed, compressed file names so browsers and CDNs can cache static files for good.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ORIGIN = media_origin_from_env(os.environ)

WAGTAILSEARCH_BACKENDS = search_backends_from_env(os.environ)

# Background work (search indexing, cache purges) in the database queue, run by `db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Purge Varnish on publish, unpublish, move and delete (articles/frontend_cache.py).
WAGTAILFRONTENDCACHE = frontend_cache_from_env(os.environ)

# HTTPS: a TLS-terminating proxy in front sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool(os.environ, "SECURE_SSL_REDIRECT", True)
# Cookies over HTTPS only; SECURE_COOKIES=false for plain HTTP on one's own machine (make serve).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool(os.environ, "SECURE_COOKIES", True)
CSRF_TRUSTED_ORIGINS = [f"https://{host.lstrip('.')}" for host in ALLOWED_HOSTS if host != "*"]  # noqa: F405
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(os.environ, "SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool(os.environ, "SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# DENY (check --deploy wants it): Wagtail's preview views switch to SAMEORIGIN for the admin's
# live preview panel themselves. Browsers with CSP follow frame-ancestors below instead, which
# lets the site (only) frame its own pages.
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp). The public site: nothing inline, nothing from elsewhere
# except media on the bucket's domain.
_media = [MEDIA_ORIGIN] if MEDIA_ORIGIN else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_media],
        "media-src": ["'self'", *_media],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# The Wagtail admin uses inline scripts and styles in places, blob:/data: images while
# uploading, frames its own preview, and asks wagtail.org for new releases.
NEWSROOM_CSP_ADMIN_PREFIXES = ("/admin/",)
NEWSROOM_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_media],
        "media-src": ["'self'", "blob:", *_media],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", "https://releases.wagtail.org"],
        "frame-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

# Behind Varnish and a TLS proxy every request comes from a proxy: django-axes must see the
# client's address. NEWSROOM_TRUSTED_PROXIES is how many proxies append to X-Forwarded-For.
NEWSROOM_TRUSTED_PROXIES = int(os.environ.get("NEWSROOM_TRUSTED_PROXIES", 0))
AXES_CLIENT_IP_CALLABLE = "articles.throttling.client_ip"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.security": {"level": "WARNING"}},
}

# The API's interactive docs are for development; the OpenAPI schema itself stays served.
WAGTAILAPI_DOCS_ENABLED = False
NEWSROOM_API_SCHEMA_PUBLIC = False
# `make serve` has no web server in front to serve renditions from MEDIA_ROOT.
NEWSROOM_SERVE_RENDITIONS = env_bool(os.environ, "SERVE_RENDITIONS", False)
