"""The import service: stories in, complete pages out."""

import datetime
import threading

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageLogEntry

from articles.models import ArticlePage, SectionPage
from articles.stories import importer as importing
from articles.stories.importer import import_stories
from articles.stories.sections import SectionDirectory

from .stories import SEED_DIR, story_text, write_story


def import_at_once(*paths_per_import, batch_size: int) -> list:
    """Run one import per list of paths, all at once, each in its own thread and database
    connection; their reports (no import may raise)."""
    reports, errors = [], []

    def run(paths):
        try:
            reports.append(import_stories(paths=paths, batch_size=batch_size))
        except Exception as error:  # noqa: BLE001 - surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(paths,)) for paths in paths_per_import]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return reports


def only_article() -> ArticlePage:
    return ArticlePage.objects.get()


def test_seed_story_becomes_a_complete_live_article(home, client):
    report = import_stories(paths=[SEED_DIR])
    assert report.summary() == "created 1, updated 0, unchanged 0, conflicts 0, failed 0"

    article = only_article()
    assert article.title == "Putin Signals Willingness for Direct Peace Talks with Ukraine"
    assert article.get_parent().title == "Top Stories"
    assert [s.title for s in article.secondary_sections.all()] == ["World"]
    assert article.publication_date.date() == datetime.date(2025, 5, 12)
    assert article.first_published_at.date() == datetime.date(2025, 5, 12)
    assert article.live and not article.has_unpublished_changes
    assert article.live_revision_id == article.latest_revision_id is not None
    assert article.source_key == "000_72acc11ac7a82a21"
    # The image line before the first paragraph is the (empty) lead slot.
    assert article.lead_image is None
    paragraphs = [b.value.source for b in article.body if b.block_type == "paragraph"]
    assert len(paragraphs) == 6 and len(article.body) == 6
    assert paragraphs[3].startswith("<p>Yet, Ukraine")  # leading non-breaking space gone

    assert Page.find_problems() == ([], [], [], [], [])
    assert [p.pk for p in Page.objects.live().search("Zelenskyy")] == [article.pk]
    assert PageLogEntry.objects.filter(page=article, action="wagtail.publish").exists()
    for url in ("/", "/top-stories/", "/world/"):
        assert article.title in client.get(url).content.decode()


def test_nested_section_path_is_created_once(home, tmp_path):
    write_story(tmp_path, "a.txt", story_text(path=("World", "Europe"), sections=("Europe",)))
    write_story(
        tmp_path, "b.txt", story_text(path=("World", "Europe"), headline="Another", sections=())
    )
    report = import_stories(paths=[tmp_path])
    assert len(report.created) == 2
    assert report.new_sections == ["World > Europe"]
    europe = SectionPage.objects.get(title="Europe")
    assert europe.get_parent().title == "World" and europe.live
    assert ArticlePage.objects.child_of(europe).count() == 2
    # The primary section is not repeated as a secondary one.
    assert ArticlePage.objects.filter(secondary_sections__isnull=False).count() == 0


def test_secondary_section_nearest_the_primary_wins_else_new_top_level(home, world, tmp_path):
    business = home.add_child(instance=SectionPage(title="Business"))
    for parent in (world, business):
        parent.add_child(instance=SectionPage(title="Markets"))
    politics = world.add_child(instance=SectionPage(title="Politics"))
    write_story(
        tmp_path,
        "s.txt",
        story_text(path=("World", "Politics"), sections=("Politics", "Markets", "Sport")),
    )
    import_stories(paths=[tmp_path])
    article = only_article()
    assert article.get_parent().pk == politics.pk
    filed = {s.url_path for s in article.secondary_sections.all()}
    assert filed == {"/home/world/markets/", "/home/sport/"}
    assert SectionPage.objects.get(title="Sport").get_parent().pk == home.pk


def test_image_slots_keep_their_positions(home, tmp_path):
    write_story(
        tmp_path, "s.txt", story_text(body=("image", "image", "One.", "image", "Two.", "image"))
    )
    import_stories(paths=[tmp_path])
    assert [b.block_type for b in only_article().body] == [
        "image",
        "paragraph",
        "image",
        "paragraph",
        "image",
    ]


def test_story_text_is_escaped_never_markup(home, tmp_path, client):
    hostile = '<b>bold</b> & <script>alert("x")</script>'
    write_story(tmp_path, "s.txt", story_text(headline="Tags <i>here</i>", body=(hostile,)))
    import_stories(paths=[tmp_path])
    response = client.get(only_article().url)
    html = response.content.decode()
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(".article__body").get_text().strip() == hostile
    assert soup.h1.get_text() == "Tags <i>here</i>"


