"""Bylines for people: each name has a role on the story, readers read “By A and B. Photos by
C.”, and the same roles reach JSON-LD, feeds, the API and ninjs. Journalists are linked to
their author profile, and their new stories start with their byline."""

import extruct
import feedparser
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.models import ArticleAuthor, Author
from articles.roles import REPORTERS
from tests.conftest import publish_article

from .workflow_helpers import make_user


def log_in(client, username, password):
    """Through the admin's login form, as a person does (and as django-axes requires)."""
    response = client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}
    )
    assert response.status_code == 302, response.content[:300]


@pytest.fixture
def credited_story(world):
    anna = Author.objects.create(name="Anna Petrova", role="Moscow correspondent")
    ivan = Author.objects.create(name="Ivan Sokolov")
    maria = Author.objects.create(name="Maria Lind")
    olga = Author.objects.create(name="Olga <b>Bold</b>")
    article = publish_article(world, title="Talks begin in Geneva", standfirst="They met.")
    entries = [
        ArticleAuthor(author=maria, contribution="photos"),
        ArticleAuthor(author=anna),  # the default role: reporting
        ArticleAuthor(author=olga, contribution="translation"),
        ArticleAuthor(author=ivan, contribution="reporting"),
    ]
    for order, entry in enumerate(entries):
        entry.sort_order = order  # the editors' order, as the admin's form sets it
    article.byline = entries
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def test_readers_see_each_role_in_order(client, credited_story):
    soup = BeautifulSoup(client.get(credited_story.url).content, "html.parser")
    byline = soup.select_one(".byline")
    assert " ".join(byline.get_text().split()) == (
        "By Anna Petrova, Moscow correspondent and Ivan Sokolov. Photos by Maria Lind. "
        "Translated by Olga <b>Bold</b>."
    )
    assert byline.find("b") is None  # a name is text, never markup
    links = [a["href"] for a in byline.select("a.byline__name")]
    assert links == [
        "/authors/anna-petrova/",
        "/authors/ivan-sokolov/",
        "/authors/maria-lind/",
        "/authors/olga-bboldb/",
    ]


def test_json_ld_names_authors_contributors_and_translators(client, credited_story):
    url = credited_story.full_url
    html = client.get(credited_story.url).content.decode()
    (article,) = [
        item
        for item in extruct.extract(html, base_url=url, syntaxes=["json-ld"])["json-ld"]
        if item["@type"] == "NewsArticle"
    ]
    assert [p["name"] for p in article["author"]] == ["Anna Petrova", "Ivan Sokolov"]
    assert [p["name"] for p in article["contributor"]] == ["Maria Lind"]
    assert [p["name"] for p in article["translator"]] == ["Olga <b>Bold</b>"]
    assert article["contributor"][0]["url"] == "http://localhost/authors/maria-lind/"
    assert "editor" not in article


@pytest.mark.parametrize("path", ["/feed/", "/feed/atom/"])
def test_feeds_carry_authors_and_contributors(client, credited_story, path):
    feed = feedparser.parse(client.get(path).content)
    (entry,) = [e for e in feed.entries if e.title == "Talks begin in Geneva"]
    assert entry.author == "Anna Petrova, Ivan Sokolov"
    assert [c["name"] for c in entry.contributors] == ["Maria Lind", "Olga <b>Bold</b>"]
    assert not feed.bozo


def test_api_and_ninjs_carry_the_roles(client, credited_story):
    data = client.get(f"/api/v3/pages/{credited_story.pk}/").json()
    assert [(a["name"], a["contribution"], a["contribution_label"]) for a in data["authors"]] == [
        ("Maria Lind", "photos", "Photos"),
        ("Anna Petrova", "reporting", "Reporting"),
        ("Olga <b>Bold</b>", "translation", "Translation"),
        ("Ivan Sokolov", "reporting", "Reporting"),
    ]
    item = client.get(f"/api/ninjs/articles/{credited_story.pk}/").json()
    assert item["by"] == (
        "By Anna Petrova and Ivan Sokolov. Photos by Maria Lind. Translated by Olga <b>Bold</b>."
    )
    assert [(p["name"], p["rel"]) for p in item["people"]] == [
        ("Maria Lind", "photos"),
        ("Anna Petrova", "reporting"),
        ("Olga <b>Bold</b>", "translation"),
        ("Ivan Sokolov", "reporting"),
    ]


def test_a_role_set_through_the_api_is_kept(credited_story, world):
    from .test_api_write import article_payload, token_for

    editor = get_user_model().objects.create_superuser("chief", "c@example.com", "pw")
    maria = Author.objects.get(name="Maria Lind")
    payload = article_payload(world)
    payload["byline"] = [{"author_id": maria.pk, "contribution": "video"}]
    response = token_for(editor).post("/api/v3/pages/", payload)
    assert response.status_code == 201, response.content
    entry = ArticleAuthor.objects.get(page_id=response.json()["id"])
    assert (entry.author, entry.contribution) == (maria, "video")


def test_a_journalist_gets_an_author_profile_on_first_login(client, home):
    reporter = make_user("kim", REPORTERS)
    reporter.first_name, reporter.last_name = "Kim", "Lee"
    reporter.save()
    log_in(client, "kim", "pw-kim")
    profile = Author.objects.get(user=reporter)
    assert (profile.name, profile.slug) == ("Kim Lee", "kim-lee")
    client.logout()
    log_in(client, "kim", "pw-kim")
    assert Author.objects.filter(name="Kim Lee").count() == 1


def test_an_editor_made_profile_of_the_same_name_is_adopted(client, home):
    made_by_editor = Author.objects.create(name="Kim Lee", role="Health reporter")
    reporter = make_user("kim", REPORTERS)
    reporter.first_name, reporter.last_name = "Kim", "Lee"
    reporter.save()
    log_in(client, "kim", "pw-kim")
    made_by_editor.refresh_from_db()
    assert made_by_editor.user == reporter
    assert Author.objects.count() == 1


def test_people_outside_the_newsroom_get_no_profile(client, home):
    get_user_model().objects.create_superuser("root", "r@example.com", "pw")
    log_in(client, "root", "pw")
    assert not Author.objects.exists()


def test_a_new_story_starts_with_its_writers_byline(client, world):
    reporter = make_user("kim", REPORTERS)
    log_in(client, "kim", "pw-kim")
    profile = Author.objects.get(user=reporter)
    response = client.get(
        reverse("wagtailadmin_pages:add", args=("articles", "articlepage", world.pk))
    )
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("[name=byline-TOTAL_FORMS]")["value"] == "1"
    assert soup.select_one("[name=byline-0-author]")["value"] == str(profile.pk)
    role = soup.select_one("[name=byline-0-contribution] option[selected]")
    assert role.get_text() == "Reporting"
    # Opening a story that exists adds nobody, even one of theirs without a byline.
    other = publish_article(world, title="A story without a byline", live=False, owner=reporter)
    response = client.get(reverse("wagtailadmin_pages:edit", args=(other.pk,)))
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("[name=byline-TOTAL_FORMS]")["value"] == "0"


def test_a_reporter_credits_a_guest_and_cannot_claim_an_account(client, home):
    reporter = make_user("kim", REPORTERS)
    client.force_login(reporter)
    add = reverse("wagtailsnippets_articles_author:add")
    form = BeautifulSoup(client.get(add).content, "html.parser")
    assert form.select_one("[name=name]") is not None
    assert form.select_one("[name=user]") is None  # who is who is the editors' call
