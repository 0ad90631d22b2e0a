"""The dashboard per role: a new article per section, the writer's stories (sent back first,
with who and why), the reviewer's queue naming who submitted, scheduled and embargoed."""

import datetime

from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from .test_workflow import act_on_task, create_as
from .workflow_helpers import admin_datetime


def dashboard(client, user) -> BeautifulSoup:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text(soup, selector) -> str:
    element = soup.select_one(selector)
    return " ".join(element.get_text().split()) if element else ""


def name(user, first, last):
    user.first_name, user.last_name = first, last
    user.save()


def test_a_reporter_files_from_the_dashboard_in_each_section(client, reporter, world):
    soup = dashboard(client, reporter)
    links = {
        a.get_text(strip=True): a["href"] for a in soup.select("[data-dashboard=new-article] a")
    }
    assert links["World"] == reverse(
        "wagtailadmin_pages:add", args=["articles", "articlepage", world.pk]
    )
    assert client.get(links["World"]).status_code == 200


def test_the_writer_sees_sent_back_stories_first_with_who_and_why(
    client, reporter, copy_editor, world
):
    name(copy_editor, "Carla", "Desk")
    create_as(client, reporter, world, title="Draft only")
    _, waiting = create_as(client, reporter, world, action="action-submit", title="In review")
    _, returned = create_as(client, reporter, world, action="action-submit", title="Returned")
    act_on_task(client, copy_editor, returned, "reject", comment="Name the <i>harbour</i>.")

    soup = dashboard(client, reporter)
    sent_back = text(soup, "[data-dashboard=sent-back]")
    assert "Returned" in sent_back
    assert "Sent back by Carla Desk at Copy desk" in sent_back
    assert "“Name the <i>harbour</i>.”" in sent_back  # escaped, not markup
    assert soup.select_one("[data-dashboard=sent-back] i") is None
    assert "resubmit it to Copy desk" in sent_back
    in_review = text(soup, "[data-dashboard=in-review]")
    assert (
        "In review" in in_review and "At Copy desk, waiting for Newsroom copy editors" in in_review
    )
    assert "Returned" not in in_review
    assert "Draft only" in text(soup, "[data-dashboard=drafts]")
    assert "In review" not in text(soup, "[data-dashboard=drafts]")
    # Wagtail's own workflow panels, with their misleading names, are gone.
    assert "Your pages and snippets in a workflow" not in soup.get_text()


def test_the_queue_names_who_submitted_not_who_approved_the_step_before(
    client, reporter, copy_editor, editor, world
):
    name(reporter, "Rita", "Porter")
    name(copy_editor, "Carla", "Desk")
    _, article = create_as(client, reporter, world, action="action-submit")
    assert "Harbour reopens" in text(
        dashboard(client, copy_editor), "[data-dashboard=review-queue]"
    )
    assert not dashboard(client, editor).select("[data-dashboard=review-queue]")

    act_on_task(client, copy_editor, article, "approve")
    soup = dashboard(client, editor)
    queue = text(soup, "[data-dashboard=review-queue]")
    assert "Awaiting your review" not in soup.get_text()  # Wagtail's, which names Carla
    assert "Harbour reopens after storm" in queue and "Editor sign-off" in queue
    assert "Rita Porter" in queue and "Approved at Copy desk by Carla Desk" in queue
    assert queue.index("Approved at Copy desk by Carla Desk") < queue.index("Rita Porter")
    assert not dashboard(client, copy_editor).select("[data-dashboard=review-queue]")


def test_scheduled_and_embargoed_stories_with_their_times(client, editor, world):
    go_live = timezone.now() + datetime.timedelta(days=2)
    create_as(
        client,
        editor,
        world,
        action="action-publish",
        title="Budget leak",
        go_live_at=admin_datetime(go_live),
    )
    embargo = timezone.now() + datetime.timedelta(days=3)
    create_as(client, editor, world, title="Prize winners", embargo_until=admin_datetime(embargo))
    scheduled = text(dashboard(client, editor), "[data-dashboard=scheduled]")
    local = timezone.localtime
    assert f"Budget leak Scheduled for {local(go_live):%-d %b %Y, %H:%M}" in scheduled
    assert f"Prize winners Embargoed until {local(embargo):%-d %b %Y, %H:%M}" in scheduled


def test_an_assigned_reporter_finds_the_live_coverage_to_post_to(client, reporter, world, home):
    from articles.roles import REPORTERS

    from .live_helpers import make_live_page
    from .workflow_helpers import make_user

    make_live_page(world, title="Election night", assigned=[reporter])
    make_live_page(world, title="Ended coverage", assigned=[reporter], coverage_end=timezone.now())
    make_live_page(world, title="Not yet live", assigned=[reporter], live=False)
    soup = dashboard(client, reporter)
    panel = text(soup, "[data-dashboard=live-coverage]")
    assert "Post an update to Election night" in panel
    assert "Ended coverage" not in panel and "Not yet live" not in panel
    link = soup.select_one("[data-dashboard=live-coverage] a")["href"]
    assert client.get(link).status_code == 200
    # Someone not assigned sees no such panel.
    assert not dashboard(client, make_user("other", REPORTERS)).select(
        "[data-dashboard=live-coverage]"
    )
