"""Backups restore: the README's backup and restore steps, run against the test database,
give a fresh database in which every article is found."""

import sqlite3
import subprocess

import pytest
from django.db import connection

from articles.models import ArticlePage
from articles.setup import set_up_newsroom
from articles.stories.importer import import_stories
from tests.articles.stories import SEED_DIR, story_text, write_story

ARTICLE_TITLES_SQL = (
    "SELECT p.title FROM wagtailcore_page p "
    "JOIN articles_articlepage a ON a.page_ptr_id = p.id WHERE p.live ORDER BY p.title"
)


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_with_every_article(tmp_path):
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # an earlier transactional test renumbers them
    set_up_newsroom()
    for n in range(5):
        write_story(tmp_path / "stories", f"{n}.txt", story_text(headline=f"Backed up {n}"))
    assert import_stories(paths=[SEED_DIR, tmp_path / "stories"]).ok
    expected = sorted(ArticlePage.objects.live().values_list("title", flat=True))
    assert len(expected) == 6

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        backup = tmp_path / "backup.sqlite3"
        source = sqlite3.connect(settings["NAME"])
        target = sqlite3.connect(backup)
        source.backup(target)  # the README's command
        source.close()
        restored = [row[0] for row in target.execute(ARTICLE_TITLES_SQL)]
        target.close()
    else:
        import psycopg

        dump = tmp_path / "newsroom.dump"
        auth = [
            "-h",
            settings["HOST"] or "127.0.0.1",
            "-p",
            str(settings["PORT"] or 5432),
            "-U",
            settings["USER"],
        ]
        subprocess.run(["pg_dump", "-Fc", *auth, "-f", str(dump), settings["NAME"]], check=True)
        fresh = f"{settings['NAME']}_restored"
        subprocess.run(["dropdb", "--if-exists", *auth, fresh], check=True)
        subprocess.run(["createdb", *auth, fresh], check=True)
        try:
            subprocess.run(["pg_restore", "--no-owner", *auth, "-d", fresh, str(dump)], check=True)
            with psycopg.connect(
                host=auth[1], port=auth[3], user=settings["USER"], dbname=fresh
            ) as restored_db:
                restored = [row[0] for row in restored_db.execute(ARTICLE_TITLES_SQL)]
        finally:
            subprocess.run(["dropdb", "--if-exists", *auth, fresh], check=True)
    assert restored == expected
