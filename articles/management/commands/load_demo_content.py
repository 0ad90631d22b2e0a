from django.core.management.base import BaseCommand, CommandError

from articles.demo import DemoContentError, load_demo_content


class Command(BaseCommand):
    help = (
        "Fill a development site with a demo newsroom: nested sections, fictional authors "
        "and a dozen made-up stories with generated photos. Runs only with DEBUG on; safe to "
        "run again (what exists is left alone)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-debug-off",
            action="store_true",
            help="Load it although DEBUG is off: for `make serve DEMO=1`, the production stack "
            "on this machine. Never on a real newsroom.",
        )

    def handle(self, *args, **options):
        try:
            report = load_demo_content(
                stdout=self.stdout if options["verbosity"] > 1 else None,
                allow_debug_off=options["allow_debug_off"],
            )
        except DemoContentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(report.summary()))
