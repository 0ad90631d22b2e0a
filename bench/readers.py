#!/usr/bin/env python
"""How many readers the site serves: the app alone, through Varnish, against nginx's ceiling.

    .venv/bin/python bench/readers.py [--n 10000 | --large] [--seconds 15] [--reuse-db]

Loads N generated stories (default 10,000; --large: 100,000) through the importer into a fresh
PostgreSQL database, serves the site with the production server (gunicorn with
deploy/gunicorn.conf.py and production settings) on 127.0.0.1, puts Varnish with
deploy/varnish/default.vcl in front of it, and serves one article's saved HTML as a static file
from nginx (the ceiling on this machine: the better of a run before and one after the others).
wrk (2 threads, 16 connections, --seconds per URL)
then drives the front page, the biggest section, its page 50, an article, the feed and a search,
once straight at gunicorn (no cache) and once through Varnish. Prints req/s, p50, p99, non-2xx
responses and each figure's ratio to nginx, then the targets (issue #6): through Varnish at least
50% of nginx, article pages from the app alone at least 400 req/s, no non-2xx anywhere.
Printed figures, not a test. Only 127.0.0.1 is ever contacted; every server is stopped at the
end, also on errors.
"""

import argparse
import collections
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
import urllib.request
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "bench"))
from import_stories import fresh_database, start_site, write_stories  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_readers"
WANTED_PAGE = 50
ARTICLE_TARGET = 400  # req/s, the app alone
VARNISH_SHARE_TARGET = 0.5  # of the nginx ceiling

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


