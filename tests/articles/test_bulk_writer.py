"""The bulk writer (articles/stories/bulk_writer.py) against Wagtail's own path, field by field.

The same story is imported twice, under two file names: once through the importer's batch path
(`write_new_articles`), once through its fallback (`_create_one`: Wagtail's add_child,
save_revision and publish). Every row the two write must be the same, except what must differ
between two pages (listed below, each with the reason). A Wagtail upgrade that adds a column,
changes a default or writes a new row fails here, not in production.
"""

import datetime
import json
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.dateparse import parse_datetime
from wagtail.fields import StreamField
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.models import IndexEntry

from articles.models import ArticlePage, ImportedStory, SectionFiling, SectionPage
from articles.stories import importer as importing
from articles.stories.importer import import_stories

from .stories import story_text, write_story

HEADLINE = "Harbour cranes idle as dockworkers strike"
STORY = story_text(
    headline=HEADLINE,
    path=("Top Stories",),
    sections=("Top Stories", "World"),  # World: a secondary section besides the primary
    # The lead image slot, paragraphs, an image slot in the body, another paragraph.
    body=(
        "image",
        "Dockworkers walked out at dawn.",
        "The port authority called the strike unlawful.",
        "image",
        "Talks resume on Thursday.",
    ),
)

# Columns of the page and article rows that differ between any two pages, by construction.
DIFFERENT_BY_CONSTRUCTION = {
    "id": "each page's own primary key",
    "page_ptr_id": "each page's own primary key",
    "path": "the second page goes after the first in the same section",
    "url_path": "follows the slug",
    "slug": "the second page of the same headline gets `-2`",
    "translation_key": "a new UUID for every page",
    "source_key": "the story's file name, different on purpose",
}
# Set at write time: set on both or on neither, and within a minute of each other.
TIMESTAMPS = {"first_published_at", "last_published_at", "latest_revision_created_at"}
# Each page's own revisions: compared as "a revision of this page" (or None).
REVISION_LINKS = {"latest_revision_id", "live_revision_id", "import_revision_id"}

# Keys of a revision's content (`serializable_data()`) that differ between the two pages.
CONTENT_DIFFERENT_BY_CONSTRUCTION = {
    "pk": "each page's own primary key",
    "path": "the second page goes after the first in the same section",
    "url_path": "follows the slug",
    "slug": "the second page of the same headline gets `-2`",
    "translation_key": "a new UUID for every page",
    "source_key": "the story's file name, different on purpose",
    # Wagtail's path serialises the page before save_revision stamps it (None); the bulk path
    # after it stamped the page (the write time). Never read back: Page.with_content_json
    # keeps the page's own value, so what a revision holds here doesn't matter.
    "latest_revision_created_at": "stamped before or after serialising; never read back",
}
CONTENT_TIMESTAMPS = {"first_published_at", "last_published_at"}
CONTENT_REVISION_LINKS = {"latest_revision", "live_revision", "import_revision"}

ONE_MINUTE = datetime.timedelta(minutes=1)


@dataclass
class BothWays:
    live: bool
    bulk: ArticlePage  # written by write_new_articles
    wagtail: ArticlePage  # written by add_child + save_revision (+ publish)
    section: SectionPage
    numchild_before: int
    numchild_after_bulk: int
    numchild_after_wagtail: int
    rows_written_bulk: dict[str, int]
    rows_written_wagtail: dict[str, int]


def no_batches(*args, **kwargs):
    """In place of write_new_articles: the batch fails, so the importer writes each story
    through Wagtail's own path (`StoryImporter._create_one`)."""
    raise RuntimeError("the batch path is off: Wagtail's own path writes this story")


