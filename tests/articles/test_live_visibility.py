"""The live coverage visibility matrix: for each state a live coverage page (or one of its
updates) can be in, every door an anonymous reader or client can knock on. README.md prints
the same table ("Live coverage visibility"); its rows and columns are checked here.

Each state's page carries a marker in its headline and in its update's text. Before each
state change the doors are read once, so the cached stream (articles/live/updates.py) and
what it feeds are warm: the change has to reach them, not just a cold cache. A live, public
control page must show at every door, so a door that broke can't pass for one keeping a
secret.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from articles.live import entries
from articles.models import SectionPage
from articles.roles import EDITORS

from .live_helpers import make_live_page, post
from .workflow_helpers import make_user

README = Path(__file__).resolve().parents[2] / "README.md"

STATES = {
    "draft": "never published",
    "scheduled": "approved, go-live time ahead",
    "embargoed": "embargo time ahead",
    "login-private": "live, login restriction",
    "private section": "live, in a section with a restriction",
    "unpublished": "published, then unpublished",
    "deleted": "published, then deleted",
    "hidden update": "an update an editor hid",
}
DOORS = [
    "page URL",
    "update endpoint",
    "feeds of updates (RSS, Atom)",
    "API live entries",
    "API pages list and detail",
    "section page and feed",
    "ninjs 2.1 and 3.1",
    "JSON-LD",
]


def marker(state: str) -> str:
    return "Marker" + re.sub(r"[^a-z]", "", state.lower()).title()


@pytest.fixture
def coverage(world, home, django_capture_on_commit_callbacks, client):
    editor = make_user("editor", EDITORS)
    now = timezone.now()
    made = {}

    def live_page(state, section=world, **fields):
        name = marker(state)
        live = fields.pop("live", True)
        title = fields.pop("title", f"{name} coverage")
        page = make_live_page(section, title=title, live=live, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            post(page, editor, f"<p>{name} update text</p>")
        made[state] = page
        read_every_door(client, state, {"made": made})  # warm every cache before the change
        return page

    def change(action):
        """A state change, committed (its reactions run) as in the admin."""
        with django_capture_on_commit_callbacks(execute=True):
            action()

    live_page("control")
    live_page("draft", live=False)
    live_page("scheduled", live=False, go_live_at=now + datetime.timedelta(days=1))
    change(lambda: made["scheduled"].get_latest_revision().publish())
    live_page("embargoed", embargo_until=now + datetime.timedelta(hours=6))
    page = live_page("login-private")
    change(
        lambda: PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.LOGIN
        )
    )
    private_desk = SectionPage(title="Private desk")
    world.add_child(instance=private_desk)
    private_desk.save_revision().publish()
    live_page("private section", section=private_desk)
    change(
        lambda: PageViewRestriction.objects.create(
            page=private_desk, restriction_type=PageViewRestriction.LOGIN
        )
    )
    unpublished = live_page("unpublished")
    change(unpublished.unpublish)
    gone = live_page("deleted")
    made["deleted"] = type("Gone", (), {"pk": gone.pk, "url": gone.url})()
    change(gone.delete)
    hidden = live_page("hidden update", title="Visible coverage")
    change(lambda: entries.change(hidden.entries.get(), editor, is_hidden=True))
    return {"made": made}


def door_texts(client, door: str, state: str, coverage) -> list[str]:
    page = coverage["made"][state]

    def get(path):
        response = client.get(path)
        return response.content.decode(errors="replace") if response.status_code < 400 else ""

    if door == "page URL":
        return [get(page.url)]
    if door == "update endpoint":
        return [get(f"/live/{page.pk}/updates.json")]
    if door == "feeds of updates (RSS, Atom)":
        return [get(f"{page.url}feed/"), get(f"{page.url}feed/atom/")]
    if door == "API live entries":
        return [get(f"/api/v3/live-entries/?page={page.pk}")]
    if door == "API pages list and detail":
        return [
            get("/api/v3/pages/?type=articles.LiveCoveragePage&fields=title&limit=20"),
            get(f"/api/v3/pages/{page.pk}/"),
        ]
    if door == "section page and feed":
        return [get("/world/"), get("/world/feed/")]
    if door == "ninjs 2.1 and 3.1":
        return [get(f"/api/ninjs/articles/{page.pk}/"), get(f"/api/ninjs/3/articles/{page.pk}/")]
    if door == "JSON-LD":
        return re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', get(page.url), re.S
        )
    raise AssertionError(door)


def read_every_door(client, state, coverage):
    for door in DOORS:
        door_texts(client, door, state, coverage)


def hidden_markers(state: str) -> list[str]:
    if state == "hidden update":
        return [f"{marker(state)} update text"]  # the page itself stays visible
    return [marker(state)]


@pytest.mark.parametrize("state", list(STATES))
def test_no_door_shows_live_coverage_readers_may_not_see(client, coverage, state):
    leaks = {}
    for door in DOORS:
        text = "\n".join(door_texts(client, door, state, coverage))
        found = [m for m in hidden_markers(state) if m in text]
        if found:
            leaks[door] = found
    assert leaks == {}


# Doors that show the update's own words (the section lists the page, not its updates).
UPDATE_DOORS = set(DOORS) - {"API pages list and detail", "section page and feed"}


def test_every_door_shows_the_live_control_page(client, coverage):
    missing = []
    for door in DOORS:
        text = "\n".join(door_texts(client, door, "control", coverage))
        wanted = "MarkerControl update text" if door in UPDATE_DOORS else "MarkerControl"
        if wanted not in text:
            missing.append(door)
    assert missing == []


def test_the_readme_prints_this_matrix():
    text = README.read_text()
    section = text.split("## Live coverage visibility", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("|")]
    header, _rule, *rows = table
    assert [cell.strip() for cell in header.strip("|").split("|")][1:] == list(STATES)
    assert [row.strip("|").split("|")[0].strip() for row in rows] == DOORS
    for row in rows:
        assert [cell.strip() for cell in row.strip("|").split("|")][1:] == ["–"] * len(STATES)
