"""A real Varnish (deploy/varnish/default.vcl) in front of the live server: anonymous pages are
cached, and publishing purges them so readers see the change within a second."""

import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "default.vcl"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def varnish_server(live_server, tmp_path):
    """varnishd with the production VCL: readers' listener `public`, purges' listener `purge`."""
    varnishd = shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
    )
    if varnishd is None:
        pytest.fail(
            "varnishd is not installed: the Varnish tests need it. "
            "Install it with `apt-get install varnish` (CI does, in .ci/run)."
        )
    backend_port = live_server.url.rsplit(":", 1)[1]
    vcl = re.sub(r'\.port = "\d+";', f'.port = "{backend_port}";', VCL.read_text(), count=1)
    vcl = re.sub(r'\.host = "[^"]+";', '.host = "127.0.0.1";', vcl, count=1)
    (tmp_path / "test.vcl").write_text(vcl)
    port, purge_port = free_port(), free_port()
    workdir = tmp_path / "varnish"
    process = subprocess.Popen(
        [
            varnishd,
            "-F",
            "-j", "none",
            "-a", f"public=127.0.0.1:{port}",
            "-a", f"purge=127.0.0.1:{purge_port}",
            "-T", "none",
            "-f", str(tmp_path / "test.vcl"),
            "-n", str(workdir),
            "-s", "malloc,32m",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read().decode(errors="replace")
                pytest.fail(f"varnishd did not start on {url}:\n{output}")
            time.sleep(0.05)
    yield {"url": url, "purge_url": f"http://127.0.0.1:{purge_port}"}
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def varnish(varnish_server):
    return varnish_server["url"]


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - local test URL
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")


@pytest.fixture
def purging(settings, varnish_server):
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": varnish_server["purge_url"],
        }
    }
    return varnish_server["url"]


def test_publish_is_seen_through_varnish_within_a_second(
    transactional_db, purging, world, article_factory
):
    article = article_factory(world, title="Summit ends without a deal")
    page_url = purging + article.url

    status, first, body = get(page_url)
    assert status == 200
    assert "Summit ends without a deal" in body
    assert first["X-Cache"] == "MISS"
    assert "public" in first["Cache-Control"]
    status, second, _ = get(page_url)
    assert second["X-Cache"] == "HIT"
    assert len(second["X-Varnish"].split()) == 2  # "this-request cached-object": a hit
    assert int(second["Age"]) >= 0
    # The front page is cached too, and must change with the headline.
    get(purging + "/")
    assert get(purging + "/")[1]["X-Cache"] == "HIT"

    article.title = "Summit ends in agreement"
    article.save_revision().publish()
    published = time.monotonic()
    while True:
        _, headers, body = get(page_url)
        if "Summit ends in agreement" in body:
            break
        assert time.monotonic() - published < 1, "the change did not reach readers within 1 s"
        time.sleep(0.05)
    assert "Summit ends in agreement" in get(purging + "/")[2]


def test_admin_logged_in_and_writes_pass_through(transactional_db, varnish, home):
    _, first, _ = get(varnish + "/admin/login/")
    _, second, _ = get(varnish + "/admin/login/")
    assert second["X-Cache"] == "MISS"
    assert "private" in second["Cache-Control"]
    _, headers, _ = get(varnish + "/", Cookie="sessionid=abc; _ga=GA1.2")
    _, headers, _ = get(varnish + "/", Cookie="sessionid=abc; _ga=GA1.2")
    assert headers["X-Cache"] == "MISS"
    # A tracking cookie alone does not stop caching.
    get(varnish + "/", Cookie="_ga=GA1.2.3")
    assert get(varnish + "/", Cookie="_ga=GA1.2.4")[1]["X-Cache"] == "HIT"


def send(url, method):
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_readers_listener_refuses_purge_and_ban_even_from_this_machine(
    transactional_db, varnish, home
):
    """A TLS proxy on this host forwards readers from 127.0.0.1: that must not let them purge."""
    get(varnish + "/")
    assert get(varnish + "/")[1]["X-Cache"] == "HIT"
    for method in ("PURGE", "BAN"):
        for path in ("/", "/.*"):
            assert send(varnish + path, method) == 403
    assert get(varnish + "/")[1]["X-Cache"] == "HIT"


def test_purge_takes_the_path_literally(transactional_db, varnish_server, world):
    varnish, purge = varnish_server["url"], varnish_server["purge_url"]
    for path in ("/", world.url, world.url + "?page=2"):
        get(varnish + path)
    # Regular-expression characters purge nothing but that (non-existent) path.
    for hostile in ("/.*", "/(", "/w.rld/", "/%2E*"):
        assert send(purge + hostile, "PURGE") in (200, 400)
    assert all(get(varnish + p)[1]["X-Cache"] == "HIT" for p in ("/", world.url))
    # The real path goes, with its query strings; other pages stay.
    assert send(purge + world.url, "PURGE") == 200
    assert get(varnish + world.url)[1]["X-Cache"] == "MISS"
    assert get(varnish + world.url + "?page=2")[1]["X-Cache"] == "MISS"
    assert get(varnish + "/")[1]["X-Cache"] == "HIT"
    # The purge listener serves nothing else.
    assert send(purge + "/", "GET") == 405


