"""Things every reader page shows that change only when content is published: cached under
a content version that publishing, unpublishing, moving or deleting a page bumps.

Two layers: the shared cache (Redis in production) and a copy in each server process, so a
warm page costs one cache read (the version, once per request) instead of one per value.
Values kept here are shared between requests: callers must treat them as read-only.
"""

import threading
import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

VERSION_KEY = "newsroom:content-version"
TIMEOUT = 60 * 60  # an upper bound; a bump invalidates sooner

# This process's copies, all of one content version; a new version empties it.
_local_values: dict[str, object] = {}
_local_version: list[int | None] = [None]
# Inside a request (see articles.middleware.ReaderCacheMiddleware) the version is read once.
_request = threading.local()


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


def bump_content_version(**kwargs) -> None:
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
    key = f"newsroom:{name}:{version}"
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


def restricted_paths() -> list[str]:
    """Tree paths of every page with a view restriction (private, password, groups): it and
    everything below it is hidden from the public."""
    return cached(
        "restricted-paths",
        lambda: list(PageViewRestriction.objects.values_list("page__path", flat=True)),
    )


def refresh_bylines(instance, **kwargs) -> None:
    """An author's new name or role reaches the articles that already show them."""
    from .models import ArticlePage

    articles = ArticlePage.objects.filter(byline__author=instance).distinct()
    for article in articles:
        ArticlePage.objects.filter(pk=article.pk).update(
            reader_extras=article.compute_reader_extras()
        )
    if articles:
        bump_content_version()  # cached live articles carry the old byline


def connect_signals() -> None:
    from wagtail.images import get_image_model

    from .models import Author

    post_save.connect(refresh_bylines, sender=Author, dispatch_uid="newsroom-author-bylines")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump_content_version, dispatch_uid=f"newsroom-bump-{id(signal)}")
    # An edited image (its focal point, its file) reaches the cached live articles showing it.
    image_model = get_image_model()
    for model in (Page, PageViewRestriction, Site, image_model):
        post_delete.connect(
            bump_content_version, sender=model, dispatch_uid=f"newsroom-del-{model.__name__}"
        )
    for model in (PageViewRestriction, Site, image_model):
        post_save.connect(
            bump_content_version, sender=model, dispatch_uid=f"newsroom-save-{model.__name__}"
        )
