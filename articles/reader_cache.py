"""Things every reader page shows that change only when content is published: cached under
a content version that every change readers can see bumps (articles/signal_handlers.py
decides which). Knows nothing of models: a leaf that any module may import.

Two layers: the shared cache (Redis in production) and a copy in each server process, so a
warm page costs one cache read (the version, once per request) instead of one per value.
Values kept here are shared between requests: callers must treat them as read-only.
"""

import hashlib
import threading
import time
from functools import cache as once
from importlib import metadata
from pathlib import Path

from django.core.cache import cache

VERSION_KEY = "newsroom:content-version"
TIMEOUT = 60 * 60  # an upper bound; a bump invalidates sooner

# This process's copies, all of one content version; a new version empties it.
_local_values: dict[str, object] = {}
_local_version: list[int | None] = [None]
# Inside a request (see articles.middleware.ReaderCacheMiddleware) the version is read once.
_request = threading.local()


@once
def code_version() -> str:
    """A fingerprint of the code that pickles cached values (this app's source, Django's and
    Wagtail's versions), part of every key: after a deploy, servers never unpickle objects
    made by older code, whose classes may have changed."""
    digest = hashlib.sha256()
    for name in ("django", "wagtail"):
        digest.update(metadata.version(name).encode())
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def content_version() -> int:
    version = getattr(_request, "version", None)
    if version is not None:
        return version
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    if getattr(_request, "active", False):
        _request.version = version
    return version


def bump_content_version() -> None:
    cache.set(VERSION_KEY, time.time_ns(), None)
    _request.version = None  # this request reads the new version from now on


class request_scope:
    """Read the content version once for the request inside this block."""

    def __enter__(self):
        _request.active, _request.version = True, None

    def __exit__(self, *exc_info):
        _request.active, _request.version = False, None


def cached(name: str, compute, *, in_process: bool = True):
    """`compute()`'s result (None is not kept), kept until content changes.

    `in_process=False` for values with one entry per page (an article): kept in the shared
    cache only, where memory is bounded, and a fresh copy for each request."""
    version = content_version()
    if _local_version[0] != version:
        _local_values.clear()
        _local_version[0] = version
    key = f"newsroom:{code_version()}:{name}:{version}"
    value = _local_values.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = compute()
            if value is None:
                return None
            cache.set(key, value, TIMEOUT)
        if in_process:
            _local_values[key] = value
    return value


def peek(name: str, *, in_process: bool = True):
    """What `cached(name, ...)` would return now, without computing it: None if nothing is
    kept for this content version."""
    key = f"newsroom:{code_version()}:{name}:{content_version()}"
    if in_process and _local_version[0] == content_version() and key in _local_values:
        return _local_values[key]
    return cache.get(key)
