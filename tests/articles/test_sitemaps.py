"""Sitemap, news sitemap and robots.txt, parsed with lxml and validated against XSDs."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from .conftest import HIDDEN_TITLES

SCHEMAS = Path(__file__).parent / "schemas"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(scope="module")
def sitemap_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd")))


def fetch_valid(client, url, schema):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/xml")
    tree = etree.fromstring(response.content)
    schema.assertValid(tree)
    return tree


def test_schema_rejects_a_broken_news_entry(sitemap_schema):
    broken = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>
        <loc>http://localhost/a/</loc><news:news><news:publication><news:name>N</news:name>
        <news:language>en-us</news:language></news:publication>
        <news:publication_date>yesterday</news:publication_date><news:title>T</news:title>
        </news:news></url></urlset>"""
    assert not sitemap_schema.validate(etree.fromstring(broken))


def test_sitemap_lists_live_public_pages(
    client, home, top_stories, world, article_factory, hidden_articles, sitemap_schema
):
    story = article_factory(world, title="A world story")
    tree = fetch_valid(client, "/sitemap.xml", sitemap_schema)
    locations = tree.xpath("//sm:url/sm:loc/text()", namespaces=NS)
    assert sorted(locations) == sorted(
        [
            "http://localhost/",
            "http://localhost/top-stories/",
            "http://localhost/world/",
            "http://localhost/world/a-world-story/",
        ]
    )
    (lastmod,) = tree.xpath(
        "//sm:url[sm:loc='http://localhost/world/a-world-story/']/sm:lastmod/text()",
        namespaces=NS,
    )
    assert lastmod == story.last_published_at.date().isoformat()
    for hidden in hidden_articles:
        assert hidden.slug not in " ".join(locations)


def test_news_sitemap_holds_the_last_48_hours(
    client, home, top_stories, world, article_factory, hidden_articles, sitemap_schema
):
    now = timezone.now()
    fresh = article_factory(
        world, title="Fresh & “quoted” news", published=now - datetime.timedelta(hours=1)
    )
    day_old = article_factory(
        top_stories, title="Day old news", published=now - datetime.timedelta(hours=47)
    )
    article_factory(world, title="Stale news", published=now - datetime.timedelta(hours=49))

    tree = fetch_valid(client, "/news-sitemap.xml", sitemap_schema)
    urls = tree.xpath("//sm:url", namespaces=NS)
    assert [url.findtext("sm:loc", namespaces=NS) for url in urls] == [
        fresh.get_full_url(),
        day_old.get_full_url(),
    ]
    first = urls[0]
    assert first.findtext("news:news/news:title", namespaces=NS) == "Fresh & “quoted” news"
    assert first.findtext("news:news/news:publication/news:name", namespaces=NS) == "Newsroom"
    assert first.findtext("news:news/news:publication/news:language", namespaces=NS) == "en"
    published = datetime.datetime.fromisoformat(
        first.findtext("news:news/news:publication_date", namespaces=NS)
    )
    assert abs(published - fresh.publication_date) < datetime.timedelta(seconds=1)
    titles = tree.xpath("//news:title/text()", namespaces=NS)
    assert not set(HIDDEN_TITLES) & set(titles)


def test_empty_news_sitemap_is_still_valid(client, home, sitemap_schema):
    tree = fetch_valid(client, "/news-sitemap.xml", sitemap_schema)
    assert tree.xpath("//sm:url", namespaces=NS) == []


def test_robots_txt_names_both_sitemaps(client, home):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines
    assert "Disallow: /search/" in lines
