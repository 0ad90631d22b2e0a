"""Production configuration read from the environment (newsroom/settings/env.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from articles.throttling import client_ip
from newsroom.settings.env import (
    env_bool,
    frontend_cache_from_env,
    media_origin_from_env,
    media_storage_from_env,
    search_backends_from_env,
    session_engine_from_env,
)

PROJECT = Path(__file__).resolve().parents[2]


def test_env_bool():
    assert env_bool({}, "X", True) is True
    assert env_bool({"X": "off"}, "X", True) is False
    assert env_bool({"X": "Yes"}, "X", False) is True
    with pytest.raises(ValueError, match="X must be true or false"):
        env_bool({"X": "maybe"}, "X", False)


def test_sessions_in_redis_backed_by_database_when_redis_configured():
    assert session_engine_from_env({}) == "django.contrib.sessions.backends.db"
    assert (
        session_engine_from_env({"REDIS_URL": "redis://127.0.0.1:6379/1"})
        == "django.contrib.sessions.backends.cached_db"
    )


def test_media_on_local_disk_unless_a_bucket_is_named():
    assert media_storage_from_env({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert media_origin_from_env({}) is None


def test_media_on_s3_compatible_storage():
    storage = media_storage_from_env(
        {
            "AWS_STORAGE_BUCKET_NAME": "news-media",
            "AWS_S3_ENDPOINT_URL": "https://minio.internal:9000",
            "AWS_S3_REGION_NAME": "eu-west-1",
            "AWS_SECRET_ACCESS_KEY": "never-copied",
        }
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "news-media"
    assert options["endpoint_url"] == "https://minio.internal:9000"
    assert options["region_name"] == "eu-west-1"
    assert options["querystring_auth"] is False
    assert "never-copied" not in repr(storage)
    assert media_origin_from_env(
        {"AWS_STORAGE_BUCKET_NAME": "b", "AWS_S3_ENDPOINT_URL": "https://minio.internal:9000/"}
    ) == ("https://minio.internal:9000")
    assert (
        media_origin_from_env({"AWS_STORAGE_BUCKET_NAME": "b", "AWS_S3_CUSTOM_DOMAIN": "img.news"})
        == "https://img.news"
    )


def test_s3_storage_backend_is_importable_with_those_options():
    from storages.backends.s3 import S3Storage

    options = media_storage_from_env(
        {"AWS_STORAGE_BUCKET_NAME": "news-media", "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9"}
    )["OPTIONS"]
    storage = S3Storage(**options)
    assert storage.bucket_name == "news-media"
    assert storage.url("original_images/a.jpg").startswith("http://127.0.0.1:9/news-media/")


def test_search_on_the_database_by_default_and_opensearch_or_elasticsearch_when_configured():
    assert search_backends_from_env({})["default"]["BACKEND"] == "wagtail.search.backends.database"
    opensearch = search_backends_from_env({"OPENSEARCH_URL": "https://search.internal:9200"})
    assert opensearch["default"]["BACKEND"] == "wagtail.search.backends.opensearch2"
    assert opensearch["default"]["URLS"] == ["https://search.internal:9200"]
    elastic = search_backends_from_env(
        {"ELASTICSEARCH_URL": "http://a:9200,http://b:9200", "ELASTICSEARCH_VERSION": "9"}
    )
    assert elastic["default"]["BACKEND"] == "wagtail.search.backends.elasticsearch9"
    assert elastic["default"]["URLS"] == ["http://a:9200", "http://b:9200"]
    with pytest.raises(ValueError, match="OPENSEARCH_VERSION"):
        search_backends_from_env({"OPENSEARCH_URL": "http://a", "OPENSEARCH_VERSION": "1"})


def test_frontend_cache_purges_varnish_when_configured():
    assert frontend_cache_from_env({}) == {}
    assert frontend_cache_from_env({"VARNISH_URL": "http://127.0.0.1:8080"}) == {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:8080",
        }
    }
    assert len(frontend_cache_from_env({"VARNISH_URL": "http://a:80,http://b:80"})) == 2


def test_client_ip_behind_trusted_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    settings.NEWSROOM_TRUSTED_PROXIES = 0
    assert client_ip(request) == "127.0.0.1"
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    assert client_ip(request) == "198.51.100.7"  # what Varnish saw; 6.6.6.6 could be forged
    settings.NEWSROOM_TRUSTED_PROXIES = 2
    assert client_ip(request) == "6.6.6.6"


def settings_of(env, expr):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "VARNISH_URL", "OPENSEARCH_URL"}
    }
    code = f"import django; from django.conf import settings; django.setup(); print({expr})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
            "SECRET_KEY": "s" * 50,
            **env,
        },
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_settings_assembled_from_environment():
    out = settings_of(
        {
            "DATABASE_URL": "postgres://newsroom@db.internal:5432/news",
            "REDIS_URL": "redis://cache.internal:6379/0",
            "VARNISH_URL": "http://127.0.0.1:8080",
            "OPENSEARCH_URL": "http://search.internal:9200",
        },
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['CONN_MAX_AGE'], "
        "settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE, "
        "settings.WAGTAILSEARCH_BACKENDS['default']['BACKEND'], "
        "settings.TASKS['default']['BACKEND'], "
        "settings.STORAGES['staticfiles']['BACKEND'], sorted(settings.WAGTAILFRONTENDCACHE), "
        "settings.MIDDLEWARE[1], 'django_tasks_db' in settings.INSTALLED_APPS",
    )
    assert out == (
        "django.db.backends.postgresql 60 django_redis.cache.RedisCache "
        "django.contrib.sessions.backends.cached_db wagtail.search.backends.opensearch2 "
        "django_tasks_db.DatabaseBackend whitenoise.storage.CompressedManifestStaticFilesStorage "
        "['varnish'] whitenoise.middleware.WhiteNoiseMiddleware True"
    )
