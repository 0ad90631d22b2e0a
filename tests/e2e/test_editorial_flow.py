"""A story from reporter to reader, through the real admin in a real browser."""

import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from PIL import Image as PILImage

from articles.models import ArticlePage, SectionPage
from articles.roles import COPY_EDITORS, EDITORS, REPORTERS
from articles.setup import set_up_newsroom
from tests.articles.workflow_helpers import make_user

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINE = "Harbour reopens after the storm"


@pytest.fixture
def newsroom():
    # An earlier transactional test may have emptied the database (content types are then
    # recreated with new ids): start from what is really there.
    ContentType.objects.clear_cache()
    set_up_newsroom()
    return {
        "world": SectionPage.objects.get(title="World"),
        "reporter": make_user("reporter", REPORTERS),
        "copy": make_user("copyeditor", COPY_EDITORS),
        "editor": make_user("editor", EDITORS),
    }


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "harbour.jpg"
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (30, 90, 150)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def approve(session, article_id: int) -> None:
    with session.step("approve") as page:
        page.goto(f"/admin/pages/{article_id}/edit/")
        page.click(".w-dropdown-button [data-w-dropdown-target='toggle']")
        page.click(
            "button[data-workflow-action-name='approve']:has-text('Approve'):not(:has-text('comment'))"
        )
        page.wait_for_load_state("networkidle")


def test_reporter_to_copy_desk_to_editor_to_reader(open_session, newsroom, photo):
    reporter = open_session("reporter")
    reporter.log_in("reporter", "pw-reporter")

    with reporter.step("write the article") as page:
        page.goto(f"/admin/pages/add/articles/articlepage/{newsroom['world'].pk}/")
        page.fill("#id_title", HEADLINE)
        page.fill("#id_standfirst", "Boats are back on the water.")
        page.fill("#id_lead_image_alt", "Fishing boats moored in the harbour")
        page.fill("#id_lead_image_caption", "The harbour on Tuesday morning")
        page.fill("#id_lead_image_credit", "Jane Doe / Newsroom")

    with reporter.step("upload the lead image") as page:
        page.click("#id_lead_image-chooser .unchosen [data-chooser-action-choose]")
        dialog = page.locator(".modal-dialog, [role=dialog]").last
        dialog.get_by_role("tab", name=re.compile("Upload", re.I)).click()
        dialog.locator("input[type=file]").set_input_files(str(photo))
        dialog.locator("input[name='image-chooser-upload-title']").fill("Harbour")
        dialog.locator("button[type=submit]:has-text('Upload')").click()
        page.wait_for_selector("#id_lead_image-title:has-text('Harbour')")

    with reporter.step("submit for review") as page:
        page.click(".w-dropdown-button [data-w-dropdown-target='toggle']")
        page.click("button[name='action-submit']")
        page.wait_for_load_state("networkidle")
    article = ArticlePage.objects.get(title=HEADLINE)
    assert article.current_workflow_task.name == "Copy desk"
    assert not article.live

    copy_editor = open_session("copy editor")
    copy_editor.log_in("copyeditor", "pw-copyeditor")
    approve(copy_editor, article.pk)
    article.refresh_from_db()
    assert article.current_workflow_task.name == "Editor sign-off"

    editor = open_session("editor")
    editor.log_in("editor", "pw-editor")
    approve(editor, article.pk)
    article.refresh_from_db()
    assert article.live

    reader = open_session("reader")
    with reader.step("front page") as page:
        page.goto("/")
        page.get_by_role("link", name=HEADLINE).first.wait_for()
    with reader.step("world section") as page:
        page.goto("/world/")
        page.get_by_role("link", name=HEADLINE).click()
    with reader.step("article page") as page:
        page.wait_for_selector("h1")
        assert page.locator("h1").inner_text() == HEADLINE
        image = page.locator("figure.figure--lead img")
        assert image.get_attribute("alt") == "Fishing boats moored in the harbour"
        caption = page.locator("figure.figure--lead figcaption").text_content()
        assert " ".join(caption.split()) == (
            "The harbour on Tuesday morning Photo: Jane Doe / Newsroom"
        )
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
