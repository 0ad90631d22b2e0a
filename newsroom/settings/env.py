"""Reading settings from the environment: plain functions, so they can be tested alone."""

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url


def env_list(environ: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    """A comma-separated variable as a list; the default when unset or blank."""
    raw = environ.get(name, "").strip()
    if not raw:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_env(environ: Mapping[str, str], *, default_sqlite: Path) -> dict:
    """`DATABASE_URL` when set, otherwise a SQLite file in the project folder."""
    url = environ.get("DATABASE_URL", "").strip() or f"sqlite:///{default_sqlite}"
    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers carry on while an import writes. IMMEDIATE transactions take the
        # write lock up front, so a second writer waits (up to the timeout) instead of failing
        # with "database is locked" when a read transaction would need upgrading.
        config.setdefault("OPTIONS", {}).update(
            {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            }
        )
    return config


def caches_from_env(environ: Mapping[str, str]) -> dict:
    """Redis (`REDIS_URL`) when set, otherwise a local-memory cache."""
    redis_url = environ.get("REDIS_URL", "").strip()
    if redis_url:
        default = {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "newsroom",
        }
    else:
        default = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    # Wagtail looks renditions up in this cache first, saving a query per image.
    renditions = (
        dict(default, KEY_PREFIX="newsroom-renditions")
        if redis_url
        else dict(default, LOCATION="renditions")
    )
    return {"default": default, "renditions": renditions}


def env_bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    """`true/yes/on/1` or `false/no/off/0` (any case); the default when unset or blank."""
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, not {raw!r}")


def session_engine_from_env(environ: Mapping[str, str]) -> str:
    """Sessions in Redis, backed by the database, when `REDIS_URL` is set; else the database."""
    if environ.get("REDIS_URL", "").strip():
        return "django.contrib.sessions.backends.cached_db"
    return "django.contrib.sessions.backends.db"


def media_storage_from_env(environ: Mapping[str, str]) -> dict:
    """Uploaded images, renditions and documents: an S3-compatible bucket when
    `AWS_STORAGE_BUCKET_NAME` is set (AWS S3, MinIO, Ceph, R2...), otherwise `MEDIA_ROOT`.

    Credentials come from boto3's own sources (`AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`,
    an instance profile...); they are never copied into settings.
    """
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        # Renditions are public images: plain URLs a CDN can cache, no expiring signatures.
        "querystring_auth": env_bool(environ, "AWS_QUERYSTRING_AUTH", False),
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    optional = {
        "AWS_S3_ENDPOINT_URL": "endpoint_url",
        "AWS_S3_REGION_NAME": "region_name",
        "AWS_S3_CUSTOM_DOMAIN": "custom_domain",
        "AWS_LOCATION": "location",
        "AWS_DEFAULT_ACL": "default_acl",
        "AWS_S3_ADDRESSING_STYLE": "addressing_style",
    }
    for variable, option in optional.items():
        value = environ.get(variable, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def media_origin_from_env(environ: Mapping[str, str]) -> str | None:
    """Where browsers fetch media from when it is not this site, for the security policy."""
    if not environ.get("AWS_STORAGE_BUCKET_NAME", "").strip():
        return None
    domain = environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip()
    if domain:
        return f"https://{domain}"
    endpoint = environ.get("AWS_S3_ENDPOINT_URL", "").strip()
    if endpoint:
        parsed = urlsplit(endpoint)
        return f"{parsed.scheme}://{parsed.netloc}"
    return "https://*.amazonaws.com"


SEARCH_ENGINES = {
    "OPENSEARCH_URL": ("OPENSEARCH_VERSION", "2", "opensearch", {"2", "3"}),
    "ELASTICSEARCH_URL": ("ELASTICSEARCH_VERSION", "8", "elasticsearch", {"7", "8", "9"}),
}


def search_backends_from_env(environ: Mapping[str, str]) -> dict:
    """OpenSearch (`OPENSEARCH_URL`) or Elasticsearch (`ELASTICSEARCH_URL`) when set, otherwise
    Wagtail's database backend, which uses PostgreSQL's full-text search on PostgreSQL."""
    for url_variable, (version_variable, default, module, versions) in SEARCH_ENGINES.items():
        urls = env_list(environ, url_variable, [])
        if not urls:
            continue
        version = environ.get(version_variable, "").strip() or default
        if version not in versions:
            choices = sorted(versions)
            raise ValueError(f"{version_variable} must be one of {choices}, not {version!r}")
        return {
            "default": {
                "BACKEND": f"wagtail.search.backends.{module}{version}",
                "URLS": urls,
                "INDEX_PREFIX": environ.get("SEARCH_INDEX_PREFIX", "newsroom_").strip(),
                "TIMEOUT": int(environ.get("SEARCH_TIMEOUT", "10")),
            }
        }
    return {"default": {"BACKEND": "wagtail.search.backends.database"}}


def frontend_cache_from_env(environ: Mapping[str, str]) -> dict:
    """Wagtail's frontend-cache purging: an HTTP PURGE to Varnish at `VARNISH_URL` (several,
    comma-separated, for several Varnish servers); no purging when unset."""
    return {
        f"varnish{index}" if index else "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": url,
        }
        for index, url in enumerate(env_list(environ, "VARNISH_URL", []))
    }
