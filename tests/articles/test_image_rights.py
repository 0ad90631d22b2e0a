"""Rights-aware images: a photo's credit, copyright, caption and usage terms are read from the
file on upload, shown and edited in the image's form, and start a slot's fields when a writer
puts the photo in a story; the editorial checks follow the form before it is saved."""

import io

import pytest
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from articles.image_rights import read_embedded_rights
from articles.models import ArticlePage, ImageRights

from . import photos


def rights_of(data: bytes):
    return read_embedded_rights(io.BytesIO(data))


# Reading the file.


def test_xmp_gives_every_iptc_field():
    rights = rights_of(photos.jpeg(xmp=photos.xmp()))
    assert rights.creator == "Jane Doe"
    assert rights.credit == "Jane Doe / Reuters"
    assert rights.copyright_notice == "© 2026 Reuters"
    assert rights.caption == "Fishing boats in Whitby harbour on Tuesday"  # x-default, not fr
    assert rights.usage_terms == "Editorial use only"
    assert rights.alt_text == "Fishing boats moored in a harbour"


def test_iptc_iim_is_read_and_xmp_wins_where_both_say():
    iim = {
        photos.BY_LINE: "Zoë Smith",
        photos.CREDIT: "AP",
        photos.COPYRIGHT: "© AP",
        photos.CAPTION: "Flood water in the square",
    }
    only_iim = rights_of(photos.jpeg(iim=iim))
    assert (only_iim.creator, only_iim.credit, only_iim.copyright_notice, only_iim.caption) == (
        "Zoë Smith",
        "Zoë Smith / AP",
        "© AP",
        "Flood water in the square",
    )
    both = rights_of(photos.jpeg(iim=iim, xmp=photos.xmp(terms="")))
    assert both.credit == "Jane Doe / Reuters" and both.copyright_notice == "© 2026 Reuters"
    latin1 = rights_of(photos.jpeg(iim={photos.BY_LINE: "Zoë".encode("latin-1")}))
    assert latin1.creator == "Zoë"


def test_exif_fills_only_what_iptc_leaves_and_camera_filler_is_no_caption():
    exif = {
        photos.EXIF_ARTIST: "Camera Owner",
        photos.EXIF_COPYRIGHT: "(c) Camera Owner",
        photos.EXIF_DESCRIPTION: "OLYMPUS DIGITAL CAMERA",
    }
    rights = rights_of(photos.jpeg(exif=exif))
    assert (rights.creator, rights.credit, rights.copyright_notice, rights.caption) == (
        "Camera Owner",
        "Camera Owner",
        "(c) Camera Owner",
        "",
    )
    mixed = rights_of(photos.jpeg(exif=exif, iim={photos.CREDIT: "Agency"}))
    assert mixed.credit == "Camera Owner / Agency"


def test_the_credit_names_the_agency_once():
    rights = rights_of(photos.jpeg(xmp=photos.xmp(creator="Reuters", credit="Reuters")))
    assert rights.credit == "Reuters"


def test_png_and_webp_carry_xmp_too():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", photos.xmp().decode())
    png, webp = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (20, 20)).save(png, "PNG", pnginfo=info)
    Image.new("RGB", (20, 20)).save(webp, "WEBP", xmp=photos.xmp())
    assert rights_of(png.getvalue()).credit == "Jane Doe / Reuters"
    assert rights_of(webp.getvalue()).credit == "Jane Doe / Reuters"


@pytest.mark.parametrize(
    "packet",
    [
        b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>',
        b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><unclosed>",
        b"\x00\xff not xml at all",
    ],
    ids=["entities", "broken", "binary"],
)
def test_hostile_or_broken_metadata_yields_nothing_and_no_error(packet):
    assert not rights_of(photos.jpeg(xmp=packet, iim={photos.CREDIT: "Kept"})).creator
    assert rights_of(photos.jpeg(xmp=packet, iim={photos.CREDIT: "Kept"})).credit == "Kept"


def test_garbage_and_oversized_text_are_handled():
    assert not rights_of(b"not an image")
    long_caption = "word " * 400
    rights = rights_of(photos.jpeg(xmp=photos.xmp(caption=long_caption, credit="A\tB \n C")))
    assert len(rights.caption) == 500 and rights.credit.endswith("A B C")
    assert rights_of(photos.jpeg(iim={photos.CREDIT: b"A\x00B"})).credit == "A B"


# Upload and the image's form.


