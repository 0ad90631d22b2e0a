"""`articles` in a brand-new `wagtail start` site, added by following docs/plugin.md literally.

The test makes the site with Wagtail's own `wagtail start` (installed with Wagtail, no network),
installs the wheel, then applies each block of docs/plugin.md where the HTML comment before
it says (append to a file, insert before a line, run the shell lines), serves the site with
`runserver`, and reads it as a visitor, an API client and an administrator would. On
PostgreSQL (DATABASE_URL set) the site gets a database of its own, through the starter's
`settings/local.py`, which is the one step not taken from the doc.
"""

import http.cookiejar
import json
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import install_wheel

# Under pytest-xdist, one worker runs every test that installs the wheel, which it builds once.
pytestmark = pytest.mark.xdist_group("wheel")

PROJECT = Path(__file__).resolve().parent.parent
DOC = PROJECT / "docs" / "plugin.md"
HEADLINE = "Putin Signals Willingness for Direct Peace Talks with Ukraine"
ADMIN_PASSWORD = secrets.token_urlsafe(16)
STEP = re.compile(r"<!-- step: (?P<step>.+?) -->\n```\w+\n(?P<code>.*?)```", re.DOTALL)


def doc_steps() -> list[tuple[str, str]]:
    steps = [(m["step"], m["code"]) for m in STEP.finditer(DOC.read_text())]
    assert [step.split()[0] for step, _ in steps] == ["append", "insert-before", "shell", "shell"]
    return steps


def apply_step(site: Path, step: str, code: str, run) -> None:
    """One block of the doc, applied as a developer would."""
    action, _, rest = step.partition(" ")
    if action == "append":
        path = site / rest
        path.write_text(path.read_text() + "\n" + code)
    elif action == "insert-before":
        marker, target = re.fullmatch(r'"(.+)" (\S+)', rest).groups()
        path = site / target
        lines = path.read_text().splitlines(keepends=True)
        [at] = [n for n, line in enumerate(lines) if line.startswith(marker)]
        path.write_text("".join(lines[:at] + [code, "\n\n"] + lines[at:]))
    elif action == "shell":
        for line in code.splitlines():
            if line.strip() and not line.startswith("#"):
                words = shlex.split(line.replace("path/to/stories/", str(PROJECT / "seeds")))
                assert words[0] == "python", line
                run(*words[2:] if words[1] == "manage.py" else words[1:])
    else:
        raise AssertionError(f"docs/plugin.md has a step this test does not know: {step}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def host_database():
    """None on SQLite; on PostgreSQL a fresh database for the host, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield None
        return
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"newsroom_wagtail_start_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": parts.username or "postgres",
        "PASSWORD": parts.password or "",
        "HOST": parts.hostname or "127.0.0.1",
        "PORT": str(parts.port or 5432),
    }
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Visitor:
    """A browser-like HTTP client: cookies kept, redirects not followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self._NoRedirect()
        )

    def get(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")


@pytest.fixture(scope="module")
def starter(wheel, tmp_path_factory, host_database):
    workdir = tmp_path_factory.mktemp("wagtail-start")
    wagtail = Path(sys.executable).parent / "wagtail"
    subprocess.run([str(wagtail), "start", "mysite"], cwd=workdir, check=True, timeout=120)
    site = workdir / "mysite"
    packages = workdir / "site-packages"
    install_wheel(wheel, packages)
    if host_database:
        (site / "mysite" / "settings" / "local.py").write_text(
            f"DATABASES = {{'default': {host_database!r}}}\n"
        )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "NEWSROOM_"))
    }
    # The wheel's copy of `articles`, never this repository's.
    env["PYTHONPATH"] = str(packages)

    def run(*args, **extra_env):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=site,
            env={**env, **extra_env},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-4000:]}"
        return result.stdout

    for step, code in doc_steps():
        apply_step(site, step, code, run)
    run(
        "createsuperuser",
        "--noinput",
        "--username=chief",
        "--email=chief@example.com",
        DJANGO_SUPERUSER_PASSWORD=ADMIN_PASSWORD,
    )

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=site,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/", timeout=5)  # noqa: S310 - our own server
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"runserver stopped: {server.stderr.read()[-3000:]}")
            time.sleep(0.2)
    yield {"site": site, "run": run, "base": base, "visitor": Visitor(base)}
    server.terminate()
    server.wait(timeout=30)


def article_path(starter) -> str:
    status, _, body = starter["visitor"].get("/api/v3/pages/?type=articles.ArticlePage")
    assert status == 200, body[:500]
    [item] = json.loads(body)["items"]
    return urllib.parse.urlsplit(item["meta"]["html_url"]).path, item["id"]


def test_system_checks_pass_beside_the_starters_home_page(starter):
    output = starter["run"]("check")
    assert "System check identified no issues" in output
    models = starter["run"]("shell", "-c", "import home.models, articles.models; print('ok')")
    assert models.strip().splitlines()[-1] == "ok"


def test_reader_reads_the_story_its_sections_and_feeds(starter):
    visitor = starter["visitor"]
    path, _ = article_path(starter)
    assert path.startswith("/top-stories/")
    for url in (path, "/top-stories/", "/world/", "/feed/", "/top-stories/feed/atom/"):
        status, _, body = visitor.get(url)
        assert status == 200, url
        assert HEADLINE in body, url
    status, _, article = visitor.get(path)
    assert "Monday, May 12, 2025" in article
    # The starter's home page is still the starter's.
    status, _, home = visitor.get("/")
    assert status == 200 and "/static/js/mysite.js" in home


