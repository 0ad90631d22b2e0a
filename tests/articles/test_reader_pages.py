"""What readers see on the front page, section pages and article pages."""

import pytest
from bs4 import BeautifulSoup

from articles.models import SectionPage

from .conftest import correction_and_update


def visible(soup_or_tag) -> str:
    return " ".join(soup_or_tag.get_text().split())


def get_soup(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def full_article(seed_article, make_image):
    lead = make_image("Kremlin at dusk")
    body_image = make_image("Forum hall", size=(1200, 800), color=(20, 80, 160))
    return seed_article(
        title="Putin Signals Willingness for Direct Peace Talks with Ukraine",
        tags=["Diplomacy", "Ukraine"],
        lead_image=lead,
        lead_image_alt="The Kremlin's towers against an evening sky",
        body=[
            ("paragraph", "<p>Russian leader Vladimir Putin announced talks.</p>"),
            (
                "image",
                {"image": None, "alt_text": "", "caption": "EMPTY SLOT CAPTION", "credit": ""},
            ),
            (
                "image",
                {
                    "image": body_image,
                    "alt_text": "Delegates in the forum hall",
                    "caption": "The forum hall",
                    "credit": "AP Photo",
                },
            ),
            ("quote", {"quote": "We are prepared for direct talks.", "attribution": "Putin"}),
            ("paragraph", "<p>Ukraine's government quickly dismissed the offer.</p>"),
        ],
        corrections=correction_and_update(),
    )


def test_article_page_shows_what_the_seed_page_shows(client, full_article):
    soup = get_soup(client, full_article.url)
    assert visible(soup.select_one(".dateline")) == "Monday, May 12, 2025"
    crumbs = soup.select_one("nav[aria-label=Breadcrumb]")
    assert visible(crumbs) == (
        "Home > Top Stories > Putin Signals Willingness for Direct Peace Talks with Ukraine"
    )
    assert [a["href"] for a in crumbs.select("a")] == ["/", "/top-stories/"]
    assert [visible(a) for a in soup.select(".section-labels a")] == ["Top Stories", "World"]
    assert visible(soup.select_one("h1")) == full_article.title
    assert (
        visible(soup.select_one(".article__standfirst")) == "The Kremlin says it is ready to talk."
    )
    assert visible(soup.select_one(".byline")) == "By Anna Petrova, Moscow correspondent."
    assert sorted(visible(li) for li in soup.select(".tags li")) == ["Diplomacy", "Ukraine"]


def test_article_images_show_caption_credit_and_responsive_sources(client, full_article):
    soup = get_soup(client, full_article.url)
    figures = soup.select("figure.figure")
    assert [visible(f.figcaption) for f in figures] == [
        "The Kremlin in Moscow Photo: Reuters",
        "The forum hall Photo: AP Photo",
    ]
    lead_img = figures[0].select_one("img")
    assert lead_img["alt"] == "The Kremlin's towers against an evening sky"
    assert "480w" in lead_img["srcset"] and "1200w" in lead_img["srcset"]
    assert figures[0].select_one("source[type='image/webp']") is not None
    assert figures[1].select_one("img")["alt"] == "Delegates in the forum hall"


def test_empty_image_slots_are_invisible_to_readers(client, full_article):
    response = client.get(full_article.url)
    assert b"EMPTY SLOT CAPTION" not in response.content
    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.select(".article__body figure.figure")) == 1


def test_article_body_in_order_with_quote_and_corrections_newest_first(client, full_article):
    soup = get_soup(client, full_article.url)
    body = visible(soup.select_one(".article__body"))
    assert (
        body.index("Putin announced talks")
        < body.index("The forum hall")
        < body.index("We are prepared")
        < body.index("quickly dismissed")
    )
    corrections = [visible(li) for li in soup.select(".corrections li")]
    assert corrections[0].startswith("Update, May 13, 2025")
    assert corrections[1].startswith("Correction, May 12, 2025")


def test_page_is_accessible_html(client, full_article):
    soup = get_soup(client, full_article.url)
    assert soup.html["lang"] == "en"
    assert soup.select_one("a.skip-link")["href"] == "#main"
    assert soup.select_one("main#main") and soup.select_one("header") and soup.select_one("footer")
    assert len(soup.select("h1")) == 1
    assert soup.select_one("meta[name=viewport]") is not None


def test_section_page_lists_primary_and_secondary_articles_newest_first(
    client, top_stories, world, article_factory
):
    older = article_factory(world, title="Older world story")
    filed_from_top = article_factory(
        top_stories, title="Top story also in World", secondary_sections=[world]
    )
    article_factory(top_stories, title="Top-only story")
    soup = get_soup(client, world.url)
    assert [visible(h) for h in soup.select(".card__headline")] == [
        filed_from_top.title,
        older.title,
    ]


