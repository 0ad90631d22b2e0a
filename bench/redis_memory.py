#!/usr/bin/env python
"""Does Redis memory stay bounded while the newsroom publishes? (issue 17)

    .venv/bin/python bench/redis_memory.py [--publishes 100] [--n 10000]

Uses bench/readers.py's PostgreSQL database (loaded first if missing) and a Redis server of
its own (a free port, no persistence), so nothing else on the machine is evicted. Two runs,
each on an empty Redis:

1. no memory ceiling: one full crawl as an anonymous reader (the front page, every section's
   first three pages, every article, the feeds), then --publishes publishes in a row (an
   article republished through Wagtail), each followed by what readers read between two
   publishes (the front page, every section, 50 articles);
2. the same with `maxmemory` at 1.25x the first run's size after the crawl and
   `maxmemory-policy allkeys-lru`, as docs/deploy.md recommends.

Prints Redis's used_memory after the crawl and after the publishes, and their ratio (target:
at most 1.5x), and checks after the second run that every page still answers 200. Requests go
through Django's test client in this process. Printed figures, not a test.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import readers  # noqa: E402


def start_redis(port: int, workdir: Path, maxmemory: int | None) -> subprocess.Popen:
    command = [
        shutil.which("redis-server") or "/usr/bin/redis-server",
        "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", str(workdir),
    ]  # fmt: skip
    if maxmemory:
        command += ["--maxmemory", str(maxmemory), "--maxmemory-policy", "allkeys-lru"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            return process
        except redis.ConnectionError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"redis-server did not start on port {port}")


def used_memory(port: int) -> int:
    import redis

    return int(redis.Redis(port=port).info("memory")["used_memory"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--publishes", type=int, default=100)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--database-url", default=readers.DEFAULT_DATABASE_URL)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="newsroom-redis-"))
    port = readers.free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    server = start_redis(port, tmp, None)
    try:
        _env, plan = readers.prepare(args.database_url, args.n, True, tmp, redis_url)
        from django.core.cache import caches
        from django.test import Client

        from articles.models import ArticlePage, SectionPage

        client = Client(HTTP_HOST="127.0.0.1")
        sections = [s.url for s in SectionPage.objects.live().order_by("path")]
        articles = list(
            ArticlePage.objects.live().exact_type(ArticlePage).values_list("url_path", flat=True)
        )
        root = ArticlePage.objects.live().first().get_site().root_page.url_path
        article_urls = ["/" + path[len(root) :] for path in articles]
        crawl = ["/", "/feed/"] + [f"{s}?page={n}" for s in sections for n in (1, 2, 3)]
        crawl += [f"{s}feed/" for s in sections] + article_urls
        rng = random.Random(17)
        to_publish = rng.sample(
            list(ArticlePage.objects.live().exact_type(ArticlePage)), args.publishes
        )
        results = []
        for ceiling in (None, "1.25x"):
            if ceiling:
                readers.stop(server, "redis-server")
                server = start_redis(port, tmp, int(results[0][1] * 1.25))
                for cache in caches.all():
                    cache.close()
            load_before = os.getloadavg()[0]
            statuses = set()
            started = time.monotonic()
            for url in crawl:
                statuses.add(client.get(url).status_code)
            after_crawl = used_memory(port)
            crawled_in = time.monotonic() - started
            for article in to_publish:
                article.refresh_from_db()
                article.save_revision().publish()
                for url in ["/", *sections, *rng.sample(article_urls, 50)]:
                    statuses.add(client.get(url).status_code)
            after_publishes = used_memory(port)
            answers = {client.get(url).status_code for url in ["/", *sections, *article_urls[:200]]}
            results.append(
                (
                    ceiling or "none",
                    after_crawl,
                    after_publishes,
                    crawled_in,
                    statuses | answers,
                    load_before,
                    os.getloadavg()[0],
                )
            )
            print(f"  run with ceiling {ceiling or 'none'} done", flush=True)
    finally:
        readers.stop(server, "redis-server")

    print(f"\n{len(crawl)} URLs crawled, {args.publishes} publishes")
    print("ceiling | after crawl | after publishes | ratio | statuses | load average")
    for ceiling, crawl_mem, publish_mem, crawled_in, statuses, before, after in results:
        print(
            f"{ceiling:<7} | {crawl_mem / 2**20:8.1f} MB | {publish_mem / 2**20:12.1f} MB | "
            f"{publish_mem / crawl_mem:.2f}x | {sorted(statuses)} | {before:.2f} -> {after:.2f}"
            f" (crawl {crawled_in:.0f}s)"
        )


if __name__ == "__main__":
    main()
