"""Which URLs an article or section change purges from the frontend cache, and that each
action purges them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.frontend_cache.backends import BaseBackend

from articles.frontend_cache import (
    section_move_urls_to_purge,
    section_urls_to_purge,
    urls_to_purge,
)
from articles.models import ArticlePage, SectionPage

ROOT = "http://localhost"
SITE_WIDE = [
    f"{ROOT}/",
    f"{ROOT}/feed/",
    f"{ROOT}/feed/atom/",
    f"{ROOT}/sitemap.xml",
    f"{ROOT}/news-sitemap.xml",
    f"{ROOT}/robots.txt",
]
SECTIONS_SITEMAP = f"{ROOT}/sitemap-sections.xml"
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


def bucket(article, size=1000):
    """The article's sitemap bucket page (NEWSROOM_SITEMAP_BUCKET_SIZE, 1000 by default)."""
    return f"{ROOT}/sitemap-articles-{article.pk // size}.xml"


def add_section(parent, title, **fields):
    new = SectionPage(title=title, **fields)
    parent.add_child(instance=new)
    new.save_revision().publish()
    new.refresh_from_db()
    return new


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
        bucket(article),
    ]


def test_an_article_purges_its_author_topic_and_corrections_pages(
    purged, world, article_factory, author
):
    from articles.models import ArticleCorrection

    article = article_factory(
        world,
        title="Summit ends",
        authors=[author],
        tags=["Diplomacy"],
        corrections=[ArticleCorrection(kind="update", text="Adds a reply.")],
    )
    archives = {
        f"{ROOT}/authors/anna-petrova/",
        f"{ROOT}/authors/anna-petrova/feed/",
        f"{ROOT}/topics/diplomacy/",
        f"{ROOT}/topics/diplomacy/feed/",
        f"{ROOT}/corrections/",
        f"{ROOT}/corrections/feed/",
    }
    assert archives <= set(urls_to_purge(article))
    # Taken off the author and the topic, the pages that listed it are purged too.
    article.byline.clear()
    article.tags.clear()
    article.corrections.clear()
    assert archives <= purged(lambda: article.save_revision().publish())
    assert purged(lambda: author.save()) == {
        f"{ROOT}/authors/anna-petrova/",
        f"{ROOT}/authors/anna-petrova/feed/",
    }


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
        bucket(article),
    ]


def test_section_change_purges_section_its_feeds_site_and_sections_sitemap(world):
    assert section_urls_to_purge(world) == [*section("/world/"), *SITE_WIDE, SECTIONS_SITEMAP]


def test_an_article_purges_its_own_bucket_page_only(settings, world, article_factory):
    settings.NEWSROOM_SITEMAP_BUCKET_SIZE = 2
    for article in [article_factory(world) for _ in range(3)]:
        buckets = [url for url in urls_to_purge(article) if "/sitemap-articles-" in url]
        assert buckets == [bucket(article, 2)]


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
        bucket(article),
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
        bucket(article),
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
        bucket(article),  # the same bucket before and after: buckets go by id
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
        bucket(article),
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


@pytest.fixture
def europe(settings, home, world, top_stories, article_factory):
    """World > Europe > Baltics, with articles in both; a bucket per id, so the moved
    articles fall in different sitemap pages."""
    settings.NEWSROOM_SITEMAP_BUCKET_SIZE = 1
    business = add_section(home, "Business")
    europe = add_section(world, "Europe")
    baltics = add_section(europe, "Baltics")
    vote = article_factory(europe, title="Vote count", secondary_sections=[business])
    riga = article_factory(baltics, title="Riga port")
    article_factory(europe, title="Unfinished draft", live=False)
    # Filed in Baltics from elsewhere: its page links to the section.
    ferry = article_factory(top_stories, title="Ferry strike", secondary_sections=[baltics])
    return {"section": europe, "vote": vote, "riga": riga, "ferry": ferry}


def moved_europe(europe, *, old, new):
    """What moving Europe from `old` to `new` (section paths) purges."""
    vote, riga = europe["vote"], europe["riga"]
    return {
        *section(f"{old}europe/"),
        *section(f"{new}europe/"),
        *section(f"{old}europe/baltics/"),
        *section(f"{new}europe/baltics/"),
        f"{ROOT}{old}europe/vote-count/",
        f"{ROOT}{new}europe/vote-count/",
        f"{ROOT}{old}europe/baltics/riga-port/",
        f"{ROOT}{new}europe/baltics/riga-port/",
        *section("/business/"),  # lists Vote count as a secondary filing
        f"{ROOT}/top-stories/ferry-strike/",  # links to Baltics
        *SITE_WIDE,
        SECTIONS_SITEMAP,
        bucket(vote, 1),
        bucket(riga, 1),
    }


