"""Things every reader page shows that change only when content is published: cached under
a content version that publishing, unpublishing, moving or deleting a page bumps."""

import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

VERSION_KEY = "newsroom:content-version"
TIMEOUT = 60 * 60  # an upper bound; a bump invalidates sooner


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version(**kwargs) -> None:
    cache.set(VERSION_KEY, time.time_ns(), None)


def cached(name: str, compute):
    """`compute()`'s result, kept until content changes."""
    key = f"newsroom:{name}:{content_version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def refresh_bylines(instance, **kwargs) -> None:
    """An author's new name or role reaches the articles that already show them."""
    from .models import ArticlePage

    for article in ArticlePage.objects.filter(byline__author=instance).distinct():
        ArticlePage.objects.filter(pk=article.pk).update(
            reader_extras=article.compute_reader_extras()
        )


def connect_signals() -> None:
    from .models import Author

    post_save.connect(refresh_bylines, sender=Author, dispatch_uid="newsroom-author-bylines")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump_content_version, dispatch_uid=f"newsroom-bump-{id(signal)}")
    for model in (Page, PageViewRestriction, Site):
        post_delete.connect(
            bump_content_version, sender=model, dispatch_uid=f"newsroom-del-{model.__name__}"
        )
    for model in (PageViewRestriction, Site):
        post_save.connect(
            bump_content_version, sender=model, dispatch_uid=f"newsroom-save-{model.__name__}"
        )
