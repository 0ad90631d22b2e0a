#!/usr/bin/env python
"""Lighthouse scores of the reader pages, on a phone and on a desktop.

    .venv/bin/python bench/lighthouse.py [--url http://127.0.0.1:8000] [--runs 1]

Runs Lighthouse (npm `lighthouse`, installed on first use into bench/.node, git-ignored) in
Debian's Chromium against a site that is already running: `make run` (the development server,
DEBUG on, uncompressed static files: performance is understated) or `make serve` (the production
stack). The pages are found from the site itself: the front page, the first section and the
first article it links to, that article's first author and topic, the corrections page and a
search. Each page is measured with Lighthouse's mobile defaults (a throttled phone, 412 px
wide) and its desktop preset; prints the four category scores (performance, accessibility,
best practices, SEO) per page and form factor, the median of --runs runs, with the load average
before and after, since this machine is shared.

Printed figures, not a test; only the given address is contacted.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
NODE_PREFIX = PROJECT / "bench" / ".node"
LIGHTHOUSE = NODE_PREFIX / "node_modules" / "lighthouse" / "cli" / "index.js"
LIGHTHOUSE_VERSION = "12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")


class BenchError(Exception):
    pass


def install_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    if not shutil.which("npm"):
        raise BenchError("npm is needed to install Lighthouse: apt-get install npm")
    print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {NODE_PREFIX} ...", flush=True)
    subprocess.run(
        [
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "-E",
            f"lighthouse@{LIGHTHOUSE_VERSION}",
            "--prefix",
            str(NODE_PREFIX),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def links(html: str, base: str) -> list[str]:
    """Same-site paths the page links to, in page order."""
    host = urllib.parse.urlsplit(base).netloc
    paths = []
    for href in re.findall(r'<a [^>]*href="([^"]+)"', html):
        url = urllib.parse.urlsplit(urllib.parse.urljoin(base, href))
        if url.netloc == host and url.path and url.path not in paths:
            paths.append(url.path)
    return paths


def reader_pages(base: str) -> dict[str, str]:
    """Name -> path of one page of each kind, found by following the site's own links."""
    front = links(fetch(base + "/"), base)
    skip = ("/authors/", "/topics/", "/corrections/", "/search/", "/feed", "/static/", "/media/")
    candidates = [p for p in front if p != "/" and not p.startswith(skip)]
    # An article lives under its section: the section is the longest path another one starts with.
    sections = [p for p in candidates if any(o != p and o.startswith(p) for o in candidates)]
    articles = [p for p in candidates if p not in sections and p.count("/") > 2]
    if not sections or not articles:
        raise BenchError(f"{base}/ links to no section or no article: is the site set up?")
    article_links = links(fetch(base + articles[0]), base)
    pages = {"front page": "/", "section": sections[0], "article": articles[0]}
    for name, prefix in (("author page", "/authors/"), ("topic page", "/topics/")):
        found = [p for p in article_links if p.startswith(prefix) and p.count("/") == 3]
        if found:
            pages[name] = found[0]
    pages["corrections"] = "/corrections/"
    pages["search"] = "/search/?q=the"
    return pages


def lighthouse(url: str, desktop: bool) -> dict[str, int]:
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if desktop:
        command.append("--preset=desktop")
    for _attempt in range(3):  # Lighthouse now and then loses a trace (NO_NAVSTART): try again
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            timeout=300,
        )
        if done.returncode == 0:
            break
    else:
        raise BenchError(f"lighthouse failed on {url} three times:\n{done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    # The audits that cost points outside performance, so a low score says why.
    failed = sorted(
        ref["id"]
        for c in CATEGORIES[1:]
        for ref in report["categories"][c]["auditRefs"]
        if ref.get("weight")
        and (report["audits"][ref["id"]].get("score") or 0) < 1
        and report["audits"][ref["id"]].get("scoreDisplayMode") == "binary"
    )
    return scores, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running site")
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median printed)")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    try:
        install_lighthouse()
        pages = reader_pages(base)
        before = os.getloadavg()
        print(f"{base}  load average {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}")
        print(
            f"{'page':<14}{'form factor':<13}" + "".join(f"{c:>16}" for c in CATEGORIES) + "  path"
        )
        lowest = dict.fromkeys(CATEGORIES, 100)
        for name, path in pages.items():
            for desktop in (False, True):
                runs = [lighthouse(base + path, desktop) for _ in range(args.runs)]
                scores = {c: int(statistics.median(r[c] for r, _ in runs)) for c in CATEGORIES}
                failed = sorted({audit for _, audits in runs for audit in audits})
                for c in CATEGORIES:
                    lowest[c] = min(lowest[c], scores[c])
                factor = "desktop" if desktop else "mobile"
                row = "".join(f"{scores[c]:>16}" for c in CATEGORIES)
                print(f"{name:<14}{factor:<13}{row}  {path}", flush=True)
                if failed:
                    print(f"{'':<27}failed audits: {', '.join(failed)}", flush=True)
        after = os.getloadavg()
        print(f"lowest        {'':<13}" + "".join(f"{lowest[c]:>16}" for c in CATEGORIES))
        print(f"load average after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}")
    except (BenchError, OSError, subprocess.CalledProcessError) as error:
        sys.exit(f"bench/lighthouse.py: {error}")


if __name__ == "__main__":
    main()
