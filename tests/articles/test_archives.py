"""Author pages, topic pages and the corrections log, their feeds, related stories and article
types: what readers and machines get, and that nothing readers may not see gets in."""

import datetime

import extruct
import feedparser
import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import PageViewRestriction

from articles.models import ArticleCorrection, Author

NOW = timezone.now()


def html_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.content, "html.parser")


def json_ld(client, url):
    html = client.get(url).content.decode()
    return extruct.extract(html, syntaxes=["json-ld"], uniform=True)["json-ld"]


@pytest.fixture
def anna(db):
    return Author.objects.create(
        name="Anna Petrova",
        role="Moscow correspondent",
        bio="Anna has covered Russia since 2015.",
        links="https://example.org/anna\nhttps://social.example/@anna",
    )


@pytest.fixture
def desk(world, top_stories, anna, article_factory, make_image):
    """Three live stories by Anna on Diplomacy (one with a correction), a live one on
    Energy, and one hidden story of each kind also by Anna on Diplomacy."""
    stories = {}
    for n in range(3):
        stories[f"live {n}"] = article_factory(
            world,
            title=f"Talks story {n}",
            published=NOW - datetime.timedelta(hours=n + 1),
            authors=[anna],
            tags=["Diplomacy"],
            lead_image=make_image(f"Photo {n}"),
            lead_image_alt="A photo",
            lead_image_credit="Staff",
        )
    stories["energy"] = article_factory(
        top_stories,
        title="Gas prices story",
        published=NOW - datetime.timedelta(days=2),
        tags=["Energy"],
    )
    stories["corrected"] = article_factory(
        world,
        title="Corrected story",
        published=NOW - datetime.timedelta(days=3),
        authors=[anna],
        tags=["Diplomacy"],
        corrections=[
            ArticleCorrection(
                kind="correction",
                text="An earlier version misnamed the <b>forum</b>.",
                noted_at=NOW - datetime.timedelta(hours=5),
            )
        ],
    )
    hidden_fields = {
        "authors": [anna],
        "tags": ["Diplomacy"],
        "corrections": [ArticleCorrection(kind="update", text="Hidden update note.")],
    }
    stories["draft"] = article_factory(world, title="Secret draft", live=False, **hidden_fields)
    stories["embargoed"] = article_factory(
        world,
        title="Embargoed scoop",
        embargo_until=NOW + datetime.timedelta(hours=6),
        **hidden_fields,
    )
    private = article_factory(world, title="Private briefing", **hidden_fields)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    return stories


HIDDEN = ("Secret draft", "Embargoed scoop", "Private briefing", "Hidden update note")


def test_author_page_shows_the_person_and_their_stories_newest_first(client, desk, anna):
    soup = html_of(client, "/authors/anna-petrova/")
    assert soup.h1.get_text() == "Anna Petrova"
    assert "Moscow correspondent" in soup.get_text()
    assert "Anna has covered Russia since 2015." in soup.get_text()
    assert [a["href"] for a in soup.select(".author-header__links a")] == [
        "https://example.org/anna",
        "https://social.example/@anna",
    ]
    headlines = [h.get_text(strip=True) for h in soup.select(".card__headline")]
    assert headlines == ["Talks story 0", "Talks story 1", "Talks story 2", "Corrected story"]
    assert not any(hidden in soup.get_text() for hidden in HIDDEN)
    assert (
        soup.select_one("link[rel=canonical]")["href"] == "http://localhost/authors/anna-petrova/"
    )
    assert soup.select_one("link[type='application/rss+xml'][title='Anna Petrova']")


def test_author_page_json_ld_is_a_profile_page_with_same_as(client, desk):
    (profile,) = json_ld(client, "/authors/anna-petrova/")
    assert profile["@type"] == "ProfilePage"
    assert profile["mainEntity"] == {
        "@type": "Person",
        "name": "Anna Petrova",
        "url": "http://localhost/authors/anna-petrova/",
        "jobTitle": "Moscow correspondent",
        "description": "Anna has covered Russia since 2015.",
        "sameAs": ["https://example.org/anna", "https://social.example/@anna"],
    }


def test_author_pages_paginate(client, desk, settings):
    settings.NEWSROOM_ARCHIVE_PAGE_SIZE = 2
    first = html_of(client, "/authors/anna-petrova/")
    second = html_of(client, "/authors/anna-petrova/?page=2")
    assert len(first.select(".card")) == 2 and len(second.select(".card")) == 2
    assert first.select_one("a[rel=next]")["href"] == "?page=2"
    assert second.select_one("link[rel=canonical]")["href"].endswith(
        "/authors/anna-petrova/?page=2"
    )
    assert "Corrected story" in second.get_text()


def test_bylines_link_to_the_author_page(client, desk):
    soup = html_of(client, desk["live 0"].url)
    assert soup.select_one(".byline a")["href"] == "/authors/anna-petrova/"


def test_an_author_with_only_hidden_stories_has_no_page(client, world, article_factory):
    ghost = Author.objects.create(name="Unannounced Hire")
    article_factory(world, title="Secret draft", live=False, authors=[ghost])
    assert client.get(f"/authors/{ghost.slug}/").status_code == 404
    assert client.get(f"/authors/{ghost.slug}/feed/").status_code == 404
    assert client.get("/authors/nobody/").status_code == 404


def test_authors_get_unique_slugs_and_links_must_be_web_addresses(db):
    from django.core.exceptions import ValidationError

    first = Author.objects.create(name="Sam Lee")
    second = Author.objects.create(name="Sam Lee")
    assert (first.slug, second.slug) == ("sam-lee", "sam-lee-2")
    bad = Author(name="X", links="javascript:alert(1)")
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "is not a web address" in str(error.value)


