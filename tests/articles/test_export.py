"""Nothing lost: live articles written back out as story files import to the same articles."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from articles.models import ArticlePage, SectionPage
from articles.stories.importer import import_stories

from .stories import SEED_DIR, story_text, write_story

GENERATED = [
    {"path": ("World", "Europe"), "sections": ("Europe", "Top Stories"), "headline": "Nested one"},
    {"body": ("image", "One.", "image", "Two.", "image"), "headline": "Slots between"},
    {"body": ("\u00a0Starts with a space.", "<b>bold</b> & <i>x</i>"), "headline": "Markup <kept>"},
    {"path": ("Business",), "sections": ("Business", "World"), "headline": "Filed twice"},
    {"body": ("No lead slot here.", "image", "After."), "headline": "Body slot only"},
]


def snapshot() -> dict:
    found = {}
    for article in ArticlePage.objects.live().prefetch_related("secondary_sections"):
        ancestors = article.get_ancestors().type(SectionPage)
        found[article.source_key] = {
            "title": article.title,
            "date": article.publication_date.date(),
            "primary": [a.title for a in ancestors],
            "secondary": sorted(s.title for s in article.secondary_sections.all()),
            "blocks": [
                (b.block_type, b.value.source if b.block_type == "paragraph" else None)
                for b in article.body
            ],
        }
    return found


def test_export_then_import_into_an_empty_newsroom_gives_the_same_articles(home, tmp_path):
    stories = tmp_path / "in"
    for n, fields in enumerate(GENERATED):
        write_story(stories, f"gen_{n}.txt", story_text(**fields))
    assert import_stories(paths=[SEED_DIR, stories]).ok
    before = snapshot()
    assert len(before) == len(GENERATED) + 1

    out = StringIO()
    call_command("export_stories", str(tmp_path / "out"), stdout=out)
    assert out.getvalue().strip() == f"exported {len(before)} to {tmp_path / 'out'}"

    # An empty newsroom: no articles, only the default sections.
    ArticlePage.objects.all().delete()
    SectionPage.objects.exclude(title__in=["Top Stories", "World"]).delete()
    # This database remembers the deletions as takedowns: restoring into it takes --force.
    held_back = import_stories(paths=[tmp_path / "out"])
    assert len(held_back.conflicts) == len(before) and not held_back.created
    report = import_stories(paths=[tmp_path / "out"], force=True)
    assert report.ok and len(report.created) == len(before)
    assert snapshot() == before


def test_export_skips_drafts(home, tmp_path, top_stories, article_factory):
    article_factory(top_stories, title="Live one")
    article_factory(top_stories, title="Draft one", live=False)
    call_command("export_stories", str(tmp_path), stdout=StringIO())
    texts = [p.read_text() for p in tmp_path.glob("*.txt")]
    assert len(texts) == 1 and "Live one" in texts[0]


def test_export_and_import_keep_the_day_east_of_greenwich(home, tmp_path, settings):
    """In Tokyo a story of May 12 is stored as May 11, 15:00 UTC; it must come back May 12."""
    settings.TIME_ZONE = "Asia/Tokyo"
    write_story(tmp_path / "in", "tokyo.txt", story_text(headline="Tokyo story"))
    import_stories(paths=[tmp_path / "in"])
    for _round in range(2):
        call_command("export_stories", str(tmp_path / "out"), stdout=StringIO())
        ArticlePage.objects.all().delete()
        import_stories(paths=[tmp_path / "out"], force=True)
        article = ArticlePage.objects.get()
        assert timezone.localdate(article.publication_date).isoformat() == "2025-05-12"