def main() -> None:  # noqa: C901 - a straight script
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles to load (10,000)")
    parser.add_argument("--large", action="store_true", help="load 100,000 articles")
    parser.add_argument("--seconds", type=int, default=15, help="wrk duration per URL (15)")
    parser.add_argument(
        "--reuse-db", action="store_true", help="skip loading if the DB already has ≥ N articles"
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-db", type=int, default=11, help="Redis database (flushed)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    args = parser.parse_args()
    n = 100_000 if args.large else args.n
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
    reuse = args.reuse_db and existing_articles(args.database_url) >= n
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url if reuse else fresh_database(args.database_url, tmp),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": "readers-bench-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": redis_url,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        "LOG_LEVEL": "WARNING",
    }
    for name in ("VARNISH_URL", "OPENSEARCH_URL", "ELASTICSEARCH_URL", "AWS_STORAGE_BUCKET_NAME"):
        env.pop(name, None)  # no purges, database search, local media
    start_site(env)
    import redis
    from django.db import connections
    from wagtail.models import Site

    from articles.conf import newsroom_setting
    from articles.importing import import_stories
    from articles.models import ArticlePage, SectionPage

    if reuse:
        print(f"database: {args.database_url} reused, {ArticlePage.objects.live().count()} live")
    else:
        stories = tmp / "stories"
        stories.mkdir()
        write_stories(stories, n)
        started = time.perf_counter()
        report = import_stories(paths=[stories])
        took = time.perf_counter() - started
        assert report.ok and len(report.created) == n, report.summary()
        print(f"database: {args.database_url} fresh; import: {report.summary()} in {took:.0f}s")

    site = Site.objects.get(is_default_site=True)
    per_page = newsroom_setting("SECTION_PAGE_SIZE")
    sections = sorted(
        ((s.articles().count(), s) for s in SectionPage.objects.live()),
        key=lambda pair: (-pair[0], pair[1].path),
    )
    count, section = sections[0]
    section_url = section.relative_url(site)
    pages = max(1, math.ceil(count / per_page))
    page_no = min(WANTED_PAGE, pages)
    article = section.articles().first().specific
    article_url = article.relative_url(site)
    urls = [
        ("front page", "/"),
        ("section", section_url),
        (f"section p{page_no}", f"{section_url}?page={page_no}"),
        ("article", article_url),
        ("feed", "/feed/"),
        ("search", "/search/?q=minister"),
    ]
    print(
        f"section: {section.title} ({section_url}), {count} articles = {pages} pages of "
        f"{per_page}; "
        + (
            f"page {page_no} benchmarked"
            if page_no == WANTED_PAGE
            else f"only {pages} pages: the last one (page {page_no}) benchmarked instead of 50"
        )
    )
    total = ArticlePage.objects.live().count()
    connections.close_all()
    # App-internal caches (navigation, renditions) start empty; stale keys from other runs
    # in this Redis database would describe another database's pages.
    redis.Redis.from_url(redis_url).flushdb()

    gunicorn = varnish = nginx_process = None
    logs = []
    try:
        app_port, varnish_port, nginx_port = free_port(), free_port(), free_port()
        while len({app_port, varnish_port, nginx_port}) < 3:
            varnish_port, nginx_port = free_port(), free_port()
        app, cached = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{varnish_port}"
        gunicorn_log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115 - closed in finally
        logs.append(gunicorn_log)
        gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(PROJECT / "deploy" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{app_port}",
                "newsroom.wsgi",
            ],
            cwd=PROJECT,
            env=env,
            stdout=gunicorn_log,
            stderr=subprocess.STDOUT,
        )
        wait_for(app + "/", "gunicorn")

        # Varnish with the project's VCL, its backend moved to our gunicorn.
        vcl = (PROJECT / "deploy" / "varnish" / "default.vcl").read_text()
        vcl, replaced = re.subn(r'\.port = "\d+";', f'.port = "{app_port}";', vcl, count=1)
        assert replaced == 1, "no backend port in deploy/varnish/default.vcl"
        (tmp / "default.vcl").write_text(vcl)
        varnish_log = open(tmp / "varnishd.log", "w")  # noqa: SIM115 - closed in finally
        logs.append(varnish_log)
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
        nginx_log = open(tmp / "nginx.log", "w")  # noqa: SIM115 - closed in finally
        logs.append(nginx_log)
        nginx_process = subprocess.Popen(
            [nginx, "-p", str(tmp), "-c", str(conf)], stdout=nginx_log, stderr=subprocess.STDOUT
        )
        static_url = f"http://127.0.0.1:{nginx_port}/article.html"
        wait_for(static_url, "nginx")
        static = curl_check(static_url)
        assert static["status"] == 200 and static["bytes"] == len(html), static
        print(f"nginx: the article's HTML ({len(html)} bytes) as a static file")

        # Warm every worker: a short untimed run per URL at the app.
        for _label, path in urls:
            run_wrk(app + path, 2, args.threads, args.connections)

        w = (args.seconds, args.threads, args.connections)
        print(
            f"\nwrk: {args.threads} threads, {args.connections} connections, "
            f"{args.seconds}s per URL; {total} live articles; {os.cpu_count()} CPUs\n"
        )
        cpu_before, started = cpu_snapshot(), time.monotonic()
        load_before = os.getloadavg()[0]
        ceiling = parse_wrk(run_wrk(static_url, *w), "article (static)", "nginx")
        results = []
        for label, path in urls:
            results.append(parse_wrk(run_wrk(app + path, *w), label, "app alone"))
            results.append(parse_wrk(run_wrk(cached + path, *w), label, "Varnish"))
            for result in results[-2:]:
                print(
                    f"  ran {result.label} / {result.mode}: {result.rps:.0f} req/s",
                    flush=True,
                )
        # nginx again at the end: the ceiling is the better of the two runs.
        again = parse_wrk(run_wrk(static_url, *w), "article (static)", "nginx")
        print(f"  nginx: {ceiling.rps:.0f} req/s at the start, {again.rps:.0f} at the end")
        first_ceiling, ceiling = ceiling, max(ceiling, again, key=lambda r: r.rps)
        others = other_cpu(cpu_before, cpu_snapshot(), os.getpid())
        window = time.monotonic() - started
        load_after = os.getloadavg()[0]
    finally:
        stop(nginx_process, "nginx")
        stop(varnish, "varnishd")
        stop(gunicorn, "gunicorn")
        for log in logs:
            log.close()

    # Statuses gunicorn logged (every request that reached it: warm-up, app runs, misses).
    statuses: collections.Counter = collections.Counter()
    for line in (tmp / "gunicorn.log").read_text(errors="replace").splitlines():
        match = re.search(r'"[A-Z]+ [^"]*" (\d{3}) ', line)
        if match:
            statuses[int(match.group(1))] += 1
    problems = [
        line
        for line in (tmp / "gunicorn.log").read_text(errors="replace").splitlines()
        if re.search(r"\[(ERROR|CRITICAL)\]|Traceback|WORKER TIMEOUT", line)
    ]

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
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print()
    for i, row in enumerate(rows):
        print(
            " | ".join(
                cell.ljust(width) if col < 2 else cell.rjust(width)
                for col, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )
        if i == 0:
            print("-+-".join("-" * width for width in widths))

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
    bad_statuses = sum(count for status, count in statuses.items() if not 200 <= status < 300)
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
    shutil.rmtree(tmp / "stories", ignore_errors=True)
    print(f"\nlogs and configs: {tmp}")


if __name__ == "__main__":
    main()
