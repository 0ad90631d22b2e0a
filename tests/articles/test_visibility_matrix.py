"""The visibility matrix: for each state an article (or its photo) can be in, every door an
anonymous reader or client can knock on, asserted cell by cell. README.md prints the same
table as a promise (its rows and columns are checked against STATES and DOORS below).

Each state's article carries marker words in its headline and its photo's title; a door
shows a state's content when a marker appears in what the door answers. A live, public
control article must show at every door a reader can see it through, so a door that broke
(answering nothing) cannot pass for a door that keeps a secret. The Varnish column (the copy
the cache keeps after a change) is tests/deploy/test_varnish.py, against a real varnishd.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.blocks import StreamValue
from wagtail.models import PageViewRestriction

from articles.models import ArticleCorrection, ArticlePage, Author, SectionPage
from articles.sitemaps import bucket_of

README = Path(__file__).resolve().parents[2] / "README.md"

STATES = {
    "draft": "never published",
    "scheduled": "approved, go-live time ahead",
    "embargoed": "embargo time ahead",
    "password-private": "live, password restriction",
    "login-private": "live, login restriction",
    "group-private": "live, group restriction",
    "private section": "live, in a section with a restriction",
    "unpublished": "published, then unpublished",
    "deleted": "published, then deleted",
    "moved": "published, then moved (its old address)",
    "live with a newer draft": "the draft's text",
    "image used only by a draft": "a photo no live page uses",
}
DOORS = [
    "page URL",
    "front page",
    "section page 1 and 2",
    "feeds (site, section, Atom)",
    "sitemap index and pages",
    "news sitemap",
    "search",
    "author and topic pages, feeds",
    "corrections page and feed",
    "related stories",
    "related links in another story",
    "API pages list, detail, find",
    "API revisions",
    "API images, documents",
    "API redirects",
    "ninjs 2.1 and 3.1",
    "JSON-LD",
    "original image file",
    "admin preview",
]


def marker(state: str) -> str:
    return "Marker" + re.sub(r"[^a-z]", "", state.title().replace(" ", "").lower()).title()


@pytest.fixture
def newsroom(top_stories, world, make_image, article_factory, settings):
    """One article per state, each with a photo, plus the live control; all recent."""
    settings.NEWSROOM_SECTION_PAGE_SIZE = 2  # so section page 2 exists
    now = timezone.now()
    made = {}
    desk = Author.objects.create(name="Matrix Desk")

    def article(state, section=world, live=True, **fields):
        name = marker(state)
        photo = make_image(f"{name} photo")
        # An author, a topic and a correction of its own, and a desk and topic shared by all.
        writer = Author.objects.create(name=f"{name} writer")
        fields.update(
            authors=[writer, desk],
            tags=[f"{name} topic", "matrixtopic"],
            corrections=[ArticleCorrection(kind="correction", text=f"{name} correction note")],
        )
        made[state] = article_factory(
            section,
            title=f"{name} story",
            published=now - datetime.timedelta(minutes=len(made)),
            lead_image=photo,
            lead_image_alt="A photo",
            lead_image_credit="Staff",
            live=live,
            secondary_sections=[top_stories],
            **fields,
        )
        made[state].photo = photo
        return made[state]

    control = article("control")
    fillers = [  # fill section pages 1 and 2; related stories of the control's topic
        article_factory(
            world,
            title=f"Filler {n}",
            published=now - datetime.timedelta(days=1),
            tags=["matrixtopic"],
        )
        for n in range(4)
    ]
    article("draft", live=False)
    article("scheduled", go_live_at=now + datetime.timedelta(days=1), live=False)
    scheduled = made["scheduled"]
    scheduled.get_latest_revision().publish()  # approved: scheduled, not live
    article("embargoed", embargo_until=now + datetime.timedelta(hours=6))
    for state, kind in (
        ("password-private", PageViewRestriction.PASSWORD),
        ("login-private", PageViewRestriction.LOGIN),
        ("group-private", PageViewRestriction.GROUPS),
    ):
        restriction = PageViewRestriction.objects.create(
            page=article(state), restriction_type=kind, password="letmein"
        )
        if kind == PageViewRestriction.GROUPS:
            restriction.groups.set([Group.objects.create(name="Subscribers")])
    private_desk = SectionPage(title="MarkerPrivatesection desk")
    world.add_child(instance=private_desk)
    private_desk.save_revision().publish()
    PageViewRestriction.objects.create(
        page=private_desk, restriction_type=PageViewRestriction.LOGIN
    )
    article("private section", section=private_desk)
    article("unpublished").unpublish()
    gone = article("deleted")
    gone_url, gone_id = gone.url, gone.pk
    gone.delete()
    moved = article("moved")
    old_url, photo = moved.url, moved.photo
    moved.move(top_stories, pos="last-child")
    moved = ArticlePage.objects.get(pk=moved.pk)
    moved.old_url, moved.photo = old_url, photo
    made["moved"] = moved
    newer = article("live with a newer draft")
    newer.title = "MarkerLivewithanewerdraft unreleased headline"
    newer.save_revision()
    draft_only = make_image("MarkerImageusedonlybyadraft photo")
    article_factory(world, title="Draft with a photo", live=False, lead_image=draft_only)
    # A live story whose body links to every state's story (and to the deleted one's id).
    targets = [page.pk for page in made.values()] + [gone_id]
    linker = article_factory(
        world,
        title="Filler linking everything",
        published=now - datetime.timedelta(days=2),
        body=StreamValue(
            ArticlePage._meta.get_field("body").stream_block,
            [
                {"type": "related_link", "value": {"page": pk, "url": "", "text": ""}}
                for pk in targets
            ],
            is_lazy=True,
        ),
    )
    return {
        "linker": linker,
        "made": made,
        "control": control,
        "filler": fillers[0],
        "deleted": (gone_url, gone_id),
        "draft_only_photo": draft_only,
    }


def state_markers(state: str, newsroom) -> list[str]:
    if state == "moved":
        return [newsroom["made"]["moved"].old_url]
    if state == "live with a newer draft":
        return ["unreleased headline"]
    if state == "image used only by a draft":
        return ["MarkerImageusedonlybyadraft", newsroom["draft_only_photo"].file.name]
    return [marker(state)]


def article_of(state, newsroom):
    return newsroom["made"].get(state)


def door_texts(client, door: str, state: str, newsroom) -> list[str]:
    """What the door answers an anonymous reader, as text, for the state's article."""
    article = article_of(state, newsroom)
    control = newsroom["control"]
    page_id = article.pk if article else newsroom["deleted"][1]
    url = (
        article.old_url if state == "moved" else article.url if article else newsroom["deleted"][0]
    )

    def get(path, **kwargs):
        response = client.get(path, **kwargs)
        return response.content.decode(errors="replace") if response.status_code < 400 else ""

    if door == "page URL":
        return [get(url)] if state != "moved" else [get(url, follow=True)]
    if door == "front page":
        return [get("/")]
    if door == "section page 1 and 2":
        return [get("/world/"), get("/world/?page=2"), get("/top-stories/")]
    if door == "feeds (site, section, Atom)":
        return [get(u) for u in ("/feed/", "/feed/atom/", "/world/feed/", "/world/feed/atom/")]
    if door == "sitemap index and pages":
        pages = {bucket_of(page_id), bucket_of(control.pk)}
        return [get("/sitemap.xml"), get("/sitemap-sections.xml")] + [
            get(f"/sitemap-articles-{bucket}.xml") for bucket in pages
        ]
    if door == "news sitemap":
        return [get("/news-sitemap.xml")]
    if door == "search":
        return [get("/search/?q=Marker"), get("/search/?q=story")]
    if door == "author and topic pages, feeds":
        own = marker(state).lower()
        paths = [f"/authors/{own}-writer/", "/authors/matrix-desk/"]
        paths += [f"/topics/{own}-topic/", "/topics/matrixtopic/"]
        return [get(p) for p in paths] + [get(f"{p}feed/") for p in paths]
    if door == "corrections page and feed":
        return [get("/corrections/"), get("/corrections/feed/")]
    if door == "related stories":
        # Under the control and under a filler; the control's own page would show it anyway.
        if state == "control":
            return [get(newsroom["filler"].url)]
        return [get(control.url), get(newsroom["filler"].url)]
    if door == "related links in another story":
        linker = newsroom["linker"]
        return [get(linker.url), get(f"/api/ninjs/articles/{linker.pk}/")]
    if door == "API pages list, detail, find":
        return [
            get("/api/v3/pages/?type=articles.ArticlePage&fields=title&limit=20"),
            get("/api/v3/pages/?type=articles.ArticlePage&fields=title&limit=20&offset=20"),
            get(f"/api/v3/pages/{page_id}/"),
            get(f"/api/v3/pages/find/?html_path={url}", follow=True),
        ]
    if door == "API revisions":
        return [get(f"/api/v3/pages/{page_id}/revisions/")]
    if door == "API images, documents":
        return [get("/api/v3/images/?limit=20"), get("/api/v3/documents/")]
    if door == "API redirects":
        return [get("/api/v3/redirects/")]
    if door == "ninjs 2.1 and 3.1":
        return [get(f"/api/ninjs/articles/{page_id}/"), get(f"/api/ninjs/3/articles/{page_id}/")]
    if door == "JSON-LD":
        html = get(url, follow=True)
        return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    if door == "original image file":
        photo = (
            newsroom["draft_only_photo"]
            if state == "image used only by a draft"
            else getattr(article, "photo", None)
        )
        if photo is None:
            return []
        response = client.get(photo.file.url)
        return [photo.title if response.status_code == 200 else ""]
    if door == "admin preview":
        return [get(f"/admin/pages/{page_id}/view_draft/"), get(f"/admin/pages/{page_id}/edit/")]
    raise AssertionError(door)


