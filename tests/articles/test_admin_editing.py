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
            "byline": inline_formset([{"author": author.pk}]),
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
