"""Media files as a door: originals only for the newsroom's staff, and upload names nobody
can guess (renditions are named after them), so a photo waiting for an embargoed story can't
be fetched by guessing its address."""

import re

import pytest
from django.urls import reverse

from articles.roles import REPORTERS

from .workflow_helpers import make_user


@pytest.fixture
def photo(make_image):
    return make_image("IMG 1234")


def test_every_upload_gets_a_random_part_in_its_name(photo, make_image):
    name = photo.file.name
    assert re.fullmatch(r"original_images/IMG-1234\.[0-9a-f]{16}\.jpg", name), name
    again = make_image("IMG 1234")
    assert again.file.name != name
    rendition = photo.get_rendition("fill-1200x675")
    assert name.split("/")[-1].rsplit(".", 1)[0] in rendition.file.name


def test_readers_cannot_fetch_an_original(client, photo):
    url = photo.file.url
    assert url.startswith("/media/original_images/")
    assert client.get(url).status_code == 404


def test_staff_can_fetch_an_original(client, photo, home):
    client.force_login(make_user("reporter", REPORTERS))
    response = client.get(photo.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_no_path_tricks(client, home):
    client.force_login(make_user("reporter", REPORTERS))
    path = reverse("articles:original_image", args=("../../etc/passwd",))
    assert client.get(path).status_code == 404


@pytest.fixture
def renditions_served(settings):
    """`make serve`: no web server in front, so the app answers /media/images/ itself."""
    from importlib import reload

    from django.urls import clear_url_caches

    import articles.urls
    import newsroom.urls

    def reload_urls():
        reload(articles.urls)
        reload(newsroom.urls)
        clear_url_caches()

    settings.DEBUG = False
    settings.NEWSROOM_SERVE_RENDITIONS = True
    reload_urls()
    yield
    settings.NEWSROOM_SERVE_RENDITIONS = False
    reload_urls()


def test_make_serve_serves_renditions_to_readers_but_still_not_originals(
    client, photo, renditions_served
):
    rendition = photo.get_rendition("fill-480x270|format-webp")
    response = client.get(rendition.url)
    assert response.status_code == 200, rendition.url
    assert response["Content-Type"] == "image/webp"
    assert "public" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:4] == b"RIFF"
    assert client.get(photo.file.url).status_code == 404
    assert client.get("/media/images/../original_images/x.jpg").status_code == 404
    assert client.get("/media/images/no-such-file.webp").status_code == 404
