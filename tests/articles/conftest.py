import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from articles.models import ArticleCorrection
from articles.roles import COPY_EDITORS, EDITORS, REPORTERS
from tests.conftest import publish_article

from .workflow_helpers import make_user

HIDDEN_TITLES = (
    "Secret draft story",
    "Scheduled story",
    "Private story",
    "Embargoed story",
    "Unpublished story",
)


@pytest.fixture
def hidden_articles(top_stories, world, make_image):
    """A draft, a scheduled (never published), a private, an embargoed and an unpublished
    article: readers see none of them.

    Each is recent, filed in both sections and has a lead image, so only its state hides it.
    """
    now = timezone.now()
    common = {"secondary_sections": [world], "standfirst": "Nobody should read this yet."}
    draft = publish_article(
        top_stories, title="Secret draft story", published=now, live=False, **common
    )
    scheduled = publish_article(
        top_stories,
        title="Scheduled story",
        published=now,
        go_live_at=now + datetime.timedelta(days=2),
        lead_image=make_image("Scheduled photo"),
        **common,
    )
    private = publish_article(top_stories, title="Private story", published=now, **common)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
    )
    embargoed = publish_article(
        top_stories,
        title="Embargoed story",
        published=now,
        embargo_until=now + datetime.timedelta(hours=6),
        **common,
    )
    unpublished = publish_article(top_stories, title="Unpublished story", published=now, **common)
    unpublished.unpublish()
    unpublished.refresh_from_db()
    assert not draft.live and not scheduled.live and private.live
    assert not embargoed.live and not unpublished.live
    return [draft, scheduled, private, embargoed, unpublished]


MAY_12 = timezone.make_aware(datetime.datetime(2025, 5, 12, 9, 30))


def correction_and_update() -> list[ArticleCorrection]:
    """A correction on May 12 and an update on May 13 (unsaved, for an article's log)."""
    return [
        ArticleCorrection(
            kind="correction",
            text="An earlier version misnamed the forum.",
            noted_at=timezone.make_aware(datetime.datetime(2025, 5, 12, 12)),
        ),
        ArticleCorrection(
            kind="update",
            text="Adds Kyiv's response.",
            noted_at=timezone.make_aware(datetime.datetime(2025, 5, 13, 8)),
        ),
    ]


@pytest.fixture
def seed_article(top_stories, world, make_image, author, article_factory):
    """The seed story as an editor finishes it: byline, lead image with alt text, caption and
    credit, filed in World too, one correction. Tests override what they look at."""

    def make(**overrides):
        fields = {
            "title": "Putin Signals Willingness for Direct Peace Talks",
            "published": MAY_12,
            "standfirst": "The Kremlin says it is ready to talk.",
            "authors": [author],
            "lead_image": make_image("Kremlin at dusk", size=(1600, 1200)),
            "lead_image_alt": "The Kremlin's towers",
            "lead_image_caption": "The Kremlin in Moscow",
            "lead_image_credit": "Reuters",
            "secondary_sections": [world],
            "corrections": [
                ArticleCorrection(
                    kind="correction",
                    text="An earlier version misnamed the forum.",
                    noted_at=timezone.make_aware(datetime.datetime(2025, 5, 12, 12)),
                )
            ],
        }
        fields.update(overrides)
        return article_factory(top_stories, **fields)

    return make


@pytest.fixture
def reporter(home):
    return make_user("reporter", REPORTERS)


@pytest.fixture
def copy_editor(home):
    return make_user("copyeditor", COPY_EDITORS)


@pytest.fixture
def editor(home):
    return make_user("editor", EDITORS)
