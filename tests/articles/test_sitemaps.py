"""Sitemap index, sections and article sitemaps, news sitemap and robots.txt, parsed with lxml
and validated against XSDs."""

import datetime
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree
from wagtail.models import PageViewRestriction, Site

from articles.models import ArticlePage, SectionPage
from articles.sitemaps import bucket_of, bucket_size

from .conftest import HIDDEN_TITLES

SCHEMAS = Path(__file__).parent / "schemas"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(autouse=True)
def _one_bucket_for_a_test(settings):
    """Ids keep growing across a PostgreSQL test run (sequences are not rolled back): with the
    largest bucket a test's few articles share one bucket, `bucket_path(article)`."""
    settings.NEWSROOM_SITEMAP_BUCKET_SIZE = 50_000


def bucket_path(article) -> str:
    return f"/sitemap-articles-{bucket_of(article.pk)}.xml"


@pytest.fixture(scope="module")
def sitemap_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd")))


# The sitemaps.org 0.9 sitemap index, written from the protocol (sitemaps.org/protocol.html,
# siteindex.xsd): one to 50,000 <sitemap> elements, each a <loc> and an optional <lastmod>.
SITEINDEX_XSD = b"""<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"
            targetNamespace="http://www.sitemaps.org/schemas/sitemap/0.9"
            xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
            elementFormDefault="qualified">
  <xsd:element name="sitemapindex">
    <xsd:complexType>
      <xsd:sequence>
        <xsd:element name="sitemap" type="tSitemap" maxOccurs="50000"/>
      </xsd:sequence>
    </xsd:complexType>
  </xsd:element>
  <xsd:complexType name="tSitemap">
    <xsd:all>
      <xsd:element name="loc" type="tLocSitemap"/>
      <xsd:element name="lastmod" type="tLastmodSitemap" minOccurs="0"/>
    </xsd:all>
  </xsd:complexType>
  <xsd:simpleType name="tLocSitemap">
    <xsd:restriction base="xsd:anyURI">
      <xsd:minLength value="12"/>
      <xsd:maxLength value="2048"/>
      <xsd:pattern value="https?://.+"/>
    </xsd:restriction>
  </xsd:simpleType>
  <xsd:simpleType name="tLastmodSitemap">
    <xsd:union memberTypes="xsd:date xsd:dateTime"/>
  </xsd:simpleType>
</xsd:schema>"""


@pytest.fixture(scope="module")
def index_schema():
    return etree.XMLSchema(etree.fromstring(SITEINDEX_XSD))


def fetch_valid(client, url, schema):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/xml")
    tree = etree.fromstring(response.content)
    schema.assertValid(tree)
    return tree


def test_schema_rejects_a_broken_news_entry(sitemap_schema):
    broken = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>
        <loc>http://localhost/a/</loc><news:news><news:publication><news:name>N</news:name>
        <news:language>en-us</news:language></news:publication>
        <news:publication_date>yesterday</news:publication_date><news:title>T</news:title>
        </news:news></url></urlset>"""
    assert not sitemap_schema.validate(etree.fromstring(broken))


def fetch_index(client, index_schema, **extra):
    """The sitemap index's `(loc, lastmod)` pairs, the index validated."""
    response = client.get("/sitemap.xml", **extra)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/xml")
    tree = etree.fromstring(response.content)
    index_schema.assertValid(tree)
    return [
        (sitemap.findtext("sm:loc", namespaces=NS), sitemap.findtext("sm:lastmod", namespaces=NS))
        for sitemap in tree.xpath("/sm:sitemapindex/sm:sitemap", namespaces=NS)
    ]


def locations(tree) -> list[str]:
    return tree.xpath("//sm:url/sm:loc/text()", namespaces=NS)


def lastmod_of(tree, location) -> str:
    (lastmod,) = tree.xpath(f"//sm:url[sm:loc='{location}']/sm:lastmod/text()", namespaces=NS)
    return lastmod


