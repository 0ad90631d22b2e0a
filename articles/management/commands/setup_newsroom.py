from django.core.management.base import BaseCommand

from articles.setup import set_up_newsroom


class Command(BaseCommand):
    help = "Create the site, its front page and the default sections. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--site-name", help="Name of the site when it is first created.")

    def handle(self, *args, **options):
        report = set_up_newsroom(site_name=options["site_name"])
        for item in report.created:
            self.stdout.write(f"Created {item}.")
        if report.created:
            self.stdout.write(self.style.SUCCESS("Newsroom set up."))
        else:
            self.stdout.write(self.style.SUCCESS("Newsroom already set up; nothing to do."))