# Doors a reader of the live control article sees it through (the others hold nothing for
# anonymous clients at all: revisions and redirects need a token, originals and previews are
# for staff).
CONTROL_DOORS = set(DOORS) - {
    "API revisions",
    "API redirects",
    "original image file",
    "admin preview",
}


@pytest.mark.parametrize("state", list(STATES))
def test_no_door_shows_what_readers_may_not_see(client, newsroom, state):
    leaks = {}
    for door in DOORS:
        text = "\n".join(door_texts(client, door, state, newsroom))
        found = [m for m in state_markers(state, newsroom) if m in text]
        if found:
            leaks[door] = found
    assert leaks == {}


def test_every_door_shows_the_live_control_article(client, newsroom):
    control = newsroom["control"]
    missing = [
        door
        for door in sorted(CONTROL_DOORS)
        if "MarkerControl" not in "\n".join(door_texts(client, door, "control", newsroom))
        and control.url not in "\n".join(door_texts(client, door, "control", newsroom))
    ]
    assert missing == []


def test_the_live_version_of_a_page_with_a_newer_draft_is_what_readers_get(client, newsroom):
    article = newsroom["made"]["live with a newer draft"]
    html = client.get(article.url).content.decode()
    assert "MarkerLivewithanewerdraft story" in html


def test_the_readme_prints_this_matrix():
    text = README.read_text()
    section = text.split("## Visibility matrix", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("|")]
    header, _rule, *rows = table
    assert [cell.strip() for cell in header.strip("|").split("|")][1:] == list(STATES)
    assert [row.strip("|").split("|")[0].strip() for row in rows] == DOORS
    for row in rows:
        assert [cell.strip() for cell in row.strip("|").split("|")][1:] == ["–"] * len(STATES)