def test_section_move_purges_every_page_under_it_at_both_addresses(
    purged, europe, world, top_stories
):
    assert bucket(europe["vote"], 1) != bucket(europe["riga"], 1)
    urls = purged(lambda: europe["section"].move(top_stories, pos="last-child"))
    assert urls == {
        *moved_europe(europe, old="/world/", new="/top-stories/"),
        *section("/world/"),  # the old and the new parent list their sections
        *section("/top-stories/"),
    }
    assert not any("unfinished-draft" in url for url in urls)


def test_section_slug_change_purges_every_page_under_it_at_both_addresses(purged, europe):
    section_page = europe["section"]
    section_page.slug = "europa"
    urls = purged(lambda: section_page.save_revision().publish())
    moved = {
        url.replace(f"{ROOT}/top-stories/europe/", f"{ROOT}/world/europa/")
        for url in moved_europe(europe, old="/world/", new="/top-stories/")
    }
    assert urls == {*moved, *section("/world/")}


def test_section_reorder_purges_its_parent_and_front_page(purged, europe, world):
    urls = purged(lambda: europe["section"].move(world, pos="first-child"))
    assert urls == {*section("/world/"), *SITE_WIDE, SECTIONS_SITEMAP}


def test_section_move_queries_do_not_grow_with_pages_under_it(europe, article_factory):
    section_page = europe["section"]
    paths = {"url_path_before": "/home/world/europe/", "url_path_after": section_page.url_path}

    def queries():
        with CaptureQueriesContext(connection) as captured:
            urls = section_move_urls_to_purge(section_page, **paths)
        return len(captured), urls

    queries()  # the site root paths are cached from here on
    few, _ = queries()
    added = [article_factory(section_page) for _ in range(12)]
    many, urls = queries()
    assert many == few <= 4
    assert {a.get_full_url() for a in added} <= set(urls)


def test_section_publish_unpublish_and_delete_purge_it_and_the_site(purged, home, world):
    business = add_section(home, "Business")
    business.title = "Business news"
    expected = {*section("/business/"), *SITE_WIDE, SECTIONS_SITEMAP}
    assert purged(lambda: business.save_revision().publish()) == expected
    assert purged(lambda: business.unpublish()) == expected
    assert purged(lambda: business.delete()) == expected


def test_deleting_a_section_purges_the_articles_in_it(purged, europe):
    urls = purged(lambda: europe["section"].delete())
    assert {
        *section("/world/europe/"),
        *section("/world/europe/baltics/"),
        f"{ROOT}/world/europe/vote-count/",
        f"{ROOT}/world/europe/baltics/riga-port/",
        bucket(europe["vote"], 1),
        bucket(europe["riga"], 1),
        *SITE_WIDE,
        SECTIONS_SITEMAP,
    } <= urls


def test_article_slug_change_purges_its_old_url(purged, world, article_factory):
    article = article_factory(world, title="Summit ends")
    article.slug = "summit-ends-in-agreement"
    urls = purged(lambda: article.save_revision().publish())
    assert {f"{ROOT}/world/summit-ends/", f"{ROOT}/world/summit-ends-in-agreement/"} <= urls
    assert (
        ArticlePage.objects.get(pk=article.pk).url_path == "/home/world/summit-ends-in-agreement/"
    )


def test_a_bulk_import_purges_the_new_articles_their_sections_and_the_site(
    purged, home, world, top_stories, tmp_path
):
    from articles.stories.importer import import_stories
    from tests.articles.stories import story_text, write_story

    for n in range(3):
        write_story(
            tmp_path,
            f"{n}.txt",
            story_text(headline=f"Imported {n}", path=("World",), sections=("World",)),
        )
    urls = purged(lambda: import_stories(paths=[tmp_path]))
    articles = list(ArticlePage.objects.order_by("pk"))
    assert len(articles) == 3
    # A reader (or Varnish) may have been given a 404 for the new addresses before.
    assert {f"{ROOT}{a.url}" for a in articles} <= urls
    assert set(section("/world/")) <= urls
    assert set(SITE_WIDE) <= urls
    assert {bucket(a) for a in articles} <= urls
    assert not set(section("/top-stories/")) & urls  # nothing filed there


