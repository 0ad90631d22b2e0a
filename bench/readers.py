#!/usr/bin/env python
"""How many readers the site serves: the app alone, through Varnish, against nginx's ceiling.

    .venv/bin/python bench/readers.py [--n 10000 | --large] [--seconds 15] [--reuse-db]
    .venv/bin/python bench/readers.py --compare [--seconds 15] [--reuse-db]

Loads N generated stories (default 10,000; --large: 100,000) through the importer into a fresh
PostgreSQL database, serves the site with the production server (gunicorn with
deploy/gunicorn.conf.py and production settings) on 127.0.0.1, puts Varnish with
deploy/varnish/default.vcl in front of it, and serves one article's saved HTML as a static file
from nginx (the ceiling on this machine: the better of a run before and one after the others).
wrk (2 threads, 16 connections, --seconds per URL)
then drives the front page, the biggest section, its page 50, an article, the feed, a search,
a live coverage page with 200 updates, the endpoint its readers poll and the breaking-news
banner (an alert is active, so every page through Varnish is assembled by ESI), once straight
at gunicorn (no cache) and once through Varnish. Prints req/s, p50, p99, non-2xx
responses and each figure's ratio to nginx, then the targets (issue #6): through Varnish at least
50% of nginx, article pages from the app alone at least 400 req/s, no non-2xx anywhere.

--compare: does 100,000 articles serve as fast as 1,000? Loads 1,000 stories into
newsroom_readers_1k and 100,000 into newsroom_readers_100k (both fresh, through the importer,
each in a subprocess; 100,000 take about 10 minutes, with progress lines), then serves both at
once with gunicorn alone (no Varnish: a cache would hide the app and the database; each with its
own Redis database, flushed first) and drives each URL on 1k, 100k, 100k, 1k in a row, so that
drift in the machine's load falls on both (the figures are the means of the two runs), after a
few warming GETs that must answer 200: the front page, the section biggest with 100k and its
page 50 (with 1k, the same page number clamped to that section's last page), an article (the
same in both), /feed/, the section's feed, a search for a common word ("minister") and for a
headline's number found in one story, /sitemap.xml and the first article sitemap page it lists.
Prints one table, 1k against 100k (req/s, p50, p99, slowdown = 1k req/s / 100k req/s, non-2xx),
and per URL the verdict against the target (issue: 100k within 1.5x of 1k). --reuse-db skips
loading a database that already has enough live articles.

Printed figures, not a test. Only 127.0.0.1 is ever contacted; every server is stopped at the
end, also on errors.
"""

import argparse
import collections
import contextlib
import json
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "bench"))
from import_stories import fresh_database, start_site, write_stories  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_readers"
WANTED_PAGE = 50
ARTICLE_TARGET = 400  # req/s, the app alone
VARNISH_SHARE_TARGET = 0.5  # of the nginx ceiling

# --compare: the same pages with 1,000 and with 100,000 articles.
COMPARE_SERVER = "postgres://postgres@127.0.0.1:5432/"
COMPARE_DATABASES = [
    ("1k", 1_000, "newsroom_readers_1k"),
    ("100k", 100_000, "newsroom_readers_100k"),
]
SLOWDOWN_TARGET = 1.5  # 1k req/s / 100k req/s, at most
COMMON_TERM = "minister"  # in most generated stories (bench/import_stories.py WORDS)
# Headlines end in their story's number, "(777)"; the search indexes it as a word of its own,
# found in that one story. Below 1,000, so both databases have it.
RARE_TERM = "777"
WARMING_GETS = 3


NGINX_CONF = """\
worker_processes 2;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path {tmp}/nginx-client;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        default_type text/html;
        location = /article.html {{ }}
    }}
}}
"""


