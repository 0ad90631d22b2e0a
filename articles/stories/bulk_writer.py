"""Many new articles in a handful of statements: the one place that uses Wagtail's and Django's
internals to write pages. `tests/articles/test_bulk_writer.py` compares what it writes with what
Wagtail's own add_child + save_revision + publish write, field by field.

Rows go in as rows, not through model saves: on PostgreSQL with COPY, elsewhere with one
executemany INSERT per table. Ids are drawn up front (PostgreSQL: from the table's sequence;
SQLite: past the largest, under the write lock the import's transaction holds), so pages can
name their revisions before those rows exist (foreign keys are checked at commit).
"""

from collections.abc import Iterable, Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import NotSupportedError, connection, connections
from django.db.models import F, Field, Model
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backends

from ..blocks import PlainTextParagraph
from ..models import ArticlePage


def write_new_articles(
    pages: Sequence[tuple[ArticlePage, Page]], *, live: bool
) -> list[ArticlePage]:
    """Insert new article pages with a live (or draft) revision each, in a handful of statements.

    What Wagtail's add_child + save_revision + publish would write, row for row: tree position
    (path, depth, parent's numchild, url_path), the page and article rows, a revision, log
    entries, secondary-section links, search index entries and references.
    """
    if not pages:
        return []
    now = timezone.now()
    page_type = ContentType.objects.get_for_model(ArticlePage)
    base_type = ContentType.objects.get_for_model(Page)
    articles = [article for article, _parent in pages]
    page_ids = _new_ids(Page, len(articles))
    revision_ids = _new_ids(Revision, len(articles))
    next_position: dict[int, int] = {}
    for (article, parent), page_id in zip(pages, page_ids, strict=True):
        if parent.pk not in next_position:
            last = (
                Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            next_position[parent.pk] = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
        position = next_position[parent.pk]
        next_position[parent.pk] += 1
        article.id = article.page_ptr_id = page_id
        article.depth = parent.depth + 1
        article.path = Page._get_path(parent.path, article.depth, position)
        article.numchild = 0
        article.url_path = f"{parent.url_path}{article.slug}/"
        article.locale_id = parent.locale_id
        article.content_type = page_type
        article.latest_revision_created_at = now

    # Serialised before the page knows its revision, as save_revision does.
    revisions = [
        Revision(
            id=revision_id,
            content_type=page_type,
            base_content_type=base_type,
            object_id=str(article.pk),
            created_at=now,
            object_str=article.title,
            content=article.serializable_data(),
        )
        for article, revision_id in zip(articles, revision_ids, strict=True)
    ]
    for article, revision_id in zip(articles, revision_ids, strict=True):
        article.latest_revision_id = article.import_revision_id = revision_id
        article.live_revision_id = revision_id if live else None
    _insert_rows(Page, articles, fields=Page._meta.concrete_fields)  # ids drawn above
    _insert_rows(ArticlePage, articles, fields=ArticlePage._meta.local_concrete_fields)
    _insert_rows(Revision, revisions, fields=Revision._meta.concrete_fields)

    through = ArticlePage.secondary_sections.through
    links = [
        through(articlepage_id=a.pk, sectionpage_id=section.pk)
        for a in articles
        for section in a.secondary_sections.all()
    ]
    _insert_rows(through, links)
    for parent_id, count in _children_per_parent(pages).items():
        Page.objects.filter(pk=parent_id).update(numchild=F("numchild") + count)

    # As Wagtail logs a page made in the admin: created, its first revision saved, published.
    actions = ["wagtail.create", "wagtail.edit"] + (["wagtail.publish"] if live else [])
    entries = [
        PageLogEntry(
            content_type=page_type,
            label=a.title,
            action=action,
            timestamp=now,
            page_id=a.pk,
            revision_id=None if action == "wagtail.create" else a.latest_revision_id,
            content_changed=True,
            data={"source": "import_stories"},
        )
        for a in articles
        for action in actions
    ]
    _insert_rows(PageLogEntry, entries)

    for backend in get_search_backends(with_auto_update=True):
        _add_to_search_index(backend, articles)
    for article in articles:
        if _may_reference_anything(article):
            ReferenceIndex.create_or_update_for_object(article)
    return articles


def _may_reference_anything(article: ArticlePage) -> bool:
    """Whether Wagtail's reference index could find something on a new article: a lead
    image, a byline, a filled image slot, or a block other than a plain-text paragraph or an
    empty slot (story files bring none of these today). Asking the index itself parses every
    paragraph again: a twentieth of a large import."""
    if article.lead_image_id or article.byline.all():
        return True
    for block in article.body:
        if block.block_type == "image" and block.value.get("image") is None:
            continue
        if block.block_type == "paragraph" and isinstance(block.value, PlainTextParagraph):
            continue
        return True
    return False


def _new_ids(model: type[Model], count: int) -> list[int]:
    """`count` ids for new rows of `model`'s table, nobody else's."""
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # The import's transaction is IMMEDIATE: it holds the write lock, so no other
            # writer takes ids until it commits. Past the largest id ever given (AUTOINCREMENT).
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT max(coalesce((SELECT max(id) FROM {quoted}), 0), "  # noqa: S608
                "coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                [table],
            )
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))
    raise NotSupportedError(
        f"The bulk writer supports PostgreSQL and SQLite, not {connection.vendor}."
    )