def test_slugs_are_unique_within_a_section(home, tmp_path):
    for name in ("a.txt", "b.txt"):
        write_story(tmp_path, name, story_text(headline="Same headline"))
    import_stories(paths=[tmp_path])
    assert sorted(ArticlePage.objects.values_list("slug", flat=True)) == [
        "same-headline",
        "same-headline-2",
    ]


def test_reimport_of_unchanged_files_changes_nothing(home):
    import_stories(paths=[SEED_DIR])
    article = only_article()
    revisions = article.revisions.count()
    report = import_stories(paths=[SEED_DIR])
    assert report.summary() == "created 0, updated 0, unchanged 1, conflicts 0, failed 0"
    assert article.revisions.count() == revisions
    assert ArticlePage.objects.count() == 1


def test_changed_file_updates_its_page_with_a_new_revision(home, tmp_path):
    path = write_story(tmp_path, "s.txt", story_text(body=("Old text.",)))
    import_stories(paths=[tmp_path])
    article = only_article()
    write_story(tmp_path, "s.txt", story_text(body=("New text.",), sections=("World",)))
    report = import_stories(paths=[tmp_path])
    assert report.updated == [str(path)]
    article.refresh_from_db()
    assert article.live and not article.has_unpublished_changes
    assert article.revisions.count() == 2
    assert article.body[0].value.source == "<p>New text.</p>"
    assert [s.title for s in article.secondary_sections.all()] == ["World"]
    assert ArticlePage.objects.count() == 1
    # And once more unchanged: the import knows the revision it made is its own.
    assert import_stories(paths=[tmp_path]).unchanged == [str(path)]


def test_editor_changes_are_not_overwritten_without_force(home, tmp_path, admin_user):
    write_story(tmp_path, "s.txt", story_text(body=("Imported text.",)))
    import_stories(paths=[tmp_path])
    article = only_article()
    article.standfirst = "An editor's standfirst."
    article.save_revision(user=admin_user).publish()

    write_story(tmp_path, "s.txt", story_text(body=("Changed upstream.",)))
    report = import_stories(paths=[tmp_path])
    assert len(report.conflicts) == 1 and not report.updated
    article.refresh_from_db()
    assert article.standfirst == "An editor's standfirst."

    report = import_stories(paths=[tmp_path], force=True)
    assert len(report.updated) == 1
    article.refresh_from_db()
    assert article.body[0].value.source == "<p>Changed upstream.</p>"


def test_draft_import_is_not_live(home, tmp_path, client):
    write_story(tmp_path, "s.txt", story_text(headline="Embargoed draft"))
    import_stories(paths=[tmp_path], live=False)
    article = only_article()
    assert not article.live and article.latest_revision_id
    assert "Embargoed draft" not in client.get("/top-stories/").content.decode()