@dataclass
class Result:
    label: str
    mode: str
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    requests: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def existing_articles(url: str) -> int:
    """Live articles already in the database at `url`; 0 when it or its tables are missing."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    try:
        with psycopg.connect(
            host=config["HOST"],
            port=config["PORT"] or 5432,
            user=config["USER"],
            password=config["PASSWORD"] or None,
            dbname=config["NAME"],
            connect_timeout=5,
        ) as connection:
            row = connection.execute(
                "SELECT count(*) FROM articles_articlepage a "
                "JOIN wagtailcore_page p ON p.id = a.page_ptr_id WHERE p.live"
            ).fetchone()
            return int(row[0])
    except psycopg.Error:
        return 0


def wait_for(url: str, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer at {url} within {seconds:.0f}s")


def curl_check(url: str) -> dict:
    """One GET with curl, no redirects followed: status, headers, body size."""
    headers_file = headers_tempfile()
    try:
        out = subprocess.run(
            [
                "curl",
                "--silent",
                "--show-error",
                "--max-time",
                "30",
                "--output",
                os.devnull,
                "--dump-header",
                headers_file,
                "--write-out",
                "%{http_code} %{size_download}",
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.split()
        headers = {}
        for line in Path(headers_file).read_text("latin-1").splitlines()[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
    finally:
        os.unlink(headers_file)
    return {"status": int(out[0]), "bytes": int(out[1]), "headers": headers}


def headers_tempfile() -> str:
    handle, name = tempfile.mkstemp(prefix="newsroom-readers-headers-")
    os.close(handle)
    return name


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text).groups()
    return float(number) * _UNITS_MS[unit]


def parse_wrk(output: str, label: str, mode: str) -> Result:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return Result(
        label=label,
        mode=mode,
        rps=rps,
        p50_ms=p50,
        p99_ms=p99,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(g) for g in sockets.groups()) if sockets else 0,
        requests=requests,
    )


def run_wrk(url: str, seconds: int, threads: int, connections: int) -> str:
    assert url.startswith("http://127.0.0.1:"), url  # never anywhere else
    done = subprocess.run(
        [
            "wrk",
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=10s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed on {url}: {done.stderr or done.stdout}")
    return done.stdout


def stop(process: subprocess.Popen | None, name: str) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        print(f"{name} did not stop in 30s: killing it")
        process.kill()
        process.wait(timeout=10)


def cpu_snapshot() -> dict[int, tuple[int, int, str]]:
    """Every process now: pid -> (parent pid, CPU ticks used, command line)."""
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        processes[int(entry.name)] = (
            int(fields[1]),
            int(fields[11]) + int(fields[12]),
            cmdline.strip()[:70] or stat[stat.index("(") + 1 : stat.rindex(")")],
        )
    return processes


def other_cpu(before: dict, after: dict, ours: int) -> list[tuple[float, str]]:
    """CPU seconds used between the snapshots by processes that are not this script's."""
    tick = os.sysconf("SC_CLK_TCK")

    def mine(pid: int) -> bool:
        for _ in range(50):
            if pid == ours:
                return True
            if pid not in after or pid <= 1:
                return False
            pid = after[pid][0]
        return False

    used = collections.Counter()
    for pid, (_parent, ticks, command) in after.items():
        if mine(pid):
            continue
        start = before[pid][1] if pid in before and before[pid][2] == command else 0
        if "postgres" in command:
            command = "postgres (our queries too)"
        used[command] += (ticks - start) / tick
    return [(seconds, command) for command, seconds in used.most_common(4) if seconds >= 1]


def fmt_ms(ms: float) -> str:
    return f"{ms:.2f}ms" if ms < 100 else f"{ms:.0f}ms"


class BenchError(Exception):
    """The benchmark cannot go on: a URL does not answer 200, a load failed."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, help="articles to load (10,000)")
    parser.add_argument("--large", action="store_true", help="load 100,000 articles")
    parser.add_argument(
        "--compare",
        action="store_true",
        help="1,000 against 100,000 articles, the app alone (own databases: no --n, --large)",
    )
    parser.add_argument("--seconds", type=int, default=15, help="wrk duration per URL (15)")
    parser.add_argument(
        "--reuse-db", action="store_true", help="skip loading if the DB already has ≥ N articles"
    )
    parser.add_argument("--database-url", help=f"({DEFAULT_DATABASE_URL})")
    parser.add_argument(
        "--redis-db",
        type=int,
        default=11,
        help="Redis database (flushed; --compare also uses the next one)",
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    # --compare loads each database in a subprocess: this script with these.
    parser.add_argument("--load-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--plan-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.compare and (args.n is not None or args.large or args.database_url):
        parser.error("--compare loads its own two databases: no --n, --large or --database-url")
    if args.load_only and not (args.n and args.database_url and args.workdir and args.plan_file):
        parser.error("--load-only needs --n, --database-url, --workdir and --plan-file")
    return args


def bench_env(database_url: str, workdir: Path, redis_url: str) -> dict[str, str]:
    """The site's environment: production settings on `database_url`, files under `workdir`."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": "readers-bench-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": redis_url,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "WARNING",
    }
    for name in ("VARNISH_URL", "OPENSEARCH_URL", "ELASTICSEARCH_URL", "AWS_STORAGE_BUCKET_NAME"):
        env.pop(name, None)  # no purges, database search, local media
    return env


