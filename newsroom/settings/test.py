import os
import tempfile
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key"  # noqa: S105 - never used outside the test run
ALLOWED_HOSTS = ["*"]
# MD5 hashing: creating test users is otherwise the slowest part of the suite.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Local memory caches: nothing to start. With TEST_REDIS_URL (CI's PostgreSQL run), Redis as
# in production, where the reader cache is shared between processes. Its own variable, as the
# tests empty that Redis database: never a developer's REDIS_URL (`make test-postgres` uses 15).
def redis_for_this_worker(url: str) -> str:
    """Under pytest-xdist (`make test` runs one worker per core) each worker empties its own
    Redis database: worker gw0 uses the URL's, gw1 the one below it, and so on."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url or not worker.startswith("gw"):
        return url
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) - int(worker[2:])
    if database < 0:
        raise ValueError(f"TEST_REDIS_URL {url}: too few Redis databases below it for {worker}")
    return urlunsplit(parts._replace(path=f"/{database}"))


CACHES = caches_from_env({"REDIS_URL": redis_for_this_worker(os.environ.get("TEST_REDIS_URL", ""))})  # noqa: F405
# Immediate tasks: search indexing and the like happen inside the test, where it can be asserted.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Uploaded test images go to a throwaway folder, never the developer's media.
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT", "/tmp/newsroom-test-media"))  # noqa: F405, S108

# A file, not SQLite's shared in-memory database, so tests with several connections
# (concurrent imports) see each other's commits and wait for locks instead of failing.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # One per test run, so two runs at once (a developer and CI) never share a file.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.mkdtemp(prefix="newsroom-test-")) / "db.sqlite3")  # noqa: F405
    }
