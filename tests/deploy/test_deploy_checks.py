"""`check --deploy` is clean with the documented minimum environment; production responses carry
the security headers; the admin login locks out password guessing (django-axes)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

PROJECT = Path(__file__).resolve().parents[2]
# Variables that would leak the developer's or CI's set-up into the production subprocess.
LEAKY = {
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
    "AWS_STORAGE_BUCKET_NAME",
    "OPENSEARCH_URL",
    "ELASTICSEARCH_URL",
    "VARNISH_URL",
    "SECURE_SSL_REDIRECT",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' conftest
}


def production_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in LEAKY}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "news.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        **extra,
    }


def run(args, env, timeout=300):
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_check_deploy_reports_no_issues_with_the_four_required_variables(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "news.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


HEADERS_SCRIPT = r"""
import json
import django
from django.core.management import call_command
from django.templatetags.static import static
django.setup()
from django.test import Client

call_command("migrate", verbosity=0, interactive=False)
call_command("collectstatic", verbosity=0, interactive=False)
call_command("setup_newsroom", verbosity=0)
client = Client(HTTP_HOST="news.example")
out = {}
paths = {"home": "/", "admin_login": "/admin/login/", "css": static("articles/newsroom.css")}
for name, path in paths.items():
    response = client.get(path, secure=True)
    out[name] = {"status": response.status_code, "headers": dict(response.headers), "path": path}
plain = client.get("/")
out["plain_http"] = {"status": plain.status_code, "location": plain.headers.get("Location")}
print("RESULT " + json.dumps(out))
"""


@pytest.fixture(scope="module")
def production_responses(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    env = production_env(
        tmp, REDIS_URL="redis://127.0.0.1:6379/15", STATIC_ROOT=str(tmp / "static")
    )
    result = run(["-c", HEADERS_SCRIPT], env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


@pytest.mark.parametrize("page", ["home", "admin_login"])
def test_security_headers(production_responses, page):
    response = production_responses[page]
    assert response["status"] == 200, response
    headers = response["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = {
        directive.split()[0]: directive.split()[1:]
        for directive in headers["Content-Security-Policy"].split("; ")
    }
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]


def test_public_policy_is_strict_and_admin_policy_allows_inline_and_its_preview(
    production_responses,
):
    def policy(page):
        header = production_responses[page]["headers"]["Content-Security-Policy"]
        return {d.split()[0]: d.split()[1:] for d in header.split("; ")}

    public, admin = policy("home"), policy("admin_login")
    assert public["script-src"] == ["'self'"]
    assert public["style-src"] == ["'self'"]
    assert public["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" in admin["script-src"]
    assert "'unsafe-inline'" in admin["style-src"]
    assert admin["frame-ancestors"] == ["'self'"]


def test_cache_headers_public_for_readers_private_for_admin(production_responses):
    home = production_responses["home"]["headers"]
    assert home["Cache-Control"] == "public, max-age=60, s-maxage=3600"
    assert "Cookie" in home["Vary"]
    admin = production_responses["admin_login"]["headers"]
    assert "private" in admin["Cache-Control"] and "no-store" in admin["Cache-Control"]


def test_plain_http_redirects_to_https(production_responses):
    assert production_responses["plain_http"]["status"] == 301
    assert production_responses["plain_http"]["location"] == "https://news.example/"


def test_static_files_hashed_and_served_by_whitenoise_for_good(production_responses):
    css = production_responses["css"]
    assert css["status"] == 200, css
    assert css["path"].startswith("/static/articles/newsroom.") and css["path"].endswith(".css")
    assert css["path"] != "/static/articles/newsroom.css"
    assert "immutable" in css["headers"]["Cache-Control"]


@pytest.mark.django_db
def test_admin_login_locks_out_after_five_bad_passwords(client):
    get_user_model().objects.create_user("editor", password="correct-horse-battery")
    for attempt in range(4):
        response = client.post(
            "/admin/login/", {"username": "editor", "password": f"guess{attempt}"}
        )
        assert response.status_code == 200, attempt  # the form again, with its error
    response = client.post("/admin/login/", {"username": "editor", "password": "guess5"})
    assert response.status_code == 429
    assert b"too many login attempts" in response.content
    # Now even the right password is refused from this address...
    response = client.post(
        "/admin/login/", {"username": "editor", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert b"too many login attempts" in response.content
    # ...but not from another one: the lockout is for the username and address together.
    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": "correct-horse-battery"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


@pytest.mark.django_db
def test_force_login_is_unaffected_by_axes(client):
    user = get_user_model().objects.create_superuser("chief", password="x-long-password-1")
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
