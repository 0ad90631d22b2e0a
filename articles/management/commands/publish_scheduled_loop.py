import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.signal_handlers import alerts_came_and_went


class Command(BaseCommand):
    help = (
        "Run Wagtail's publish_scheduled every --interval seconds until stopped, and purge "
        "the breaking-news alerts that started or expired: a small scheduler for the embedded "
        "set-up. In production, run publish_scheduled from cron or "
        "a task worker instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=int, default=60, help="Seconds between runs (default 60)."
        )

    def handle(self, *args, interval, **options):
        self.stdout.write(f"Publishing scheduled pages every {interval}s.")
        last_tick = timezone.now()
        while True:
            call_command("publish_scheduled", verbosity=0)
            # Breaking-news alerts that started or expired since: purged from the caches.
            now = timezone.now()
            alerts_came_and_went(last_tick, now)
            last_tick = now
            time.sleep(interval)
