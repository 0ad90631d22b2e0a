#!/usr/bin/env python
"""Benchmark `import_stories` against the plain Wagtail way of creating pages.

    .venv/bin/python bench/import_stories.py --n 10000
    .venv/bin/python bench/import_stories.py --n 10000 --database-url postgres://postgres@127.0.0.1:5432/newsroom_bench

Generates N synthetic stories in the seed format in a temporary folder, imports them into a fresh
database, checks every page is complete (live revision, searchable, tree consistent, listings
right), times a re-import of the unchanged files, then times the plain Wagtail way
(`add_child` + `save_revision().publish()`, search and reference indexes on) on a sample.
The last line is `ratio X`: project stories/s divided by plain pages/s.
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SECTIONS = [
    ("Top Stories",),
    ("World",),
    ("World", "Europe"),
    ("World", "Asia"),
    ("Business",),
    ("Business", "Markets"),
    ("Sport",),
    ("Culture",),
]
WORDS = (
    "minister talks said government report city market election court police council "
    "police health water energy prices workers union school hospital storm border trade "
    "week official plan vote party leader budget investigation company shares rail"
).split()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def story(rng: random.Random, n: int) -> str:
    day = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(2000))
    path = rng.choice(SECTIONS)
    headline = f"{sentence(rng, 8)[:-1]} ({n})"
    bullets = {path[-1], rng.choice(SECTIONS)[-1]}
    lines = [
        f"{day:%A}, {day:%B} {day.day}, {day.year}",
        "",
        " > ".join(("Home", *path, headline[:60])),
        *(f"  • {b}" for b in sorted(bullets)),
        "",
        headline,
        "",
        "image",
        "",
    ]
    for p in range(6):
        if p == 3:
            lines += ["image", ""]
        lines += [("\u00a0" if p == 4 else "") + " ".join(sentence(rng, 14) for _ in range(4))]
        lines += ["", ""]
    return "\n".join(lines).rstrip()


def write_stories(folder: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    for i in range(n):
        (folder / f"{i // 1000:03}").mkdir(exist_ok=True)
        (folder / f"{i // 1000:03}" / f"story_{i:06}.txt").write_text(story(rng, i), "utf-8")


def fresh_database(url: str | None, tmp: Path) -> str:
    if not url:
        return f"sqlite:///{tmp / 'bench.sqlite3'}"
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    admin = psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
    admin.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()
    return url


def start_site(env: dict[str, str]) -> None:
    """For the benchmarks that serve the site: apply `env`, set Django up, migrate, collect
    static files and set the newsroom up."""
    os.environ.update(env)
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.core.management import call_command

    from articles.setup import set_up_newsroom

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    set_up_newsroom()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="stories to import")
    parser.add_argument("--sample", type=int, default=300, help="pages made the plain way")
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    os.environ["DATABASE_URL"] = fresh_database(args.database_url, tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.dev"
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    sys.path.insert(0, str(PROJECT))
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # no query log piling up in memory

    from django.core.management import call_command
    from wagtail.models import Page
    from wagtail.rich_text import RichText

    from articles.models import ArticlePage, SectionPage
    from articles.setup import set_up_newsroom
    from articles.stories.importer import import_stories

    call_command("migrate", verbosity=0)
    set_up_newsroom()
    stories = tmp / "stories"
    stories.mkdir()
    write_stories(stories, args.n)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"database: {engine}; stories: {args.n}")

    started = time.perf_counter()
    report = import_stories(paths=[stories])
    first = time.perf_counter() - started
    assert report.ok and len(report.created) == args.n, report.summary()
    project_rate = args.n / first
    print(f"import: {report.summary()} in {first:.1f}s = {project_rate:.0f} stories/s")

    # Every page complete.
    assert Page.find_problems() == ([], [], [], [], []), "tree problems"
    live = ArticlePage.objects.filter(live=True, live_revision__isnull=False)
    assert live.count() == args.n, "not every article has a live revision"
    probe = ArticlePage.objects.order_by("?").first()
    hits = ArticlePage.objects.live().search(probe.title, operator="and")
    assert probe.pk in [h.pk for h in hits], "an imported article is not findable by search"
    for section in SectionPage.objects.all():
        listed = section.articles().count()
        filed = len(
            set(ArticlePage.objects.live().child_of(section).values_list("pk", flat=True))
            | set(
                ArticlePage.objects.live()
                .filter(secondary_sections=section)
                .values_list("pk", flat=True)
            )
        )
        assert listed == filed, f"{section.title}: lists {listed}, filed {filed}"
    print(
        "checks: tree consistent, all live with revisions, search finds a random story, "
        "section listings match filings"
    )

    started = time.perf_counter()
    again = import_stories(paths=[stories])
    second = time.perf_counter() - started
    assert len(again.unchanged) == args.n, again.summary()
    print(
        f"re-import unchanged: {again.summary()} in {second:.1f}s "
        f"= {100 * second / first:.1f}% of the first import"
    )

    # The plain Wagtail way, on a sample, into the same database.
    parent = SectionPage(title="Plain Wagtail sample")
    Page.objects.get(depth=2).add_child(instance=parent)
    parent.save_revision().publish()
    rng = random.Random(2)
    started = time.perf_counter()
    for i in range(args.sample):
        page = ArticlePage(
            title=f"{sentence(rng, 8)} plain {i}",
            publication_date=django.utils.timezone.now(),
            body=[("image", {"image": None, "alt_text": "", "caption": "", "credit": ""})]
            + [("paragraph", RichText(f"<p>{sentence(rng, 56)}</p>")) for _ in range(6)],
        )
        parent.add_child(instance=page)
        page.save_revision().publish()
    plain = time.perf_counter() - started
    plain_rate = args.sample / plain
    print(f"plain Wagtail: {args.sample} pages in {plain:.1f}s = {plain_rate:.1f} pages/s")
    print(f"ratio {project_rate / plain_rate:.1f}")


if __name__ == "__main__":
    main()
