"""Roles, review workflow, scheduling, embargo, pre-publish checks, corrections: through the
admin's own views."""

import datetime

import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Task, Workflow, WorkflowState

from articles.models import ArticlePage
from articles.roles import COPY_EDITORS, EDITORS, REPORTERS

from .workflow_helpers import admin_datetime, article_form


def add_url(section):
    return reverse("wagtailadmin_pages:add", args=("articles", "articlepage", section.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def create_as(client, user, section, action=None, **fields):
    client.force_login(user)
    response = client.post(add_url(section), article_form(action=action, **fields))
    return response, ArticlePage.objects.filter(
        title=fields.get("title", "Harbour reopens after storm")
    ).first()


def act_on_task(client, user, page, action, comment=""):
    client.force_login(user)
    state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk))
    return client.post(url, {"comment": comment}, headers={"x-requested-with": "XMLHttpRequest"})


def test_roles_and_workflow_replace_wagtails_defaults(home):
    assert set(Group.objects.values_list("name", flat=True)) == {REPORTERS, COPY_EDITORS, EDITORS}
    page_perms = {
        (p.group.name, p.permission.codename, p.page_id)
        for p in GroupPagePermission.objects.select_related("group", "permission")
    }
    assert (REPORTERS, "add_page", home.pk) in page_perms
    assert not {p for p in page_perms if p[0] == REPORTERS and p[1] != "add_page"}
    assert not {p for p in page_perms if p[2] == Page.get_first_root_node().pk}
    assert home.get_workflow().name == "Newsroom review"
    assert [t.name for t in home.get_workflow().tasks] == ["Copy desk", "Editor sign-off"]
    # Wagtail's own workflow and groups are gone from a fresh database.
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()


def test_setup_twice_keeps_one_of_everything(home):
    from articles.setup import set_up_newsroom

    set_up_newsroom()
    assert Group.objects.filter(name=EDITORS).count() == 1
    assert [t.name for t in home.get_workflow().tasks] == ["Copy desk", "Editor sign-off"]


def test_reporter_publish_is_refused_editor_publish_succeeds(client, reporter, editor, world):
    _, article = create_as(client, reporter, world, action="action-publish")
    assert article is not None and not article.live  # saved as a draft, not published

    _, published = create_as(client, editor, world, action="action-publish", title="Editor story")
    assert published.live
    assert "Editor story" in client.get(world.url).content.decode()


def test_reporter_cannot_unpublish_delete_move_or_bulk_publish(
    client, reporter, editor, world, top_stories
):
    _, article = create_as(client, reporter, world)
    client.force_login(reporter)
    client.post(reverse("wagtailadmin_pages:delete", args=(article.pk,)))
    assert ArticlePage.objects.filter(pk=article.pk).exists()
    client.post(reverse("wagtailadmin_pages:move_confirm", args=(article.pk, top_stories.pk)))
    assert ArticlePage.objects.get(pk=article.pk).get_parent().pk == world.pk
    client.post(
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
        + f"?id={article.pk}",
        {},
    )
    assert not ArticlePage.objects.get(pk=article.pk).live

    client.force_login(editor)
    client.post(edit_url(article), article_form(action="action-publish"))
    assert ArticlePage.objects.get(pk=article.pk).live
    client.force_login(reporter)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=(article.pk,)))
    assert response.status_code in (302, 403)
    assert ArticlePage.objects.get(pk=article.pk).live


