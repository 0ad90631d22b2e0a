"""The article's screens in review name the people who acted, say after each action what
happened and where the story goes, and give each role one primary action at each step."""

import json
import re

from bs4 import BeautifulSoup
from django.urls import reverse

from articles.models import ArticlePage

from .workflow_helpers import article_form

TITLE = "Harbour reopens after storm"


def name_users(reporter, copy_editor, editor):
    for user, (first, last) in (
        (reporter, ("Rita", "Porter")),
        (copy_editor, ("Carla", "Desk")),
        (editor, ("Ed", "Chief")),
    ):
        user.first_name, user.last_name = first, last
        user.save()


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def words(element) -> str:
    return " ".join(element.get_text(" ").split()) if element is not None else ""


def messages_after(client, response) -> list[str]:
    """The messages the next page shows, as the browser follows the redirect."""
    assert response.status_code in (200, 302), response.status_code
    page = client.get(response.url if response.status_code == 302 else "/admin/")
    return [words(BeautifulSoup(str(m), "html.parser")) for m in page.context["messages"]]


def act_from_dialog(client, user, page, action, comment=""):
    """Approve or send back as the dashboard and the status dialog do."""
    client.force_login(user)
    page.refresh_from_db()
    state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk))
    response = client.post(
        url, {"comment": comment}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 200
    return [
        words(BeautifulSoup(str(m), "html.parser"))
        for m in client.get("/admin/").context["messages"]
    ]


def act_from_edit_screen(client, user, page, action, comment="", **fields):
    client.force_login(user)
    page.refresh_from_db()
    data = article_form(title=fields.pop("title", page.title), slug=page.slug, **fields)
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = action
    data["workflow-action-extra-data"] = json.dumps({"comment": comment})
    return client.post(edit_url(page), data)


def edit_screen(client, user, page) -> BeautifulSoup:
    client.force_login(user)
    return BeautifulSoup(client.get(edit_url(page)).content, "html.parser")


def action_menu(soup) -> list[str]:
    """The footer's actions, the primary one first."""
    return [words(b) for b in soup.select("footer button, footer a.button") if words(b)]


def status_heading(soup) -> str:
    """The heading of the workflow's status dialog (the side panel's "In review" link). It
    sits in a <template>, which CSS selectors (soupsieve) and get_text() leave out."""
    for heading in soup.find_all(class_="w-dialog__message-heading"):
        if heading.find_parent(id="workflow-status-dialog"):
            return " ".join(str(heading.string or "").split())
    return ""


def test_each_step_names_who_acted_and_says_where_the_story_goes(
    client, reporter, copy_editor, editor, world
):
    name_users(reporter, copy_editor, editor)
    client.force_login(reporter)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("articles", "articlepage", world.pk)),
        article_form(action="action-submit"),
    )
    assert messages_after(client, response)[0].startswith(
        f"“{TITLE}” is submitted: it is now at Copy desk, waiting for Newsroom copy editors."
    )
    article = ArticlePage.objects.get(title=TITLE)

    # In review, the writer is locked out: the primary button says so (not "Cancel workflow").
    assert action_menu(edit_screen(client, reporter, article))[0] == "Page locked"

    sent_back = act_from_dialog(client, copy_editor, article, "reject", "Name the harbour.")
    assert "Sent back from Copy desk to Rita Porter, with your comment" in " ".join(sent_back)
    screen = edit_screen(client, reporter, article)
    heading = status_heading(screen)
    assert heading.startswith("Changes requested") and heading.endswith("by Carla Desk"), heading

    client.force_login(reporter)
    client.post(edit_url(article), article_form(slug=article.slug, action="action-submit"))
    # The copy editor approves from the edit screen, fixing the headline on the way.
    response = act_from_edit_screen(
        client, copy_editor, article, "approve", title="Whitby harbour reopens"
    )
    assert messages_after(client, response)[-1] == (
        "Approved at Copy desk: “Whitby harbour reopens” is now at Editor sign-off, "
        "waiting for Newsroom editors."
    )

    editor_screen = edit_screen(client, editor, article)
    menu = action_menu(editor_screen)
    assert menu[0] == "Approve and Publish" and "Publish" not in menu
    assert status_heading(editor_screen).endswith("by Carla Desk")  # who sent it on

    published = act_from_dialog(client, editor, article, "approve")
    assert "Approved at Editor sign-off and published: “Whitby harbour reopens” is live." in (
        published
    )
    article.refresh_from_db()
    assert article.live
    status = words(edit_screen(client, editor, article).select_one("[data-side-panel='status']"))
    assert re.search(r"Live .*by Ed Chief", status), status
    assert "by Carla Desk" not in status.split("Live", 1)[1].split("Draft", 1)[0]
