#!/usr/bin/env python
"""What the breaking-news banner costs through Varnish: a page assembled by ESI against the
same page without ESI processing, interleaved.

    .venv/bin/python bench/alert_banner.py [--seconds 10] [--rounds 2]

Reuses bench/readers.py's database (loading it first if missing) with its election night
(a 200-update live page and an active alert), serves it with gunicorn, and puts two Varnish
instances in front: the production VCL (pages include /alerts/banner/ by ESI) and the same
VCL with ESI processing switched off (the baseline: each page is one object, the include tag
left in it). wrk drives the article and the live page on ESI, plain, plain, ESI per round,
so drift in the machine's load falls on both; prints req/s for each run, the means, the
ESI/plain ratio, and the load average before and after. Printed figures, not a test.
"""

import argparse
import contextlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import readers  # noqa: E402


def start_varnish(stack, tmp: Path, name: str, vcl: str, port: int) -> str:
    (tmp / f"{name}.vcl").write_text(vcl)
    log = stack.enter_context(open(tmp / f"{name}.log", "w"))  # noqa: SIM115
    process = subprocess.Popen(
        [
            readers.shutil.which("varnishd") or "/usr/sbin/varnishd",
            "-F", "-j", "none", "-T", "none",
            "-a", f"127.0.0.1:{port}",
            "-f", str(tmp / f"{name}.vcl"),
            "-n", str(tmp / name),
            "-s", "malloc,256m",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    stack.callback(readers.stop, process, f"varnishd ({name})")
    url = f"http://127.0.0.1:{port}"
    readers.wait_for(url + "/", f"varnishd ({name})")
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per run (10)")
    parser.add_argument("--rounds", type=int, default=2, help="ESI, plain, plain, ESI rounds")
    parser.add_argument("--n", type=int, default=10_000, help="articles (10,000)")
    parser.add_argument("--database-url", default=readers.DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-db", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="newsroom-banner-"))
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    env, plan = readers.prepare(args.database_url, args.n, True, tmp, redis_url)
    readers.flush_redis(redis_url)
    urls = [("article", plan["article_url"]), ("live page", plan["live_url"])]

    with contextlib.ExitStack() as stack:
        app_port = readers.free_port()
        app = readers.start_gunicorn(stack, env, tmp, app_port)
        vcl = (readers.PROJECT / "deploy" / "varnish" / "default.vcl").read_text()
        vcl = re.sub(r'\.port = "\d+";', f'.port = "{app_port}";', vcl, count=1)
        plain_vcl, switched = re.subn(r"set beresp\.do_esi = true;", "", vcl)
        assert switched == 1, "no do_esi in deploy/varnish/default.vcl"
        esi = start_varnish(stack, tmp, "esi", vcl, readers.free_port())
        plain = start_varnish(stack, tmp, "plain", plain_vcl, readers.free_port())
        for label, path in urls:
            with_banner = readers.curl_check(esi + path)
            readers.curl_check(plain + path)
            assert with_banner["status"] == 200, (label, with_banner)
        readers.warm_workers(esi, urls, args)
        readers.warm_workers(plain, urls, args)

        load_before = os.getloadavg()[0]
        runs: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.rounds):
            for mode, base in (("ESI", esi), ("plain", plain), ("plain", plain), ("ESI", esi)):
                for label, path in urls:
                    result = readers.measure(base, path, label, mode, args)
                    runs.setdefault((label, mode), []).append(result.rps)
                    print(f"  {label} / {mode}: {result.rps:.0f} req/s", flush=True)
        load_after = os.getloadavg()[0]

    print("\nURL        | ESI req/s (mean) | plain req/s (mean) | ESI / plain")
    for label, _path in urls:
        esi_mean = sum(runs[(label, "ESI")]) / len(runs[(label, "ESI")])
        plain_mean = sum(runs[(label, "plain")]) / len(runs[(label, "plain")])
        print(f"{label:<10} | {esi_mean:16.0f} | {plain_mean:18.0f} | {esi_mean / plain_mean:.0%}")
    print(f"load average {load_before:.2f} before the runs, {load_after:.2f} after; app at {app}")


if __name__ == "__main__":
    main()
