"""Which URLs an article change purges from the frontend cache, and that each action purges."""

import pytest
from wagtail.contrib.frontend_cache.backends import BaseBackend

from articles.frontend_cache import section_urls_to_purge, urls_to_purge
from articles.models import SectionPage

ROOT = "http://localhost"
SITE_WIDE = [
    f"{ROOT}/",
    f"{ROOT}/feed/",
    f"{ROOT}/feed/atom/",
    f"{ROOT}/sitemap.xml",
    f"{ROOT}/news-sitemap.xml",
]
PURGED: list[str] = []


class RecordingBackend(BaseBackend):
    def purge(self, url):
        PURGED.append(url)


@pytest.fixture
def purged(settings, django_capture_on_commit_callbacks):
    """URLs purged through Wagtail's frontend cache (immediate tasks, on commit)."""
    settings.WAGTAILFRONTENDCACHE = {
        "test": {"BACKEND": "tests.deploy.test_purge_urls.RecordingBackend"}
    }
    PURGED.clear()

    class Capture:
        def __call__(self, action):
            PURGED.clear()
            with django_capture_on_commit_callbacks(execute=True):
                action()
            return set(PURGED)

    return Capture()


def section(path):
    return [f"{ROOT}{path}", f"{ROOT}{path}feed/", f"{ROOT}{path}feed/atom/"]


def test_article_urls_section_feeds_front_page_feeds_and_sitemaps(
    world, top_stories, article_factory
):
    article = article_factory(world, title="Summit ends")
    article.secondary_sections.add(top_stories)
    assert urls_to_purge(article) == [
        f"{ROOT}/world/summit-ends/",
        *section("/world/"),
        *section("/top-stories/"),
        *SITE_WIDE,
    ]


def test_nested_section_and_previous_url(world, article_factory):
    europe = SectionPage(title="Europe", slug="europe")
    world.add_child(instance=europe)
    europe.save_revision().publish()
    article = article_factory(europe, title="Vote count")
    urls = urls_to_purge(
        article, previous_sections=[world], previous_url=f"{ROOT}/world/vote-count/"
    )
    assert urls == [
        f"{ROOT}/world/europe/vote-count/",
        f"{ROOT}/world/vote-count/",
        *section("/world/europe/"),
        *section("/world/"),
        *SITE_WIDE,
    ]


def test_section_change_purges_section_its_feeds_and_site(world):
    assert section_urls_to_purge(world) == [*section("/world/"), *SITE_WIDE]


def test_publish_purges_article_sections_and_site(purged, world, top_stories, article_factory):
    article = article_factory(world, title="Summit ends")
    article.secondary_sections.add(top_stories)
    article.title = "Summit ends in agreement"
    urls = purged(lambda: article.save_revision().publish())
    assert urls == {
        f"{ROOT}/world/summit-ends/",
        *section("/world/"),
        *section("/top-stories/"),
        *SITE_WIDE,
    }


def test_publish_purges_a_secondary_section_taken_off(purged, world, top_stories, article_factory):
    article = article_factory(world, title="Summit ends")
    article.secondary_sections.add(top_stories)
    article.save_revision().publish()
    article.secondary_sections.set([])
    urls = purged(lambda: article.save_revision().publish())
    assert set(section("/top-stories/")) <= urls


def test_unpublish_purges(purged, world, top_stories, article_factory):
    article = article_factory(world, title="Summit ends")
    article.secondary_sections.add(top_stories)
    article.save_revision().publish()
    urls = purged(lambda: article.unpublish())
    assert urls == {
        f"{ROOT}/world/summit-ends/",
        *section("/world/"),
        *section("/top-stories/"),
        *SITE_WIDE,
    }


def test_move_purges_old_and_new_url_and_both_sections(purged, world, top_stories, article_factory):
    article = article_factory(world, title="Summit ends")
    urls = purged(lambda: article.move(top_stories, pos="last-child"))
    assert urls == {
        f"{ROOT}/world/summit-ends/",
        f"{ROOT}/top-stories/summit-ends/",
        *section("/world/"),
        *section("/top-stories/"),
        *SITE_WIDE,
    }


def test_delete_purges(purged, world, top_stories, article_factory):
    article = article_factory(world, title="Summit ends")
    article.secondary_sections.add(top_stories)
    article.save_revision().publish()
    urls = purged(lambda: article.delete())
    assert urls == {
        f"{ROOT}/world/summit-ends/",
        *section("/world/"),
        *section("/top-stories/"),
        *SITE_WIDE,
    }


def test_saving_a_draft_purges_nothing(purged, world, article_factory):
    article = article_factory(world, title="Summit ends")
    article.title = "Draft headline"
    assert purged(lambda: article.save_revision()) == set()


def test_nothing_is_queued_without_a_frontend_cache(
    settings, world, article_factory, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = None
    article = article_factory(world, title="Summit ends")
    with django_capture_on_commit_callbacks() as callbacks:
        article.save_revision().publish()
    from articles.frontend_cache import purge

    assert not any(getattr(cb, "__module__", "") == purge.__module__ for cb in callbacks)
