"""`manage.py import_stories`: what an operator sees, and what it leaves in the database."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import ArticlePage, SectionPage

from .stories import SEED_DIR, story_text, write_story


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_stories", *map(str, args), stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue(), err.getvalue()


def test_import_succeeds_with_summary_and_status_zero(home):
    status, out, err = run(SEED_DIR)
    assert status == 0
    assert out.strip().splitlines()[-1] == (
        "created 1, updated 0, unchanged 0, conflicts 0, failed 0"
    )
    assert err == ""  # no progress bar when not on a terminal


def test_dry_run_writes_nothing(home, tmp_path):
    write_story(tmp_path, "s.txt", story_text(path=("Science",), sections=("Space",)))
    sections_before = SectionPage.objects.count()
    status, out, _ = run("--dry-run", tmp_path)
    assert status == 0
    assert f"Would create {tmp_path / 's.txt'}" in out
    assert "Would create section “Science”." in out
    assert out.strip().endswith("(dry run: nothing was written)")
    assert ArticlePage.objects.count() == 0
    assert SectionPage.objects.count() == sections_before


BAD_FILES = {
    "empty.txt": (b"", "The file is empty."),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "looks binary"),
    "latin1.txt": (
        story_text(body=("Café olé",)).replace("•", "*").encode("latin-1"),
        "line 8",
    ),
    "no-body.txt": (story_text(body=()).encode(), "no body paragraphs"),
    "bad-date.txt": (story_text(date="Someday, Maybe 40, 2025").encode(), "line 1"),
    "not-home.txt": (
        story_text().replace("Home > ", "Start > ").encode(),
        "Home",
    ),
    "huge.txt": (story_text(body=("x" * 1_100_000,)).encode(), "limit"),
}


def test_each_bad_file_is_reported_and_the_good_ones_still_import(home, tmp_path):
    for name, (content, _) in BAD_FILES.items():
        write_story(tmp_path, name, content)
    write_story(tmp_path, "good.txt", story_text(headline="The good story"))
    missing = tmp_path / "missing.txt"

    status, out, err = run(tmp_path, missing)

    assert status == 1
    assert ArticlePage.objects.get().title == "The good story"
    lines = err.strip().splitlines()
    assert len(lines) == len(BAD_FILES) + 1
    for name, (_, words) in BAD_FILES.items():
        [line] = [line for line in lines if f"{tmp_path / name}" in line]
        assert words in line, line
    assert any(str(missing) in line and "No such file" in line for line in lines)
    assert out.strip().splitlines()[-1] == (
        f"created 1, updated 0, unchanged 0, conflicts 0, failed {len(BAD_FILES) + 1}"
    )


def test_failure_lines_name_the_file_and_line(home, tmp_path):
    write_story(tmp_path, "s.txt", story_text(date="Monday, May 13, 2025"))
    _, _, err = run(tmp_path)
    assert err.startswith(f"{tmp_path / 's.txt'}, line 1: ")
    assert "Tuesday" in err  # May 13, 2025 was a Tuesday


def test_rerun_is_idempotent_and_changes_update(home, tmp_path):
    write_story(tmp_path, "s.txt", story_text(body=("One.",)))
    run(tmp_path)
    assert run(tmp_path)[1].strip().endswith("unchanged 1, conflicts 0, failed 0")
    write_story(tmp_path, "s.txt", story_text(body=("Two.",)))
    assert "updated 1" in run(tmp_path)[1]
    assert ArticlePage.objects.count() == 1


def test_conflict_is_reported_and_force_overwrites(home, tmp_path, admin_user):
    write_story(tmp_path, "s.txt", story_text(body=("One.",)))
    run(tmp_path)
    article = ArticlePage.objects.get()
    article.standfirst = "Edited"
    article.save_revision(user=admin_user)
    write_story(tmp_path, "s.txt", story_text(body=("Two.",)))

    status, out, err = run(tmp_path)
    assert status == 0
    assert "edited in the admin" in err and "--force" in err
    assert "conflicts 1" in out
    status, out, _ = run("--force", tmp_path)
    assert "updated 1" in out


def test_draft_option(home, tmp_path):
    write_story(tmp_path, "s.txt", story_text())
    run("--draft", tmp_path)
    assert not ArticlePage.objects.get().live


def test_without_a_newsroom_the_command_says_what_to_do(db, tmp_path):
    write_story(tmp_path, "s.txt", story_text())
    with pytest.raises(CommandError, match="setup_newsroom"):
        call_command("import_stories", str(tmp_path), stdout=StringIO(), stderr=StringIO())


def test_submit_option_puts_stories_into_review(home, tmp_path):
    write_story(tmp_path, "a.txt", story_text(headline="First for review"))
    write_story(tmp_path, "b.txt", story_text(headline="Second for review"))
    status, out, _ = run("--submit", tmp_path)
    assert status == 0
    assert "Submitted 2 for review." in out
    for article in ArticlePage.objects.all():
        assert not article.live
        assert article.current_workflow_task.name == "Copy desk"
    # A changed story under review gets its new revision without a second workflow.
    write_story(tmp_path, "a.txt", story_text(headline="First for review", body=("Changed.",)))
    status, out, _ = run("--submit", tmp_path)
    assert "updated 1" in out
    first = ArticlePage.objects.get(title="First for review")
    assert first.workflow_states.count() == 1


def test_long_and_odd_headlines(home, tmp_path):
    write_story(tmp_path, "long.txt", story_text(headline="Word " * 80))
    write_story(tmp_path, "odd.txt", story_text(headline="Ünïcödé — «quotes» & ✓ / 100%?"))
    status, out, err = run(tmp_path)
    assert status == 1
    assert "The headline is 399 characters long; the limit is 255. Shorten it." in err
    odd = ArticlePage.objects.get()
    assert odd.title == "Ünïcödé — «quotes» & ✓ / 100%?"
    assert odd.slug == "ünïcödé-quotes-100"


# Takedowns stay down -------------------------------------------------------------------------


def test_a_story_an_editor_unpublished_stays_down_when_its_file_changes(home, tmp_path, client):
    write_story(tmp_path, "legal.txt", story_text(headline="Contested story", body=("One.",)))
    run(tmp_path)
    ArticlePage.objects.get().unpublish()
    write_story(tmp_path, "legal.txt", story_text(headline="Contested story", body=("Two.",)))

    status, out, err = run(tmp_path)
    assert status == 0
    assert "legal.txt: skipped, an editor unpublished its page." in err
    assert "Use --force" in err
    assert "updated 0" in out and "conflicts 1" in out
    assert not ArticlePage.objects.get().live
    assert "Contested story" not in client.get("/").content.decode()

    status, out, _ = run("--force", tmp_path)
    assert "updated 1" in out and ArticlePage.objects.get().live


def test_a_story_an_editor_deleted_is_not_created_again(home, tmp_path):
    write_story(tmp_path, "gone.txt", story_text(headline="Deleted story"))
    run(tmp_path)
    ArticlePage.objects.get().delete()

    status, out, err = run(tmp_path)  # the same, unchanged folder
    assert status == 0
    assert "gone.txt: skipped, an editor deleted its page. Use --force to import it again." in err
    assert "created 0" in out and "conflicts 1" in out
    assert not ArticlePage.objects.exists()

    status, out, _ = run("--force", tmp_path)
    assert "created 1" in out
    assert ArticlePage.objects.get().title == "Deleted story"
    # Remembered again: deleting it once more keeps it down too.
    ArticlePage.objects.get().delete()
    assert "conflicts 1" in run(tmp_path)[1]


def test_a_story_an_editor_made_private_is_left_alone(home, tmp_path):
    from wagtail.models import PageViewRestriction

    write_story(tmp_path, "p.txt", story_text(headline="Private story", body=("One.",)))
    run(tmp_path)
    PageViewRestriction.objects.create(
        page=ArticlePage.objects.get(), restriction_type=PageViewRestriction.LOGIN
    )
    write_story(tmp_path, "p.txt", story_text(headline="Private story", body=("Two.",)))
    status, out, err = run(tmp_path)
    assert "p.txt: skipped, its page is private now" in err
    assert "conflicts 1" in out


def test_a_date_far_ahead_is_refused_with_its_line(home, tmp_path):
    write_story(tmp_path, "typo.txt", story_text(date="Friday, December 31, 9999"))
    write_story(tmp_path, "good.txt", story_text(headline="Good story"))
    status, out, err = run(tmp_path)
    assert status == 1
    assert "typo.txt, line 1: The story is dated December 31, 9999, after" in err
    assert "created 1" in out and "failed 1" in out
    assert ArticlePage.objects.get().title == "Good story"


def test_a_wrong_weekday_is_a_warning_not_a_failure(home, tmp_path):
    write_story(tmp_path, "slip.txt", story_text(date="Tuesday, May 12, 2025"))
    status, out, err = run(tmp_path)
    assert status == 0
    assert "slip.txt, line 1: the date line 'Tuesday, May 12, 2025' says Tuesday" in err
    assert "created 1" in out
    assert ArticlePage.objects.get().publication_date.date().isoformat() == "2025-05-12"


def test_a_look_alike_section_name_files_into_the_real_section(home, world, tmp_path):
    """ "World" with a zero-width space is "World", not a second section at /world-2/."""
    write_story(tmp_path, "z.txt", story_text(path=("Wor\u200bld",), sections=("World\u2060",)))
    status, out, _ = run(tmp_path)
    assert status == 0 and "Created section" not in out
    assert ArticlePage.objects.get().get_parent().pk == world.pk
    assert SectionPage.objects.filter(title__startswith="Wor").count() == 1


def test_what_in_a_folder_cannot_be_a_story_is_reported(home, tmp_path, monkeypatch):
    import os

    stories = tmp_path / "stories"
    write_story(stories, "upper.TXT", story_text(headline="Upper case suffix"))
    os.mkfifo(stories / "pipe.txt")
    (stories / "passwd.txt").symlink_to("/etc/passwd")
    locked = stories / "locked"
    write_story(locked, "hidden.txt", story_text(headline="Locked away"))
    # A folder the importer may not read (root, who runs CI, reads every folder: the
    # refusal is the operating system's, as it answers an ordinary user).
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    status, out, err = run(stories)
    assert status == 1
    assert ArticlePage.objects.get().title == "Upper case suffix"
    assert "pipe.txt: It is not a regular file" in err
    assert "passwd.txt: It links out of" in err and "root:" not in err
    assert "locked: The folder cannot be read (permission denied)" in err
    assert "created 1" in out and "failed 3" in out


def verdicts(report, root: Path) -> dict[str, str]:
    """Each file's outcome in a report (created, updated, unchanged, conflict or failed), by
    its path under `root`."""
    outcome = {}
    for kind in ("created", "updated", "unchanged"):
        for path in getattr(report, kind):
            outcome[str(Path(path).relative_to(root))] = kind
    for conflict in report.conflicts:
        outcome[str(Path(conflict.path).relative_to(root))] = "conflict"
    for failure in report.failed:
        outcome[str(Path(failure.path).relative_to(root))] = "failed"
    return outcome


def test_a_dry_run_gives_each_file_the_verdict_the_real_run_gives(home, tmp_path, admin_user):
    """Every kind of bad file, beside good ones and ones an editor changed: the dry run
    predicts exactly what the real run then does, file by file."""
    from articles.stories.importer import import_stories

    for name, (data, _reason) in BAD_FILES.items():
        write_story(tmp_path, name, data)
    stories = {
        "fine.txt": story_text(headline="Fine"),
        "new-section.txt": story_text(path=("Science", "Space"), headline="Comet"),
        "deep.txt": story_text(path=tuple(f"Level {n}" for n in range(20))),
        "long-section.txt": story_text(path=("S" * 300,), headline="Long section name"),
        "long-headline.txt": story_text(headline="H" * 300),
        "future.txt": story_text(date="Monday, January 1, 2120"),
        "ancient.txt": story_text(date="Monday, January 1, 1700"),
        "reserved.txt": story_text(path=("Admin",), headline="Feed", sections=("Search",)),
        "control.txt": story_text(headline="Bell \x07 and escape \x1b[31m"),
        "zero-width.txt": story_text(path=("Wor\u200bld",), headline="Look-alike"),
        "emoji.txt": story_text(path=("📰",), headline="Emoji section"),
        "slashes.txt": story_text(path=("../../etc", "a/b"), headline="Slashes"),
        "sub/fine.txt": story_text(headline="Same name elsewhere"),
        "to-edit.txt": story_text(headline="Editors will change this"),
        "to-unpublish.txt": story_text(headline="Editors will take this down"),
        "to-delete.txt": story_text(headline="Editors will delete this"),
        "unchanged.txt": story_text(headline="Nobody touches this"),
    }
    for name, text in stories.items():
        write_story(tmp_path, name, text)

    def dry_then_real():
        dry = import_stories(paths=[tmp_path], dry_run=True)
        real = import_stories(paths=[tmp_path])
        assert verdicts(dry, tmp_path) == verdicts(real, tmp_path)
        return verdicts(real, tmp_path)

    first = dry_then_real()
    assert first["fine.txt"] == first["new-section.txt"] == "created"
    assert first["long-section.txt"] == "failed"
    assert first["deep.txt"] == first["future.txt"] == first["long-headline.txt"] == "failed"
    assert first["sub/fine.txt"] == "failed"  # the same file name as fine.txt

    # Editors act on three stories; every story file changes except one.
    ArticlePage.objects.get(title="Editors will change this").save_revision(user=admin_user)
    ArticlePage.objects.get(title="Editors will take this down").unpublish()
    ArticlePage.objects.get(title="Editors will delete this").delete()
    for name, text in stories.items():
        if name != "unchanged.txt":
            write_story(tmp_path, name, text.replace("First paragraph.", "A new first."))
    second = dry_then_real()
    assert second["to-edit.txt"] == second["to-unpublish.txt"] == "conflict"
    assert second["to-delete.txt"] == "conflict"
    assert second["unchanged.txt"] == "unchanged" and second["new-section.txt"] == "updated"