def w3c(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")


def test_index_schema_rejects_a_urlset_and_a_sitemap_without_loc(index_schema):
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>
        <loc>http://localhost/a/</loc></url></urlset>"""
    no_loc = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>
        <lastmod>2025-01-01</lastmod></sitemap></sitemapindex>"""
    assert not index_schema.validate(etree.fromstring(urlset))
    assert not index_schema.validate(etree.fromstring(no_loc))


def test_sitemap_index_lists_the_sections_sitemap_and_the_article_bucket(
    client, home, top_stories, world, article_factory, index_schema
):
    first = article_factory(world, title="First story")
    second = article_factory(world, title="Second story")
    assert first.last_published_at < second.last_published_at
    # Each sitemap's lastmod is its newest entry's.
    sections_lastmod = max(page.last_published_at for page in (home, top_stories, world))
    assert fetch_index(client, index_schema) == [
        ("http://localhost/sitemap-sections.xml", w3c(sections_lastmod)),
        (f"http://localhost{bucket_path(second)}", w3c(second.last_published_at)),
    ]


def test_bucket_size_must_fit_a_sitemap(settings):
    settings.NEWSROOM_SITEMAP_BUCKET_SIZE = 3
    assert bucket_of(7) == 2
    for wrong in (0, 50_001, "1000"):
        settings.NEWSROOM_SITEMAP_BUCKET_SIZE = wrong
        with pytest.raises(ImproperlyConfigured):
            bucket_size()


def test_sections_sitemap_lists_home_and_live_public_sections(
    client, home, top_stories, world, article_factory, hidden_articles, sitemap_schema
):
    article_factory(world, title="A world story")
    draft = SectionPage(title="Draft section", live=False)
    home.add_child(instance=draft)
    members = SectionPage(title="Members only")
    home.add_child(instance=members)
    members.save_revision().publish()
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)

    tree = fetch_valid(client, "/sitemap-sections.xml", sitemap_schema)
    assert locations(tree) == [
        "http://localhost/",
        "http://localhost/top-stories/",
        "http://localhost/world/",
    ]
    world.refresh_from_db()
    assert lastmod_of(tree, "http://localhost/world/") == w3c(world.last_published_at)


def test_article_buckets_hold_every_visible_article_once(
    client,
    settings,
    home,
    top_stories,
    world,
    article_factory,
    hidden_articles,
    index_schema,
    sitemap_schema,
):
    settings.NEWSROOM_SITEMAP_BUCKET_SIZE = 3
    visible = [article_factory((world, top_stories)[n % 2]) for n in range(8)]
    hidden_ids = {page.pk for page in hidden_articles}

    index = fetch_index(client, index_schema)
    bucket_urls = [loc for loc, _ in index if "/sitemap-articles-" in loc]
    assert bucket_urls == [
        f"http://localhost/sitemap-articles-{bucket}.xml"
        for bucket in sorted({article.pk // 3 for article in visible})
    ]
    listed = []
    for loc, lastmod in index:
        if loc not in bucket_urls:
            continue
        bucket = int(loc.removeprefix("http://localhost/sitemap-articles-").removesuffix(".xml"))
        tree = fetch_valid(client, loc.removeprefix("http://localhost"), sitemap_schema)
        in_bucket = [a for a in visible if a.pk // 3 == bucket]
        # Listed by id; the bucket's lastmod is its newest entry's.
        assert locations(tree) == [a.get_full_url() for a in sorted(in_bucket, key=lambda a: a.pk)]
        assert lastmod == max(w3c(a.last_published_at) for a in in_bucket)
        listed += locations(tree)
    assert sorted(listed) == sorted(article.get_full_url() for article in visible)
    # A bucket only hidden articles fall in is not listed, and answers 404.
    hidden_only = {pk // 3 for pk in hidden_ids} - {a.pk // 3 for a in visible}
    assert hidden_only
    for bucket in hidden_only:
        assert client.get(f"/sitemap-articles-{bucket}.xml").status_code == 404


def test_article_lastmod_is_its_last_significant_change(
    client, home, world, article_factory, sitemap_schema
):
    republished = article_factory(world, title="Republished story")
    # An imported story dated after its last publication: its publication date is the later.
    redated = article_factory(world, title="Redated story")
    later = redated.last_published_at + datetime.timedelta(days=2)
    ArticlePage.objects.filter(pk=redated.pk).update(publication_date=later)

    assert bucket_path(republished) == bucket_path(redated)
    tree = fetch_valid(client, bucket_path(redated), sitemap_schema)
    assert lastmod_of(tree, republished.get_full_url()) == w3c(republished.last_published_at)
    assert lastmod_of(tree, redated.get_full_url()) == w3c(later)


def test_empty_and_unknown_buckets_answer_404(client, home, world, article_factory):
    article = article_factory(world)
    assert client.get(bucket_path(article)).status_code == 200
    assert client.get(f"/sitemap-articles-{bucket_of(article.pk) + 1}.xml").status_code == 404
    assert client.get("/sitemap-articles-00.xml").status_code == 404
    assert client.get(f"/sitemap-articles-{'9' * 18}.xml").status_code == 404


def test_index_follows_publishing_and_unpublishing(
    client, settings, home, world, article_factory, index_schema
):
    settings.NEWSROOM_SITEMAP_BUCKET_SIZE = 1
    first = article_factory(world, title="First story")
    bucket_url = "http://localhost/sitemap-articles-{}.xml"
    assert [loc for loc, _ in fetch_index(client, index_schema)][1:] == [
        bucket_url.format(first.pk)
    ]
    second = article_factory(world, title="Second story")
    assert [loc for loc, _ in fetch_index(client, index_schema)][1:] == [
        bucket_url.format(first.pk),
        bucket_url.format(second.pk),
    ]
    first.unpublish()
    assert [loc for loc, _ in fetch_index(client, index_schema)][1:] == [
        bucket_url.format(second.pk)
    ]
    assert client.get(f"/sitemap-articles-{first.pk}.xml").status_code == 404


def test_sitemaps_keep_to_the_requesting_site(
    client, home, top_stories, world, article_factory, index_schema, sitemap_schema
):
    europe = SectionPage(title="Europe")
    world.add_child(instance=europe)
    europe.save_revision().publish()
    in_world = article_factory(europe, title="A European story")
    article_factory(top_stories, title="A top story")
    Site.objects.create(hostname="world.example", port=80, root_page=world)
    host = {"HTTP_HOST": "world.example"}

    assert [loc for loc, _ in fetch_index(client, index_schema, **host)] == [
        "http://world.example/sitemap-sections.xml",
        f"http://world.example{bucket_path(in_world)}",
    ]
    response = client.get("/sitemap-sections.xml", **host)
    sections = etree.fromstring(response.content)
    assert locations(sections) == ["http://world.example/", "http://world.example/europe/"]
    response = client.get(bucket_path(in_world), **host)
    assert locations(etree.fromstring(response.content)) == [
        "http://world.example/europe/a-european-story/"
    ]
    # The default site still lists everything, on its own host.
    tree = fetch_valid(client, bucket_path(in_world), sitemap_schema)
    assert f"http://localhost{in_world.url_path.removeprefix('/home')}" in locations(tree)
    assert len(locations(tree)) == 2


def test_sitemap_text_is_escaped(client, home, world, article_factory, monkeypatch, sitemap_schema):
    article = article_factory(world, title="Café crème", slug="café-crème")

    def sitemap_urls(page, request=None):
        return [{"location": f"{page.get_full_url(request)}?a=1&b=<2>", "priority": 0.5}]

    monkeypatch.setattr(SectionPage, "get_sitemap_urls", sitemap_urls)
    sections = fetch_valid(client, "/sitemap-sections.xml", sitemap_schema)
    assert "http://localhost/world/?a=1&b=<2>" in locations(sections)
    articles = fetch_valid(client, bucket_path(article), sitemap_schema)
    assert locations(articles) == ["http://localhost/world/caf%C3%A9-cr%C3%A8me/"]
    assert article.get_full_url() == locations(articles)[0]


def sitemap_queries(client, url) -> int:
    for cache in caches.all():
        cache.clear()  # cold: the index's bucket list is computed, not read from cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_sitemap_queries_do_not_grow_with_articles(
    client, home, top_stories, world, article_factory, django_assert_max_num_queries
):
    first = [article_factory((world, top_stories)[n % 2]) for n in range(5)]
    urls = ("/sitemap.xml", "/sitemap-sections.xml", bucket_path(first[0]))
    few = {url: sitemap_queries(client, url) for url in urls}
    for n in range(25):
        article_factory((world, top_stories)[n % 2])
    many = {url: sitemap_queries(client, url) for url in urls}
    assert many == few
    assert len(locations(etree.fromstring(client.get(urls[2]).content))) == 30
    # Warm, the index is the site lookup alone.
    client.get("/sitemap.xml")
    with django_assert_max_num_queries(1):
        client.get("/sitemap.xml")


def test_news_sitemap_holds_the_last_48_hours(
    client, home, top_stories, world, article_factory, hidden_articles, sitemap_schema
):
    now = timezone.now()
    fresh = article_factory(
        world, title="Fresh & “quoted” news", published=now - datetime.timedelta(hours=1)
    )
    day_old = article_factory(
        top_stories, title="Day old news", published=now - datetime.timedelta(hours=47)
    )
    article_factory(world, title="Stale news", published=now - datetime.timedelta(hours=49))

    tree = fetch_valid(client, "/news-sitemap.xml", sitemap_schema)
    urls = tree.xpath("//sm:url", namespaces=NS)
    assert [url.findtext("sm:loc", namespaces=NS) for url in urls] == [
        fresh.get_full_url(),
        day_old.get_full_url(),
    ]
    first = urls[0]
    assert first.findtext("news:news/news:title", namespaces=NS) == "Fresh & “quoted” news"
    assert first.findtext("news:news/news:publication/news:name", namespaces=NS) == "Newsroom"
    assert first.findtext("news:news/news:publication/news:language", namespaces=NS) == "en"
    published = datetime.datetime.fromisoformat(
        first.findtext("news:news/news:publication_date", namespaces=NS)
    )
    assert abs(published - fresh.publication_date) < datetime.timedelta(seconds=1)
    titles = tree.xpath("//news:title/text()", namespaces=NS)
    assert not set(HIDDEN_TITLES) & set(titles)


def test_the_schema_refuses_an_empty_urlset(sitemap_schema):
    empty = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>'
    assert not sitemap_schema.validate(etree.fromstring(empty))


def test_no_news_sitemap_without_a_recent_story(client, home, world, article_factory):
    """An empty <urlset> is invalid (sitemaps.org wants at least one <url>): 404 instead,
    and robots.txt leaves it out."""
    article_factory(world, title="Old news", published=timezone.now() - datetime.timedelta(days=3))
    assert client.get("/news-sitemap.xml").status_code == 404
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert not [line for line in lines if "news-sitemap" in line]


def test_robots_txt_names_both_sitemaps_on_the_sites_own_host(client, home, world, article_factory):
    article_factory(world, title="Fresh news", published=timezone.now())
    # Asked on another host name that reaches the default site: the addresses are the
    # Site's, as the sitemaps' own <loc> entries are.
    response = client.get("/robots.txt", HTTP_HOST="testserver")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    assert "Sitemap: http://localhost/news-sitemap.xml" in lines
    assert "Disallow: /search/" in lines
    index = etree.fromstring(client.get("/sitemap.xml", HTTP_HOST="testserver").content)
    assert all(
        loc.startswith("http://localhost/") for loc in index.xpath("//sm:loc/text()", namespaces=NS)
    )
