"""Breaking-news alerts: editors write them, every reader page shows the banner while one is
active, and the feed, API v3 and ninjs show the same alerts, gone on time."""

import datetime
import time

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from articles.models import AlertUrgency, BreakingNewsAlert
from articles.roles import COPY_EDITORS, EDITORS, REPORTERS

from .ninjs_schemas import VALIDATOR_2_1, VALIDATOR_3_1
from .workflow_helpers import make_user

ADD_URL = "wagtailsnippets_articles_breakingnewsalert:add"
LIST_URL = "wagtailsnippets_articles_breakingnewsalert:list"


@pytest.fixture
def story(world, article_factory):
    return article_factory(world, title="Dam breaks upstream of the city")


@pytest.fixture
def editor(home):
    return make_user("editor", EDITORS)


def alert_form(page, text="Evacuation ordered below the dam", **overrides):
    now = timezone.localtime()
    fields = {
        "text": text,
        "page": page.pk,
        "urgency": AlertUrgency.BREAKING,
        "starts_at": now.strftime("%Y-%m-%d %H:%M"),
        "expires_at": (now + datetime.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
    }
    if "story" in overrides:  # the chooser left empty
        fields["page"] = overrides.pop("story")
    return {**fields, **overrides}


def make_alert(page, text="Evacuation ordered below the dam", **fields):
    fields.setdefault("starts_at", timezone.now() - datetime.timedelta(minutes=1))
    fields.setdefault("expires_at", timezone.now() + datetime.timedelta(hours=1))
    return BreakingNewsAlert.objects.create(page=page, text=text, **fields)


def banner_of(html: str) -> str:
    start = html.find('class="alert-banner')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


def doors(client, story, alert_id) -> dict[str, str]:
    """What each door shows of the alerts, as text."""
    ninjs = client.get(f"/api/ninjs/alerts/{alert_id}/")
    return {
        "front page": banner_of(client.get("/").content.decode()),
        "section": banner_of(client.get(story.get_parent().url).content.decode()),
        "article": banner_of(client.get(story.url).content.decode()),
        "search": banner_of(client.get(reverse("articles:search"), {"q": "dam"}).content.decode()),
        "banner": client.get("/alerts/banner/").content.decode(),
        "feed": client.get("/alerts/feed/").content.decode(),
        "api": client.get("/api/v3/alerts/").content.decode(),
        "ninjs": ninjs.content.decode() if ninjs.status_code == 200 else "",
    }


def test_an_editor_writes_an_alert_and_every_door_shows_it(
    client, story, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(ADD_URL), alert_form(story))
    assert response.status_code == 302, response.context["form"].errors
    alert = BreakingNewsAlert.objects.get()
    assert alert.created_by == editor
    client.logout()

    for door, text in doors(client, story, alert.pk).items():
        assert "Evacuation ordered below the dam" in text, door
    page = client.get("/").content.decode()
    assert f'href="{story.url}"' in banner_of(page)
    assert "Breaking" in banner_of(page)

    feed = feedparser.parse(client.get("/alerts/feed/").content)
    assert [e.title for e in feed.entries] == ["Breaking: Evacuation ordered below the dam"]
    assert feed.entries[0].link == story.full_url
    atom = feedparser.parse(client.get("/alerts/feed/atom/").content)
    assert atom.version == "atom10" and len(atom.entries) == 1

    [listed] = client.get("/api/v3/alerts/").json()
    assert listed["urgency"] == 1 and listed["page_id"] == story.pk
    assert listed["url"] == story.full_url

    for path, validator in (
        ("/api/ninjs/alerts/", VALIDATOR_2_1),
        ("/api/ninjs/3/alerts/", VALIDATOR_3_1),
    ):
        item = client.get(f"{path}{alert.pk}/").json()
        assert list(validator.iter_errors(item)) == []
        assert item["urgency"] == 1
        assert item["associations"][0]["uri"] == story.full_url
    assert client.get(f"/api/ninjs/articles/{story.pk}/").json()["urgency"] == 1


def test_the_banner_shows_the_most_urgent_alert_and_escapes_its_text(
    client, story, world, article_factory, django_capture_on_commit_callbacks
):
    other = article_factory(world, title="Council meets")
    make_alert(
        other, "<script>alert(1)</script> Council session moved", urgency=AlertUrgency.DEVELOPING
    )
    make_alert(story, "Dam breaks", urgency=AlertUrgency.BREAKING)
    page = client.get("/").content.decode()
    assert "Dam breaks" in banner_of(page)
    assert "Council session" not in banner_of(page)
    assert [a["text"] for a in client.get("/api/v3/alerts/").json()] == [
        "Dam breaks",
        "<script>alert(1)</script> Council session moved",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        BreakingNewsAlert.objects.filter(text="Dam breaks").delete()
    page = client.get("/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Council session moved" in banner_of(page)
    assert "<script>alert(1)" not in page
    assert "<script>alert(1)" not in client.get("/alerts/feed/").content.decode()


def test_an_alert_expires_on_time_at_every_door_however_warm_the_caches(client, story):
    alert = make_alert(story, expires_at=timezone.now() + datetime.timedelta(seconds=2))
    before = doors(client, story, alert.pk)  # every door computed and cached
    assert all("Evacuation ordered" in text for text in before.values())
    # Nothing that shows the alert may be kept past its expiry.
    for path in ("/alerts/banner/", "/alerts/feed/", "/api/v3/alerts/"):
        cache_control = client.get(path)["Cache-Control"]
        assert "s-maxage=2" in cache_control or "s-maxage=1" in cache_control, cache_control
    time.sleep(max(0, (alert.expires_at - timezone.now()).total_seconds()) + 0.05)
    for door, text in doors(client, story, alert.pk).items():
        assert "Evacuation ordered" not in text, door
    assert "urgency" not in client.get(f"/api/ninjs/articles/{story.pk}/").json()


def test_an_alert_shows_from_its_start(client, story):
    alert = make_alert(story, starts_at=timezone.now() + datetime.timedelta(hours=1))
    for door, text in doors(client, story, alert.pk).items():
        assert "Evacuation ordered" not in text, door
    assert "s-maxage=60" in client.get("/alerts/banner/")["Cache-Control"]


@pytest.mark.parametrize("change", ["unpublish", "private", "delete alert"])
def test_a_story_readers_stop_seeing_takes_its_alert_from_every_door(
    client, story, change, django_capture_on_commit_callbacks
):
    alert = make_alert(story)
    assert all("Evacuation ordered" in text for text in doors(client, story, alert.pk).values())
    with django_capture_on_commit_callbacks(execute=True):
        if change == "unpublish":
            story.unpublish()
        elif change == "private":
            PageViewRestriction.objects.create(
                page=story, restriction_type=PageViewRestriction.PASSWORD, password="x"
            )
        else:
            alert.delete()
    for door, text in doors(client, story, alert.pk).items():
        assert "Evacuation ordered" not in text, door


def test_behind_varnish_pages_include_the_banner_by_esi(client, story):
    make_alert(story)
    response = client.get(story.url, HTTP_SURROGATE_CAPABILITY="varnish=ESI/1.0")
    html = response.content.decode()
    assert '<esi:include src="/alerts/banner/" />' in html
    assert "Evacuation ordered" not in html  # the page is the same whatever the alerts
    assert response["Surrogate-Control"] == 'content="ESI/1.0"'
    assert "Surrogate-Control" not in client.get(story.url)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"text": "x" * 141}, "text", "at most 140 characters"),
        ({"story": ""}, "page", "Choose the article or live coverage page"),
        ({"expires_at": ""}, "expires_at", "pick a “show until” time"),
        ({"expires_at": "2020-01-01 10:00"}, "expires_at", "This time has passed"),
        (
            {"starts_at": "2999-01-02 10:00", "expires_at": "2999-01-01 10:00"},
            "expires_at",
            "must end after it starts",
        ),
    ],
)
def test_the_alert_form_says_what_is_wrong(client, story, editor, overrides, field, message):
    client.force_login(editor)
    response = client.post(reverse(ADD_URL), alert_form(story, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not BreakingNewsAlert.objects.exists()


def test_an_alert_links_only_to_a_story_readers_can_see(client, world, editor, article_factory):
    draft = article_factory(world, title="Not yet", live=False)
    client.force_login(editor)
    response = client.post(reverse(ADD_URL), alert_form(draft))
    assert "Readers cannot see “Not yet” yet" in " ".join(response.context["form"].errors["page"])
    response = client.post(reverse(ADD_URL), alert_form(world))
    assert "is not an article or live coverage page" in " ".join(
        response.context["form"].errors["page"]
    )
    assert not BreakingNewsAlert.objects.exists()


@pytest.mark.parametrize("group", [REPORTERS, COPY_EDITORS])
def test_only_editors_write_alerts(client, story, group):
    client.force_login(make_user("someone", group))
    assert client.get(reverse(LIST_URL)).status_code in (302, 403)
    response = client.post(reverse(ADD_URL), alert_form(story))
    assert response.status_code in (302, 403)
    assert not BreakingNewsAlert.objects.exists()
    assert "Breaking news" not in client.get(reverse("wagtailadmin_home")).content.decode()
