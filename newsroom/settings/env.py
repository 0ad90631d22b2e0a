"""Reading settings from the environment: plain functions, so they can be tested alone."""

from collections.abc import Mapping
from pathlib import Path

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
