"""RSS and Atom feeds, read back with a real feed parser."""

import calendar
import datetime

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import SectionPage

from .conftest import HIDDEN_TITLES

MAY_12 = timezone.make_aware(datetime.datetime(2025, 5, 12, 9, 30))


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return response, feed


def timestamp(struct_time) -> int:
    return calendar.timegm(struct_time)


@pytest.fixture
def lead_story(seed_article, make_image):
    return seed_article(
        lead_image=make_image("Kremlin at dusk"),
        lead_image_alt="The Kremlin's towers against an evening sky",
        corrections=[],
    )


def test_site_rss_feed_fields(client, lead_story, world, article_factory):
    older = article_factory(
        world, title="Older world story", published=MAY_12 - datetime.timedelta(days=1)
    )
    response, feed = parse(client, "/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert feed.version == "rss20"
    assert feed.feed.title == "Newsroom"
    assert feed.feed.link == "http://localhost/"
    assert [entry.title for entry in feed.entries] == [lead_story.title, older.title]

    entry = feed.entries[0]
    assert (
        entry.link
        == "http://localhost/top-stories/putin-signals-willingness-for-direct-peace-talks/"
    )
    assert entry.id == f"urn:uuid:{lead_story.translation_key}"
    assert entry.guidislink is False
    assert timestamp(entry.published_parsed) == int(MAY_12.timestamp())
    assert entry.summary == "The Kremlin says it is ready to talk."
    assert entry.author == "Anna Petrova"
    (media,) = entry.media_content
    assert media["url"].startswith("http://localhost/media/images/")
    assert media["url"].endswith(".jpg")
    assert (media["medium"], media["type"]) == ("image", "image/jpeg")
    assert (media["width"], media["height"]) == ("1200", "675")
    assert entry.media_credit[0]["content"] == "Reuters"
    assert "media_content" not in feed.entries[1]


def test_site_atom_feed_fields(client, lead_story):
    response, feed = parse(client, "/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.version == "atom10"
    (entry,) = feed.entries
    assert entry.title == lead_story.title
    assert entry.id == f"urn:uuid:{lead_story.translation_key}"
    assert (
        entry.link
        == "http://localhost/top-stories/putin-signals-willingness-for-direct-peace-talks/"
    )
    assert timestamp(entry.published_parsed) == int(MAY_12.timestamp())
    assert timestamp(entry.updated_parsed) >= timestamp(entry.published_parsed)
    assert entry.summary == "The Kremlin says it is ready to talk."
    assert entry.author == "Anna Petrova"
    assert entry.media_content[0]["width"] == "1200"
    assert entry.media_content[0]["height"] == "675"


def test_standfirst_markup_is_shown_as_text(client, world, article_factory):
    article_factory(world, standfirst="Why <b> tags & ampersands stay text")
    _, feed = parse(client, "/feed/")
    assert feed.entries[0].summary == "Why &lt;b&gt; tags &amp; ampersands stay text"


def test_guid_survives_a_slug_change(client, lead_story):
    _, before = parse(client, "/feed/")
    lead_story.slug = "renamed-story"
    lead_story.save_revision().publish()
    _, after = parse(client, "/feed/")
    assert after.entries[0].link.endswith("/top-stories/renamed-story/")
    assert after.entries[0].id == before.entries[0].id


def test_section_feeds_list_primary_and_secondary_filings(
    client, home, lead_story, top_stories, world, article_factory
):
    world_only = article_factory(world, title="World only story")
    top_only = article_factory(top_stories, title="Top only story")
    _, world_feed = parse(client, "/world/feed/")
    assert world_feed.feed.title == "World · Newsroom"
    assert world_feed.feed.link == "http://localhost/world/"
    assert [e.title for e in world_feed.entries] == [lead_story.title, world_only.title]
    _, top_atom = parse(client, "/top-stories/feed/atom/")
    assert top_atom.version == "atom10"
    assert [e.title for e in top_atom.entries] == [lead_story.title, top_only.title]


def test_nested_section_feed_and_unknown_section(client, world, article_factory):
    europe = SectionPage(title="Europe")
    world.add_child(instance=europe)
    europe.save_revision().publish()
    story = article_factory(europe, title="Europe story")
    _, feed = parse(client, "/world/europe/feed/")
    assert [e.title for e in feed.entries] == [story.title]
    assert client.get("/no-such-section/feed/").status_code == 404


def test_feeds_hold_the_latest_fifty(client, world, article_factory):
    for _ in range(52):
        article_factory(world)
    _, feed = parse(client, "/feed/")
    assert len(feed.entries) == 50
    assert feed.entries[0].title == "Story number 52"
    assert feed.entries[-1].title == "Story number 3"


def test_drafts_scheduled_and_private_articles_are_not_in_any_feed(
    client, lead_story, hidden_articles
):
    for url in ("/feed/", "/feed/atom/", "/world/feed/", "/top-stories/feed/atom/"):
        _, feed = parse(client, url)
        titles = [entry.title for entry in feed.entries]
        assert titles == [lead_story.title], url
        assert not set(HIDDEN_TITLES) & set(titles)


def test_feed_queries_do_not_grow_with_articles(client, world, make_image, article_factory, author):
    def add(count):
        for n in range(count):
            article_factory(
                world, authors=[author], lead_image=make_image(f"p{n}", size=(320, 180))
            )

    def queries():
        client.get("/world/feed/")  # renditions are made on first view
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/world/feed/").status_code == 200
        return len(captured)

    add(2)
    few = queries()
    add(8)
    assert queries() == few


def test_private_and_unpublished_sections_have_no_feed(client, home, world, article_factory):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    from articles.models import SectionPage

    article_factory(world, title="Behind the wall")
    assert client.get("/world/feed/").status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=world, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get_or_create(name="Subscribers")[0])
    response = client.get("/world/feed/")
    assert response.status_code == 404 and b"Behind the wall" not in response.content
    restriction.delete()
    SectionPage.objects.get(pk=world.pk).unpublish()
    assert client.get("/world/feed/").status_code == 404


def test_control_characters_in_a_headline_never_take_a_feed_down(client, world, article_factory):
    """ESC and BEL are not allowed in XML 1.0: the feeds drop them instead of failing."""
    from django.utils import timezone
    from lxml import etree

    article_factory(
        world,
        title="Alarm\x1b[31m sounds\x07 in harbour",
        standfirst="Bell\x07 rings",
        published=timezone.now(),
    )
    for url in ("/feed/", "/feed/atom/", "/world/feed/", "/world/feed/atom/"):
        response = client.get(url)
        assert response.status_code == 200, url
        etree.fromstring(response.content)  # well-formed
        assert "Alarm[31m sounds in harbour" in response.content.decode()
    news = client.get("/news-sitemap.xml")
    assert news.status_code == 200
    titles = etree.fromstring(news.content).xpath(
        "//n:title/text()", namespaces={"n": "http://www.google.com/schemas/sitemap-news/0.9"}
    )
    assert titles == ["Alarm[31m sounds in harbour"]