def test_making_an_article_private_and_public_again_purges_everywhere_it_showed(
    purged, world, top_stories, article_factory
):
    from wagtail.models import PageViewRestriction

    article = article_factory(top_stories, title="Going private", secondary_sections=[world])
    expected = {
        article.get_full_url(),
        *section("/top-stories/"),
        *section("/world/"),
        *SITE_WIDE,
        bucket(article),
    }
    restriction = None

    def restrict():
        nonlocal restriction
        restriction = PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.LOGIN
        )

    assert purged(restrict) == expected
    restriction.restriction_type = PageViewRestriction.PASSWORD
    restriction.password = "letmein"
    assert purged(restriction.save) == expected
    assert purged(restriction.delete) == expected


def test_making_a_section_private_purges_every_page_under_it(
    purged, world, top_stories, article_factory
):
    from wagtail.models import PageViewRestriction

    inside = article_factory(world, title="Inside world")
    elsewhere = article_factory(top_stories, title="Filed in world too", secondary_sections=[world])
    urls = purged(
        lambda: PageViewRestriction.objects.create(
            page=world, restriction_type=PageViewRestriction.LOGIN
        )
    )
    assert {
        inside.get_full_url(),
        elsewhere.get_full_url(),
        *section("/world/"),
        *SITE_WIDE,
        SECTIONS_SITEMAP,
        bucket(inside),
    } <= urls


def test_editing_an_image_purges_the_live_articles_using_it(
    purged, world, top_stories, article_factory, make_image
):
    photo = make_image("Harbour at dawn")
    live = article_factory(world, title="Harbour story", lead_image=photo)
    article_factory(top_stories, title="Unrelated story")
    photo.focal_point_x, photo.focal_point_y = 10, 10
    photo.focal_point_width = photo.focal_point_height = 5
    urls = purged(photo.save)
    assert live.get_full_url() in urls
    assert not [url for url in urls if "unrelated-story" in url]


def test_renaming_an_author_purges_their_live_articles(purged, world, article_factory, author):
    signed = article_factory(world, title="Signed story", authors=[author])
    author.name = "Anna P. Petrova"
    assert signed.get_full_url() in purged(author.save)


def test_deleting_a_private_article_purges_without_error(purged, world, article_factory):
    """The restriction goes with the page (found by fuzzing the API's DELETE: a 500)."""
    from wagtail.models import PageViewRestriction

    article = article_factory(world, title="Private then deleted")
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    assert article.get_full_url() in purged(lambda: world.get_children().delete())


ALERT_DOORS = {
    f"{ROOT}/alerts/banner/",
    f"{ROOT}/alerts/feed/",
    f"{ROOT}/alerts/feed/atom/",
    f"{ROOT}/api/v3/alerts/",
}


def test_an_alert_change_purges_the_banner_feeds_api_and_ninjs(purged, world, article_factory):
    import datetime

    from django.utils import timezone

    from articles.models import BreakingNewsAlert

    story = article_factory(world, title="Dam breaks")
    ninjs_story = {
        f"{ROOT}/api/ninjs/articles/{story.pk}/",
        f"{ROOT}/api/ninjs/3/articles/{story.pk}/",
    }
    later = timezone.now() + datetime.timedelta(hours=1)
    holder = {}
    urls = purged(
        lambda: holder.update(
            alert=BreakingNewsAlert.objects.create(page=story, text="Dam breaks", expires_at=later)
        )
    )
    alert = holder["alert"]
    ninjs_alert = {f"{ROOT}/api/ninjs/alerts/{alert.pk}/", f"{ROOT}/api/ninjs/3/alerts/{alert.pk}/"}
    assert urls == ALERT_DOORS | ninjs_story | ninjs_alert
    # Its story unpublished: the alert goes with it (and the story's own URLs).
    assert ALERT_DOORS | ninjs_alert <= purged(story.unpublish)
    assert purged(alert.delete) == ALERT_DOORS | ninjs_story | ninjs_alert


def test_the_scheduler_purges_the_alerts_that_started_or_expired(purged, world, article_factory):
    import datetime

    from django.utils import timezone

    from articles.models import BreakingNewsAlert
    from articles.signal_handlers import alerts_came_and_went

    story = article_factory(world, title="Dam breaks")
    now = timezone.now()
    minute = datetime.timedelta(minutes=1)
    BreakingNewsAlert.objects.create(
        page=story, text="Expired", starts_at=now - 9 * minute, expires_at=now - minute
    )
    BreakingNewsAlert.objects.create(
        page=story, text="Later", starts_at=now + minute, expires_at=now + 9 * minute
    )
    assert purged(lambda: alerts_came_and_went(now - 2 * minute, now)) >= ALERT_DOORS
    assert purged(lambda: alerts_came_and_went(now - 2 * minute, now - 1.5 * minute)) == set()
    assert purged(lambda: alerts_came_and_went(now, now + 2 * minute)) >= ALERT_DOORS
