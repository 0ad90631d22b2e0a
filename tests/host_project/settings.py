"""A minimal host: a stock Wagtail site (plain wagtailcore.Page home) that adds `articles`."""

import os
from pathlib import Path

BASE_DIR = Path(os.environ.get("HOST_DIR", Path(__file__).resolve().parent))
SECRET_KEY = "host-project-test-key"  # noqa: S105 - test-only host
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "articles",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = os.environ.get("HOST_URLCONF", "tests.host_project.urls")
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "host.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
WAGTAIL_SITE_NAME = "Host site"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
# The host lets newsroom sections sit under its own (plain) home page.
NEWSROOM_SECTION_PARENT_PAGE_TYPES = ["wagtailcore.Page", "articles.SectionPage"]
NEWSROOM_SECTION_PAGE_SIZE = 5
