"""The editing desk in a real browser: a reporter's first story, from login to submission with
byline, photo, credit and topics; the copy desk sends it back, the reporter sees why and
resubmits; both steps approve, with the right names on every screen; readers see it. And an
editor schedules an embargoed story. NEWSROOM_SCREENSHOTS=1 keeps a screenshot of each step."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from articles.models import ArticlePage, Author, SectionPage
from articles.roles import COPY_EDITORS, EDITORS, REPORTERS
from articles.setup import set_up_newsroom
from tests.articles import photos
from tests.articles.workflow_helpers import make_user

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINE = "Harbour reopens after the storm"
MENU = ".w-dropdown-button [data-w-dropdown-target='toggle']"


@pytest.fixture
def newsroom():
    # An earlier transactional test may have emptied the database (content types are then
    # recreated with new ids): start from what is really there.
    ContentType.objects.clear_cache()
    set_up_newsroom()
    people = {
        "reporter": make_user("reporter", REPORTERS),
        "copy": make_user("copyeditor", COPY_EDITORS),
        "editor": make_user("editor", EDITORS),
    }
    for user, (first, last) in zip(
        people.values(), [("Rita", "Porter"), ("Carla", "Desk"), ("Ed", "Chief")], strict=True
    ):
        user.first_name, user.last_name = first, last
        user.save()
    return {"world": SectionPage.objects.get(title="World"), **people}


@pytest.fixture
def wire_photo(tmp_path):
    """A photo as an agency sends it: credit, caption and alt text in its XMP."""
    path = tmp_path / "harbour.jpg"
    path.write_bytes(photos.jpeg(xmp=photos.xmp()))
    return path


def message(page) -> str:
    return " ".join(page.locator(".messages").first.inner_text().split())


def test_a_reporters_first_story_from_login_to_readers(open_session, newsroom, wire_photo):
    reporter = open_session("reporter")
    reporter.log_in("reporter", "pw-reporter")
    assert Author.objects.filter(user=newsroom["reporter"], name="Rita Porter").exists()

    with reporter.step("start from the dashboard") as page:
        reporter.shoot("1-dashboard")
        page.click("[data-dashboard=new-article] a:has-text('World')")
        page.wait_for_selector("#id_title")
        assert page.inner_text("#id_byline-0-author-title") == "Rita Porter"

    with reporter.step("write") as page:
        page.fill("#id_title", HEADLINE)
        page.fill("#id_standfirst", "Boats are back on the water.")
        topics = page.locator("[data-field-wrapper]:has(#id_tags) input:visible").first
        for topic in ("storms", "harbours"):
            topics.fill(topic)
            topics.press("Enter")
        checks = page.locator("[data-editorial-checks]")
        assert "The lead image slot is empty." in checks.inner_text()

    with reporter.step("upload the agency photo") as page:
        page.click("#id_lead_image-chooser .unchosen [data-chooser-action-choose]")
        dialog = page.locator(".modal-dialog, [role=dialog]").last
        dialog.get_by_role("tab", name=re.compile("Upload", re.I)).click()
        dialog.locator("input[type=file]").set_input_files(str(wire_photo))
        dialog.locator("input[name='image-chooser-upload-title']").fill("Harbour")
        dialog.locator("button[type=submit]:has-text('Upload')").click()
        page.wait_for_selector("#id_lead_image-title:has-text('Harbour')")
        # The slot starts from the photo's embedded credit, caption and alt text...
        page.wait_for_function("document.querySelector('#id_lead_image_credit').value !== ''")
        assert page.input_value("#id_lead_image_credit") == "Jane Doe / Reuters"
        assert page.input_value("#id_lead_image_caption") == (
            "Fishing boats in Whitby harbour on Tuesday"
        )
        assert page.input_value("#id_lead_image_alt") == "Fishing boats moored in a harbour"
        # ...and the checks box follows, before anything is saved.
        page.wait_for_function(
            "!document.querySelector('[data-editorial-checks]').innerText"
            ".includes('lead image slot is empty')"
        )
        page.locator("#id_lead_image_credit").scroll_into_view_if_needed()
        reporter.shoot("2-photo-credit-prefilled")
        page.fill("#id_lead_image_caption", "Boats in Whitby harbour on Tuesday morning")

    with reporter.step("submit") as page:
        page.click(MENU)
        page.click("button[name='action-submit']")
        page.wait_for_selector(".messages")
        assert message(page).startswith(
            f"“{HEADLINE}” is submitted: it is now at Copy desk, waiting for Newsroom copy editors."
        )
        reporter.shoot("3-submitted")
    article = ArticlePage.objects.get(title=HEADLINE)
    assert article.current_workflow_task.name == "Copy desk"

    copy_editor = open_session("copy editor")
    copy_editor.log_in("copyeditor", "pw-copyeditor")
    with copy_editor.step("send back") as page:
        assert HEADLINE in page.inner_text("[data-dashboard=review-queue]")
        page.goto(f"/admin/pages/{article.pk}/edit/")
        page.click(MENU)
        page.click("footer button[data-workflow-action-name='reject']")
        dialog = page.locator(".modal-dialog, [role=dialog]").last
        dialog.locator("textarea[name=comment]").fill("Name the harbourmaster, please.")
        dialog.locator("button[type=submit]").click()
        page.wait_for_selector(".messages")
        assert "Sent back from Copy desk to Rita Porter" in message(page)

    with reporter.step("see why and resubmit") as page:
        page.goto("/admin/")
        sent_back = page.inner_text("[data-dashboard=sent-back]")
        assert "Sent back by Carla Desk at Copy desk" in sent_back
        assert "Name the harbourmaster, please." in sent_back
        reporter.shoot("4-dashboard-sent-back")
        page.click(f"[data-dashboard=sent-back] a:has-text('{HEADLINE}')")
        note = page.locator("[data-review-note]").inner_text()
        assert "Sent back by Carla Desk at Copy desk" in note
        assert "Name the harbourmaster, please." in note
        reporter.shoot("5-edit-screen-sent-back")
        page.click(MENU)
        page.click("button[name='action-submit']:has-text('Resubmit')")
        page.wait_for_selector(".messages")
        assert "is now at Copy desk" in message(page)

    with copy_editor.step("approve") as page:
        page.goto(f"/admin/pages/{article.pk}/edit/")
        page.click("footer button[data-workflow-action-name='approve']:has-text('Approve')")
        page.wait_for_selector(".messages")
        assert message(page).startswith(
            f"Approved at Copy desk: “{HEADLINE}” is now at Editor sign-off, "
            "waiting for Newsroom editors."
        )
        copy_editor.shoot("6-approved")

    editor = open_session("editor")
    editor.log_in("editor", "pw-editor")
    with editor.step("approve and publish") as page:
        queue = page.inner_text("[data-dashboard=review-queue]")
        assert "Approved at Copy desk by Carla Desk" in queue and "Rita Porter" in queue
        editor.shoot("7-editor-queue")
        page.click(f"[data-dashboard=review-queue] a:has-text('{HEADLINE}')")
        primary = page.locator("footer .w-dropdown-button > button").first
        assert " ".join(primary.inner_text().split()) == "Approve and Publish"
        primary.click()
        page.wait_for_selector(".messages")
        assert message(page).startswith(
            f"Approved at Editor sign-off and published: “{HEADLINE}” is live."
        )
        page.goto(f"/admin/pages/{article.pk}/edit/")
        page.click("[data-side-panel-toggle='status']")
        panel = page.locator("[data-side-panel='status']")
        panel.wait_for(state="visible")
        status = " ".join(panel.inner_text().split())
        assert re.search(r"Live .*by Ed Chief", status), status
        editor.shoot("8-live-by-the-editor")
    article.refresh_from_db()
    assert article.live
    assert sorted(article.tags.names()) == ["harbours", "storms"]

    reader = open_session("reader")
    with reader.step("article page") as page:
        page.goto("/world/")
        page.get_by_role("link", name=HEADLINE).click()
        page.wait_for_selector("h1")
        assert page.locator("h1").inner_text() == HEADLINE
        image = page.locator("figure.figure--lead img")
        assert image.get_attribute("alt") == "Fishing boats moored in a harbour"
        caption = " ".join(page.locator("figure.figure--lead figcaption").text_content().split())
        assert caption == "Boats in Whitby harbour on Tuesday morning Photo: Jane Doe / Reuters"
        assert "By Rita Porter" in page.inner_text("article")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_an_editor_schedules_an_embargoed_story(open_session, newsroom):
    editor = open_session("editor")
    editor.log_in("editor", "pw-editor")
    embargo = timezone.localtime() + datetime.timedelta(days=1)
    at = embargo.strftime("%Y-%m-%d %H:%M")
    with editor.step("write under embargo") as page:
        page.goto(f"/admin/pages/add/articles/articlepage/{newsroom['world'].pk}/")
        page.fill("#id_title", "Prize winners announced")
        page.fill("#id_standfirst", "The winners, under embargo.")
        page.click("#tab-label-settings")
        page.fill("#id_embargo_until", at)
        page.click("#tab-settings h2, #tab-settings label >> nth=0")  # closes the date picker
        page.click(MENU)
        page.click("button[name='action-publish']")
        page.wait_for_selector(".messages")
        page.click("#tab-label-settings")  # the tab with the error
        error = page.locator("[data-field-errors]:has-text('embargoed until')").first
        error.wait_for()
        assert "set its go-live time to then or later" in error.inner_text()
        editor.shoot("10-embargo-refuses-publishing")
    with editor.step("schedule for the embargo time") as page:
        # The schedule is in the Status panel (the header's info button), as in Wagtail.
        page.click("[data-side-panel-toggle='status']")
        page.locator(
            "button[data-a11y-dialog-show='schedule-publishing-dialog']:visible"
        ).first.click()
        page.fill("#schedule-publishing-dialog #id_go_live_at", at)
        # The field's date picker stays open over the button (it is Wagtail's): the click
        # goes to the button itself.
        page.locator("#schedule-publishing-dialog button:has-text('Save schedule')").dispatch_event(
            "click"
        )
        page.click(MENU)
        page.click("button[name='action-publish']")
        page.wait_for_selector(".messages")
    article = ArticlePage.objects.get(title="Prize winners announced")
    assert not article.live and article.embargo_until is not None
    with editor.step("see it scheduled") as page:
        page.goto("/admin/")
        scheduled = page.inner_text("[data-dashboard=scheduled]")
        assert "Prize winners announced" in scheduled
        assert f"Scheduled for {embargo:%-d %b %Y, %H:%M}" in scheduled
        assert f"Embargoed until {embargo:%-d %b %Y, %H:%M}" in scheduled
        editor.shoot("9-scheduled-and-embargoed")