def test_section_pagination_twenty_a_page(client, world, article_factory):
    for _ in range(25):
        article_factory(world)
    first = get_soup(client, world.url)
    assert len(first.select(".card-list > li")) == 20
    assert visible(first.select_one(".pagination__current")) == "Page 1 of 2"
    assert visible(first.select_one(".card__headline")) == "Story number 25"
    second = get_soup(client, world.url + "?page=2")
    assert [visible(h) for h in second.select(".card__headline")] == [
        f"Story number {n}" for n in range(5, 0, -1)
    ]
    # Out of range or nonsense page numbers give a real page, not an error.
    assert len(get_soup(client, world.url + "?page=99").select(".card-list > li")) == 5
    assert len(get_soup(client, world.url + "?page=abc").select(".card-list > li")) == 20


def test_subsections_are_listed_on_their_section(client, world):
    europe = SectionPage(title="Europe")
    world.add_child(instance=europe)
    europe.save_revision().publish()
    soup = get_soup(client, world.url)
    assert [visible(a) for a in soup.select(".subsections a")] == ["Europe"]


def test_front_page_lead_latest_and_section_rails(
    client, home, top_stories, world, article_factory
):
    world_story = article_factory(world, title="World story")
    also_world = article_factory(
        top_stories, title="Top story filed in World", secondary_sections=[world]
    )
    newest = article_factory(top_stories, title="Newest top story")
    soup = get_soup(client, home.url)
    assert visible(soup.select_one(".front-lead .card__headline")) == newest.title
    assert [visible(h) for h in soup.select(".front-latest .card__headline")] == [
        also_world.title,
        world_story.title,
    ]
    rails = {
        visible(rail.h2): [visible(a) for a in rail.select(".rail__list a")]
        for rail in soup.select(".rail")
    }
    assert rails == {
        "Top Stories": [newest.title, also_world.title],
        "World": [also_world.title, world_story.title],
    }
    assert [visible(a) for a in soup.select(".section-nav a")] == ["Top Stories", "World"]


def test_drafts_are_not_listed_or_served(client, home, world, article_factory):
    draft = article_factory(world, title="Secret draft story", live=False)
    for url in (home.url, world.url):
        assert b"Secret draft story" not in client.get(url).content
    assert client.get(f"/world/{draft.slug}/").status_code == 404