def row_counts() -> dict[str, int]:
    """Rows in every table (auto-created many-to-many tables included)."""
    return {
        model._meta.db_table: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def rows_written(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {table: after[table] - before[table] for table in after if after[table] != before[table]}


@pytest.fixture(params=[True, False], ids=["live", "draft"])
def both_ways(request, home, tmp_path, monkeypatch) -> BothWays:
    live = request.param
    section = SectionPage.objects.get(title="Top Stories")
    SectionPage.objects.get(title="World")  # the secondary section exists: no new sections
    write_story(tmp_path / "bulk", "bulk-story.txt", STORY)
    write_story(tmp_path / "wagtail", "wagtail-story.txt", STORY)
    numchild_before = section.numchild

    counts_before = row_counts()
    report = import_stories(paths=[tmp_path / "bulk"], live=live)
    assert (len(report.created), report.fallbacks, report.failed) == (1, 0, [])
    assert report.new_sections == []
    counts_after_bulk = row_counts()
    section.refresh_from_db()
    numchild_after_bulk = section.numchild

    monkeypatch.setattr(importing, "write_new_articles", no_batches)
    report = import_stories(paths=[tmp_path / "wagtail"], live=live)
    assert (len(report.created), report.fallbacks, report.failed) == (1, 1, [])
    assert report.new_sections == []
    counts_after_wagtail = row_counts()
    section.refresh_from_db()

    return BothWays(
        live=live,
        bulk=ArticlePage.objects.get(source_key="bulk-story"),
        wagtail=ArticlePage.objects.get(source_key="wagtail-story"),
        section=section,
        numchild_before=numchild_before,
        numchild_after_bulk=numchild_after_bulk,
        numchild_after_wagtail=section.numchild,
        rows_written_bulk=rows_written(counts_before, counts_after_bulk),
        rows_written_wagtail=rows_written(counts_after_bulk, counts_after_wagtail),
    )


# -- helpers --------------------------------------------------------------------------------


def close_in_time(a, b) -> bool:
    """Both unset, or both set and within a minute of each other."""
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) < ONE_MINUTE


def own_revision(page: ArticlePage, revision_id):
    """A revision id as something comparable across pages: None, "a revision of this page",
    or the id itself (a revision of another page: wrong, and shown as such)."""
    if revision_id is None:
        return None
    is_own = Revision.objects.filter(
        pk=revision_id,
        object_id=str(page.pk),
        base_content_type=ContentType.objects.get_for_model(Page),
    ).exists()
    return "a revision of this page" if is_own else revision_id


def without_block_ids(data):
    """StreamField data without block ids: random UUIDs, new for every block ever made."""
    if isinstance(data, list):
        return [without_block_ids(item) for item in data]
    if isinstance(data, dict):
        is_block = "type" in data and "value" in data
        return {
            key: without_block_ids(value)
            for key, value in data.items()
            if not (is_block and key == "id")
        }
    return data


def differences(pairs: dict[str, tuple]) -> dict[str, tuple]:
    """Only the (bulk, wagtail) pairs that differ."""
    return {name: pair for name, pair in pairs.items() if pair[0] != pair[1]}


def page_columns(page: ArticlePage) -> dict:
    """Every concrete column of the page and article rows, as stored, comparable across
    pages (see DIFFERENT_BY_CONSTRUCTION, TIMESTAMPS and REVISION_LINKS)."""
    page = ArticlePage.objects.get(pk=page.pk)
    columns = {}
    for field in ArticlePage._meta.concrete_fields:
        name = field.attname
        if name in DIFFERENT_BY_CONSTRUCTION or name in TIMESTAMPS:
            continue
        value = getattr(page, name)
        if name in REVISION_LINKS:
            value = own_revision(page, value)
        elif isinstance(field, StreamField):
            value = without_block_ids(list(value.get_prep_value()))
        columns[name] = value
    return columns


def revision_content(page: ArticlePage, revision: Revision, *, live: bool) -> dict:
    content = dict(revision.content)
    for key in CONTENT_DIFFERENT_BY_CONSTRUCTION:
        del content[key]
    if live:
        # Wagtail's path saves the revision of a page not yet live and then publishes it;
        # the bulk path writes a page that is live at once. Never read back:
        # Page.with_content_json keeps the page's own `live`.
        del content["live"]
    for key in CONTENT_TIMESTAMPS:
        del content[key]  # compared on their own, within a minute
    for key in CONTENT_REVISION_LINKS:
        content[key] = own_revision(page, content[key])
    body = content["body"]
    content["body"] = without_block_ids(json.loads(body) if isinstance(body, str) else body)
    return content


def log_entries(page: ArticlePage, *, bulk: bool) -> list[tuple[str, dict]]:
    """(action, every other column) for each of the page's log entries, by action."""
    entries = []
    for entry in PageLogEntry.objects.filter(page_id=page.pk):
        columns = {
            field.attname: getattr(entry, field.attname)
            for field in PageLogEntry._meta.concrete_fields
            # Its own id, its page's id and its time (compared on their own).
            if field.attname not in {"id", "page_id", "timestamp", "action"}
        }
        columns["revision_id"] = own_revision(page, entry.revision_id)
        if bulk:
            # The bulk path names itself as the source of its entries, on purpose, so the
            # history tells imported pages apart; Wagtail's path writes no data for these
            # actions. Anything else in `data` must be the same.
            columns["data"] = {k: v for k, v in entry.data.items() if k != "source"}
        entries.append((entry.action, columns))
    return sorted(entries, key=lambda entry: entry[0])


def index_entries(page: ArticlePage) -> list[dict]:
    # title_norm is left out: the average title length of the whole index over this title's
    # length, set when the entry is written, so it depends on what else was indexed before.
    return list(
        IndexEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ArticlePage), object_id=str(page.pk)
        ).values("content_type_id", "title", "body", "autocomplete")
    )


