from django.core.management.base import BaseCommand, CommandError

from articles.setup import find_parent_page, set_up_newsroom


class Command(BaseCommand):
    help = (
        "Create the site, its front page, the default sections, the newsroom roles and the "
        "review workflow. With --parent, attach the sections under an existing page of a host "
        "site instead. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--site-name", help="Name of the site when it is first created.")
        parser.add_argument(
            "--hostname",
            help="The host name readers use (canonical, Open Graph and feed links), e.g. "
            "news.example.org.",
        )
        parser.add_argument(
            "--port", type=int, help="The port readers use (80 unless the site runs elsewhere)."
        )
        parser.add_argument(
            "--parent",
            help="Id or path (e.g. /news/) of an existing page to attach the newsroom under.",
        )

    def handle(self, *args, **options):
        parent = None
        if options["parent"] and (options["hostname"] or options["port"]):
            raise CommandError(
                "--hostname and --port set the newsroom's own site; with --parent the host "
                "site's address is set in the admin (Settings > Sites)."
            )
        if options["port"] is not None and not 0 < options["port"] < 65536:
            raise CommandError(f"--port {options['port']} is not a port: give 1 to 65535.")
        if options["parent"]:
            try:
                parent = find_parent_page(options["parent"])
            except ValueError as error:
                raise CommandError(str(error)) from error
        report = set_up_newsroom(
            site_name=options["site_name"],
            hostname=options["hostname"],
            port=options["port"],
            parent=parent,
        )
        for item in report.created:
            self.stdout.write(f"Created {item}.")
        if report.created:
            self.stdout.write(self.style.SUCCESS("Newsroom set up."))
        else:
            self.stdout.write(self.style.SUCCESS("Newsroom already set up; nothing to do."))
