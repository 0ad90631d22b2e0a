import os

from .base import *  # noqa: F403

DEBUG = True
# A fallback for local development only; production refuses to start without SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-dev-only-do-not-use-in-production")
# Workflow notifications go to the console rather than an SMTP server that isn't there.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
