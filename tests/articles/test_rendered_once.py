"""Reader pages rendered once per content version for anonymous readers; staff, sessions,
private pages and previews never read or fill the shared copy."""

import pytest
from django.test import RequestFactory
from django.test.signals import template_rendered
from django.urls import reverse
from wagtail.models import PageViewRestriction, Site

from articles.reader import rendered
from articles.roles import EDITORS

from .workflow_helpers import make_user


@pytest.fixture
def story(world, article_factory):
    return article_factory(world, title="Harbour reopens after the storm")


class Templates:
    """The page templates a request rendered."""

    def __init__(self):
        self.names = []

    def __enter__(self):
        template_rendered.connect(self.record)
        return self

    def __exit__(self, *exc):
        template_rendered.disconnect(self.record)

    def record(self, sender, template, **kwargs):
        self.names.append(template.name)

    def rendered_page(self) -> bool:
        return any(name.endswith("_page.html") for name in self.names if name)


def get(client, url, **extra):
    with Templates() as templates:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response, templates.rendered_page()


def copy_of(page, query="") -> bytes | None:
    request = RequestFactory().get(page.url + query)
    request._wagtail_site = Site.objects.get(is_default_site=True)
    value = rendered.shared_copy(request, page)
    return value[1] if value else None


@pytest.mark.parametrize("which", ["front", "section", "article"])
def test_an_anonymous_reader_gets_the_page_rendered_once(client, story, which):
    page = {"front": story.get_parent().get_parent(), "section": story.get_parent()}.get(
        which, story
    ).specific
    first, rendered_first = get(client, page.url)
    second, rendered_second = get(client, page.url)
    assert rendered_first and not rendered_second
    assert second.content == first.content
    assert b"Harbour reopens after the storm" in second.content
    assert copy_of(page) is not None


def test_a_change_readers_see_renders_the_page_again(
    client, story, django_capture_on_commit_callbacks
):
    get(client, story.url)
    story.title = "Harbour reopens at last"
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    response, rendered_again = get(client, story.url)
    assert rendered_again and b"Harbour reopens at last" in response.content
    assert b"after the storm" not in response.content


def test_each_page_of_a_section_has_its_own_copy(client, world, article_factory, settings):
    settings.NEWSROOM_SECTION_PAGE_SIZE = 1
    for n in range(3):
        article_factory(world, title=f"Story {n}")
    pages = [get(client, f"{world.url}?page={n}")[0].content for n in (1, 2, 3)]
    assert len(set(pages)) == 3
    assert b"Story 2" in pages[0] and b"Story 0" in pages[2]


def test_staff_never_read_or_fill_the_shared_copy(client, story):
    client.force_login(make_user("editor", EDITORS))
    _, rendered_for_staff = get(client, story.url)
    assert rendered_for_staff and copy_of(story) is None  # staff filled nothing
    client.logout()
    get(client, story.url)  # a reader fills it
    assert copy_of(story) is not None
    client.force_login(make_user("editor2", EDITORS))
    _, rendered_again = get(client, story.url)
    assert rendered_again  # staff render their own, never the readers' copy


def test_a_private_page_never_lands_in_the_shared_copy(client, story):
    restriction = PageViewRestriction.objects.create(
        page=story, restriction_type=PageViewRestriction.PASSWORD, password="tide"
    )
    response = client.get(story.url)
    assert b"Harbour reopens after the storm" not in response.content  # the password form
    url = reverse("articles:authenticate_with_password", args=(restriction.pk, story.pk))
    client.post(url, {"password": "tide", "return_url": story.url})
    seen, _ = get(client, story.url)
    assert b"Harbour reopens after the storm" in seen.content
    assert copy_of(story) is None
    client.cookies.clear()
    assert b"Harbour reopens after the storm" not in client.get(story.url).content


def test_a_reader_with_a_session_renders_their_own(client, story):
    get(client, story.url)  # the shared copy exists
    client.cookies["sessionid"] = "someone"
    _, rendered_for_them = get(client, story.url)
    assert rendered_for_them


def test_the_banner_is_filled_per_request_in_a_shared_page(client, story):
    get(client, story.url)
    cached = copy_of(story)
    assert rendered.BANNER_SLOT.encode() in cached
    response, _ = get(client, story.url)
    assert rendered.BANNER_SLOT.encode() not in response.content
    response, _ = get(client, story.url, HTTP_SURROGATE_CAPABILITY="varnish=ESI/1.0")
    assert b'<esi:include src="/alerts/banner/" />' in response.content
    assert response["Surrogate-Control"] == 'content="ESI/1.0"'


def queries(client, url, **extra) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("path", ["/feed/", "/feed/atom/", "/world/feed/", "/corrections/"])
def test_feeds_and_archives_are_rendered_once_too(client, story, path):
    first = client.get(path).content
    assert queries(client, path) == 0
    assert client.get(path).content == first


def test_an_author_change_reaches_their_shared_page(
    client, world, article_factory, author, django_capture_on_commit_callbacks
):
    from articles.models import ArticleAuthor

    article = article_factory(world, title="Talks resume")
    ArticleAuthor.objects.create(page=article, author=author)
    article.save_revision().publish()
    url = f"/authors/{author.slug}/"
    assert b"Moscow correspondent" in client.get(url).content
    author.role = "Kyiv correspondent"
    with django_capture_on_commit_callbacks(execute=True):
        author.save()
    assert b"Kyiv correspondent" in client.get(url).content


def test_a_live_coverage_page_is_never_kept_whole(client, world):
    """Its status (live, ended) follows the clock: it renders from its cached stream."""
    from .live_helpers import make_live_page

    page = make_live_page(world)
    get(client, page.url)
    _, rendered_again = get(client, page.url)
    assert rendered_again and copy_of(page) is None


def test_only_the_page_number_makes_another_copy(client, world, story):
    """Tracking parameters share the plain copy; a page number that is not one renders its
    own and keeps nothing, so a hostile query string cannot multiply the copies."""
    get(client, world.url)
    _, rendered_again = get(client, world.url + "?utm_source=news&x=1")
    assert not rendered_again
    _, rendered_odd = get(client, world.url + "?page=abc")
    _, rendered_odd_again = get(client, world.url + "?page=abc")
    assert rendered_odd and rendered_odd_again
    assert copy_of(world, "?page=abc") is None
