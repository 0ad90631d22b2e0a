"""Accessibility of the pages readers see: axe-core in Debian's Chromium, phone and desktop widths.

One newsroom (sections, articles with photos, an author with a bio, a topic, a correction) is
built once; every page is then checked at both widths in the same test, so a failure lists
everything wrong at once, rule by rule, with the elements to look at.
"""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from articles.models import ArticleCorrection

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (390, 1280)
# WCAG 2.x A and AA, plus axe's best practices (landmarks, headings, regions).
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}


@pytest.fixture
def newsroom(home, top_stories, world, make_image, article_factory, author):
    # An earlier transactional test may have emptied the database (content types are then
    # recreated with new ids): start from what is really there.
    ContentType.objects.clear_cache()
    author.bio = "Anna has covered Russia and its neighbours since 2015."
    author.links = "https://example.org/anna"
    author.photo = make_image("Anna Petrova portrait", size=(600, 600), color=(90, 90, 90))
    author.save()
    now = timezone.now()
    photo = {
        "lead_image_alt": "Delegates at a round table",
        "lead_image_caption": "The talks opened on Monday",
        "lead_image_credit": "Jane Doe / Newsroom",
    }
    article = article_factory(
        world,
        title="Talks story resume in Geneva",
        standfirst="Delegates return to the table after a week of silence.",
        published=now - datetime.timedelta(hours=1),
        authors=[author],
        tags=["Diplomacy"],
        lead_image=make_image("Talks", color=(30, 90, 150)),
        body=[
            ("paragraph", "<p>The delegations met at nine and talked until the evening.</p>"),
            ("quote", {"quote": "We are closer than ever.", "attribution": "A negotiator"}),
            ("paragraph", "<p>A second round is planned for next week.</p>"),
        ],
        corrections=[
            ArticleCorrection(
                kind="correction",
                text="An earlier version gave the wrong day for the first round.",
                noted_at=now - datetime.timedelta(minutes=30),
            )
        ],
        **photo,
    )
    for n in range(3):
        article_factory(
            world if n % 2 else top_stories,
            title=f"Diplomacy story {n}",
            standfirst=f"Part {n} of the week's diplomacy.",
            published=now - datetime.timedelta(hours=n + 2),
            authors=[author],
            tags=["Diplomacy"],
            article_type="analysis" if n == 0 else "news",
            lead_image=make_image(f"Photo {n}"),
            **photo,
        )
    return {"world": world, "article": article, "author": author}


def describe(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            summary = node.get("failureSummary", "").splitlines()[-1:]
            lines.append(f"      {node['target']}  {summary}")
    return "\n".join(lines)


def test_reader_pages_have_no_axe_violations(browser, live_server, newsroom):
    pages = {
        "front page": "/",
        "section page": newsroom["world"].url,
        "article": newsroom["article"].url,
        "author page": f"/authors/{newsroom['author'].slug}/",
        "topic page": "/topics/diplomacy/",
        "corrections": "/corrections/",
        "search": "/search/?q=story",
    }
    axe = Axe()
    failures = []
    for width in WIDTHS:
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            for name, path in pages.items():
                response = page.goto(path)
                assert response.status == 200, f"{name} {path}: {response.status}"
                violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
                if violations:
                    failures.append(f"{name} ({path}) at {width}px:\n{describe(violations)}")
        finally:
            context.close()
    assert not failures, "axe-core found violations:\n" + "\n".join(failures)
