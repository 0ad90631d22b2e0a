"""Reader pages cost a fixed number of queries, however many articles and sections exist."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import SectionPage


def queries_for(client, url, *, cold=True) -> int:
    assert client.get(url).status_code == 200  # warm-up: renditions are made on first view
    if cold:
        for cache in caches.all():
            cache.clear()  # nothing served from cache: every lookup must be prefetched
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# Steady state (caches warm), whatever the number of articles; issue #6 allows 12, 10 and 8.
# The site, the sections, the breadcrumb, the view restrictions, a section's article count and
# the live article itself come from the reader cache; the byline, corrections, tags and
# secondary sections from what publishing stored on the article. What is left: the section's
# page of articles and their lead image renditions (2); the front page's latest articles, the
# bound of its rails, the rails' newest filings, their articles and the renditions (5).
BUDGET = {"front": 5, "section": 2, "article": 0}


@pytest.fixture
def add_articles(article_factory, make_image):
    def add(section, count, **fields):
        return [
            article_factory(
                section,
                lead_image=make_image(f"photo {section.slug} {n}", size=(320, 180)),
                lead_image_alt="A photo",
                **fields,
            )
            for n in range(count)
        ]

    return add


def add_section(home, title):
    section = SectionPage(title=title)
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


def test_front_page_queries_do_not_grow_with_articles_or_sections(
    client, home, top_stories, world, add_articles
):
    add_articles(top_stories, 3, secondary_sections=[world])
    add_articles(world, 2)
    few = queries_for(client, home.url)

    add_articles(top_stories, 25, secondary_sections=[world])
    add_articles(world, 20)
    for title in ("Business", "Sport", "Culture", "Science"):
        add_articles(add_section(home, title), 3)
    home.refresh_from_db()
    many = queries_for(client, home.url)
    assert few == many
    assert queries_for(client, home.url, cold=False) <= BUDGET["front"]


def test_section_page_queries_do_not_grow_with_articles(
    client, home, top_stories, world, add_articles
):
    add_articles(world, 3)
    add_articles(top_stories, 2, secondary_sections=[world])
    few = queries_for(client, world.url)

    add_articles(world, 25)
    add_articles(top_stories, 20, secondary_sections=[world])
    for title in ("Europe", "Asia"):
        europe = SectionPage(title=title)
        world.add_child(instance=europe)
        europe.save_revision().publish()
    many = queries_for(client, world.url)
    assert few == many
    assert queries_for(client, world.url, cold=False) <= BUDGET["section"]


def test_article_page_queries_do_not_grow_with_articles(
    client, top_stories, world, add_articles, author
):
    article, *_ = add_articles(top_stories, 5, secondary_sections=[world], authors=[author])
    few = queries_for(client, article.url)
    add_articles(top_stories, 45, secondary_sections=[world], authors=[author])
    many = queries_for(client, article.url)
    assert few == many
    assert queries_for(client, article.url, cold=False) <= BUDGET["article"]


def test_a_live_page_with_200_updates_costs_no_query_warm_and_its_poll_one_cache_read(
    client, world, django_capture_on_commit_callbacks
):
    """An election night: 200 updates, a pinned one and key events. Warm, the page comes
    from the cached stream (0 queries, like an article) and the poll costs no query at all;
    cold, the count does not grow with the updates."""
    import datetime

    from django.utils import timezone

    from articles.live import updates as live_updates
    from articles.models import LiveEntry

    from .live_helpers import entry_body, make_live_page, post

    page = make_live_page(world, title="Election night")
    from articles.roles import EDITORS

    from .workflow_helpers import make_user

    editor = make_user("editor", EDITORS)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(20):
            post(page, editor, f"<p>Result {n}</p>", posted_at=now - datetime.timedelta(minutes=n))
    few = queries_for(client, page.url)
    # The other 180 in one go (posting each through the writer costs a minute of test time;
    # what is counted here is reading them).
    LiveEntry.objects.bulk_create(
        LiveEntry(
            page=page,
            body=entry_body(f"<p>Result {n}</p>"),
            posted_at=now - datetime.timedelta(minutes=n),
            is_key_event=n % 25 == 0,
            is_pinned=n == 199,
        )
        for n in range(20, 200)
    )
    live_updates.refresh(page.pk)
    many = queries_for(client, page.url)
    assert client.get(page.url).content.decode().count("data-entry-id=") == 200
    assert few == many, "a cold live page's queries grew with its updates"
    assert queries_for(client, page.url, cold=False) <= BUDGET["article"]
    updates_url = f"/live/{page.pk}/updates.json"
    assert queries_for(client, updates_url, cold=False) == 0
