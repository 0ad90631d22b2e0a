"""Reader search at /search/?q=: live articles only, paginated, in the site's look."""

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import HIDDEN_TITLES


def visible(tag) -> str:
    return " ".join(tag.get_text().split())


def search(client, query_string):
    response = client.get(f"/search/{query_string}")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def headlines(soup) -> list[str]:
    return [visible(h) for h in soup.select(".card__headline")]


@pytest.fixture
def stories(world, top_stories, article_factory):
    return {
        "headline": article_factory(world, title="Ceasefire holds in the north"),
        "standfirst": article_factory(
            top_stories, title="Talks resume", standfirst="Both sides say the ceasefire is fragile."
        ),
        "body": article_factory(
            world,
            title="Markets rally",
            body=[("paragraph", "<p>Traders welcomed news of the ceasefire.</p>")],
        ),
        "other": article_factory(world, title="Weather turns cold"),
    }


def test_search_matches_headline_standfirst_and_body(client, stories, hidden_articles):
    soup = search(client, "?q=ceasefire")
    # Newest first: the factory dates each story an hour after the one before.
    assert headlines(soup) == ["Markets rally", "Talks resume", "Ceasefire holds in the north"]
    assert (
        visible(soup.select_one(".search-summary")) == "Stories matching “ceasefire”, newest first"
    )
    assert soup.select_one("input[name=q]")["value"] == "ceasefire"


def test_hidden_articles_are_never_found(client, stories, hidden_articles):
    for word in ("Secret", "Scheduled", "Private", "Nobody"):
        soup = search(client, f"?q={word}")
        assert not set(HIDDEN_TITLES) & set(headlines(soup)), word
    assert visible(search(client, "?q=Private").select_one(".empty-note")) == (
        "No stories match “Private”."
    )


def test_search_page_has_the_site_look(client, home):
    soup = search(client, "")
    assert soup.title.get_text() == "Search · Newsroom"
    assert visible(soup.select_one(".masthead__title")) == "Newsroom"
    assert [visible(a) for a in soup.select(".section-nav a")] == ["Top Stories", "World"]
    assert soup.select_one("form[role=search] input[name=q]") is not None
    assert soup.select(".card") == [] and soup.select_one(".search-summary") is None
    assert soup.select_one("meta[name=robots]")["content"] == "noindex, follow"


def test_search_is_paginated_and_keeps_the_query(client, world, article_factory):
    for n in range(25):
        article_factory(world, title=f"Election update {n}")
    first = search(client, "?q=election")
    assert headlines(first) == [f"Election update {n}" for n in range(24, 4, -1)]
    # No "of N": counting every match would cost as much as the archive is large.
    assert visible(first.select_one(".pagination__current")) == "Page 1"
    assert first.select_one("a[rel=prev]") is None
    next_link = first.select_one("a[rel=next]")["href"]
    assert next_link == "?q=election&page=2"
    second = search(client, next_link)
    assert headlines(second) == [f"Election update {n}" for n in range(4, -1, -1)]
    assert second.select_one("a[rel=next]") is None
    assert second.select_one("a[rel=prev]")["href"] == "?q=election&page=1"
    # Past the end, or a page number that is not one: a page a reader can go on from.
    beyond = search(client, "?q=election&page=99")
    assert headlines(beyond) == []
    assert visible(beyond.select_one(".empty-note")).startswith("No more stories match")
    assert beyond.select_one(".empty-note a")["href"] == "?q=election&page=1"
    assert headlines(search(client, "?q=election&page=abc")) == headlines(first)
    assert headlines(search(client, "?q=election&page=-3")) == headlines(first)


def test_query_is_shown_as_text(client, home):
    soup = search(client, "?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert soup.select("main script") == []
    assert (
        visible(soup.select_one(".empty-note")) == "No stories match “<script>alert(1)</script>”."
    )


def test_postgresql_has_the_indexes_that_keep_search_flat(db):
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
            names = {row[0] for row in cursor.fetchall()}
            assert {"newsroom_search_title_body", "article_search_object_id"} <= names
        else:  # SQLite's search backend has its own full-text table; nothing to add
            assert connection.vendor == "sqlite"


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_a_story_paragraph_is_indexed_as_wagtail_indexes_its_html(text):
    """The importer's paragraphs skip parsing their own HTML for the search index: what they
    index must be exactly what Wagtail gets back from that HTML, for any text a story file
    can hold (cleaned as the parser cleans it)."""
    from wagtail.rich_text import get_text_for_indexing

    from articles.blocks import ParagraphBlock, PlainTextParagraph
    from articles.stories.format import clean_text

    paragraph = PlainTextParagraph(clean_text(text))
    assert ParagraphBlock().get_searchable_content(paragraph) == [
        get_text_for_indexing(paragraph.source)
    ]