def test_author_feed_lists_their_readable_stories(client, desk):
    feed = feedparser.parse(client.get("/authors/anna-petrova/feed/").content)
    assert not feed.bozo
    assert feed.feed.title == "Anna Petrova · Newsroom"
    assert [e.title for e in feed.entries] == [
        "Talks story 0",
        "Talks story 1",
        "Talks story 2",
        "Corrected story",
    ]


def test_topic_page_and_feed(client, desk):
    soup = html_of(client, "/topics/diplomacy/")
    assert soup.h1.get_text() == "Diplomacy"
    headlines = [h.get_text(strip=True) for h in soup.select(".card__headline")]
    assert headlines == ["Talks story 0", "Talks story 1", "Talks story 2", "Corrected story"]
    assert not any(hidden in soup.get_text() for hidden in HIDDEN)
    feed = feedparser.parse(client.get("/topics/diplomacy/feed/").content)
    assert not feed.bozo
    assert [e.title for e in feed.entries] == headlines
    # Tags on the article link to their topic page.
    article = html_of(client, desk["live 0"].url)
    assert [a["href"] for a in article.select(".tags a")] == ["/topics/diplomacy/"]


def test_a_topic_only_hidden_stories_carry_has_no_page(client, world, article_factory):
    article_factory(world, title="Merger draft", live=False, tags=["Acme merger"])
    assert client.get("/topics/acme-merger/").status_code == 404
    assert client.get("/topics/acme-merger/feed/").status_code == 404


def test_corrections_page_lists_public_notes_newest_first_with_links(client, desk):
    soup = html_of(client, "/corrections/")
    (note,) = soup.select(".corrections-log > li")
    assert note.h2.a.get_text() == "Corrected story"
    assert note.h2.a["href"] == desk["corrected"].url + "#corrections-heading"
    # Story text is text: the <b> typed in the note is shown as typed.
    assert "misnamed the <b>forum</b>." in note.get_text()
    assert note.find("b") is None
    assert not any(hidden in soup.get_text() for hidden in HIDDEN)


def test_corrections_feed_and_article_feed_entries_carry_the_note(client, desk):
    feed = feedparser.parse(client.get("/corrections/feed/").content)
    assert not feed.bozo
    (entry,) = feed.entries
    assert entry.title == "Correction: Corrected story"
    assert entry.link.endswith(desk["corrected"].url + "#corrections-heading")
    site = feedparser.parse(client.get("/world/feed/").content)
    (story,) = [e for e in site.entries if e.title == "Corrected story"]
    assert "misnamed the &lt;b&gt;forum&lt;/b&gt;" in story.summary
    assert "Hidden update note" not in client.get("/world/feed/").content.decode()


def test_related_stories_share_topics_first_and_never_show_hidden_ones(
    client, desk, world, article_factory
):
    article_factory(world, title="World filler", published=NOW - datetime.timedelta(days=9))
    soup = html_of(client, desk["live 0"].url)
    related = [a.get_text() for a in soup.select(".related__list a")]
    # Shared topic first, newest first; then filled from its sections.
    assert related == ["Talks story 1", "Talks story 2", "Corrected story", "World filler"]
    assert "Talks story 0" not in related  # never the article itself
    assert not any(hidden in soup.get_text() for hidden in HIDDEN)


def test_related_stories_follow_a_publish(client, desk, world, article_factory):
    html_of(client, desk["energy"].url)  # cached
    article_factory(world, title="New energy story", tags=["Energy"])
    soup = html_of(client, desk["energy"].url)
    assert soup.select_one(".related__list a").get_text() == "New energy story"


@pytest.mark.parametrize(
    ("kind", "label", "schema_type"),
    [
        ("news", None, "NewsArticle"),
        ("analysis", "Analysis", "AnalysisNewsArticle"),
        ("opinion", "Opinion", "OpinionNewsArticle"),
        ("review", "Review", "ReviewNewsArticle"),
        ("sponsored", "Sponsored", "AdvertiserContentArticle"),
    ],
)
def test_article_types_label_and_schema_type(
    client, world, article_factory, kind, label, schema_type
):
    article = article_factory(world, title="Typed story", article_type=kind)
    soup = html_of(client, article.url)
    shown = soup.select_one(".article__header .type-label")
    assert (shown.get_text() if shown else None) == label
    (ld,) = json_ld(client, article.url)
    assert ld["@type"] == schema_type
    ninjs = client.get(f"/api/ninjs/articles/{article.pk}/").json()
    assert ninjs.get("genres") == ([{"name": label}] if label else None)
    assert client.get(f"/api/v3/pages/{article.pk}/").json()["article_type"] == kind
    card = html_of(client, "/world/").select_one(".card .type-label")
    assert (card.get_text() if card else None) == label


def test_footer_lists_sections_and_policies_and_the_masthead_the_date(client, desk):
    soup = html_of(client, "/")
    footer = soup.select_one("footer")
    assert [a.get_text() for a in footer.select("nav[aria-label='Sections (footer)'] a")] == [
        "Top Stories",
        "World",
    ]
    assert footer.select_one("a[href='/corrections/']").get_text() == "Corrections"
    assert soup.select_one(".masthead__date time")["datetime"] == timezone.localdate().isoformat()


def test_archive_pages_take_no_more_queries_with_more_stories(
    client, desk, anna, world, article_factory
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        client.get(url)  # warm the reader cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = ["/authors/anna-petrova/", "/topics/diplomacy/", "/corrections/"]
    before = [queries(url) for url in urls]
    for n in range(3):
        article_factory(
            world,
            title=f"More talks {n}",
            authors=[anna],
            tags=["Diplomacy"],
            corrections=[ArticleCorrection(kind="update", text=f"Note {n}")],
        )
    assert [queries(url) for url in urls] == before
