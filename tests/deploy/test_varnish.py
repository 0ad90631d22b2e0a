"""A real Varnish (deploy/varnish/default.vcl) in front of the live server: anonymous pages are
cached, and publishing purges them so readers see the change within a second."""

import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "default.vcl"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def varnish(live_server, tmp_path):
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
    port = free_port()
    workdir = tmp_path / "varnish"
    process = subprocess.Popen(
        [
            varnishd,
            "-F",
            "-j", "none",
            "-a", f"127.0.0.1:{port}",
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
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - local test URL
        return response.status, dict(response.headers), response.read().decode()


@pytest.fixture
def purging(settings, varnish):
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": varnish,
        }
    }
    return varnish


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


def test_purge_only_from_localhost_acl(varnish):
    request = urllib.request.Request(varnish + "/", method="PURGE")
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        assert response.status == 200
