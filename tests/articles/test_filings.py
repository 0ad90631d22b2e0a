"""Section filings follow the articles: what a section lists after publishing, moving,
re-filing, deleting and importing, and the migration that files existing articles."""

import importlib

from bs4 import BeautifulSoup
from django.apps import apps

from articles.models import ArticlePage, SectionFiling, SectionPage
from articles.stories.importer import import_stories

from .stories import story_text, write_story

file_existing_articles = importlib.import_module(
    "articles.migrations.0005_section_filings"
).file_existing_articles


def headlines(client, url) -> list[str]:
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return [h.get_text(strip=True) for h in soup.select(".card__headline")]


def filed(article) -> set[tuple[str, bool]]:
    return {
        (filing.section.title, filing.is_primary)
        for filing in SectionFiling.objects.filter(article=article).select_related("section")
    }


def test_an_article_is_filed_in_its_section_and_its_secondary_sections(
    top_stories, world, article_factory
):
    article = article_factory(top_stories, title="Both", secondary_sections=[world])
    assert filed(article) == {("Top Stories", True), ("World", False)}
    filing = SectionFiling.objects.get(article=article, section=world)
    assert filing.publication_date == article.publication_date


def test_taking_a_secondary_section_off_takes_the_article_off_that_section(
    client, top_stories, world, article_factory
):
    article = article_factory(top_stories, title="Briefly in World", secondary_sections=[world])
    assert headlines(client, world.url) == ["Briefly in World"]
    article.secondary_sections = []
    article.save_revision().publish()
    assert headlines(client, world.url) == []
    assert filed(article) == {("Top Stories", True)}


def test_a_draft_change_of_sections_lists_nothing_until_it_is_published(
    client, top_stories, world, article_factory
):
    article = article_factory(top_stories, title="Draft re-filing")
    article.secondary_sections = [world]
    article.save_revision()
    assert headlines(client, world.url) == []
    article.get_latest_revision().publish()
    assert headlines(client, world.url) == ["Draft re-filing"]


def test_a_moved_article_is_listed_in_its_new_section_only(
    client, top_stories, world, article_factory
):
    article = article_factory(top_stories, title="Moving story")
    article.move(world, pos="last-child")
    assert headlines(client, world.url) == ["Moving story"]
    assert headlines(client, top_stories.url) == []
    assert filed(ArticlePage.objects.get(pk=article.pk)) == {("World", True)}


def test_a_new_date_reorders_the_section(client, world, article_factory):
    first = article_factory(world, title="First")
    article_factory(world, title="Second")
    assert headlines(client, world.url) == ["Second", "First"]
    first.publication_date = first.publication_date.replace(year=2030)
    first.save_revision().publish()
    assert headlines(client, world.url) == ["First", "Second"]


def test_deleting_an_article_deletes_its_filings(top_stories, world, article_factory):
    article = article_factory(top_stories, secondary_sections=[world])
    article.delete()
    assert not SectionFiling.objects.exists()


def test_imported_articles_are_filed_like_edited_ones(home, tmp_path):
    for n in range(5):
        write_story(
            tmp_path,
            f"{n}.txt",
            story_text(headline=f"Imported {n}", sections=("Top Stories", "World", "Sport")),
        )
    assert len(import_stories(paths=[tmp_path]).created) == 5
    for article in ArticlePage.objects.all():
        assert filed(article) == {("Top Stories", True), ("World", False), ("Sport", False)}


def test_the_migration_files_articles_that_were_there_before(top_stories, world, article_factory):
    both = article_factory(top_stories, secondary_sections=[world])
    one = article_factory(world)
    expected = {both.pk: filed(both), one.pk: filed(one)}
    SectionFiling.objects.all().delete()
    file_existing_articles(apps, None)
    assert {both.pk: filed(both), one.pk: filed(one)} == expected


def test_the_section_count_follows_publishing(client, world, article_factory):
    for _ in range(20):
        article_factory(world)
    soup = BeautifulSoup(client.get(world.url).content, "html.parser")
    assert soup.select_one(".pagination__current") is None  # one page: no pagination
    article_factory(world)
    soup = BeautifulSoup(client.get(world.url).content, "html.parser")
    assert " ".join(soup.select_one(".pagination__current").get_text().split()) == "Page 1 of 2"
    assert SectionPage.objects.get(pk=world.pk).articles().count() == 21
