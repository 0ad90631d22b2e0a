#!/usr/bin/env python
"""What rendering reader pages once per content version saves: CPU per request in-process,
with NEWSROOM_RENDER_ONCE on and off, interleaved (on, off, off, on per round).

    .venv/bin/python bench/render_once.py [--requests 300] [--rounds 2]

Reuses bench/readers.py's PostgreSQL database (loading 10,000 stories first if it is not
there) with Redis as the cache, and drives the front page, the biggest section, its page 50
and an article through Django's test client in this process, as an anonymous reader with
warm caches: the whole middleware stack, no network. Prints CPU ms per request (process
time, so other processes on the machine do not count) for each run, the means and the
on/off ratio, and the load average before and after. Printed figures, not a test.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import readers  # noqa: E402


def cpu_ms_per_request(client, path: str, requests: int) -> float:
    started = time.process_time()
    for _ in range(requests):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    return (time.process_time() - started) * 1000 / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per run (300)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--database-url", default=readers.DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-db", type=int, default=12)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="newsroom-render-once-"))
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    _env, plan = readers.prepare(args.database_url, args.n, True, tmp, redis_url)
    readers.flush_redis(redis_url)
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    urls = [
        ("front page", "/"),
        ("section", plan["section_url"]),
        (f"section p{plan['page_no']}", f"{plan['section_url']}?page={plan['page_no']}"),
        ("article", plan["article_url"]),
    ]
    for _label, path in urls:  # warm: renditions, the reader cache, the shared copies
        for _ in range(3):
            client.get(path)

    load_before = os.getloadavg()[0]
    runs: dict[tuple[str, bool], list[float]] = {}
    for _ in range(args.rounds):
        for render_once in (True, False, False, True):
            settings.NEWSROOM_RENDER_ONCE = render_once
            for label, path in urls:
                ms = cpu_ms_per_request(client, path, args.requests)
                runs.setdefault((label, render_once), []).append(ms)
                mode = "once" if render_once else "every request"
                print(f"  {label} / {mode}: {ms:.2f} ms CPU per request", flush=True)
    load_after = os.getloadavg()[0]

    print("\nURL           | rendered once (ms) | every request (ms) | once / every")
    for label, _path in urls:
        once = sum(runs[(label, True)]) / len(runs[(label, True)])
        every = sum(runs[(label, False)]) / len(runs[(label, False)])
        print(f"{label:<13} | {once:18.2f} | {every:18.2f} | {once / every:.0%}")
    print(f"load average {load_before:.2f} before the runs, {load_after:.2f} after")


if __name__ == "__main__":
    main()