def test_styled_404_page(client, home, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    assert visible(soup.h1) == "Page not found"
    assert soup.select_one(".section-nav") is not None


def test_styled_500_page_renders_without_a_request(client):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html


def test_section_navigation_follows_publishing(client, home):
    def nav():
        soup = get_soup(client, home.url)
        return [visible(a) for a in soup.select(".section-nav a")]

    assert nav() == ["Top Stories", "World"]  # now cached
    business = SectionPage(title="Business")
    home.add_child(instance=business)
    business.save_revision().publish()
    assert nav() == ["Top Stories", "World", "Business"]
    business.unpublish()
    assert nav() == ["Top Stories", "World"]


def test_renaming_an_author_updates_published_bylines(client, top_stories, author, article_factory):
    article = article_factory(top_stories, authors=[author])
    assert "Anna Petrova," in visible(get_soup(client, article.url).select_one(".byline"))
    author.name = "Anna Petrova-Smith"
    author.save()
    soup = get_soup(client, article.url)
    assert visible(soup.select_one(".byline")) == "By Anna Petrova-Smith, Moscow correspondent."


def test_front_page_rails_draw_on_the_newest_articles_only(
    home, top_stories, world, article_factory
):
    from articles.models import ArticlePage

    old_world = article_factory(world, title="Old world story")
    for n in range(3):
        article_factory(top_stories, title=f"Fresh top story {n}")
    rails = ArticlePage.objects.for_readers().latest_per_section(
        [top_stories, world], per_section=4, among_latest=3
    )
    assert [a.title for a in rails[top_stories.pk]] == [f"Fresh top story {n}" for n in (2, 1, 0)]
    assert rails[world.pk] == []
    assert old_world.title in [
        a.title
        for a in ArticlePage.objects.for_readers().latest_per_section([world], per_section=4)[
            world.pk
        ]
    ]


def test_rails_skip_articles_readers_may_not_see(client, home, world, article_factory):
    shown = [article_factory(world, title=f"Visible {n}") for n in range(4)]
    hidden = article_factory(world, title="Taken down")  # the newest filing in World
    hidden.unpublish()
    soup = get_soup(client, home.url)
    rail = soup.select_one(f"#rail-{world.pk}").find_parent("section")
    assert [visible(a) for a in rail.select("li a")] == [a.title for a in reversed(shown)]


def test_a_replaced_lead_image_file_reaches_the_article_at_once(
    client, world, article_factory, make_image
):
    image = make_image("Harbour at dawn", size=(1200, 675))
    article = article_factory(world, lead_image=image, lead_image_alt="Boats in a harbour")
    assert "Harbour-at-dawn" in get_soup(client, article.url).select_one("figure img")["src"]
    # An editor uploads a better photo to the same image: what Wagtail's image edit view does.
    image.file = make_image("Harbour at noon", size=(1200, 675)).file
    image.save()
    image.renditions.all().delete()
    assert "Harbour-at-noon" in get_soup(client, article.url).select_one("figure img")["src"]


def head_meta(soup, **attrs) -> str | None:
    tag = soup.find("meta", attrs=attrs)
    return tag["content"] if tag else None


def test_every_page_has_a_description_for_search_engines(
    client, home, world, article_factory, make_image
):
    with_standfirst = article_factory(world, standfirst="Boats are back in the harbour.")
    long_paragraph = "The harbour reopened on Monday after three weeks. " * 8
    without = article_factory(world, body=[("paragraph", f"<p>{long_paragraph}</p>")])
    world.introduction = "News from around the world."
    world.save_revision().publish()

    assert head_meta(get_soup(client, with_standfirst.url), name="description") == (
        "Boats are back in the harbour."
    )
    description = head_meta(get_soup(client, without.url), name="description")
    assert description.startswith("The harbour reopened on Monday") and len(description) <= 160
    assert head_meta(get_soup(client, world.url), name="description") == (
        "News from around the world."
    )
    front = get_soup(client, "/")
    assert head_meta(front, name="description") == "The latest news from Newsroom."
    assert head_meta(front, property="og:description") == "The latest news from Newsroom."
    searched = get_soup(client, "/search/?q=<b>harbour</b>")
    assert head_meta(searched, name="description") == (
        "Stories matching “<b>harbour</b>”, newest first."
    )
    assert "<b>" not in str(searched.find("meta", attrs={"name": "description"}))
    assert head_meta(get_soup(client, "/search/"), name="description") == (
        "Search every story we have published."
    )


def test_the_front_page_shares_under_the_sites_name_not_home(client, home):
    front = get_soup(client, "/")
    assert head_meta(front, property="og:title") == "Newsroom"
    assert head_meta(front, name="twitter:title") == "Newsroom"


def test_pages_point_feed_readers_at_the_feeds(client, home, world, article_factory):
    article = article_factory(world)
    for url in ("/", world.url, article.url):
        links = get_soup(client, url).find_all("link", rel="alternate")
        hrefs = {link["type"]: link["href"] for link in links if link["href"].startswith("/feed")}
        assert hrefs == {"application/rss+xml": "/feed/", "application/atom+xml": "/feed/atom/"}
    section_links = [
        link["href"] for link in get_soup(client, world.url).find_all("link", rel="alternate")
    ]
    assert f"{world.url}feed/" in section_links and f"{world.url}feed/atom/" in section_links
    for href in section_links:
        assert client.get(href).status_code == 200, href
    assert article.title in client.get(f"{world.url}feed/").content.decode()


def test_the_favicon_is_there(client, home):
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("articles/favicon.ico")
    with open(finders.find("articles/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file
    icon_link = get_soup(client, "/").find("link", rel="icon")
    assert finders.find(icon_link["href"].removeprefix(static("")))


def test_the_front_pages_lead_picture_loads_first_and_others_wait(
    client, home, world, article_factory, make_image
):
    for n in range(3):
        article_factory(world, lead_image=make_image(f"Picture {n}"), lead_image_alt="A view")
    front = get_soup(client, "/")
    lead_img = front.select_one(".front-lead img")
    assert lead_img["loading"] == "eager" and lead_img["fetchpriority"] == "high"
    assert "46rem" in lead_img["sizes"]
    others = front.select(".front-latest img")
    assert others and all(img["loading"] == "lazy" for img in others)
    assert all("fetchpriority" not in img.attrs for img in others)


def test_the_latest_rail_shows_pictures_for_its_first_stories_only(
    client, home, world, article_factory, make_image
):
    from articles.models import FRONT_LATEST_PICTURES

    stories = FRONT_LATEST_PICTURES + 3
    for n in range(stories + 1):  # the newest is the lead
        article_factory(world, title=f"Story {n}", lead_image=make_image(f"Picture {n}"),
                        lead_image_alt="A view")  # fmt: skip
    cards = get_soup(client, "/").select(".front-latest .card")
    assert len(cards) == stories
    with_pictures = [bool(card.select("img")) for card in cards]
    assert with_pictures == [True] * FRONT_LATEST_PICTURES + [False] * 3
    # The stories without a picture still carry their headline, standfirst and date.
    assert all(card.select(".card__headline a") and card.select("time") for card in cards)
