"""Reader routing from the reader cache: the same site, page and restrictions Wagtail would
find, and never a stale answer after content or sites change."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from articles import reader_cache
from articles.routing import site_for_hostname


@pytest.fixture
def several_sites(home):
    """Sites that exercise each of Wagtail's matching rules."""
    other_root = Page.get_first_root_node().add_child(title="Other root", slug="other-root")
    Site.objects.create(hostname="news.example", port=80, root_page=home)
    Site.objects.create(hostname="news.example", port=8443, root_page=other_root)
    Site.objects.create(hostname="twin.example", port=80, root_page=other_root)
    Site.objects.create(hostname="twin.example", port=81, root_page=home)
    Site.objects.create(hostname="alone.example", port=8080, root_page=other_root)


@pytest.mark.parametrize(
    "hostname, port",
    [
        ("news.example", 80),  # hostname and port
        ("news.example", 8443),
        ("news.example", 9999),  # hostname only, two of them: the default wins
        ("twin.example", 81),
        ("twin.example", 82),
        ("alone.example", 1),  # the one hostname match, on another port
        ("localhost", 80),  # the default site
        ("unknown.example", 443),
    ],
)
def test_site_for_hostname_agrees_with_wagtail(several_sites, hostname, port):
    try:
        expected = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        expected = None
    found = site_for_hostname(hostname, port)
    assert (found.pk if found else None) == (expected.pk if expected else None)


def test_no_default_site_and_an_unknown_host_is_a_404(client, home):
    Site.objects.update(is_default_site=False)
    assert client.get("/world/").status_code == 404


def test_a_new_site_is_served_at_once(client, home, world, article_factory):
    article = article_factory(world, title="Only on the new site")
    assert client.get(article.url, HTTP_HOST="elsewhere.example").status_code == 200
    root = Page.get_first_root_node().add_child(title="Elsewhere", slug="elsewhere")
    Site.objects.create(hostname="elsewhere.example", port=80, root_page=root)
    # The new site's root has no sections: the article's path means nothing there.
    assert client.get(article.url, HTTP_HOST="elsewhere.example").status_code == 404


def test_a_restriction_added_to_a_section_hides_its_articles_at_once(
    client, world, article_factory
):
    article = article_factory(world, title="Soon for subscribers")
    assert client.get(article.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=world, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get_or_create(name="Subscribers")[0])
    response = client.get(article.url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(world.url).status_code == 302

    restriction.delete()
    assert client.get(article.url).status_code == 200


def test_an_unpublished_section_is_gone_at_once(client, world, article_factory):
    article_factory(world, title="In World")
    assert client.get(world.url).status_code == 200
    world.unpublish()
    assert client.get(world.url).status_code == 404


def test_a_moved_section_answers_at_its_new_url_and_the_old_one_redirects(
    client, home, top_stories, world
):
    old_url = world.url
    assert client.get(old_url).status_code == 200
    world.move(top_stories, pos="last-child")
    world.refresh_from_db()
    assert world.url != old_url
    assert client.get(world.url).status_code == 200
    # Wagtail's automatic redirect, not the section served from a stale route.
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (301, world.url)


def test_the_content_version_is_read_once_per_request(client, world, monkeypatch):
    default_cache = caches["default"]
    original_get = default_cache.get
    reads = []

    def counting_get(key, *args, **kwargs):
        if key == reader_cache.VERSION_KEY:
            reads.append(key)
        return original_get(key, *args, **kwargs)

    assert client.get(world.url).status_code == 200  # warm
    monkeypatch.setattr(default_cache, "get", counting_get)
    assert client.get(world.url).status_code == 200
    assert len(reads) == 1


def test_page_urls_follow_a_new_site_root(client, home, world):
    from bs4 import BeautifulSoup

    def canonical(**headers) -> str:
        soup = BeautifulSoup(client.get(world.url, **headers).content, "html.parser")
        return soup.select_one("link[rel=canonical]")["href"]

    assert canonical() == "http://localhost/world/"
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "news.example", 443
    site.save()
    assert canonical(HTTP_HOST="news.example") == "https://news.example/world/"


def test_a_cached_article_follows_publishing_and_unpublishing(client, world, article_factory):
    article = article_factory(world, title="First version")
    assert "First version" in client.get(article.url).content.decode()  # now cached
    article.title = "Second version"
    article.save_revision().publish()
    assert "Second version" in client.get(article.url).content.decode()
    article.title = "A draft nobody may read"
    article.save_revision()
    body = client.get(article.url).content.decode()
    assert "Second version" in body and "A draft nobody may read" not in body
    article.unpublish()
    assert client.get(article.url).status_code == 404