def _insert_rows(
    model: type[Model], objects: Iterable[Model], fields: Sequence[Field] | None = None
) -> None:
    """The objects' rows for `fields` of `model`'s own table (by default every column but the
    id, which the database gives), values prepared as Django's save would, with COPY on
    PostgreSQL and one executemany INSERT elsewhere."""
    if fields is None:
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    db = connections[connection.alias]  # the connection itself, not the per-thread proxy
    prepare = [(field.pre_save, field.get_db_prep_save) for field in fields]
    rows = [[to_db(value_of(obj, True), db) for value_of, to_db in prepare] for obj in objects]
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                rows,
            )


def _add_to_search_index(backend, articles: Sequence[ArticlePage]) -> None:
    """What backend.add_bulk writes, for Wagtail's database backends in one pass per page:
    their indexers walk a page's search fields once per column (three times on SQLite, five
    on PostgreSQL). Other backends index the usual way."""
    own_backend, index_in_one_pass = _database_search_backend()
    if own_backend and isinstance(backend, own_backend):
        index_in_one_pass(backend, articles)  # title norms: see refresh_search_ranking
    else:
        backend.add_bulk(ArticlePage, articles)


def refresh_search_ranking() -> None:
    """Give the entries the batches wrote their title norm (a ranking weight), once per run:
    add_items does it per call, an aggregate and an update over the whole index each time.
    Until then a new entry ranks with the default norm; it is found all the same."""
    own_backend, _ = _database_search_backend()
    for backend in get_search_backends(with_auto_update=True):
        if own_backend and isinstance(backend, own_backend):
            backend.get_index_for_model(ArticlePage)._refresh_title_norms()


def _database_search_backend():
    """Wagtail's database search backend for this database, and our one-pass writer for it
    (each backend's module can only be imported on its own database)."""
    if connection.vendor == "postgresql":
        from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend

        return PostgresSearchBackend, _index_on_postgresql
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

        return SQLiteSearchBackend, _index_on_sqlite
    return None, None