def test_when_a_batch_fails_each_story_is_written_on_its_own(home, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(importing, "write_new_articles", broken)
    for n in range(3):
        write_story(tmp_path, f"{n}.txt", story_text(headline=f"Story {n}", sections=("World",)))
    report = import_stories(paths=[tmp_path])
    assert len(report.created) == 3
    assert all(a.live and a.live_revision_id for a in ArticlePage.objects.all())
    assert Page.find_problems() == ([], [], [], [], [])
    assert (
        import_stories(paths=[tmp_path]).summary().startswith("created 0, updated 0, unchanged 3")
    )


def test_bulk_import_keeps_the_tree_and_listings_right(home, tmp_path, world, client):
    for n in range(30):
        write_story(
            tmp_path,
            f"{n:03}.txt",
            story_text(
                date=(datetime.date(2025, 1, 1) + datetime.timedelta(days=n)).strftime(
                    "%A, %B %-d, %Y"
                ),
                headline=f"Story {n}",
                sections=("Top Stories", "World"),
            ),
        )
    import_stories(paths=[tmp_path], batch_size=7)
    assert Page.find_problems() == ([], [], [], [], [])
    top = SectionPage.objects.get(title="Top Stories")
    assert top.numchild == 30
    soup = BeautifulSoup(client.get(world.url).content, "html.parser")
    headlines = [h.get_text(strip=True) for h in soup.select(".card__headline")]
    assert headlines == [f"Story {n}" for n in range(29, 9, -1)]


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_make_no_duplicates(tmp_path):
    from django.contrib.contenttypes.models import ContentType

    from articles.setup import set_up_newsroom

    ContentType.objects.clear_cache()  # see tests/e2e: an earlier flush renumbers them
    set_up_newsroom()
    for n in range(20):
        write_story(tmp_path, f"{n:03}.txt", story_text(headline=f"Story {n}"))
    reports = import_at_once([tmp_path], [tmp_path], batch_size=5)
    assert [r.failed for r in reports] == [[], []]
    assert ArticlePage.objects.count() == 20
    assert sorted(len(r.created) for r in reports) != [20, 20]
    assert sum(len(r.created) for r in reports) == 20
    assert all(not r.failed for r in reports)
    assert Page.find_problems() == ([], [], [], [], [])


def test_new_stories_are_written_in_batches_not_one_by_one(home, tmp_path):
    for n in range(40):
        write_story(tmp_path, f"{n:03}.txt", story_text(headline=f"Story {n}"))
    import_stories(paths=[tmp_path / "000.txt"])  # sections and caches warm
    with CaptureQueriesContext(connection) as queries:
        report = import_stories(paths=[tmp_path])
    assert len(report.created) == 39
    # Wagtail's add_child + publish costs dozens of queries per page; a batch costs a handful
    # per page at most (the page's own table row and the search index entry).
    assert len(queries) < 39 * 4


def test_large_imports_refresh_the_planner_statistics(home, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "ANALYZE_AFTER", 3)
    for n in range(3):
        write_story(tmp_path, f"{n}.txt", story_text(headline=f"Story {n}"))
    with CaptureQueriesContext(connection) as queries:
        import_stories(paths=[tmp_path])
    assert [q["sql"] for q in queries if q["sql"].upper().startswith("ANALYZE")]


def test_readers_see_imported_stories_at_once(
    home, world, tmp_path, client, django_capture_on_commit_callbacks
):
    # The section page and the sitemap index are cached before the import...
    assert "Fresh from the wire" not in client.get(world.url).content.decode()
    client.get("/sitemap.xml")
    write_story(
        tmp_path,
        "wire.txt",
        story_text(headline="Fresh from the wire", path=("World",), sections=("World",)),
    )
    with django_capture_on_commit_callbacks(execute=True):  # as when the import commits
        assert len(import_stories(paths=[tmp_path]).created) == 1
    # ...and the bulk insert, which sends no publish signal, still refreshes them.
    article = ArticlePage.objects.get(title="Fresh from the wire")
    soup = BeautifulSoup(client.get(world.url).content, "html.parser")
    assert [h.get_text(strip=True) for h in soup.select(".card__headline")] == [article.title]
    assert (
        f"/sitemap-articles-{article.pk // 1000}.xml" in client.get("/sitemap.xml").content.decode()
    )


def test_reserved_names_never_become_addresses_the_site_shadows(home, tmp_path, client):
    """A section called "Admin" or "Search" would sit at /admin/ or /search/, which the site
    answers before any page; an article called "Feed" at <section>/feed/, the section's feed."""
    write_story(
        tmp_path, "a.txt", story_text(path=("Admin",), headline="Feed", sections=("Search",))
    )
    report = import_stories(paths=[tmp_path])
    assert report.ok, report.failed
    admin = SectionPage.objects.get(title="Admin")
    search = SectionPage.objects.get(title="Search")
    article = only_article()
    assert (admin.slug, search.slug, article.slug) == ("admin-2", "search-2", "feed-2")
    for page in (admin, search, article):
        response = client.get(page.url)
        assert response.status_code == 200 and page.title in response.content.decode()


def test_editors_get_a_clear_error_for_a_reserved_slug(home):
    from articles.roles import EDITORS

    from .test_api_write import token_for
    from .workflow_helpers import make_user

    editor = token_for(make_user("editor", EDITORS))
    response = editor.post(
        "/api/v3/pages/",
        {"meta": {"type": "articles.SectionPage", "parent_id": home.pk}, "title": "API",
         "slug": "api"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "“api” is taken by the site itself" in response.content.decode()
    assert not SectionPage.objects.filter(slug="api").exists()


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_different_folders_share_new_sections_and_never_an_address(tmp_path):
    """Both folders file into sections that don't exist yet, with the same headlines: one
    "Business" section, not "Business" and "Business 2"; no address held by two pages."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from articles.setup import set_up_newsroom

    ContentType.objects.clear_cache()
    set_up_newsroom()
    for folder in ("a", "b"):
        for n in range(12):
            path = ("Business",) if n % 2 else ("Science", "Space")
            write_story(
                tmp_path / folder,
                f"{folder}{n:03}.txt",
                story_text(path=path, headline=f"Story {n}", sections=("Markets",)),
            )
    reports = import_at_once([tmp_path / "a"], [tmp_path / "b"], batch_size=3)
    assert [r.failed for r in reports] == [[], []]
    assert ArticlePage.objects.count() == 24
    titles = sorted(SectionPage.objects.values_list("title", flat=True))
    assert titles == ["Business", "Markets", "Science", "Space", "Top Stories", "World"]
    shared = Page.objects.values("url_path").annotate(n=Count("pk")).filter(n__gt=1)
    assert list(shared) == []
    assert Page.find_problems() == ([], [], [], [], [])


def test_a_story_that_fails_leaves_no_section_behind(home, tmp_path, client):
    """A 70-level breadcrumb can't fit Wagtail's tree: the story fails, and none of the
    sections made for it on the way down stay (they'd be live, empty, in the masthead)."""
    deep = tuple(f"Level {n}" for n in range(70))
    write_story(tmp_path, "deep.txt", story_text(path=deep, sections=("Brand new section",)))
    write_story(tmp_path, "fine.txt", story_text(headline="Fine story"))
    sections_before = set(SectionPage.objects.values_list("title", flat=True))

    report = import_stories(paths=[tmp_path])

    assert [(f.path.rsplit("/", 1)[-1], f.line) for f in report.failed] == [("deep.txt", 3)]
    assert "70 sections deep; at most 12 levels" in report.failed[0].reason
    assert report.created and report.created[0].endswith("fine.txt")
    assert set(SectionPage.objects.values_list("title", flat=True)) == sections_before
    assert report.new_sections == []
    assert "Level 0" not in client.get("/").content.decode()
    assert Page.find_problems() == ([], [], [], [], [])


def test_sections_made_for_a_story_that_then_fails_are_rolled_back(home, tmp_path, monkeypatch):
    real_create = SectionDirectory._create

    def create(self, parent, title, label):
        if title == "Boom":
            raise RuntimeError("the disk is full")
        return real_create(self, parent, title, label)

    monkeypatch.setattr(SectionDirectory, "_create", create)
    write_story(tmp_path, "a.txt", story_text(path=("New desk", "Boom"), headline="Fails"))
    write_story(tmp_path, "b.txt", story_text(headline="Goes through"))
    report = import_stories(paths=[tmp_path])
    assert [f.reason for f in report.failed] == [
        "Its sections could not be set up: the disk is full."
    ]
    assert not SectionPage.objects.filter(title="New desk").exists()
    assert report.new_sections == []
    assert ArticlePage.objects.get().title == "Goes through"


@pytest.mark.django_db(transaction=True)
def test_editors_publish_while_an_import_runs_and_nothing_fails(tmp_path):
    """An editor creates and publishes articles in the section an import is filling, and
    re-publishes imported ones: every save goes through (no 500 from a deadlock or a taken
    tree position), the import loses no story, and no address is held by two pages."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from articles.roles import EDITORS
    from articles.setup import set_up_newsroom

    from .workflow_helpers import article_form, make_user

    ContentType.objects.clear_cache()
    set_up_newsroom()
    top = SectionPage.objects.get(title="Top Stories")
    editor = make_user("editor", EDITORS)
    for n in range(6):
        write_story(tmp_path / "first", f"early{n}.txt", story_text(headline=f"Early {n}"))
    assert len(import_stories(paths=[tmp_path / "first"]).created) == 6
    early = list(ArticlePage.objects.filter(title__startswith="Early").order_by("pk"))
    for n in range(120):
        write_story(tmp_path / "wire", f"{n:03}.txt", story_text(headline=f"Wire story {n}"))

    import_started, import_done = threading.Event(), threading.Event()
    first_save = threading.Event()
    reports, saves, errors = [], [], []

    def import_wire():
        def progress(done, total):
            if done > 5:  # the first batch is in
                import_started.set()
                # On a busy machine the import could finish before the editor's thread gets
                # to run at all: let the desk's first save start while batches remain.
                first_save.wait(timeout=10)

        try:
            reports.append(
                import_stories(paths=[tmp_path / "wire"], batch_size=5, on_progress=progress)
            )
        except Exception as error:  # noqa: BLE001 - surfaced below
            errors.append(error)
        finally:
            import_started.set()
            import_done.set()
            connection.close()

    def save(client, action, url, data):
        during_import = not import_done.is_set()
        first_save.set()
        saves.append((action, client.post(url, data).status_code, during_import))

    def edit_and_publish():
        client = Client()
        client.force_login(editor)
        import_started.wait(timeout=60)
        try:
            for n, page in enumerate(early):
                add = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", top.pk))
                save(client, "create", add, article_form(f"Desk story {n}", "action-publish"))
                edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
                form = article_form(page.title, "action-publish", slug=page.slug)
                save(client, "publish", edit, form)
        except Exception as error:  # noqa: BLE001 - surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=import_wire), threading.Thread(target=edit_and_publish)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [s for s in saves if s[1] != 302] == []  # every save redirects: none failed
    assert any(during_import for *_, during_import in saves)
    (report,) = reports
    assert report.failed == [] and len(report.created) == 120
    assert ArticlePage.objects.filter(title__startswith="Wire story", live=True).count() == 120
    assert ArticlePage.objects.filter(title__startswith="Desk story", live=True).count() == 6
    assert all(page.live for page in ArticlePage.objects.filter(pk__in=[p.pk for p in early]))
    shared = Page.objects.values("url_path").annotate(n=Count("pk")).filter(n__gt=1)
    assert list(shared) == []
    assert Page.find_problems() == ([], [], [], [], [])


def test_a_reimport_skips_unchanged_files_without_parsing_them(home, tmp_path, monkeypatch):
    """Bytes already imported are not parsed again; the same story in other bytes (Windows
    line endings) is unchanged too, and skipped unparsed from then on."""
    write_story(tmp_path, "a.txt", story_text(headline="Kept"))
    write_story(tmp_path, "b.txt", story_text(headline="Re-saved"))
    assert len(import_stories(paths=[tmp_path]).created) == 2
    write_story(tmp_path, "b.txt", story_text(headline="Re-saved", newline="\r\n"))
    parsed = []
    real_parse = importing.parse_story
    monkeypatch.setattr(
        importing, "parse_story", lambda text: parsed.append(text) or real_parse(text)
    )

    report = import_stories(paths=[tmp_path])
    assert (len(report.unchanged), report.updated, len(parsed)) == (2, [], 1)  # b.txt only

    parsed.clear()
    assert len(import_stories(paths=[tmp_path]).unchanged) == 2
    assert parsed == []


def test_an_import_stopped_mid_batch_leaves_no_section_or_story(home, tmp_path, monkeypatch):
    """Ctrl-C (or a kill) after a batch made its new sections but before it committed: the
    sections went in the batch's transaction, so nothing of the batch stays."""
    real_write = importing.write_new_articles

    def interrupted(pages, **kwargs):
        assert SectionPage.objects.filter(title="Brand new desk").exists()  # made, in the batch
        raise KeyboardInterrupt

    write_story(tmp_path / "a", "first.txt", story_text(headline="Committed first"))
    import_stories(paths=[tmp_path / "a"])
    sections_before = set(SectionPage.objects.values_list("title", flat=True))
    for n in range(3):
        write_story(
            tmp_path / "b",
            f"{n}.txt",
            story_text(path=("Brand new desk",), headline=f"Lost {n}", sections=("Other desk",)),
        )
    monkeypatch.setattr(importing, "write_new_articles", interrupted)
    with pytest.raises(KeyboardInterrupt):
        import_stories(paths=[tmp_path / "b"])

    assert set(SectionPage.objects.values_list("title", flat=True)) == sections_before
    assert list(ArticlePage.objects.values_list("title", flat=True)) == ["Committed first"]
    assert Page.find_problems() == ([], [], [], [], [])
    monkeypatch.setattr(importing, "write_new_articles", real_write)
    assert len(import_stories(paths=[tmp_path / "b"]).created) == 3  # nothing half-remembered


@pytest.mark.parametrize("name", ["../../etc", "a/b", "📰", "World\u200b"])
def test_odd_section_names_become_reachable_sections(home, world, tmp_path, client, name):
    write_story(tmp_path, "odd.txt", story_text(path=(name,), headline="Odd desk story"))
    report = import_stories(paths=[tmp_path])
    assert report.ok and len(report.created) == 1
    section = only_article().get_parent().specific
    assert ".." not in section.url_path and section.url_path.count("/") == 3  # /home/<slug>/
    response = client.get(section.url)
    assert response.status_code == 200
    assert "Odd desk story" in response.content.decode()


def test_imported_entries_get_their_search_ranking_weight(home, tmp_path):
    """The batches leave the title norm (ranking by title length) to the end of the run."""
    from wagtail.search.models import IndexEntry

    for n, headline in enumerate(["Short", "A somewhat longer headline", "Mid length one"]):
        write_story(tmp_path, f"{n}.txt", story_text(headline=headline))
    import_stories(paths=[tmp_path])
    ids = [str(pk) for pk in ArticlePage.objects.values_list("pk", flat=True)]
    norms = set(IndexEntry.objects.filter(object_id__in=ids).values_list("title_norm", flat=True))
    assert len(norms) >= 2 and 1.0 not in norms  # PostgreSQL counts lexemes, SQLite letters