def import_progress(started: float):
    """`on_progress` for the importer: a line every 5% (at least 500 stories)."""

    def report(done: int, total: int) -> None:
        if done % max(total // 20, 500) == 0 or done == total:
            print(
                f"  import: {done:,} of {total:,} stories ({done / total:.0%}), "
                f"{time.perf_counter() - started:.0f}s",
                flush=True,
            )

    return report


def prepare(
    database_url: str, n: int, reuse_db: bool, workdir: Path, redis_url: str, *, verbose=False
) -> tuple[dict[str, str], dict]:
    """In this process, which sets Django up (once per process): the database at `database_url`
    made fresh with N stories through the importer, or reused when `reuse_db` and it already has
    ≥ N live articles; then what to drive. Returns the site's environment and that plan.
    `verbose`: progress lines while loading, and what the searches find."""
    reuse = reuse_db and existing_articles(database_url) >= n
    env = bench_env(
        database_url if reuse else fresh_database(database_url, workdir), workdir, redis_url
    )
    start_site(env)
    from django.db import connections
    from wagtail.models import Site

    from articles.conf import newsroom_setting
    from articles.models import ArticlePage, SectionPage
    from articles.stories.importer import import_stories

    if reuse:
        print(f"database: {database_url} reused, {ArticlePage.objects.live().count()} live")
    else:
        stories = workdir / "stories"
        stories.mkdir()
        started = time.perf_counter()
        if verbose:
            print(f"writing {n:,} story files", flush=True)
        write_stories(stories, n)
        if verbose:
            print(f"  written in {time.perf_counter() - started:.0f}s; importing", flush=True)
        started = time.perf_counter()
        report = import_stories(
            paths=[stories], on_progress=import_progress(started) if verbose else None
        )
        took = time.perf_counter() - started
        assert report.ok and len(report.created) == n, report.summary()
        print(f"database: {database_url} fresh; import: {report.summary()} in {took:.0f}s")
        shutil.rmtree(stories, ignore_errors=True)

    site = Site.objects.get(is_default_site=True)
    per_page = newsroom_setting("SECTION_PAGE_SIZE")
    sections = sorted(
        ((s.articles().count(), s) for s in SectionPage.objects.live()),
        key=lambda pair: (-pair[0], pair[1].path),
    )
    count, section = sections[0]
    pages = max(1, math.ceil(count / per_page))
    plan = {
        "total": ArticlePage.objects.live().count(),
        "section_title": section.title,
        "section_url": section.relative_url(site),
        "section_articles": count,
        "per_page": per_page,
        "pages": pages,
        "page_no": min(WANTED_PAGE, pages),
        # The newest plain article (not the election night live page, which has its own row).
        "article_url": section.articles()
        .exclude(slug=LIVE_SLUG)
        .first()
        .specific.relative_url(site),
        "sections": [[s.relative_url(site), s.title, c] for c, s in sections],
    }
    if not verbose:  # the default mode: election night beside the archive
        plan.update(election_night(section, site))
    if verbose:  # --compare picks its section itself
        print(f"biggest section: {section.title} ({plan['section_url']}), {count} articles")
    else:
        print(
            f"section: {section.title} ({plan['section_url']}), {count} articles = {pages} "
            f"pages of {per_page}; "
            + (
                f"page {plan['page_no']} benchmarked"
                if plan["page_no"] == WANTED_PAGE
                else f"only {pages} pages: the last one (page {plan['page_no']}) benchmarked "
                "instead of 50"
            )
        )
    if verbose:
        # Counted apart: the search page shows no total.
        plan["search_hits"] = {
            term: ArticlePage.objects.live().search(term, order_by_relevance=False).count()
            for term in (COMMON_TERM, RARE_TERM)
        }
        print(
            f"{plan['total']} live articles; search: "
            + ", ".join(f"{term!r} finds {hits}" for term, hits in plan["search_hits"].items())
        )
    connections.close_all()
    return env, plan


LIVE_SLUG = "bench-election-night"
LIVE_UPDATES = 200


def election_night(section, site) -> dict:
    """A live coverage page with 200 updates (a pinned one, key events) in `section`, posted
    through the one writer, and an active breaking-news alert on it, so every page through
    Varnish assembles the banner by ESI. Reused when the database already has them."""
    import datetime

    from django.utils import timezone

    from articles.blocks import PlainTextParagraph
    from articles.live import entries
    from articles.models import BreakingNewsAlert, LiveCoveragePage, LiveEntry

    page = LiveCoveragePage.objects.filter(slug=LIVE_SLUG).first()
    now = timezone.now()
    if page is None:
        page = LiveCoveragePage(
            title="Election night: live results", slug=LIVE_SLUG, publication_date=now
        )
        section.add_child(instance=page)
        page.save_revision().publish()
    for n in range(page.entries.count(), LIVE_UPDATES):
        entries.post(
            page,
            None,
            LiveEntry(
                posted_at=now - datetime.timedelta(minutes=LIVE_UPDATES - n),
                headline=f"Result {n + 1} declared" if n % 10 == 0 else "",
                body=[("paragraph", PlainTextParagraph(f"Constituency {n + 1}: a count."))],
                is_key_event=n % 40 == 0,
                is_pinned=n == LIVE_UPDATES - 1,
            ),
            by_operator=True,
        )
    BreakingNewsAlert.objects.update_or_create(
        page=page,
        defaults={
            "text": "Results are coming in: follow election night live",
            "starts_at": now - datetime.timedelta(minutes=1),
            "expires_at": now + datetime.timedelta(days=1),
        },
    )
    print(f"election night: {page.entries.count()} updates, an active alert")
    return {"live_url": page.relative_url(site), "live_page_id": page.pk}


def flush_redis(redis_url: str) -> None:
    """App-internal caches (navigation, counts, renditions) start empty; stale keys from other
    runs in this Redis database would describe another database's pages."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def start_gunicorn(stack: contextlib.ExitStack, env: dict, workdir: Path, port: int) -> str:
    """The production server on 127.0.0.1:`port`, logging to workdir/gunicorn.log, stopped when
    `stack` closes. Returns its base URL once it answers."""
    log = stack.enter_context(open(workdir / "gunicorn.log", "w"))  # noqa: SIM115
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(PROJECT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "newsroom.wsgi",
        ],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    stack.callback(stop, gunicorn, "gunicorn")
    app = f"http://127.0.0.1:{port}"
    wait_for(app + "/", "gunicorn")
    return app


def warm_workers(base: str, urls: list[tuple[str, str]], args: argparse.Namespace) -> None:
    """Every worker warm: a short untimed wrk run per URL."""
    for _label, path in urls:
        run_wrk(base + path, 2, args.threads, args.connections)


def measure(base: str, path: str, label: str, mode: str, args: argparse.Namespace) -> Result:
    output = run_wrk(base + path, args.seconds, args.threads, args.connections)
    return parse_wrk(output, label, mode)


def gunicorn_log(path: Path) -> tuple[collections.Counter, list[str]]:
    """Statuses gunicorn logged (every request that reached it) and its error lines."""
    lines = path.read_text(errors="replace").splitlines()
    statuses: collections.Counter = collections.Counter()
    for line in lines:
        match = re.search(r'"[A-Z]+ [^"]*" (\d{3}) ', line)
        if match:
            statuses[int(match.group(1))] += 1
    problems = [
        line for line in lines if re.search(r"\[(ERROR|CRITICAL)\]|Traceback|WORKER TIMEOUT", line)
    ]
    return statuses, problems


def print_table(rows: list[tuple[str, ...]], left: int) -> None:
    """Columns aligned, the first `left` of them to the left, a rule under the header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        print(
            " | ".join(
                cell.ljust(width) if col < left else cell.rjust(width)
                for col, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )
        if i == 0:
            print("-+-".join("-" * width for width in widths))


def readers(args: argparse.Namespace) -> None:  # noqa: C901 - a straight script
    """The default mode: one database, the app alone and through Varnish, against nginx."""
    n = 100_000 if args.large else (args.n if args.n is not None else 10_000)
    database_url = args.database_url or DEFAULT_DATABASE_URL
    for tool in ("wrk", "curl", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} not found: apt-get install wrk nginx-light curl")
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(varnishd).exists():
        sys.exit("varnishd not found: apt-get install varnish")

    tmp = Path(tempfile.mkdtemp(prefix="newsroom-readers-"))
    tmp.chmod(0o755)  # nginx's workers (nobody) read the article from here
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    env, plan = prepare(database_url, n, args.reuse_db, tmp, redis_url)
    section_url, page_no, article_url = plan["section_url"], plan["page_no"], plan["article_url"]
    urls = [
        ("front page", "/"),
        ("section", section_url),
        (f"section p{page_no}", f"{section_url}?page={page_no}"),
        ("article", article_url),
        ("feed", "/feed/"),
        ("search", f"/search/?q={COMMON_TERM}"),
        ("live page", plan["live_url"]),
        ("live poll", f"/live/{plan['live_page_id']}/updates.json"),
        ("alert banner", "/alerts/banner/"),
    ]
    total = plan["total"]
    flush_redis(redis_url)

    with contextlib.ExitStack() as stack:
        app_port, varnish_port, nginx_port = free_port(), free_port(), free_port()
        while len({app_port, varnish_port, nginx_port}) < 3:
            varnish_port, nginx_port = free_port(), free_port()
        app = start_gunicorn(stack, env, tmp, app_port)
        cached = f"http://127.0.0.1:{varnish_port}"

        # Varnish with the project's VCL, its backend moved to our gunicorn.
        vcl = (PROJECT / "deploy" / "varnish" / "default.vcl").read_text()
        vcl, replaced = re.subn(r'\.port = "\d+";', f'.port = "{app_port}";', vcl, count=1)
        assert replaced == 1, "no backend port in deploy/varnish/default.vcl"
        (tmp / "default.vcl").write_text(vcl)
        varnish_log = stack.enter_context(open(tmp / "varnishd.log", "w"))  # noqa: SIM115
        varnish = subprocess.Popen(
            [
                varnishd,
                "-F",
                "-j",
                "none",
                "-T",
                "none",
                "-a",
                f"127.0.0.1:{varnish_port}",
                "-f",
                str(tmp / "default.vcl"),
                "-n",
                str(tmp / "varnish"),
                "-s",
                "malloc,256m",
            ],
            stdout=varnish_log,
            stderr=subprocess.STDOUT,
        )
        stack.callback(stop, varnish, "varnishd")
        wait_for(cached + "/", "varnishd")

        # Every URL answers 200 straight away (wrk counts only 4xx/5xx as errors, so no
        # redirect may hide in the figures), is cacheable, and Varnish hits on the second GET.
        for label, path in urls:
            direct = curl_check(app + path)
            if direct["status"] != 200:
                raise RuntimeError(f"{label} {path}: gunicorn answers {direct['status']}")
            control = direct["headers"].get("cache-control", "")
            if "set-cookie" in direct["headers"] or "public" not in control:
                print(f"warning: {label} {path} is not cacheable: Cache-Control {control!r}")
            curl_check(cached + path)
            through = curl_check(cached + path)
            hit = through["headers"].get("x-cache")
            if through["status"] != 200 or hit != "HIT":
                raise RuntimeError(
                    f"{label} {path}: Varnish answers {through['status']}, X-Cache {hit}"
                )
            print(
                f"checked {label:<12} {path}: 200, {direct['bytes']} bytes, "
                f"Cache-Control {control}; Varnish second GET: {hit}"
            )

        # nginx serves the article's HTML as a static file.
        www = tmp / "www"
        www.mkdir()
        www.chmod(0o755)
        with urllib.request.urlopen(app + article_url, timeout=30) as response:
            html = response.read()
        (www / "article.html").write_bytes(html)
        (www / "article.html").chmod(0o644)
        conf = tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=nginx_port, root=www))
        nginx_log = stack.enter_context(open(tmp / "nginx.log", "w"))  # noqa: SIM115
        nginx_process = subprocess.Popen(
            [nginx, "-p", str(tmp), "-c", str(conf)], stdout=nginx_log, stderr=subprocess.STDOUT
        )
        stack.callback(stop, nginx_process, "nginx")
        static_url = f"http://127.0.0.1:{nginx_port}/article.html"
        wait_for(static_url, "nginx")
        static = curl_check(static_url)
        assert static["status"] == 200 and static["bytes"] == len(html), static
        print(f"nginx: the article's HTML ({len(html)} bytes) as a static file")

        warm_workers(app, urls, args)

        print(
            f"\nwrk: {args.threads} threads, {args.connections} connections, "
            f"{args.seconds}s per URL; {total} live articles; {os.cpu_count()} CPUs\n"
        )
        cpu_before, started = cpu_snapshot(), time.monotonic()
        load_before = os.getloadavg()[0]
        ceiling = parse_wrk(
            run_wrk(static_url, args.seconds, args.threads, args.connections),
            "article (static)",
            "nginx",
        )
        results = []
        for label, path in urls:
            results.append(measure(app, path, label, "app alone", args))
            results.append(measure(cached, path, label, "Varnish", args))
            for result in results[-2:]:
                print(
                    f"  ran {result.label} / {result.mode}: {result.rps:.0f} req/s",
                    flush=True,
                )
        # nginx again at the end: the ceiling is the better of the two runs.
        again = parse_wrk(
            run_wrk(static_url, args.seconds, args.threads, args.connections),
            "article (static)",
            "nginx",
        )
        print(f"  nginx: {ceiling.rps:.0f} req/s at the start, {again.rps:.0f} at the end")
        first_ceiling, ceiling = ceiling, max(ceiling, again, key=lambda r: r.rps)
        others = other_cpu(cpu_before, cpu_snapshot(), os.getpid())
        window = time.monotonic() - started
        load_after = os.getloadavg()[0]

    # Statuses gunicorn logged (every request that reached it: warm-up, app runs, misses).
    statuses, problems = gunicorn_log(tmp / "gunicorn.log")

    rows = [("URL", "mode", "req/s", "p50", "p99", "non-2xx", "sock err", "ratio to nginx")]
    first_ceiling.label, again.label = "article (static), start", "article (static), end"
    for r in [first_ceiling, again, *results]:
        rows.append(
            (
                r.label,
                r.mode,
                f"{r.rps:.0f}",
                fmt_ms(r.p50_ms),
                fmt_ms(r.p99_ms),
                str(r.non_2xx),
                str(r.socket_errors),
                f"{r.rps / ceiling.rps:.1%}",
            )
        )
    print()
    print_table(rows, left=2)

    print(
        f"\ngunicorn logged {sum(statuses.values())} requests, by status: {dict(statuses)}; "
        f"errors in its log: {len(problems)}"
    )
    for line in problems[:10]:
        print(f"  {line}")
    print(
        f"load average {load_before:.1f} before the runs, {load_after:.1f} after; "
        f"CPU used by other processes in the {window:.0f}s of runs "
        f"({os.cpu_count()} CPUs = {window * os.cpu_count():.0f} CPU-s): "
        + ("; ".join(f"{seconds:.0f}s {command}" for seconds, command in others) or "none")
    )
    varnish_rows = [r for r in results if r.mode == "Varnish"]
    slow = [r for r in varnish_rows if r.rps < VARNISH_SHARE_TARGET * ceiling.rps]
    article_app = next(r for r in results if r.label == "article" and r.mode == "app alone")
    bad = [r for r in [first_ceiling, again, *results] if r.non_2xx or r.socket_errors]
    # 304: Varnish revalidating the live poll with its ETag, an answer, not an error.
    bad_statuses = sum(
        count for status, count in statuses.items() if not (200 <= status < 300 or status == 304)
    )
    print("\ntargets (issue #6):")
    print(
        f"  through Varnish >= {VARNISH_SHARE_TARGET:.0%} of nginx ({ceiling.rps:.0f} req/s): "
        + ("met" if not slow else "MISSED for " + ", ".join(r.label for r in slow))
    )
    print(
        f"  app alone, article >= {ARTICLE_TARGET} req/s: {article_app.rps:.0f} req/s, "
        + ("met" if article_app.rps >= ARTICLE_TARGET else "MISSED")
    )
    print(
        "  zero non-2xx everywhere: "
        + (
            "met"
            if not bad and not bad_statuses
            else "MISSED: "
            + ", ".join(f"{r.label}/{r.mode}" for r in bad)
            + (f" (gunicorn logged {bad_statuses} non-2xx)" if bad_statuses else "")
        )
    )
    print(f"\nlogs and configs: {tmp}")


