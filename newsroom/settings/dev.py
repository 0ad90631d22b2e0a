import os

from .base import *  # noqa: F403

DEBUG = True
# A fallback for local development only; production refuses to start without SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-dev-only-do-not-use-in-production")
