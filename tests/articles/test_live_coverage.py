"""Live coverage: the page readers follow, who may post, and what every door shows."""

import datetime
import json
import re
from unittest import mock

import extruct
import feedparser
import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from articles.live import entries
from articles.models import LiveEntry
from articles.roles import EDITORS, REPORTERS

from .live_helpers import entry_body, live_entry_form, make_live_page, post
from .ninjs_schemas import VALIDATOR_2_1, VALIDATOR_3_1
from .workflow_helpers import make_user


@pytest.fixture
def desk(home):
    return {
        "reporter": make_user("reporter", REPORTERS),
        "outsider": make_user("outsider", REPORTERS),
        "editor": make_user("editor", EDITORS),
    }


@pytest.fixture
def live_page(world, desk):
    return make_live_page(world, standfirst="Results as they come in", assigned=[desk["reporter"]])


def ids_in_order(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-entry-id="(\d+)"', html)]


def test_readers_see_the_pinned_update_first_then_the_newest_and_the_key_events(
    client, live_page, desk, django_capture_on_commit_callbacks
):
    now = timezone.now()
    editor = desk["editor"]
    with django_capture_on_commit_callbacks(execute=True):
        first = post(
            live_page, editor, "<p>Polls open.</p>", posted_at=now - datetime.timedelta(hours=3)
        )
        pinned = post(
            live_page,
            editor,
            "<p>How to follow tonight.</p>",
            is_pinned=True,
            posted_at=now - datetime.timedelta(hours=2),
        )
        key = post(
            live_page,
            desk["reporter"],
            "<p>First seat declared &lt;b&gt;North&lt;/b&gt;.</p>",
            headline="First seat declared",
            is_key_event=True,
        )
    html = client.get(live_page.url).content.decode()
    assert ids_in_order(html) == [pinned.pk, key.pk, first.pk]
    assert 'class="live-entry live-entry--pinned"' in html
    assert f'href="#update-{key.pk}"' in html  # each update's permalink
    key_events = html[html.index('id="key-events-heading"') :]
    assert "First seat declared" in key_events[: key_events.index("</ol>")]
    assert "&lt;b&gt;North&lt;/b&gt;" in html and "<b>North</b>" not in html


def test_an_assigned_reporter_posts_in_the_admin_and_it_is_live_at_once(
    client, live_page, desk, django_capture_on_commit_callbacks
):
    client.force_login(desk["reporter"])
    form = client.get(reverse("wagtailsnippets_articles_liveentry:add") + f"?page={live_page.pk}")
    assert form.status_code == 200
    assert "Hidden" not in form.content.decode()  # editors' fields only
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_articles_liveentry:add"),
            live_entry_form(live_page, "Turnout is up in the north"),
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = LiveEntry.objects.get()
    assert entry.posted_by == desk["reporter"]
    assert [a.name for a in entry.authors.all()] == ["reporter"]
    client.logout()
    assert "Turnout is up in the north" in client.get(live_page.url).content.decode()
    history = PageLogEntry.objects.filter(page=live_page, action="newsroom.live_entry.post")
    assert history.get().user == desk["reporter"]


def test_someone_not_assigned_cannot_post_by_any_door(client, live_page, desk):
    outsider = desk["outsider"]
    with pytest.raises(PermissionDenied, match="aren't assigned"):
        post(live_page, outsider)
    client.force_login(outsider)
    response = client.post(
        reverse("wagtailsnippets_articles_liveentry:add"), live_entry_form(live_page, "Sneaky")
    )
    assert response.status_code in (200, 302, 403)
    assert not LiveEntry.objects.exists()
    from .test_api_write import token_for

    api = token_for(outsider)
    answer = api.client.post(
        "/api/v3/live-entries/",
        data=json.dumps(
            {"page": live_page.pk, "body": [{"type": "paragraph", "value": "<p>x</p>"}]}
        ),
        content_type="application/json",
        headers=api.headers,
    )
    assert answer.status_code == 403, answer.content
    assert "aren't assigned" in answer.json()["detail"]
    assert not LiveEntry.objects.exists()


def test_a_photo_needs_alt_text_and_credit_as_in_articles(live_page, desk, make_image):
    photo = make_image("Count")
    with pytest.raises(ValidationError, match="no credit"):
        post(
            live_page,
            desk["reporter"],
            body=entry_body(
                {"image": photo.pk, "alt_text": "Ballots", "caption": "", "credit": ""}
            ),
        )
    assert not LiveEntry.objects.exists()


def test_an_editor_hides_an_update_and_every_door_drops_it(
    client, live_page, desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = post(live_page, desk["reporter"], "<p>Wrongly called seat</p>")
    assert "Wrongly called seat" in client.get(live_page.url).content.decode()
    with pytest.raises(PermissionDenied):
        entries.change(entry, desk["reporter"], is_hidden=True)
    with django_capture_on_commit_callbacks(execute=True):
        entries.change(entry, desk["editor"], is_hidden=True)
    doors = [
        live_page.url,
        f"/live/{live_page.pk}/updates.json",
        f"{live_page.url}feed/",
        f"{live_page.url}feed/atom/",
        f"/api/v3/live-entries/?page={live_page.pk}",
        f"/api/ninjs/articles/{live_page.pk}/",
    ]
    for door in doors:
        response = client.get(door)
        assert response.status_code == 200, door
        assert "Wrongly called seat" not in response.content.decode(), door
    hidden = PageLogEntry.objects.get(page=live_page, action="newsroom.live_entry.hide")
    assert hidden.user == desk["editor"]
    assert "Wrongly called seat" in hidden.data["text"]


def test_a_poll_costs_one_cache_read_and_an_unchanged_stream_a_304(client, live_page, desk):
    post(live_page, desk["editor"])
    client.get(f"/live/{live_page.pk}/updates.json")  # warm
    with mock.patch.object(cache, "get", wraps=cache.get) as reads:
        response = client.get(f"/live/{live_page.pk}/updates.json")
    assert response.status_code == 200
    assert reads.call_count == 1
    assert "s-maxage=5" in response["Cache-Control"]
    again = client.get(f"/live/{live_page.pk}/updates.json", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_coverage_that_ended_takes_no_more_posts_from_reporters_and_stops_polling(
    client, world, desk, django_capture_on_commit_callbacks
):
    ended = make_live_page(
        world,
        title="Storm passes",
        assigned=[desk["reporter"]],
        coverage_end=timezone.now() - datetime.timedelta(minutes=1),
    )
    with pytest.raises(PermissionDenied, match="has ended"):
        post(ended, desk["reporter"])
    with django_capture_on_commit_callbacks(execute=True):
        post(ended, desk["editor"], "<p>Final tally.</p>")
    data = client.get(f"/live/{ended.pk}/updates.json").json()
    assert data["status"] == "ended"
    assert "Coverage ended" in client.get(ended.url).content.decode()


def test_json_ld_is_a_live_blog_posting_with_an_update_per_entry(
    client, live_page, desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = post(live_page, desk["reporter"], "<p>Count begins.</p>", headline="Count begins")
    html = client.get(live_page.url).content.decode()
    data = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
    blog = next(item for item in data if item["@type"] == "LiveBlogPosting")
    assert blog["coverageStartTime"]
    update = blog["liveBlogUpdate"][0]
    assert update["@type"] == "BlogPosting"
    assert update["headline"] == "Count begins"
    assert update["url"].endswith(f"#update-{entry.pk}")
    assert update["datePublished"] == entry.posted_at.isoformat()


def test_the_feeds_list_the_updates_newest_first(
    client, live_page, desk, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        older = post(
            live_page, desk["editor"], "<p>Older</p>", posted_at=now - datetime.timedelta(hours=1)
        )
        newer = post(live_page, desk["editor"], "<p>Newer</p>")
    for path in ("feed/", "feed/atom/"):
        feed = feedparser.parse(client.get(live_page.url + path).content)
        assert not feed.bozo, feed.bozo_exception
        assert [e.link.rsplit("#", 1)[1] for e in feed.entries] == [
            f"update-{newer.pk}",
            f"update-{older.pk}",
        ]
    section_feed = feedparser.parse(client.get("/world/feed/").content)
    assert live_page.title in [e.title for e in section_feed.entries]  # filed like an article


def test_ninjs_carries_the_updates_as_ordered_associations(
    client, live_page, desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = post(
            live_page,
            desk["editor"],
            "<p>One</p>",
            posted_at=timezone.now() - datetime.timedelta(minutes=5),
        )
        second = post(live_page, desk["editor"], "<p>Two</p>")
    for path, version in (
        (f"/api/ninjs/articles/{live_page.pk}/", "2.1"),
        (f"/api/ninjs/3/articles/{live_page.pk}/", "3.1"),
    ):
        item = client.get(path).json()
        validator = VALIDATOR_2_1 if version == "2.1" else VALIDATOR_3_1
        assert list(validator.iter_errors(item)) == []
        names = [a["name"] for a in item["associations"]]
        assert names == [f"update-{second.pk}", f"update-{first.pk}"]
        assert item["profile"] == "newsroom-live-coverage"


def test_an_operator_posts_an_update_without_a_byline(live_page):
    """A script or the desk (`by_operator`) may post with no author: the update has none."""
    entry = entries.post(
        live_page, None, LiveEntry(body=entry_body("<p>Polls close at ten.</p>")), by_operator=True
    )
    assert entry.pk and list(entry.authors.all()) == []