def without_uuids(content_path: str) -> str:
    """A reference's content path into a StreamField names blocks by their (random) id."""
    return ".".join(
        "<block id>" if len(part) == 36 and part.count("-") == 4 else part
        for part in content_path.split(".")
    )


def references(page: ArticlePage) -> list[dict]:
    """The page's ReferenceIndex rows (content_path_hash is left out: a hash of the path,
    which names blocks by id)."""
    rows = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id=str(page.pk)
    ).values("content_type_id", "to_content_type_id", "to_object_id", "model_path", "content_path")
    return sorted(
        ({**row, "content_path": without_uuids(row["content_path"])} for row in rows), key=repr
    )


# -- the comparisons ------------------------------------------------------------------------


def test_page_and_article_rows_are_the_same(both_ways):
    bulk, wagtail = both_ways.bulk, both_ways.wagtail
    bulk_columns, wagtail_columns = page_columns(bulk), page_columns(wagtail)
    assert bulk_columns.keys() == wagtail_columns.keys()
    assert (
        differences({name: (bulk_columns[name], wagtail_columns[name]) for name in bulk_columns})
        == {}
    )
    late = {
        name: (getattr(bulk, name), getattr(wagtail, name))
        for name in TIMESTAMPS
        if not close_in_time(getattr(bulk, name), getattr(wagtail, name))
    }
    assert late == {}
    assert bulk.latest_revision_created_at is not None
    if both_ways.live:
        assert bulk.first_published_at is not None and bulk.last_published_at is not None
    # What must differ does, and is right for each page.
    assert bulk.slug != wagtail.slug
    for page in (bulk, wagtail):
        parent = page.get_parent()
        assert parent.pk == both_ways.section.pk
        assert page.url_path == f"{parent.url_path}{page.slug}/"
        assert page.depth == parent.depth + 1 and page.path.startswith(parent.path)
        assert page.translation_key is not None


def test_revision_links_point_to_the_pages_own_single_revision(both_ways):
    for page in (both_ways.bulk, both_ways.wagtail):
        page = ArticlePage.objects.get(pk=page.pk)
        [revision] = Revision.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page), object_id=str(page.pk)
        )
        assert page.latest_revision_id == revision.pk
        assert page.import_revision_id == revision.pk
        assert page.live_revision_id == (revision.pk if both_ways.live else None)
        assert page.live == both_ways.live
        assert page.has_unpublished_changes == (not both_ways.live)


def test_revisions_are_the_same(both_ways):
    bulk, wagtail = both_ways.bulk, both_ways.wagtail
    [bulk_revision] = Revision.objects.filter(object_id=str(bulk.pk))
    [wagtail_revision] = Revision.objects.filter(object_id=str(wagtail.pk))
    columns = {
        name: (getattr(bulk_revision, name), getattr(wagtail_revision, name))
        for name in (field.attname for field in Revision._meta.concrete_fields)
        # Its own id, its page's id, its time (below) and its content (below).
        if name not in {"id", "object_id", "created_at", "content"}
    }
    assert differences(columns) == {}
    assert bulk_revision.content_type == ContentType.objects.get_for_model(ArticlePage)
    assert bulk_revision.base_content_type == ContentType.objects.get_for_model(Page)
    assert bulk_revision.object_str == HEADLINE
    assert close_in_time(bulk_revision.created_at, wagtail_revision.created_at)

    live = both_ways.live
    assert revision_content(bulk, bulk_revision, live=live) == revision_content(
        wagtail, wagtail_revision, live=live
    )
    for key in CONTENT_TIMESTAMPS:
        bulk_time, wagtail_time = (
            parse_datetime(r.content[key]) if r.content[key] else None
            for r in (bulk_revision, wagtail_revision)
        )
        assert close_in_time(bulk_time, wagtail_time), (key, bulk_time, wagtail_time)
    # The revision restores the page as it is.
    for page, revision in ((bulk, bulk_revision), (wagtail, wagtail_revision)):
        restored = revision.as_object()
        assert (restored.title, restored.slug, restored.source_key) == (
            page.title,
            page.slug,
            page.source_key,
        )
        assert [s.pk for s in restored.secondary_sections.all()] == [
            s.pk for s in page.secondary_sections.all()
        ]


