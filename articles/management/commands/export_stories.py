from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.stories.exporter import export_stories


class Command(BaseCommand):
    help = (
        "Write every live article to DIR as story text files (the format import_stories "
        "reads), named after their source file, or article-<id>.txt."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR", help="Folder to write the stories to.")

    def handle(self, *args, folder, **options):
        try:
            report = export_stories(folder=Path(folder))
        except OSError as error:
            raise CommandError(f"Cannot write to {folder}: {error.strerror or error}.") from error
        self.stdout.write(self.style.SUCCESS(f"exported {len(report.written)} to {folder}"))