def _index_on_sqlite(backend, articles: Sequence[ArticlePage]) -> None:
    """SQLiteIndex.add_items' rows (its full-text table follows by trigger)."""
    from modelsearch.backends.database.sqlite.sqlite import IndexEntry, ObjectIndexer
    from modelsearch.index import AutocompleteField, SearchField
    from modelsearch.utils import get_content_type_pk

    content_type = get_content_type_pk(ArticlePage)
    entries = []
    for article in articles:
        indexer = ObjectIndexer(article, backend)
        title, body, autocomplete = [], [], []
        for search_field in indexer.search_fields:
            for field, value in indexer.prepare_field(article, search_field):
                if isinstance(field, SearchField):
                    (title if field.field_name == "title" else body).append(value)
                elif isinstance(field, AutocompleteField):
                    autocomplete.append(value)
        entries.append(
            IndexEntry(
                content_type_id=content_type,
                object_id=str(article.pk),
                title=" ".join(title),
                autocomplete=" ".join(autocomplete),
                body=" ".join(body),
            )
        )
    _insert_rows(IndexEntry, entries)


def _index_on_postgresql(backend, articles: Sequence[ArticlePage]) -> None:
    """The search index entries PostgresIndex.add_items writes, built in one pass per page
    (it walks a page's search fields five times: title, body, autocomplete and the two plain
    texts) and sent with server-side parameters (no quoting in Python). The same rows: each
    text weighted and converted by to_tsvector in the database, empty texts left out, a
    field's vectors joined with ||."""
    import psycopg
    from modelsearch.backends.database.postgres.postgres import ObjectIndexer
    from modelsearch.index import AutocompleteField, SearchField
    from modelsearch.utils import get_content_type_pk

    content_type = get_content_type_pk(ArticlePage)
    rows = []
    for article in articles:
        indexer = ObjectIndexer(article, backend)
        title, body, autocomplete = [], [], []
        for search_field in indexer.search_fields:
            for field, weight, value in indexer.prepare_field(article, search_field):
                text = value.strip()
                if not text:
                    continue
                if isinstance(field, AutocompleteField):
                    autocomplete.append((text, "D"))
                elif isinstance(field, SearchField) and field.field_name == "title":
                    title.append((text, weight))
                elif isinstance(field, SearchField):
                    body.append((text, weight))
        row_sql, params = ["%s", "%s"], [content_type, str(article.pk)]
        for texts, config in (
            (title, backend.config),
            (autocomplete, backend.autocomplete_config),
            (body, backend.config),
        ):
            sql, vector_params = _vector_sql(texts, config)
            row_sql.append(sql)
            params += vector_params
        row_sql += ["1.0", "%s", "%s"]
        params += [" ".join(t for t, _ in title), " ".join(t for t, _ in body)]
        rows.append((f"({', '.join(row_sql)})", params))

    with connection.cursor() as django_cursor:
        cursor = psycopg.Cursor(django_cursor.connection)  # server-side parameters
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            cursor.execute(
                "INSERT INTO wagtailsearch_indexentry (content_type_id, object_id, title,"  # noqa: S608
                " autocomplete, body, title_norm, title_text, body_text)"
                f" VALUES {', '.join(sql for sql, _ in chunk)}"
                " ON CONFLICT (content_type_id, object_id) DO UPDATE SET"
                " title = EXCLUDED.title, title_norm = 1.0, autocomplete = EXCLUDED.autocomplete,"
                " body = EXCLUDED.body, title_text = EXCLUDED.title_text,"
                " body_text = EXCLUDED.body_text",
                [param for _, params in chunk for param in params],
            )


def _vector_sql(texts: Sequence[tuple[str, str]], config: str | None) -> tuple[str, list]:
    if not texts:
        return "to_tsvector(COALESCE(%s, ''))", [""]
    parts, params = [], []
    for text, weight in texts:
        if config:
            parts.append("setweight(to_tsvector(%s::regconfig, COALESCE(%s, '')), %s)")
            params += [config, text, weight]
        else:
            parts.append("setweight(to_tsvector(COALESCE(%s, '')), %s)")
            params += [text, weight]
    return " || ".join(parts), params


def _children_per_parent(pages: Sequence[tuple[ArticlePage, Page]]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for _article, parent in pages:
        counts[parent.pk] = counts.get(parent.pk, 0) + 1
    return counts
