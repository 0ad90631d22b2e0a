"""PostgreSQL indexes that let a reader search stop after one page (articles/search.py).

Wagtail's database search backend on PostgreSQL matches `(title || body) @@ query` on its index
entries and joins them to pages by `page_ptr_id::varchar(50)`. Without an index on either
expression a search reads every entry and every article, at any archive size.
"""

from django.db import migrations

INDEXES = {
    "newsroom_search_title_body": (
        "wagtailsearch_indexentry USING GIN ((title || body))"
    ),
    "article_search_object_id": "articles_articlepage (((page_ptr_id)::varchar(50)))",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_section_filings"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
