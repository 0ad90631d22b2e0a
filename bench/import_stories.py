#!/usr/bin/env python
"""Benchmark `import_stories` against the plain Wagtail way of creating pages.

    .venv/bin/python bench/import_stories.py --n 10000
    .venv/bin/python bench/import_stories.py --n 10000 --database-url postgres://postgres@127.0.0.1:5432/newsroom_bench

Generates N synthetic stories in the seed format in a temporary folder, imports them into a fresh
database, checks every page is complete (live revision, searchable, tree consistent, listings
right), times a re-import of the unchanged files, then times the plain Wagtail way
(`add_child` + `save_revision().publish()`, search and reference indexes on) on a sample.

Just after the first-import line comes `ceiling Nx`: the import's time as a multiple of the
raw-write ceiling, the time the database alone takes to write the same rows into empty copies of
the tables the import wrote to (same columns and indexes, no foreign keys) by its fastest bulk
path, `COPY` on PostgreSQL (on SQLite, labelled as such, `INSERT … SELECT` stands in). The next line
names those tables and their row counts. The last line is `ratio X`: project stories/s divided by
plain pages/s.
"""

import argparse
import datetime
import os
import random
import re
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


def table_counts() -> dict[str, int]:
    """`SELECT count(*)` of every table in the database."""
    from django.db import connection

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT count(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def raw_write_ceiling(tables: list[str]) -> float:
    """Seconds the database takes to write every row now in `tables` into empty copies of them
    (same columns and indexes, no foreign keys) by its fastest bulk path, in one transaction,
    commit included.

    That is the least time any importer could take to write those rows: no Python, no ORM, no
    statement per row, only the database storing rows and keeping indexes up to date. Only the
    write is timed; reading the rows out and making the empty copies is not. All rows of each
    table are copied, including the few the newsroom setup wrote before the import.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        return _ceiling_postgresql(tables)
    if connection.vendor == "sqlite":
        return _ceiling_sqlite(tables)
    raise NotImplementedError(f"no raw-write ceiling for {connection.vendor}")


def _ceiling_postgresql(tables: list[str]) -> float:
    """`COPY … FROM STDIN` of each table's rows, dumped beforehand with `COPY … TO STDOUT`, into
    `CREATE TABLE … (LIKE … INCLUDING ALL)` copies."""
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        pg = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        dumps = {}
        try:
            for table in tables:
                with pg.copy(f"COPY (SELECT * FROM {quote(table)}) TO STDOUT") as copy:
                    dumps[table] = b"".join(copy)
                cursor.execute(
                    f"CREATE TABLE {quote(f'bench_copy_{table}')} "
                    f"(LIKE {quote(table)} INCLUDING ALL)"
                )
            started = time.perf_counter()
            with transaction.atomic():
                for table, rows in dumps.items():
                    with pg.copy(f"COPY {quote(f'bench_copy_{table}')} FROM STDIN") as copy:
                        copy.write(rows)
            return time.perf_counter() - started
        finally:
            for table in dumps:
                cursor.execute(f"DROP TABLE IF EXISTS {quote(f'bench_copy_{table}')}")


def sqlite_virtual_tables() -> dict[str, str]:
    """SQLite's virtual tables (such as FTS5 search indexes): name -> `CREATE VIRTUAL TABLE` SQL."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
        )
        return dict(cursor.fetchall())


def sqlite_shadow_tables(tables: list[str]) -> set[str]:
    """Those of `tables` that hold a SQLite virtual table's data (an FTS5 table `x` keeps it in
    `x_data`, `x_idx`, `x_content`, `x_docsize`, `x_config`): written by writing to `x`."""
    virtual = sqlite_virtual_tables()
    return {t for t in tables for v in virtual if t.startswith(f"{v}_")}