def upload(client, data: bytes, **fields):
    file = SimpleUploadedFile("harbour.jpg", data, content_type="image/jpeg")
    response = client.post(
        reverse("wagtailimages:add"), {"title": "Harbour", "file": file, **fields}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return get_image_model().objects.latest("pk")


def test_an_upload_reads_the_files_rights_into_the_image(client, reporter):
    client.force_login(reporter)
    image = upload(client, photos.jpeg(xmp=photos.xmp()))
    rights = ImageRights.objects.get(image=image)
    assert rights.credit == "Jane Doe / Reuters" and rights.creator == "Jane Doe"
    assert rights.copyright_notice == "© 2026 Reuters"
    assert rights.usage_terms == "Editorial use only"
    assert rights.caption == "Fishing boats in Whitby harbour on Tuesday"
    image.refresh_from_db()
    assert image.description == "Fishing boats moored in a harbour"  # Wagtail's default alt


def test_what_the_uploader_typed_wins_over_the_file(client, reporter):
    client.force_login(reporter)
    image = upload(client, photos.jpeg(xmp=photos.xmp()), credit="Our Staff")
    rights = ImageRights.objects.get(image=image)
    assert rights.credit == "Our Staff" and rights.copyright_notice == "© 2026 Reuters"


def test_images_made_in_code_get_their_rights_too(db):
    image = get_image_model().objects.create(
        title="Wire photo",
        file=ImageFile(io.BytesIO(photos.jpeg(iim={photos.CREDIT: "AFP"})), name="wire.jpg"),
    )
    assert ImageRights.of(image).credit == "AFP"


def test_the_image_form_shows_and_saves_the_rights(client, reporter):
    from bs4 import BeautifulSoup

    client.force_login(reporter)
    image = upload(client, photos.jpeg(xmp=photos.xmp()))
    edit = reverse("wagtailimages:edit", args=[image.pk])
    soup = BeautifulSoup(client.get(edit).content, "html.parser")
    labels = [label.get_text(strip=True) for label in soup.select("label")]
    for label in ("Photographer", "Credit", "Copyright notice", "Caption", "Usage terms"):
        assert label in labels
    assert soup.find("input", attrs={"name": "credit"})["value"] == "Jane Doe / Reuters"

    response = client.post(
        edit,
        {
            "title": "Harbour",
            "description": image.description,
            "collection": image.collection_id,
            "tags": "",
            "creator": "Jane Doe",
            "credit": "Jane Doe / Reuters Pictures",
            "copyright_notice": "",
            "caption": "Boats",
            "usage_terms": "Editorial use only",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rights = ImageRights.objects.get(image=image)
    assert rights.credit == "Jane Doe / Reuters Pictures" and rights.copyright_notice == ""


def test_a_reporter_may_correct_the_credit_of_a_photo_a_live_story_shows(
    client, reporter, top_stories, article_factory
):
    """The slots keep their own credit, so correcting the photo's changes nothing readers
    see; the guard on live photos (file, focal point) need not refuse it."""
    client.force_login(reporter)
    image = upload(client, photos.jpeg())
    article_factory(top_stories, lead_image=image, lead_image_alt="A", lead_image_credit="X")
    response = client.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {"title": "Harbour", "collection": image.collection_id, "credit": "Corrected"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ImageRights.of(image).credit == "Corrected"


# A slot that gets the photo.


def article_form(**overrides):
    data = {
        "title": "Harbour reopens",
        "slug": "harbour-reopens",
        "article_type": "news",
        "standfirst": "Boats are back.",
        "lead_image": "",
        "lead_image_alt": "",
        "lead_image_caption": "",
        "lead_image_credit": "",
        "byline": inline_formset([]),
        "corrections": inline_formset([]),
        "body": streamfield([("paragraph", rich_text("<p>The harbour reopened.</p>"))]),
        "tags": "",
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.fixture
def wire_photo(db):
    return get_image_model().objects.create(
        title="Wire photo",
        file=ImageFile(io.BytesIO(photos.jpeg(xmp=photos.xmp())), name="wire.jpg"),
    )


def test_a_slot_starts_from_its_photos_credit_caption_and_alt_text(
    client, reporter, world, wire_photo, make_image
):
    client.force_login(reporter)
    plain = make_image("No metadata")
    data = article_form(
        lead_image=wire_photo.pk,
        lead_image_caption="Our own caption",
        body=streamfield(
            [
                ("image", {"image": wire_photo.pk, "alt_text": "", "caption": "", "credit": ""}),
                ("image", {"image": plain.pk, "alt_text": "", "caption": "", "credit": ""}),
            ]
        ),
    )
    response = client.post(f"/admin/pages/add/articles/articlepage/{world.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = ArticlePage.objects.get(slug="harbour-reopens").get_latest_revision_as_object()
    assert article.lead_image_credit == "Jane Doe / Reuters"
    assert article.lead_image_caption == "Our own caption"  # what the writer typed stays
    assert article.lead_image_alt == "Fishing boats moored in a harbour"
    first, second = (block.value for block in article.body)
    assert first["credit"] == "Jane Doe / Reuters" and first["caption"].startswith("Fishing")
    assert second["credit"] == ""  # no rights, nothing made up


def test_a_slot_cleared_on_purpose_stays_cleared(
    client, editor, world, wire_photo, article_factory
):
    """Only a newly chosen photo brings its words: an edit that keeps the photo and empties
    its caption keeps the caption empty."""
    article = article_factory(
        world,
        lead_image=wire_photo,
        lead_image_alt="Boats",
        lead_image_credit="Jane Doe",
        lead_image_caption="Old caption",
        live=False,
    )
    client.force_login(editor)
    data = article_form(
        slug=article.slug,
        lead_image=wire_photo.pk,
        lead_image_alt="Boats",
        lead_image_credit="Jane Doe",
        lead_image_caption="",
    )
    response = client.post(f"/admin/pages/{article.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response.url == f"/admin/pages/{article.pk}/edit/", response.url
    saved = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert saved.lead_image_caption == ""


def test_publishing_still_needs_a_credit_on_every_filled_slot(client, editor, world, make_image):
    client.force_login(editor)
    data = article_form(
        lead_image=make_image("No metadata").pk, lead_image_alt="Boats", **{"action-publish": "1"}
    )
    response = client.post(f"/admin/pages/add/articles/articlepage/{world.pk}/", data)
    assert response.status_code == 200
    assert "The lead image has no credit" in response.content.decode()
    assert not ArticlePage.objects.filter(slug="harbour-reopens").exists()


# The endpoints the form's script calls.


def test_the_image_rights_endpoint_answers_only_those_who_may_choose_images(
    client, reporter, wire_photo, django_user_model
):
    url = reverse("newsroom_image_rights", args=[wire_photo.pk])
    assert client.get(url).status_code == 302  # to the login
    outsider = django_user_model.objects.create_user("reader", password="x")
    client.force_login(outsider)
    assert client.get(url).status_code in (302, 403)
    client.force_login(reporter)
    assert client.get(url).json() == {
        "credit": "Jane Doe / Reuters",
        "caption": "Fishing boats in Whitby harbour on Tuesday",
        "alt_text": "Fishing boats moored in a harbour",
    }


def test_the_checks_follow_the_form_before_it_is_saved(client, reporter, world, make_image):
    client.force_login(reporter)
    url = reverse("newsroom_checks_on_create", args=["articles", "articlepage", world.pk])
    photo = make_image("No metadata")
    empty = client.post(url, article_form(standfirst="")).content.decode()
    assert "The lead image slot is empty." in empty and "There is no standfirst." in empty

    filled = client.post(url, article_form(lead_image=photo.pk)).content.decode()
    assert "The lead image slot is empty." not in filled
    assert "The lead image has no alt text" in filled and "has no credit" in filled

    ready = client.post(
        url, article_form(lead_image=photo.pk, lead_image_alt="Boats", lead_image_credit="Staff")
    ).content.decode()
    assert "Ready:" in ready
    assert not ArticlePage.objects.exists()  # nothing was saved


def test_the_checks_of_a_saved_article_need_the_right_to_edit_it(
    client, reporter, django_user_model, world, article_factory
):
    article = article_factory(world, standfirst="")
    url = reverse("newsroom_checks_on_edit", args=[article.pk])
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    assert client.post(url, article_form()).status_code in (302, 403)
    client.force_login(reporter)
    assert client.get(url).status_code == 405


def test_images_from_before_get_their_rights_from_a_command(db, tmp_path):
    from django.core.management import call_command

    old = get_image_model().objects.create(
        title="Archive photo",
        file=ImageFile(io.BytesIO(photos.jpeg(iim={photos.CREDIT: "Archive"})), name="old.jpg"),
    )
    ImageRights.objects.filter(image=old).delete()  # as uploaded before rights were read
    gone = get_image_model().objects.create(
        title="Lost file", file=ImageFile(io.BytesIO(photos.jpeg()), name="lost.jpg")
    )
    ImageRights.objects.filter(image=gone).delete()
    gone.file.storage.delete(gone.file.name)
    out, err = io.StringIO(), io.StringIO()
    call_command("read_image_rights", stdout=out, stderr=err)
    assert ImageRights.objects.get(image=old).credit == "Archive"
    assert "read 1 images; 1 files unreadable" in out.getvalue()
    assert f"image {gone.pk} “Lost file”: file unreadable" in err.getvalue()
