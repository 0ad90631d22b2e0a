"""Settings come from the environment, with safe defaults for the embedded set-up."""

import os
import subprocess
import sys
from pathlib import Path

from newsroom.settings.env import caches_from_env, database_from_env, env_list

PROJECT = Path(__file__).resolve().parent.parent


def test_database_defaults_to_sqlite_file_in_project(tmp_path):
    config = database_from_env({}, default_sqlite=tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")


def test_database_url_selects_postgresql(tmp_path):
    config = database_from_env(
        {"DATABASE_URL": "postgres://newsroom:pw@db.internal:5433/news"},
        default_sqlite=tmp_path / "x",
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (
        "db.internal",
        5433,
        "news",
        "newsroom",
    )


def test_cache_is_local_memory_unless_redis_url_given():
    assert caches_from_env({})["default"]["BACKEND"].endswith("LocMemCache")
    redis = caches_from_env({"REDIS_URL": "redis://127.0.0.1:6379/3"})
    assert redis["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert redis["default"]["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert redis["renditions"]["LOCATION"] == "redis://127.0.0.1:6379/3"


def test_allowed_hosts_from_comma_separated_list():
    assert env_list({"ALLOWED_HOSTS": "news.example, www.news.example "}, "ALLOWED_HOSTS", []) == [
        "news.example",
        "www.news.example",
    ]
    assert env_list({}, "ALLOWED_HOSTS", ["localhost"]) == ["localhost"]


def run_settings(module, env, expr="settings.SECRET_KEY"):
    code = f"import django; from django.conf import settings; django.setup(); print({expr})"
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_settings("newsroom.settings.production", {})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_reads_secret_key_and_hosts_from_environment():
    result = run_settings(
        "newsroom.settings.production",
        {"SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "news.example"},
        expr="settings.SECRET_KEY[:5], settings.ALLOWED_HOSTS, settings.DEBUG",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "sssss ['news.example'] False"


def test_dev_has_a_fallback_secret_key():
    result = run_settings("newsroom.settings.dev", {})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("django-insecure-dev-only")
