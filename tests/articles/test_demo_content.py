"""`manage.py load_demo_content`: a credible demo newsroom for development, made through
Wagtail's own publishing flow, that a second run leaves alone and production refuses."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.html import escape
from taggit.models import Tag
from wagtail.images import get_image_model

from articles.conf import newsroom_setting
from articles.demo import IMAGE_PREFIX
from articles.models import ArticleAuthor, ArticleCorrection, ArticlePage, Author, SectionPage

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def load(**kwargs) -> str:
    out = StringIO()
    call_command("load_demo_content", stdout=out, **kwargs)
    return out.getvalue()


@pytest.fixture
def seed(home, settings):
    """The seed story, imported first, as `make run` does."""
    settings.DEBUG = True
    call_command("import_stories", str(SEEDS), stdout=StringIO(), stderr=StringIO())
    return ArticlePage.objects.get(source_key__isnull=False)


def snapshot(article) -> tuple:
    """What the database holds of `article`, read afresh."""
    row = ArticlePage.objects.get(pk=article.pk)
    return (
        row.title,
        row.url_path,
        row.live,
        row.latest_revision_id,
        row.last_published_at,
        row.publication_date,
        row.body.get_prep_value(),
        row.revisions.count(),
    )


def test_it_builds_a_demo_newsroom(seed, client):
    output = load()
    assert "Demo newsroom: created 14 articles, 5 authors, 5 sections" in output

    demo = ArticlePage.objects.live().exclude(pk=seed.pk)
    assert demo.count() >= 12
    assert set(demo.values_list("article_type", flat=True)) == set(
        newsroom_setting("ARTICLE_TYPES")
    )
    # Nested sections below the ones setup_newsroom made.
    world = SectionPage.objects.get(slug="world", depth=3)
    assert {"europe", "asia"} <= set(
        SectionPage.objects.child_of(world).live().values_list("slug", flat=True)
    )
    assert SectionPage.objects.filter(slug__in=["business", "science", "opinion"]).count() == 3

    now = timezone.now()
    dates = sorted(demo.values_list("publication_date", flat=True))
    assert now - dates[-1] < timezone.timedelta(hours=6)  # in the news sitemap
    assert now - dates[0] > timezone.timedelta(days=5)
    assert client.get("/news-sitemap.xml").status_code == 200

    for article in demo.specific():
        assert article.standfirst
        paragraphs = [b for b in article.body if b.block_type == "paragraph"]
        if article.specific_class.__name__ != "LiveCoveragePage":  # its updates are its text
            assert 3 <= len(paragraphs) <= 6
        assert article.lead_image.title.startswith(IMAGE_PREFIX)
        assert (article.lead_image.width, article.lead_image.height) == (1600, 900)
        assert article.lead_image_alt and article.lead_image_caption and article.lead_image_credit
        assert article.tags.exists()
        response = client.get(article.url)
        assert response.status_code == 200, article.url
        assert escape(article.title) in response.content.decode()
    assert demo.filter(secondary_sections__isnull=False).distinct().count() >= 3
    body_images = [
        b.value
        for article in demo.specific()
        for b in article.body
        if b.block_type == "image" and b.value["image"] is not None
    ]
    assert body_images and all(v["alt_text"] and v["caption"] and v["credit"] for v in body_images)
    assert any(ArticleAuthor.objects.filter(page=article).count() == 2 for article in demo), (
        "one story has two authors"
    )

    # Authors, with generated portraits, each with a page listing their stories.
    authors = Author.objects.all()
    assert 4 <= authors.count() <= 5
    for author in authors:
        assert author.photo is not None and author.bio and author.role and author.link_list()
        response = client.get(f"/authors/{author.slug}/")
        assert response.status_code == 200, author.slug
        page = response.content.decode()
        stories = demo.filter(byline__author=author)
        assert stories.exists()
        for story in stories:
            assert escape(story.title) in page

    # Topics shared between stories have pages of their own.
    shared = [tag for tag in Tag.objects.all() if demo.filter(tags=tag).count() >= 2]
    assert len(shared) >= 3
    for tag in shared:
        assert client.get(f"/topics/{tag.slug}/").status_code == 200, tag.slug

    # One correction and one update, shown on the corrections log.
    correction = ArticleCorrection.objects.get(kind="correction", page__in=demo)
    update = ArticleCorrection.objects.get(kind="update", page__in=demo)
    assert correction.page_id != update.page_id
    corrections_page = client.get("/corrections/").content.decode()
    assert escape(correction.text) in corrections_page

    # Published through Wagtail's flow: the signal handlers filed them in their sections.
    assert all(article.filings.filter(is_primary=True).exists() for article in demo)
    assert client.get("/").status_code == 200


def test_a_second_run_creates_nothing_and_leaves_the_seed_alone(seed):
    seed_before = snapshot(seed)
    load()
    counts = (
        ArticlePage.objects.count(),
        Author.objects.count(),
        get_image_model().objects.count(),
        SectionPage.objects.count(),
    )
    output = load()
    assert "created 0 articles, 0 authors, 0 sections, 0 images" in output
    assert "unchanged" in output and "; 0 unchanged" not in output
    assert counts == (
        ArticlePage.objects.count(),
        Author.objects.count(),
        get_image_model().objects.count(),
        SectionPage.objects.count(),
    )
    assert snapshot(seed) == seed_before
    assert not seed.byline.exists() and not seed.tags.exists()


def test_it_refuses_to_run_with_debug_off(home, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="runs only with development settings"):
        load()
    assert not ArticlePage.objects.exists() and not Author.objects.exists()


def test_make_serve_demo_loads_it_with_debug_off_when_asked(home, settings):
    settings.DEBUG = False
    load(allow_debug_off=True)
    assert ArticlePage.objects.live().count() >= 12


def test_the_demo_has_live_coverage_with_a_pinned_update_and_key_events(
    seed, client, django_capture_on_commit_callbacks
):
    from articles.models import LiveCoveragePage

    with django_capture_on_commit_callbacks(execute=True):
        load()
    page = LiveCoveragePage.objects.live().get()
    updates = page.entries.all()
    assert updates.count() >= 12
    assert updates.filter(is_pinned=True).count() == 1
    assert updates.filter(is_key_event=True).exists()
    html = client.get(page.url).content.decode()
    assert html.count("data-entry-id=") == updates.count()
    assert "What we know so far" in html and "Key events" in html
    assert "Storm Elena makes landfall" in html  # the demo's active alert, as a banner
    assert "Storm Elena makes landfall" in client.get("/").content.decode()
    load()  # a second run adds no updates, and no second alert
    assert page.entries.count() == updates.count()
    assert page.breaking_news_alerts.count() == 1