def test_the_sites_name_is_never_empty(starter):
    """The starter's Site has no name: readers see WAGTAIL_SITE_NAME ("mysite")."""
    path, _ = article_path(starter)
    _, _, article = starter["visitor"].get(path)
    assert '<meta property="og:site_name" content="mysite">' in article
    assert '"publisher": {"@type": "NewsMediaOrganization", "name": "mysite"' in article
    assert "<title>" + HEADLINE + " · mysite</title>" in article


def test_sitemaps_and_robots_on_one_host(starter):
    visitor = starter["visitor"]
    status, _, index = visitor.get("/sitemap.xml")
    assert status == 200 and "<sitemapindex" in index
    locations = re.findall(r"<loc>(.+?)</loc>", index)
    assert locations and all(loc.startswith("http://localhost/") for loc in locations)
    status, _, articles = visitor.get(urllib.parse.urlsplit(locations[-1]).path)
    assert status == 200 and "/top-stories/putin-signals" in articles
    status, _, robots = visitor.get("/robots.txt")
    assert status == 200
    assert "Sitemap: http://localhost/sitemap.xml" in robots.splitlines()
    # The seed story is from 2025: no story in the last 48 hours, so no news sitemap.
    assert visitor.get("/news-sitemap.xml")[0] == 404
    assert "news-sitemap" not in robots


def test_both_searches_answer_where_the_doc_says(starter):
    visitor = starter["visitor"]
    status, _, ours = visitor.get("/news-search/?q=Putin")
    assert status == 200 and HEADLINE in ours
    status, _, theirs = visitor.get("/search/?query=Putin")
    assert status == 200
    assert 'action="/search/"' in theirs  # the starter's own search template
    # The newsroom's masthead links to the newsroom's search.
    _, _, section = visitor.get("/top-stories/")
    assert 'href="/news-search/"' in section


def test_host_keeps_django_admin(starter):
    status, headers, _ = starter["visitor"].get("/django-admin/")
    assert status == 302 and "/django-admin/login/" in headers["Location"]


def test_api_and_ninjs(starter):
    visitor = starter["visitor"]
    _, page_id = article_path(starter)
    status, _, detail = visitor.get(f"/api/v3/pages/{page_id}/")
    assert status == 200 and json.loads(detail)["title"] == HEADLINE
    status, _, item = visitor.get(f"/api/ninjs/articles/{page_id}/")
    assert status == 200 and json.loads(item)["standard"]["version"] == "2.1"
    status, _, item = visitor.get(f"/api/ninjs/3/articles/{page_id}/")
    assert status == 200 and json.loads(item)["pubStatus"] == "usable"
    assert visitor.get("/api/v3/openapi.json")[0] == 200


def test_administrator_logs_in_and_finds_the_newsroom(starter):
    visitor = Visitor(starter["base"])
    status, _, form = visitor.get("/admin/login/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    status, headers, _ = visitor.get(
        "/admin/login/",
        data={"csrfmiddlewaretoken": token, "username": "chief", "password": ADMIN_PASSWORD},
        headers={"Referer": starter["base"] + "/admin/login/"},
    )
    assert status == 302, "the login was refused"
    status, _, dashboard = visitor.get("/admin/")
    assert status == 200 and "Dashboard" in dashboard
    _, _, sections = visitor.get("/api/v3/pages/?type=articles.SectionPage&fields=title")
    [top_stories] = [s for s in json.loads(sections)["items"] if s["title"] == "Top Stories"]
    status, _, listing = visitor.get(f"/admin/pages/{top_stories['id']}/")
    assert status == 200 and HEADLINE in listing
    status, _, editor = visitor.get(f"/admin/pages/{article_path(starter)[1]}/edit/")
    assert status == 200 and "Editorial checks" in editor


def test_groups_are_the_apps_own_and_the_hosts_are_untouched(starter):
    report = json.loads(
        starter["run"](
            "shell",
            "-c",
            "import json; from django.contrib.auth.models import Group; "
            "from wagtail.models import GroupPagePermission, Page; "
            "from articles.models import SectionPage; "
            "editors = Group.objects.get(name='Editors'); "
            "print(json.dumps({'groups': sorted(Group.objects.values_list('name', flat=True)), "
            "'stock_editor_rights': sorted(GroupPagePermission.objects.filter(group=editors)"
            ".values_list('page__depth', 'permission__codename')), "
            "'home_workflow': getattr(Page.objects.get(depth=2).get_workflow(), 'name', None), "
            "'section_workflows': sorted({s.get_workflow().name "
            "for s in SectionPage.objects.all()})}))",
        )
        .strip()
        .splitlines()[-1]
    )
    assert report["groups"] == [
        "Editors",
        "Moderators",
        "Newsroom copy editors",
        "Newsroom editors",
        "Newsroom reporters",
    ]
    # Wagtail's stock Editors group keeps the rights Wagtail's migration gave it, on the root.
    assert report["stock_editor_rights"] == [[1, "add_page"], [1, "change_page"]]
    assert report["home_workflow"] == "Moderators approval"
    assert report["section_workflows"] == ["Newsroom review"]
