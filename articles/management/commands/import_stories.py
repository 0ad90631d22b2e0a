import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.stories.importer import NoNewsroomError, import_stories


class Command(BaseCommand):
    help = (
        "Import story text files as articles: each PATH is a story file or a folder searched "
        "recursively for *.txt. Safe to run again: unchanged stories are left alone, changed "
        "ones get a new revision, and pages edited in the admin since their import are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Story file or folder.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and check everything and say what would change, but write nothing.",
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Save new and changed stories as drafts instead of publishing them.",
        )
        parser.add_argument(
            "--submit",
            action="store_true",
            help="Save new and changed stories as drafts and submit them to the review workflow.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite pages even if an editor has changed them since their last import.",
        )

    def handle(self, *args, paths, dry_run, draft, submit, force, **options):
        progress = _Progress(enabled=sys.stderr.isatty() and options["verbosity"] > 0)
        try:
            report = import_stories(
                paths=paths,
                live=not draft,
                submit=submit,
                force=force,
                dry_run=dry_run,
                on_progress=progress.update,
            )
        except NoNewsroomError as error:
            raise CommandError(str(error)) from error
        finally:
            progress.close()

        verb = "Would create" if dry_run else "Created"
        for section in report.new_sections:
            self.stdout.write(f"{verb} section “{section}”.")
        if dry_run:
            for path in report.created:
                self.stdout.write(f"Would create {path}")
            for path in report.updated:
                self.stdout.write(f"Would update {path}")
        if report.submitted:
            self.stdout.write(f"Submitted {len(report.submitted)} for review.")
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        for conflict in report.conflicts:
            self.stderr.write(self.style.WARNING(str(conflict)))
        for failure in report.failed:
            self.stderr.write(self.style.ERROR(str(failure)))

        summary = report.summary() + (" (dry run: nothing was written)" if dry_run else "")
        self.stdout.write(self.style.SUCCESS(summary) if report.ok else self.style.ERROR(summary))
        if not report.ok:
            # Good stories are already committed; the exit status tells scripts some failed.
            sys.exit(1)


class _Progress:
    """A progress bar on a terminal; nothing at all otherwise."""

    def __init__(self, *, enabled: bool):
        self.enabled = enabled
        self.bar = None

    def update(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            self.bar = tqdm(total=total, unit="story", file=sys.stderr, leave=False)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
