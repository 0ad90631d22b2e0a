"""Image uploads: size and pixel-count limits with a clear message; decompression bombs refused."""

import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from articles.roles import REPORTERS

from .workflow_helpers import make_user


def png(width, height) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("L", (width, height), 0).save(buffer, format="PNG")
    return SimpleUploadedFile("huge.png", buffer.getvalue(), content_type="image/png")


def test_a_decompression_bomb_is_refused_with_a_clear_message(client, home):
    client.force_login(make_user("reporter", REPORTERS))
    limit = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    bomb = png(8000, limit // 8000 + 100)  # a few kilobytes of PNG, more pixels than allowed
    assert bomb.size < 1_000_000
    response = client.post(reverse("wagtailimages:add"), {"title": "Bomb", "file": bomb})
    assert get_image_model().objects.count() == 0
    assert "too many pixels" in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(client, home, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 50_000
    client.force_login(make_user("reporter", REPORTERS))
    buffer = io.BytesIO()
    PILImage.effect_noise((400, 400), 100).convert("RGB").save(buffer, format="PNG")
    upload = SimpleUploadedFile("noise.png", buffer.getvalue(), content_type="image/png")
    assert upload.size > 50_000
    response = client.post(reverse("wagtailimages:add"), {"title": "Noise", "file": upload})
    assert get_image_model().objects.count() == 0
    assert "This file is too big" in response.content.decode()


def test_an_ordinary_photo_uploads(client, home):
    client.force_login(make_user("reporter", REPORTERS))
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (30, 90, 150)).save(buffer, format="JPEG")
    upload = SimpleUploadedFile("ok.jpg", buffer.getvalue(), content_type="image/jpeg")
    client.post(reverse("wagtailimages:add"), {"title": "Fine", "file": upload})
    assert get_image_model().objects.get().width == 1600