def test_scheme_is_part_of_the_cache_key(transactional_db, varnish, home):
    """The app redirects HTTP to HTTPS behind the proxy: an HTTPS reader never gets that."""
    _, https_first, _ = get(varnish + "/", **{"X-Forwarded-Proto": "https"})
    _, http_first, _ = get(varnish + "/", **{"X-Forwarded-Proto": "http"})
    assert (https_first["X-Cache"], http_first["X-Cache"]) == ("MISS", "MISS")
    assert get(varnish + "/", **{"X-Forwarded-Proto": "https"})[1]["X-Cache"] == "HIT"


def test_requests_with_credentials_pass(transactional_db, varnish, home):
    """An API client's token must never get (or fill) the anonymous copy."""
    get(varnish + "/api/v3/pages/")
    assert get(varnish + "/api/v3/pages/")[1]["X-Cache"] == "HIT"
    _, headers, _ = get(varnish + "/api/v3/pages/", Authorization="Bearer not-a-real-token")
    assert headers["X-Cache"] == "MISS"


def warm(varnish, paths):
    for path in paths:
        get(varnish + path)
    return {path: get(varnish + path)[1]["X-Cache"] for path in paths}


@pytest.mark.parametrize("change", ["unpublish", "password", "login", "move", "delete"])
def test_right_after_a_change_varnish_serves_no_copy_of_the_story(
    transactional_db, purging, world, top_stories, article_factory, change
):
    """The Varnish column of the visibility matrix (README): every page that showed the story,
    cached before the change, no longer shows it right after."""
    from wagtail.models import PageViewRestriction

    from articles.models import ArticleCorrection, Author

    reporter = Author.objects.create(name="Harbour Reporter")
    article = article_factory(
        world,
        title="Withdrawn harbour story",
        secondary_sections=[top_stories],
        authors=[reporter],
        tags=["Harbour"],
        corrections=[ArticleCorrection(kind="update", text="Adds the port's reply.")],
    )
    old_url = article.url
    paths = [old_url, "/", "/world/", "/top-stories/", "/feed/", "/world/feed/", "/sitemap.xml"]
    paths += ["/authors/harbour-reporter/", "/topics/harbour/", "/corrections/"]
    paths += ["/authors/harbour-reporter/feed/", "/topics/harbour/feed/", "/corrections/feed/"]
    assert set(warm(purging, paths).values()) == {"HIT"}

    if change == "unpublish":
        article.unpublish()
    elif change in ("password", "login"):
        PageViewRestriction.objects.create(
            page=article,
            restriction_type=PageViewRestriction.PASSWORD if change == "password" else "login",
            password="letmein",
        )
    elif change == "move":
        article.move(top_stories, pos="last-child")
    elif change == "delete":
        article.delete()

    deadline = time.monotonic() + 2
    while True:
        # A moved story is still live: what must go is its old address, as a page and a link.
        marker = old_url if change == "move" else "Withdrawn harbour story"
        shown = [
            path
            for path in paths
            if marker in body_at(purging + path)
            or (change == "move" and path == old_url and body_at(purging + path))
        ]
        if not shown or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert shown == []


def body_at(url) -> str:
    """The body Varnish answers at `url` itself (a redirect is not followed: after a move the
    old address redirects to the new one, which is right)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=5) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:
        return error.read().decode(errors="replace") if error.code < 300 else ""


def test_the_alert_banner_reaches_cached_pages_by_esi_and_goes_at_expiry(
    transactional_db, purging, world, article_factory
):
    """A page stays one cached object whatever the alerts: Varnish includes /alerts/banner/,
    which an alert change purges, and which expires with the alert."""
    import datetime

    from django.utils import timezone

    from articles.models import BreakingNewsAlert

    story = article_factory(world, title="Dam breaks upstream")
    page_url = purging + story.url
    get(page_url)
    status, headers, body = get(page_url)
    assert headers["X-Cache"] == "HIT"
    assert "alert-banner" not in body and "esi:include" not in body

    alert = BreakingNewsAlert.objects.create(
        page=story,
        text="Evacuation ordered below the dam",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    _, headers, body = get(page_url)
    assert headers["X-Cache"] == "HIT"  # the page itself was not purged
    assert "Evacuation ordered below the dam" in body
    assert "esi:include" not in body and "Surrogate-Control" not in headers
    assert "Evacuation ordered below the dam" in get(purging + "/")[2]

    alert.expires_at = timezone.now() + datetime.timedelta(seconds=2)
    alert.save()
    assert "Evacuation ordered below the dam" in get(page_url)[2]
    time.sleep(max(0, (alert.expires_at - timezone.now()).total_seconds()) + 0.1)
    _, headers, body = get(page_url)
    assert headers["X-Cache"] == "HIT"
    assert "Evacuation ordered below the dam" not in body, "a stale banner outlived its alert"


def test_a_page_can_include_nothing_but_the_banner(
    transactional_db, varnish, home, settings, tmp_path
):
    """Were ESI markup ever to reach a page unescaped, Varnish includes no other address."""
    override = tmp_path / "templates" / "articles"
    override.mkdir(parents=True)
    (override / "home_page.html").write_text(
        '{% extends "articles/base.html" %}{% block content %}'
        '<p>front</p><esi:include src="/robots.txt" /><esi:include src="/admin/login/" />'
        "{% endblock %}"
    )
    templates = [dict(settings.TEMPLATES[0])]
    templates[0]["DIRS"] = [tmp_path / "templates", *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    status, headers, body = get(varnish + "/")
    assert status == 200 and "<p>front</p>" in body
    assert "User-agent" not in body and "password" not in body.lower()
    assert "Not an include" in body  # what Varnish put in their place
