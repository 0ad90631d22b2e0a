"""Editors create and edit articles through Wagtail's own admin views."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from articles.models import ArticlePage


def test_admin_forms_open_for_each_page_type(
    client, admin_user, home, top_stories, article_factory
):
    client.force_login(admin_user)
    article = article_factory(top_stories)
    for url in (
        f"/admin/pages/add/articles/sectionpage/{home.pk}/",
        f"/admin/pages/add/articles/articlepage/{top_stories.pk}/",
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/pages/{top_stories.pk}/edit/",
        f"/admin/pages/{home.pk}/edit/",
    ):
        assert client.get(url).status_code == 200, url


def test_editor_publishes_an_article_through_the_admin(
    client, admin_user, top_stories, world, author, make_image
):
    client.force_login(admin_user)
    photo = make_image("Harbour")
    data = nested_form_data(
        {
            "title": "Harbour reopens after storm",
            "article_type": "analysis",
            "slug": "harbour-reopens",
            "standfirst": "Boats are back.",
            "lead_image": photo.pk,
            "lead_image_alt": "Boats in the harbour",
            "lead_image_caption": "The harbour on Tuesday",
            "lead_image_credit": "Staff photographer",
            "byline": inline_formset([{"author": author.pk, "contribution": "reporting"}]),
            "corrections": inline_formset([]),
            "body": streamfield(
                [
                    ("paragraph", rich_text("<p>The harbour reopened.</p>")),
                    ("image", {"image": "", "alt_text": "", "caption": "", "credit": ""}),
                    ("quote", {"quote": "We are relieved.", "attribution": "A fisher"}),
                ]
            ),
            "tags": "storms, harbours",
            "action-publish": "publish",
        }
    )
    data["secondary_sections"] = [world.pk]
    response = client.post(f"/admin/pages/add/articles/articlepage/{top_stories.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]

    article = ArticlePage.objects.get(slug="harbour-reopens")
    assert article.live and article.publication_date is not None
    assert [s.pk for s in article.secondary_sections.all()] == [world.pk]
    assert [b.author for b in article.byline.all()] == [author]
    page = client.get(article.url).content.decode()
    assert "The harbour on Tuesday" in page and "Staff photographer" in page
    assert article.article_type == "analysis" and "AnalysisNewsArticle" in page
    assert "Harbour reopens after storm" in client.get(world.url).content.decode()


def tab_text(soup, tab_label: str) -> str:
    """The visible text of one tab of the page editor."""
    tab = soup.find(id=f"tab-{tab_label.lower()}")
    assert tab is not None, f"no {tab_label} tab"
    return tab.get_text(" ", strip=True)


def test_the_article_form_speaks_newsroom(client, reporter, world):
    from bs4 import BeautifulSoup

    client.force_login(reporter)
    response = client.get(f"/admin/pages/add/articles/articlepage/{world.pk}/")
    soup = BeautifulSoup(response.content, "html.parser")
    content = tab_text(soup, "Content")
    for label in ("Headline", "Standfirst", "Byline", "Article type", "Display date",
                  "Other sections that list this article", "Topics", "Alt text",
                  "Caption", "Credit", "Body"):  # fmt: skip
        assert label in content, label
    assert "Page title" not in content
    # The headline box grows with the headline instead of cutting it off.
    headline = soup.select_one("#id_title")
    assert headline.name == "textarea" and headline["data-controller"].startswith("w-")
    assert headline["placeholder"] == "Headline*"
    # Every slot field says what it is for, and what publishing needs.
    assert "for readers who can't see it" in content and "Who took or owns the photo" in content
    promote = tab_text(soup, "Promote")
    assert "For search engines and sharing" in promote
    assert "domain.com" not in promote and "/world/europe/this-part/" in promote
    for moved in ("Display date", "Topics", "Show in menus", "Other sections"):
        assert moved not in promote, moved


def test_a_headline_with_a_pasted_line_break_is_saved_on_one_line(client, editor, world):
    from .workflow_helpers import article_form

    client.force_login(editor)
    data = article_form(title="Harbour reopens\r\n after  storm", slug="harbour-reopens")
    response = client.post(f"/admin/pages/add/articles/articlepage/{world.pk}/", data)
    assert response.status_code == 302, response.content[:2000]
    assert ArticlePage.objects.get(slug="harbour-reopens").title == "Harbour reopens after storm"
