"""Sections and embargoes are editors' business, by every door; what others are told; and
Wagtail's stock workflow retired by `setup_newsroom`. (Who may do what is in
test_permission_matrix.py; these tests check the sentences and the set-up.)"""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import (
    GroupApprovalTask,
    Page,
    Task,
    Workflow,
    WorkflowTask,
)

from articles.models import SectionPage
from articles.roles import COPY_EDITORS, EDITORS, REPORTERS

from .test_api_write import PAGES, problem, token_for
from .workflow_helpers import make_user


def test_a_reporter_choosing_section_page_is_told_only_editors_create_sections(client, home):
    client.force_login(make_user("reporter", REPORTERS))
    url = reverse("wagtailadmin_pages:add", args=("articles", "sectionpage", home.pk))
    for response in (client.get(url), client.post(url, {"title": "Europe", "slug": "europe"})):
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_explore", args=(home.pk,))
        told = [str(message) for message in get_messages(response.wsgi_request)]
        assert any("Only editors create sections" in message for message in told), told
    assert not SectionPage.objects.filter(title="Europe").exists()


def test_the_api_says_why_a_reporter_or_copy_editor_cannot_touch_a_section(home, world):
    reporter = token_for(make_user("reporter", REPORTERS))
    body = problem(
        reporter.post(
            PAGES,
            {"meta": {"type": "articles.SectionPage", "parent_id": home.pk}, "title": "Europe"},
        ),  # fmt: skip
        403,
    )
    assert "Only editors create sections" in body["detail"]
    copy_editor = token_for(make_user("copyeditor", COPY_EDITORS))
    body = problem(copy_editor.patch(f"{PAGES}{world.pk}/", {"introduction": "Mine now"}), 403)
    assert "Only editors edit sections" in body["detail"]
    assert not SectionPage.objects.filter(title="Europe").exists()
    assert SectionPage.objects.get(pk=world.pk).get_latest_revision_as_object().introduction == ""


def test_reporters_still_file_articles_in_sections(client, home, world):
    client.force_login(make_user("reporter", REPORTERS))
    response = client.get(
        reverse("wagtailadmin_pages:add", args=("articles", "articlepage", world.pk))
    )
    assert response.status_code == 200


@pytest.mark.parametrize(("group", "shown"), [(REPORTERS, False), (EDITORS, True)])
def test_the_embargo_field_is_shown_only_to_editors(client, world, article_factory, group, shown):
    user = make_user("someone", group)
    article = article_factory(world, title="Draft", live=False, owner=user)
    client.force_login(user)
    page = client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,))).content.decode()
    assert ('name="embargo_until"' in page) is shown


def stock_workflow() -> Workflow:
    """What Wagtail's migration 0048 makes on a database that had its stock groups then (the
    test database is built without it)."""
    task, _ = GroupApprovalTask.objects.get_or_create(name="Moderators approval")
    task.groups.set(Group.objects.filter(name="Moderators"))
    workflow, _ = Workflow.objects.get_or_create(name="Moderators approval")
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, sort_order=0)
    return workflow


def test_setup_retires_wagtails_workflow_keeping_one_that_has_history(db):
    """Wagtail's migrations make "Moderators approval" and the Moderators group. A database
    where that workflow once reviewed a page keeps it, switched off, with its record."""
    call_command("setup_newsroom", verbosity=0)
    stock = stock_workflow()
    page = (
        Page.get_first_root_node()
        .get_first_child()
        .add_child(instance=Page(title="Old page", slug="old"))
    )
    moderator = make_user("old-moderator", None)
    page.save_revision(user=moderator)
    stock.start(page, moderator)

    call_command("setup_newsroom", verbosity=0)
    stock.refresh_from_db()
    assert not stock.active and stock.workflow_states.exists()

    stock.workflow_states.all().delete()
    call_command("setup_newsroom", verbosity=0)
    assert not Group.objects.filter(name="Moderators").exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()
    assert [w.name for w in Workflow.objects.all()] == ["Newsroom review"]
