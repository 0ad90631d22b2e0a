import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Make sure an administrator account exists. Uses NEWSROOM_ADMIN_USERNAME, "
        "NEWSROOM_ADMIN_EMAIL and NEWSROOM_ADMIN_PASSWORD when set; otherwise generates a "
        "password and prints it once. Does nothing when a superuser already exists."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An administrator account already exists.")
            return
        username = os.environ.get("NEWSROOM_ADMIN_USERNAME", "admin").strip()
        if not username:
            raise CommandError("NEWSROOM_ADMIN_USERNAME is set but empty; give it a user name.")
        email = os.environ.get("NEWSROOM_ADMIN_EMAIL", "")
        password = os.environ.get("NEWSROOM_ADMIN_PASSWORD", "")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(16)
        if User.objects.filter(username=username).exists():
            raise CommandError(
                f"A user named “{username}” exists but is not an administrator. Set "
                "NEWSROOM_ADMIN_USERNAME to another name, or make that user a superuser."
            )
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(self.style.SUCCESS(f"Created administrator “{username}”."))
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"Its generated password is: {password}\n"
                    "It is shown only this once. Change it under Account in the admin."
                )
            )