def load_only(args: argparse.Namespace) -> None:
    """--compare's loader, a subprocess of its own (Django is set up once per process): the
    database loaded or reused, the plan written as JSON to --plan-file."""
    args.workdir.mkdir(parents=True, exist_ok=True)
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    _env, plan = prepare(
        args.database_url, args.n, args.reuse_db, args.workdir, redis_url, verbose=True
    )
    args.plan_file.write_text(json.dumps(plan))


def load_in_subprocess(url: str, n: int, workdir: Path, args: argparse.Namespace) -> dict:
    plan_file = workdir / "plan.json"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--load-only",
        "--n",
        str(n),
        "--database-url",
        url,
        "--workdir",
        str(workdir),
        "--plan-file",
        str(plan_file),
        "--redis-db",
        str(args.redis_db),
        *(["--reuse-db"] if args.reuse_db else []),
    ]
    started = time.monotonic()
    done = subprocess.run(command, cwd=PROJECT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    if done.returncode != 0 or not plan_file.exists():
        raise BenchError(f"loading {url} failed (exit status {done.returncode}), see above")
    print(f"ready in {time.monotonic() - started:.0f}s", flush=True)
    return json.loads(plan_file.read_text())


def sitemap_urls(app: str) -> tuple[list[tuple[str, str]], list[str]]:
    """/sitemap.xml and, when it is a sitemap index, the first article sitemap page it lists
    (as a path on `app`); notes on what was found."""
    with urllib.request.urlopen(app + "/sitemap.xml", timeout=120) as response:
        root = ET.fromstring(response.read())
    kind = root.tag.rsplit("}", 1)[-1]
    locations = [
        element.text.strip()
        for element in root.iter()
        if element.tag.rsplit("}", 1)[-1] == "loc" and element.text
    ]
    urls = [("sitemap index", "/sitemap.xml")]
    if kind != "sitemapindex":
        note = f"/sitemap.xml is a <{kind}> of {len(locations)} URLs, not a sitemap index"
        return [("sitemap", "/sitemap.xml")], [note + ": no sitemap page to drive"]
    articles = [loc for loc in locations if "article" in urllib.parse.urlsplit(loc).path]
    if not articles:
        raise BenchError(f"/sitemap.xml lists no article sitemap page: {locations[:5]}")
    first = urllib.parse.urlsplit(articles[0])
    urls.append(("article sitemap", first.path + (f"?{first.query}" if first.query else "")))
    notes = [f"/sitemap.xml: an index of {len(locations)} sitemaps, {len(articles)} of articles"]
    return urls, notes


def compare_urls(
    app: str, plan: dict, section_url: str, article_url: str
) -> tuple[list[tuple[str, str]], list[str]]:
    """What to drive on one database: the same section and article on both (its page 50
    clamped to the section's last page here), then the sitemaps this server lists."""
    sections = {url: (title, count) for url, title, count in plan["sections"]}
    if section_url not in sections:
        raise BenchError(f"no live section at {section_url} in this database")
    title, count = sections[section_url]
    pages = max(1, math.ceil(count / plan["per_page"]))
    page_no = min(WANTED_PAGE, pages)
    urls = [
        ("front page", "/"),
        ("section", section_url),
        (f"section p{WANTED_PAGE}", f"{section_url}?page={page_no}"),
        ("article", article_url),
        ("feed", "/feed/"),
        ("section feed", f"{section_url}feed/"),
        (f"search {COMMON_TERM}", f"/search/?q={COMMON_TERM}"),
        (f"search {RARE_TERM}", f"/search/?q={RARE_TERM}"),
    ]
    notes = [f"section: {title} ({section_url}), {count} articles = {pages} pages here"]
    if page_no != WANTED_PAGE:
        notes.append(
            f"section p{WANTED_PAGE}: {title} has only {pages} pages here: its last one "
            f"(page {page_no}) driven instead of page {WANTED_PAGE}"
        )
    sitemaps, sitemap_notes = sitemap_urls(app)
    return urls + sitemaps, notes + sitemap_notes


def serve_app_alone(
    stack: contextlib.ExitStack,
    name: str,
    url: str,
    workdir: Path,
    plan: dict,
    picked: tuple[str, str],
    redis_url: str,
) -> tuple[str, list[tuple[str, str]], list[str]]:
    """One database served by gunicorn alone (its own Redis database, flushed first), every
    URL checked and warmed: the app's address, the URLs and notes about them."""
    flush_redis(redis_url)
    app = start_gunicorn(stack, bench_env(url, workdir, redis_url), workdir, free_port())
    urls, notes = compare_urls(app, plan, *picked)
    for note in notes:
        print(f"note: {note}")
    # Caches of navigation and counts are per content version, filled on first request.
    for label, path in urls:
        for _ in range(WARMING_GETS):
            answer = curl_check(app + path)
            if answer["status"] != 200:
                raise BenchError(
                    f"{name}: {label} {path} answers {answer['status']}, not 200 "
                    f"(gunicorn log: {workdir / 'gunicorn.log'})"
                )
        print(f"{name}: checked {label:<16} {path}: 200 x{WARMING_GETS}, {answer['bytes']} bytes")
    return app, urls, notes


def mean_result(runs: list[Result]) -> Result:
    """Two runs of one URL as one: mean throughput and median, worst p99, every error."""
    return Result(
        label=runs[0].label,
        mode=runs[0].mode,
        rps=sum(r.rps for r in runs) / len(runs),
        p50_ms=sum(r.p50_ms for r in runs) / len(runs),
        p99_ms=max(r.p99_ms for r in runs),
        non_2xx=sum(r.non_2xx for r in runs),
        socket_errors=sum(r.socket_errors for r in runs),
        requests=sum(r.requests for r in runs),
    )


def compare(args: argparse.Namespace) -> None:
    """--compare: 1,000 against 100,000 articles, the app alone, in one run."""
    for tool in ("wrk", "curl"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found: apt-get install wrk curl")
    tmp = Path(tempfile.mkdtemp(prefix="newsroom-readers-compare-"))
    (small, _, _), (large, _, _) = COMPARE_DATABASES
    plans, runs, counts = {}, {}, {}
    try:
        for name, n, database in COMPARE_DATABASES:
            (tmp / name).mkdir()
            print(f"\n== {name}: {n:,} articles in {COMPARE_SERVER}{database} ==", flush=True)
            plans[name] = load_in_subprocess(COMPARE_SERVER + database, n, tmp / name, args)
        # The same section on both, the biggest with 100,000 (its deep pages are the question),
        # and the same article: the first 1,000 generated stories are the same in both.
        picked = (plans[large]["section_url"], plans[small]["article_url"])
        names = [name for name, _n, _database in COMPARE_DATABASES]
        for name, _n, database in COMPARE_DATABASES:
            counts[name] = existing_articles(COMPARE_SERVER + database)
        print(
            f"\n== both databases served at once, gunicorn alone; per URL wrk {args.threads} "
            f"threads, {args.connections} connections, {args.seconds}s, in the order "
            f"{small}, {large}, {large}, {small} (drift on the machine falls on both) ==",
            flush=True,
        )
        with contextlib.ExitStack() as stack:
            served = {
                name: serve_app_alone(
                    stack,
                    name,
                    COMPARE_SERVER + database,
                    tmp / name,
                    plans[name],
                    picked,
                    f"redis://127.0.0.1:6379/{args.redis_db + offset}",
                )
                for offset, (name, _n, database) in enumerate(COMPARE_DATABASES)
            }
            for name in names:
                warm_workers(served[name][0], served[name][1], args)
            load_before, cpu_before, started = os.getloadavg()[0], cpu_snapshot(), time.monotonic()
            measured = {name: collections.defaultdict(list) for name in names}
            labels_in_order = list(
                dict.fromkeys(label for name in names for label, _ in served[name][1])
            )
            for label in labels_in_order:
                for name in [*names, *reversed(names)]:
                    app, urls, _notes = served[name]
                    path = dict(urls).get(label)
                    if path is not None:
                        measured[name][label].append(measure(app, path, label, "app alone", args))
                print(
                    f"  ran {label}: "
                    + ", ".join(
                        f"{name} {mean_result(measured[name][label]).rps:.0f} req/s"
                        for name in names
                        if measured[name][label]
                    ),
                    flush=True,
                )
            others = other_cpu(cpu_before, cpu_snapshot(), os.getpid())
            window, load_after = time.monotonic() - started, os.getloadavg()[0]
        machine = (
            f"load average {load_before:.1f} before, {load_after:.1f} after; CPU used by "
            f"other processes in the {window:.0f}s of runs: "
            + ("; ".join(f"{seconds:.0f}s {command}" for seconds, command in others) or "none")
        )
        for name in names:
            statuses, problems = gunicorn_log(tmp / name / "gunicorn.log")
            runs[name] = {
                "urls": dict(served[name][1]),
                "results": {label: mean_result(r) for label, r in measured[name].items()},
                "notes": served[name][2],
                "statuses": statuses,
                "problems": problems,
                "machine": machine,
            }
    except BenchError as error:
        sys.exit(f"error: {error}")

    print(f"\n{os.cpu_count()} CPUs; live articles: ", end="")
    print(", ".join(f"{database} {counts[name]}" for name, _n, database in COMPARE_DATABASES))
    labels = list(dict.fromkeys([*runs[small]["results"], *runs[large]["results"]]))
    rows = [
        (
            "URL",
            f"{small} req/s",
            f"{large} req/s",
            f"{small} p50",
            f"{large} p50",
            f"{small} p99",
            f"{large} p99",
            "slowdown",
            "non-2xx",
        )
    ]
    footnotes, verdicts = [], []
    for label in labels:
        a, b = runs[small]["results"].get(label), runs[large]["results"].get(label)
        path_a, path_b = runs[small]["urls"].get(label), runs[large]["urls"].get(label)
        differs = path_a and path_b and path_a != path_b
        if differs:
            footnotes.append(f"* {label} on {small}: {path_a}")
        slowdown = a.rps / b.rps if a and b and b.rps else None
        rows.append(
            (
                f"{label} {path_b or path_a}" + ("*" if differs else ""),
                f"{a.rps:.0f}" if a else "-",
                f"{b.rps:.0f}" if b else "-",
                fmt_ms(a.p50_ms) if a else "-",
                fmt_ms(b.p50_ms) if b else "-",
                fmt_ms(a.p99_ms) if a else "-",
                fmt_ms(b.p99_ms) if b else "-",
                f"{slowdown:.2f}x" if slowdown else "-",
                f"{a.non_2xx if a else '-'} / {b.non_2xx if b else '-'}",
            )
        )
        verdicts.append((label, slowdown))
    print()
    print_table(rows, left=1)
    for line in footnotes:
        print(line)
    for name, _n, _database in COMPARE_DATABASES:
        run = runs[name]
        for note in run["notes"]:
            print(f"{name}: {note}")
        errors = sum(r.socket_errors for r in run["results"].values())
        print(
            f"{name}: gunicorn logged {sum(run['statuses'].values())} requests, by status: "
            f"{dict(run['statuses'])}; errors in its log: {len(run['problems'])}; "
            f"wrk socket errors: {errors}; {run['machine']}"
        )
        for line in run["problems"][:10]:
            print(f"  {line}")

    print(f"\ntarget: {large} within {SLOWDOWN_TARGET}x of {small} ({small} req/s / {large} req/s)")
    width = max(len(label) for label in labels)
    for label, slowdown in verdicts:
        if slowdown is None:
            print(f"  {label:<{width}}  -      not driven on both: no verdict")
        else:
            verdict = "met" if slowdown <= SLOWDOWN_TARGET else "MISSED"
            print(f"  {label:<{width}}  {slowdown:.2f}x  {verdict}")
    missed = [label for label, slowdown in verdicts if slowdown and slowdown > SLOWDOWN_TARGET]
    bad = [
        f"{name}/{r.label}"
        for name in runs
        for r in runs[name]["results"].values()
        if r.non_2xx or r.socket_errors
    ]
    bad_statuses = sum(
        count
        for run in runs.values()
        for status, count in run["statuses"].items()
        if not 200 <= status < 300
    )
    print(
        f"  all URLs: {'met' if not missed else f'MISSED for {len(missed)} of {len(verdicts)}'}"
        + "; zero non-2xx: "
        + ("met" if not bad and not bad_statuses else "MISSED: " + ", ".join(bad))
        + (f" (gunicorn logged {bad_statuses} non-2xx)" if bad_statuses else "")
    )
    print(f"\nlogs: {tmp}")


def main() -> None:
    args = parse_args()
    if args.load_only:
        load_only(args)
    elif args.compare:
        compare(args)
    else:
        readers(args)


if __name__ == "__main__":
    main()