def test_review_workflow_send_back_resubmit_and_approve_to_publish(
    client, reporter, copy_editor, editor, world
):
    _, article = create_as(client, reporter, world, action="action-submit")
    assert article.current_workflow_task.name == "Copy desk"

    # Sending back needs a comment.
    act_on_task(client, copy_editor, article, "reject", comment="")
    article.refresh_from_db()
    assert article.current_workflow_task.name == "Copy desk"
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    act_on_task(client, copy_editor, article, "reject", comment="Name the harbour, please.")
    article.refresh_from_db()
    assert article.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES

    # The reporter sees the comment, edits and resubmits.
    client.force_login(reporter)
    assert "Name the harbour, please." in client.get(edit_url(article)).content.decode()
    client.post(
        edit_url(article),
        article_form(
            title="Whitby harbour reopens after storm", slug=article.slug, action="action-submit"
        ),
    )
    article.refresh_from_db()
    assert article.current_workflow_task.name == "Copy desk"
    assert not article.live

    act_on_task(client, copy_editor, article, "approve")
    article.refresh_from_db()
    assert article.current_workflow_task.name == "Editor sign-off"
    # The editor finds it in their queue on the dashboard.
    client.force_login(editor)
    assert (
        "Whitby harbour reopens after storm"
        in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    # A copy editor can't take the editor's step.
    assert act_on_task(client, copy_editor, article, "approve").status_code == 403

    act_on_task(client, editor, article, "approve")
    article.refresh_from_db()
    assert article.live and article.title == "Whitby harbour reopens after storm"
    assert "Whitby harbour reopens" in client.get(world.url).content.decode()


def test_scheduled_article_hidden_until_its_time(client, editor, world):
    go_live = timezone.now() + datetime.timedelta(hours=2)
    _, article = create_as(
        client, editor, world, action="action-publish", go_live_at=admin_datetime(go_live)
    )
    assert not article.live
    client.logout()
    assert "Harbour reopens" not in client.get(world.url).content.decode()
    assert client.get(f"{world.url}{article.slug}/").status_code == 404

    with time_machine.travel(go_live + datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
    article.refresh_from_db()
    assert article.live
    assert "Harbour reopens" in client.get(world.url).content.decode()


def test_embargo_blocks_publishing_and_approval_schedules_it(
    client, reporter, copy_editor, editor, world
):
    embargo = timezone.now() + datetime.timedelta(days=1)
    response, _ = create_as(
        client, editor, world, action="action-publish", embargo_until=admin_datetime(embargo)
    )
    assert "is embargoed until" in response.content.decode()
    assert not ArticlePage.objects.filter(live=True).exists()

    # The reporter files a draft; only an editor may put it under embargo; then review.
    _, article = create_as(client, reporter, world, title="Embargoed report")
    client.force_login(editor)
    client.post(
        edit_url(article),
        article_form(title="Embargoed report", embargo_until=admin_datetime(embargo)),
    )
    client.force_login(reporter)
    client.post(edit_url(article), article_form(title="Embargoed report", action="action-submit"))
    article.refresh_from_db()
    assert article.get_latest_revision_as_object().embargo_until is not None
    assert article.workflow_in_progress
    act_on_task(client, copy_editor, article, "approve")
    act_on_task(client, editor, article, "approve")
    article.refresh_from_db()
    assert not article.live
    scheduled = article.revisions.get(approved_go_live_at__isnull=False)
    assert abs(scheduled.approved_go_live_at - embargo) < datetime.timedelta(minutes=1)
    client.logout()
    assert "Embargoed report" not in client.get(world.url).content.decode()

    # At the embargo time it goes out.
    with time_machine.travel(embargo + datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
        article.refresh_from_db()
        assert article.live
        assert "Embargoed report" in client.get(world.url).content.decode()


def test_live_article_put_under_embargo_disappears(client, world, article_factory):
    article = article_factory(world, title="Recalled story")
    ArticlePage.objects.filter(pk=article.pk).update(
        embargo_until=timezone.now() + datetime.timedelta(hours=1)
    )
    assert "Recalled story" not in client.get(world.url).content.decode()
    assert client.get(article.url).status_code == 404


def test_publishing_refused_when_a_filled_slot_lacks_alt_or_credit(
    client, editor, world, make_image
):
    photo = make_image("Harbour")
    response, _ = create_as(
        client,
        editor,
        world,
        action="action-publish",
        lead_image=photo.pk,
        lead_image_credit="Staff",
        body=[("image", {"image": photo.pk, "alt_text": "Boats", "caption": "", "credit": ""})],
    )
    html = response.content.decode()
    assert "The lead image has no alt text" in html
    assert "Body image 1 has no credit" in html
    assert not ArticlePage.objects.filter(live=True).exists()


def test_empty_slots_and_missing_standfirst_are_warnings_not_errors(client, editor, world):
    _, article = create_as(
        client,
        editor,
        world,
        action="action-publish",
        standfirst="",
        body=[("image", {"image": "", "alt_text": "", "caption": "", "credit": ""})],
    )
    assert article.live
    html = client.get(edit_url(article)).content.decode()
    assert "The lead image slot is empty." in html
    assert "1 image slot in the body is empty" in html
    assert "There is no standfirst." in html


def test_editor_adds_a_correction_when_republishing(client, editor, world):
    _, article = create_as(client, editor, world, action="action-publish")
    client.post(
        edit_url(article),
        article_form(
            slug=article.slug,
            action="action-publish",
            corrections=[
                {
                    "kind": "correction",
                    "text": "An earlier version gave the wrong date.",
                    "noted_at": admin_datetime(timezone.now()),
                }
            ],
        ),
    )
    client.logout()
    html = client.get(article.url).content.decode()
    assert "An earlier version gave the wrong date." in html


def test_lead_image_too_small_for_google_is_a_warning(client, editor, world, make_image):
    small = make_image("Thumbnail", size=(240, 180))
    _, article = create_as(
        client,
        editor,
        world,
        action="action-publish",
        lead_image=small.pk,
        lead_image_alt="A harbour",
        lead_image_credit="Staff",
    )
    assert article.live  # a warning, not a refusal
    html = client.get(edit_url(article)).content.decode()
    assert "The lead image is too small for Google" in html
    assert "16:9 is 240×135" in html

    big = make_image("Full size", size=(1600, 1200))
    client.post(
        edit_url(article),
        article_form(
            slug=article.slug,
            lead_image=big.pk,
            lead_image_alt="A harbour",
            lead_image_credit="Staff",
        ),
    )
    assert "too small for Google" not in client.get(edit_url(article)).content.decode()


def test_the_writer_sees_who_sent_the_story_back_and_why_at_the_top_of_the_edit_screen(
    client, reporter, copy_editor, world
):
    from bs4 import BeautifulSoup

    copy_editor.first_name, copy_editor.last_name = "Carla", "Desk"
    copy_editor.save()
    _, article = create_as(client, reporter, world, action="action-submit")
    client.force_login(reporter)
    note = BeautifulSoup(client.get(edit_url(article)).content, "html.parser").select_one(
        "[data-review-note]"
    )
    assert "In review at Copy desk, waiting for Newsroom copy editors" in note.get_text()

    act_on_task(client, copy_editor, article, "reject", comment="Name the <b>harbour</b>.")
    client.force_login(reporter)
    soup = BeautifulSoup(client.get(edit_url(article)).content, "html.parser")
    note = soup.select_one("[data-review-note]")
    text = " ".join(note.get_text().split())
    assert text.startswith("Sent back by Carla Desk at Copy desk")
    assert "Name the <b>harbour</b>." in text  # the comment, escaped, not markup
    assert note.select_one("b") is None
    assert "goes back to Copy desk" in text
    # It comes first on the Content tab, before the editorial checks and the headline.
    content = soup.find(id="tab-content")
    assert content.find(attrs={"data-review-note": True}) is not None
    first_panel_text = content.get_text(" ", strip=True)
    assert first_panel_text.index("Sent back by") < first_panel_text.index("Before publishing")


def test_no_review_panel_on_a_story_never_submitted(client, reporter, world):
    _, article = create_as(client, reporter, world)
    client.force_login(reporter)
    assert b"data-review-note" not in client.get(edit_url(article)).content
    assert b"data-review-note" not in client.get(add_url(world)).content