def test_log_entries_are_the_same(both_ways):
    bulk, wagtail = both_ways.bulk, both_ways.wagtail
    bulk_actions = {action for action, _ in log_entries(bulk, bulk=True)}
    wagtail_actions = {action for action, _ in log_entries(wagtail, bulk=False)}
    expected = {"wagtail.create", "wagtail.publish"} if both_ways.live else {"wagtail.create"}
    assert expected <= bulk_actions
    assert bulk_actions == wagtail_actions
    assert log_entries(bulk, bulk=True) == log_entries(wagtail, bulk=False)
    for page in (bulk, wagtail):
        page.refresh_from_db()
        entries = PageLogEntry.objects.filter(page_id=page.pk)
        assert all(entry.content_changed for entry in entries)
        if both_ways.live:
            assert entries.get(action="wagtail.publish").revision_id == page.live_revision_id
    bulk_times = PageLogEntry.objects.filter(page_id=bulk.pk).values_list("timestamp", flat=True)
    assert all(close_in_time(time, bulk.latest_revision_created_at) for time in bulk_times)


def test_sections_and_filings_are_the_same(both_ways):
    bulk, wagtail = both_ways.bulk, both_ways.wagtail
    world = SectionPage.objects.get(title="World")

    def secondary(page):
        return set(page.secondary_sections.values_list("pk", flat=True))

    assert secondary(bulk) == secondary(wagtail) == {world.pk}

    def filings(page):
        return set(
            SectionFiling.objects.filter(article_id=page.pk).values_list(
                "section_id", "is_primary", "publication_date"
            )
        )

    assert filings(bulk) == filings(wagtail)
    assert {(section, primary) for section, primary, _ in filings(bulk)} == {
        (both_ways.section.pk, True),
        (world.pk, False),
    }
    for page in (bulk, wagtail):
        [imported] = ImportedStory.objects.filter(source_key=page.source_key)
        assert imported.page_id == page.pk
    assert close_in_time(
        ImportedStory.objects.get(page=bulk).first_imported_at,
        ImportedStory.objects.get(page=wagtail).first_imported_at,
    )


def test_search_index_entries_are_the_same(both_ways):
    bulk, wagtail = both_ways.bulk, both_ways.wagtail
    assert len(index_entries(bulk)) == 1
    assert index_entries(bulk) == index_entries(wagtail)
    pages = ArticlePage.objects.live() if both_ways.live else ArticlePage.objects.all()
    for query in (HEADLINE, "dockworkers", "Thursday"):
        found = {page.pk for page in pages.search(query)}
        assert found == {bulk.pk, wagtail.pk}, query


def test_reference_index_rows_are_the_same(both_ways):
    # Empty on both sides today: an imported story references nothing Wagtail indexes (its
    # image slots are empty, secondary sections are a many-to-many, which it doesn't index).
    assert references(both_ways.bulk) == references(both_ways.wagtail)


def test_reference_index_rows_for_an_article_that_references_an_image(
    home, tmp_path, monkeypatch, make_image
):
    """Stories carry no images yet, so the writer is handed pages whose lead image and body
    image slots are filled (as an editor would fill them): Wagtail's path indexes those
    references (the admin's "usage" of the image, and the warning before deleting it)."""
    image = make_image("Harbour cranes")
    fill_article = importing.fill_article

    def fill_with_images(page, *args, **kwargs):
        fill_article(page, *args, **kwargs)
        page.lead_image, page.lead_image_alt = image, "Idle cranes at the harbour"
        page.body = [
            (block.block_type, {**block.value, "image": image, "alt_text": "Cranes"})
            if block.block_type == "image"
            else (block.block_type, block.value)
            for block in page.body
        ]

    monkeypatch.setattr(importing, "fill_article", fill_with_images)
    write_story(tmp_path / "bulk", "bulk-story.txt", STORY)
    write_story(tmp_path / "wagtail", "wagtail-story.txt", STORY)
    assert len(import_stories(paths=[tmp_path / "bulk"]).created) == 1
    monkeypatch.setattr(importing, "write_new_articles", no_batches)
    report = import_stories(paths=[tmp_path / "wagtail"])
    assert (len(report.created), report.fallbacks) == (1, 1)
    bulk = ArticlePage.objects.get(source_key="bulk-story")
    wagtail = ArticlePage.objects.get(source_key="wagtail-story")
    assert bulk.lead_image_id == wagtail.lead_image_id == image.pk
    image_type = ContentType.objects.get_for_model(type(image)).pk
    assert {
        (r["to_content_type_id"], r["to_object_id"], r["model_path"]) for r in references(wagtail)
    } == {
        (image_type, str(image.pk), "lead_image"),
        (image_type, str(image.pk), "body.image.image"),
    }
    assert references(bulk) == references(wagtail)


def test_the_tree_is_the_same(both_ways):
    assert both_ways.numchild_after_bulk == both_ways.numchild_before + 1
    assert both_ways.numchild_after_wagtail == both_ways.numchild_before + 2
    assert both_ways.section.numchild == both_ways.section.get_children().count()
    assert Page.find_problems() == ([], [], [], [], [])


def test_both_paths_write_as_many_rows_to_the_same_tables(both_ways):
    assert both_ways.rows_written_bulk == both_ways.rows_written_wagtail
