"""A photo on a live article changes only with an editor's say: its uploader (a reporter) can't
replace it, move its focal point or delete it, in the admin or through the API."""

import pytest
from django.urls import reverse

from .test_api_write import token_for


@pytest.fixture
def reporters_photo(make_image, reporter):
    photo = make_image("Harbour at dawn")
    photo.uploaded_by_user = reporter
    photo.save()
    return photo


def focal_point_form(image, x=100):
    return {
        "title": image.title,
        "tags": "",
        "focal_point_x": str(x),
        "focal_point_y": "50",
        "focal_point_width": "20",
        "focal_point_height": "20",
    }


def edit(client, user, image, **form):
    client.force_login(user)
    return client.post(
        reverse("wagtailimages:edit", args=(image.pk,)), focal_point_form(image, **form)
    )


def test_reporter_cannot_change_a_photo_a_live_article_shows(
    client, reporter, reporters_photo, world, article_factory
):
    article_factory(world, title="Harbour reopens", lead_image=reporters_photo)
    response = edit(client, reporter, reporters_photo)
    assert response.status_code == 200  # the form again, with the reason
    html = response.content.decode()
    assert "You can&#x27;t change “Harbour at dawn”" in html
    assert "“Harbour reopens”" in html and "Ask an editor" in html
    reporters_photo.refresh_from_db()
    assert reporters_photo.focal_point_x is None


def test_reporter_cannot_change_it_through_the_api(
    reporter, reporters_photo, world, article_factory
):
    article_factory(world, title="Harbour reopens", lead_image=reporters_photo)
    api = token_for(reporter)
    response = api.patch(
        f"/api/v3/images/{reporters_photo.pk}/",
        {"focal_point_x": 100, "focal_point_y": 50, "focal_point_width": 20,
         "focal_point_height": 20},
    )  # fmt: skip
    assert 400 <= response.status_code < 500
    assert "Ask an editor" in response.content.decode()
    reporters_photo.refresh_from_db()
    assert reporters_photo.focal_point_x is None


def test_reporter_cannot_delete_it_while_live_but_may_once_only_drafts_use_it(
    client, reporter, reporters_photo, world, article_factory
):
    from wagtail.images import get_image_model

    article = article_factory(world, title="Harbour reopens", lead_image=reporters_photo)
    client.force_login(reporter)
    client.post(reverse("wagtailimages:delete", args=(reporters_photo.pk,)))
    assert get_image_model().objects.filter(pk=reporters_photo.pk).exists()

    article.unpublish()
    client.post(reverse("wagtailimages:delete", args=(reporters_photo.pk,)))
    assert not get_image_model().objects.filter(pk=reporters_photo.pk).exists()


def test_editor_can_change_it(client, editor, reporters_photo, world, article_factory):
    article_factory(world, title="Harbour reopens", lead_image=reporters_photo)
    response = edit(client, editor, reporters_photo)
    assert response.status_code == 302
    reporters_photo.refresh_from_db()
    assert reporters_photo.focal_point_x == 100


def test_reporter_may_change_a_photo_only_drafts_use(
    client, reporter, reporters_photo, world, article_factory
):
    article_factory(world, title="Draft story", lead_image=reporters_photo, live=False)
    assert edit(client, reporter, reporters_photo).status_code == 302
    reporters_photo.refresh_from_db()
    assert reporters_photo.focal_point_x == 100


def test_the_system_check_warns_when_the_guard_is_not_configured(settings):
    from articles.checks import image_form_guards_live_articles

    assert image_form_guards_live_articles(None) == []
    settings.WAGTAILIMAGES_IMAGE_FORM_BASE = ""
    [warning] = image_form_guards_live_articles(None)
    assert warning.id == "articles.W001"