def _ceiling_sqlite(tables: list[str]) -> float:
    """SQLite has no COPY; the closest is `INSERT INTO copy SELECT * FROM table` into
    `CREATE TABLE copy AS SELECT * FROM table WHERE 0` with the table's indexes made again."""
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    # The search index's FTS5 table (wagtailsearch_indexentry_fts, filled by triggers on
    # wagtailsearch_indexentry) is handled: its copy is a new FTS5 table, filled with rowids, which
    # writes its own shadow tables (…_fts_data, …_fts_idx, …_fts_docsize, …_fts_content) just as
    # the original's inserts do; so the shadow tables themselves are skipped.
    virtual = sqlite_virtual_tables()
    shadow = sqlite_shadow_tables(tables)
    with connection.cursor() as cursor:
        copies, inserts = [], []
        try:
            for table in (t for t in tables if t not in shadow):
                copy = f"bench_copy_{table}"
                copies.append(copy)
                if table in virtual:
                    cursor.execute(
                        re.sub(
                            rf'^(CREATE VIRTUAL TABLE\s+)"?{re.escape(table)}"?',
                            lambda m, copy=copy: m[1] + quote(copy),
                            virtual[table],
                        )
                    )
                    cursor.execute(f"SELECT * FROM {quote(table)} LIMIT 0")
                    columns = ", ".join(["rowid"] + [quote(c[0]) for c in cursor.description])
                    select = f"({columns}) SELECT {columns} FROM {quote(table)}"
                else:
                    cursor.execute(
                        f"CREATE TABLE {quote(copy)} AS SELECT * FROM {quote(table)} WHERE 0"
                    )
                    cursor.execute(
                        "SELECT name, sql FROM sqlite_master "
                        "WHERE type = 'index' AND tbl_name = %s",
                        [table],
                    )
                    for index, sql in cursor.fetchall():
                        if sql is None:
                            # An index SQLite made for a UNIQUE or (non-integer) PRIMARY KEY
                            # constraint, which the copy lacks: made again as a unique index.
                            cursor.execute("SELECT name FROM pragma_index_info(%s)", [index])
                            sql = (
                                f"CREATE UNIQUE INDEX {quote(index)} ON {quote(table)} "
                                f"({', '.join(quote(c) for (c,) in cursor.fetchall())})"
                            )
                        cursor.execute(
                            re.sub(
                                r'^(CREATE (?:UNIQUE )?INDEX\s+)"?(\w+)"?(\s+ON\s+)"?\w+"?',
                                lambda m, copy=copy: (
                                    f"{m[1]}{quote(f'bench_copy_{m[2]}')}{m[3]}{quote(copy)}"
                                ),
                                sql,
                            )
                        )
                    select = f"SELECT * FROM {quote(table)}"
                inserts.append(f"INSERT INTO {quote(copy)} {select}")
            started = time.perf_counter()
            with transaction.atomic():
                for insert in inserts:
                    cursor.execute(insert)
            return time.perf_counter() - started
        finally:
            for copy in copies:
                cursor.execute(f"DROP TABLE IF EXISTS {quote(copy)}")


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
    from django.db import connection
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

    before = table_counts()
    started = time.perf_counter()
    report = import_stories(paths=[stories])
    first = time.perf_counter() - started
    after = table_counts()  # straight after, so only the import's rows count
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

    # The raw-write ceiling, after the checks, printed just after the import line.
    grown = sorted(t for t in after if after[t] > before.get(t, 0))
    ceiling = raw_write_ceiling(grown)
    how = "COPY" if connection.vendor == "postgresql" else "INSERT … SELECT"
    label = "" if connection.vendor == "postgresql" else f" (SQLite: {how} into empty copies)"
    print(f"ceiling{label} {first / ceiling:.1f}x")
    shadow = sqlite_shadow_tables(grown) if connection.vendor == "sqlite" else set()
    copied = [t for t in grown if t not in shadow]
    print(
        f"  raw-write ceiling: {ceiling:.2f}s to {how} {sum(after[t] for t in copied)} rows "
        f"(all rows, +{sum(after[t] - before.get(t, 0) for t in copied)} from the import) of "
        f"the {len(copied)} tables the import wrote rows to: "
        + ", ".join(f"{t} {after[t]} (+{after[t] - before.get(t, 0)})" for t in copied)
        + (
            "; FTS5 shadow tables, written through the copy of their virtual table: "
            + ", ".join(f"{t} {after[t]} (+{after[t] - before.get(t, 0)})" for t in sorted(shadow))
            if shadow
            else ""
        )
    )
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
