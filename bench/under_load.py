#!/usr/bin/env python
"""Readers, an import and an editor at once: nothing fails and nothing is lost.

    .venv/bin/python bench/under_load.py [--seconds 60] [--import-n 1000] [--database-url URL]

Serves the site with gunicorn on 127.0.0.1 (production settings), then for --seconds runs
mixed reader traffic (front page, sections, articles, feed, search) from a bounded pool of
client threads, while `import_stories` imports --import-n new stories and an editor publishes
changes to existing articles. Prints requests served, the error count by status, and the
integrity check afterwards: no duplicate or missing articles, tree consistent.
Only 127.0.0.1 is ever contacted; every loop stops by itself.
"""

import argparse
import collections
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "bench"))
from import_stories import fresh_database, start_site, write_stories  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--import-n", type=int, default=1000)
    parser.add_argument("--base-n", type=int, default=300, help="articles before the run")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="newsroom-load-"))
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database(args.database_url, tmp),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": "load-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
    }
    env.pop("REDIS_URL", None)
    start_site(env)
    from wagtail.models import Page

    from articles.models import ArticlePage
    from articles.stories.importer import import_stories

    base, extra = tmp / "base", tmp / "extra"
    base.mkdir()
    extra.mkdir()
    write_stories(base, args.base_n, seed=1)
    write_stories(extra, args.import_n, seed=2)
    # Different file names from the base set: the extra import only adds.
    for path in extra.rglob("*.txt"):
        path.rename(path.with_name("extra_" + path.name))
    assert import_stories(paths=[base]).ok

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=PROJECT,
        env=env,
    )
    base_url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base_url + "/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)

    articles = list(ArticlePage.objects.live().values_list("url_path", flat=True))
    urls = ["/", "/top-stories/", "/world/", "/world/?page=3", "/feed/", "/search/?q=minister"]
    urls += [path.removeprefix("/home") for path in articles[:50]]
    deadline = time.monotonic() + args.seconds
    statuses: collections.Counter = collections.Counter()
    lock = threading.Lock()

    def reader(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            url = base_url + rng.choice(urls)
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError as error:
                status = f"connection error: {error.__class__.__name__}"
            with lock:
                statuses[status] += 1

    def editor() -> None:
        rng = random.Random(3)
        edits = 0
        while time.monotonic() < deadline:
            page = ArticlePage.objects.live().order_by("?").first()
            page.standfirst = f"Updated during the load test ({edits})"
            page.save_revision().publish()
            edits += 1
            time.sleep(rng.uniform(0.5, 1.5))
        print(f"editor: {edits} publishes")

    import_result = {}

    def importer() -> None:
        started = time.monotonic()
        import_result["report"] = import_stories(paths=[extra])
        import_result["seconds"] = time.monotonic() - started

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(args.clients)]
    threads += [threading.Thread(target=editor), threading.Thread(target=importer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.terminate()
    server.wait(timeout=30)

    served = sum(statuses.values())
    errors = {k: v for k, v in statuses.items() if not (isinstance(k, int) and k < 500)}
    report = import_result["report"]
    print(
        f"requests: {served} in {args.seconds}s ({served / args.seconds:.0f}/s); "
        f"by status: {dict(statuses)}"
    )
    print(f"import during load: {report.summary()} in {import_result['seconds']:.1f}s")

    total = ArticlePage.objects.count()
    keys = ArticlePage.objects.exclude(source_key=None).values_list("source_key", flat=True)
    duplicates = len(keys) - len(set(keys))
    problems = Page.find_problems()
    expected = args.base_n + args.import_n
    intact = (
        total == expected
        and duplicates == 0
        and problems == ([], [], [], [], [])
        and report.ok
        and len(report.created) == args.import_n
    )
    print(
        f"integrity: {total} articles (expected {expected}), {duplicates} duplicates, "
        f"tree problems {sum(map(len, problems))}: {'OK' if intact else 'FAILED'}"
    )
    print(f"5xx and connection errors: {sum(errors.values())}")
    sys.exit(0 if intact and not errors else 1)


if __name__ == "__main__":
    main()
