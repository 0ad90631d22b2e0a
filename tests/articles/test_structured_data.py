"""Canonical links, Open Graph / Twitter cards and NewsArticle JSON-LD, as crawlers read them."""

import datetime

import extruct
import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from .conftest import correction_and_update

MAY_12 = timezone.make_aware(datetime.datetime(2025, 5, 12, 9, 30))
ARTICLE_URL = "http://localhost/top-stories/putin-signals-willingness-for-direct-peace-talks/"


@pytest.fixture
def article(seed_article):
    return seed_article(
        standfirst="The Kremlin says it is ready to talk </script><b>now</b>.",
        lead_image_alt="The Kremlin's towers against an evening sky",
        lead_image_caption="",
        lead_image_credit="",
        corrections=correction_and_update(),
    )


def page_data(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    data = extruct.extract(html, base_url=url, syntaxes=["json-ld", "opengraph"])
    return BeautifulSoup(html, "html.parser"), data


def open_graph(data) -> dict:
    """Open Graph properties; repeated ones (article:section) as lists."""
    (graph,) = data["opengraph"]
    properties: dict = {}
    for name, value in graph["properties"]:
        properties.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in properties.items()}


def test_article_json_ld_news_article(client, article):
    soup, data = page_data(client, article.url)
    (ld,) = data["json-ld"]
    assert ld["@context"] == "https://schema.org"
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == "Putin Signals Willingness for Direct Peace Talks"
    assert ld["description"] == "The Kremlin says it is ready to talk </script><b>now</b>."
    assert ld["url"] == ARTICLE_URL
    assert ld["mainEntityOfPage"] == {"@type": "WebPage", "@id": ARTICLE_URL}
    assert datetime.datetime.fromisoformat(ld["datePublished"]) == MAY_12
    assert datetime.datetime.fromisoformat(ld["dateModified"]) == article.last_published_at
    assert article.last_published_at > MAY_12
    assert ld["author"] == [
        {
            "@type": "Person",
            "name": "Anna Petrova",
            "url": "http://localhost/authors/anna-petrova/",
            "jobTitle": "Moscow correspondent",
        }
    ]
    assert ld["publisher"] == {
        "@type": "NewsMediaOrganization",
        "name": "Newsroom",
        "url": "http://localhost/",
        "correctionsPolicy": "http://localhost/corrections/",
    }
    assert ld["articleSection"] == ["Top Stories", "World"]
    assert [(image["width"], image["height"]) for image in ld["image"]] == [
        (1200, 675),
        (1200, 900),
        (1200, 1200),
    ]
    assert [image["url"].rsplit(".", 2)[1] for image in ld["image"]] == [
        "fill-1200x675",
        "fill-1200x900",
        "fill-1200x1200",
    ]
    for image in ld["image"]:
        assert image["url"].startswith("http://localhost/media/images/Kremlin-at-dusk")
    assert ld["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "An earlier version misnamed the forum.",
            "datePublished": "2025-05-12T12:00:00+00:00",
        }
    ]
    # The standfirst's markup stays inside the JSON: it cannot close the script element.
    assert len(soup.select("script[type='application/ld+json']")) == 1
    assert soup.select("b") == []


def test_article_open_graph_and_twitter_card(client, article):
    soup, data = page_data(client, article.url)
    og = open_graph(data)
    assert og["og:type"] == "article"
    assert og["og:title"] == article.title
    assert og["og:url"] == ARTICLE_URL
    assert og["og:site_name"] == "Newsroom"
    assert og["og:description"] == article.standfirst
    assert og["og:image"].startswith("http://localhost/media/images/")
    assert (og["og:image:width"], og["og:image:height"]) == ("1200", "675")
    assert og["og:image:alt"] == "The Kremlin's towers against an evening sky"
    assert og["article:published_time"] == "2025-05-12T09:30:00+00:00"
    assert og["article:section"] == ["Top Stories", "World"]

    def twitter(name):
        return soup.select_one(f"meta[name='twitter:{name}']")["content"]

    assert twitter("card") == "summary_large_image"
    assert twitter("title") == article.title
    assert twitter("image") == og["og:image"]
    assert twitter("image:alt") == "The Kremlin's towers against an evening sky"


def test_article_without_image_gets_a_summary_card(client, world, article_factory):
    story = article_factory(world, title="No picture story")
    soup, data = page_data(client, story.url)
    assert soup.select_one("meta[name='twitter:card']")["content"] == "summary"
    assert "image" not in data["json-ld"][0]
    assert "og:image" not in open_graph(data)


def test_article_without_a_byline_names_the_publication_as_author(client, world, article_factory):
    """Google asks for an author on every article; never an empty list."""
    story = article_factory(world, title="Unsigned story")
    _, data = page_data(client, story.url)
    (ld,) = data["json-ld"]
    assert ld["author"] == [
        {
            "@type": "NewsMediaOrganization",
            "name": "Newsroom",
            "url": "http://localhost/",
            "correctionsPolicy": "http://localhost/corrections/",
        }
    ]


def test_site_name_is_one_name_everywhere(client, world, article_factory, settings):
    """The Site's name (Settings > Sites) in the title, masthead, Open Graph, JSON-LD, feeds
    and news sitemap; a Site without one falls back to WAGTAIL_SITE_NAME."""
    from wagtail.models import Site

    story = article_factory(world, title="Named story", published=timezone.now())
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Harbour Gazette"
    site.save()  # as Settings > Sites does

    def names():
        soup, data = page_data(client, story.url)
        feed = client.get("/feed/").content.decode()
        news = client.get("/news-sitemap.xml").content.decode()
        return {
            "title": soup.title.get_text().rsplit(" · ", 1)[-1],
            "masthead": soup.select_one(".masthead__title").get_text(strip=True),
            "og": open_graph(data)["og:site_name"],
            "json-ld": data["json-ld"][0]["publisher"]["name"],
            "feed": "<title>" + feed.split("<title>", 1)[1].split("</title>", 1)[0],
            "news": news.split("<news:name>", 1)[1].split("</news:name>", 1)[0],
        }

    assert names() == {
        "title": "Harbour Gazette",
        "masthead": "Harbour Gazette",
        "og": "Harbour Gazette",
        "json-ld": "Harbour Gazette",
        "feed": "<title>Harbour Gazette",
        "news": "Harbour Gazette",
    }
    site.site_name = ""
    site.save()
    settings.WAGTAIL_SITE_NAME = "mysite"
    assert set(names().values()) == {"mysite", "<title>mysite"}


def test_every_page_has_one_canonical_link(client, home, world, article):
    expected = {
        home.url: "http://localhost/",
        world.url: "http://localhost/world/",
        article.url: ARTICLE_URL,
        "/search/?q=talks": "http://testserver/search/?q=talks",
    }
    for url, canonical in expected.items():
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        links = soup.select("link[rel=canonical]")
        assert [link["href"] for link in links] == [canonical], url


def test_canonical_of_an_article_is_its_primary_section_url(client, article, world):
    """The article lists in World too, but its canonical stays under Top Stories."""
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert soup.select_one("link[rel=canonical]")["href"].startswith(
        "http://localhost/top-stories/"
    )


def test_section_page_open_graph(client, world):
    _, data = page_data(client, world.url)
    og = open_graph(data)
    assert (og["og:type"], og["og:title"], og["og:url"]) == (
        "website",
        "World",
        "http://localhost/world/",
    )


def test_the_lead_images_credit_and_caption_reach_the_json_ld(client, seed_article):
    """Google reads an image's credit from `creditText` (its image metadata guidance)."""
    article = seed_article(
        lead_image_credit="Jane Doe / Reuters", lead_image_caption="Red Square at dusk"
    )
    _soup, data = page_data(client, article.url)
    (ld,) = data["json-ld"]
    assert {image["creditText"] for image in ld["image"]} == {"Jane Doe / Reuters"}
    assert {image["caption"] for image in ld["image"]} == {"Red Square at dusk"}
