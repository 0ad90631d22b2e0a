"""Many new articles in a handful of statements: the one place that uses Wagtail's and Django's
internals to write pages. `tests/articles/test_bulk_writer.py` compares what it writes with what
Wagtail's own add_child + save_revision + publish write, field by field."""

from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backends

from ..models import ArticlePage


def write_new_articles(
    pages: Sequence[tuple[ArticlePage, Page]], *, live: bool
) -> list[ArticlePage]:
    """Insert new article pages with a live (or draft) revision each, in a handful of statements.

    What Wagtail's add_child + save_revision + publish would write, row for row: tree position
    (path, depth, parent's numchild, url_path), the page and article rows, a revision, log
    entries, secondary-section links and search index entries.
    """
    if not pages:
        return []
    now = timezone.now()
    page_type = ContentType.objects.get_for_model(ArticlePage)
    base_type = ContentType.objects.get_for_model(Page)
    next_position: dict[int, int] = {}
    for article, parent in pages:
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
        article.depth = parent.depth + 1
        article.path = Page._get_path(parent.path, article.depth, position)
        article.numchild = 0
        article.url_path = f"{parent.url_path}{article.slug}/"
        article.locale_id = parent.locale_id
        article.content_type = page_type
        article.latest_revision_created_at = now

    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    bases = Page.objects.bulk_create(
        [Page(**{f.attname: getattr(a, f.attname) for f in base_fields}) for a, _ in pages]
    )
    articles = []
    for (article, _parent), base in zip(pages, bases, strict=True):
        article.id = article.page_ptr_id = base.id
        articles.append(article)

    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type=page_type,
                base_content_type=base_type,
                object_id=str(a.pk),
                created_at=now,
                object_str=a.title,
                content=a.serializable_data(),
            )
            for a in articles
        ]
    )
    for article, revision in zip(articles, revisions, strict=True):
        article.latest_revision = revision
        article.import_revision = revision
        if live:
            article.live_revision = revision
    # The article table's rows, with their revision, in a few statements: Django's
    # bulk_create refuses models with a parent table, so insert the child rows directly.
    own_fields = ArticlePage._meta.local_concrete_fields
    batch = max(1, connection.ops.bulk_batch_size(own_fields, articles))
    for start in range(0, len(articles), batch):
        ArticlePage._base_manager._insert(
            articles[start : start + batch], fields=own_fields, using=connection.alias
        )
    _set_revision_ids(articles)
    through = ArticlePage.secondary_sections.through
    through.objects.bulk_create(
        [
            through(articlepage_id=a.pk, sectionpage_id=section.pk)
            for a in articles
            for section in a.secondary_sections.all()
        ]
    )
    for parent_id, count in _children_per_parent(pages).items():
        Page.objects.filter(pk=parent_id).update(numchild=F("numchild") + count)

    # As Wagtail logs a page made in the admin: created, its first revision saved, published.
    actions = ["wagtail.create", "wagtail.edit"] + (["wagtail.publish"] if live else [])
    PageLogEntry.objects.bulk_create(
        [
            PageLogEntry(
                content_type=page_type,
                label=a.title,
                action=action,
                timestamp=now,
                page_id=a.pk,
                revision=None if action == "wagtail.create" else a.latest_revision,
                content_changed=True,
                data={"source": "import_stories"},
            )
            for a in articles
            for action in actions
        ]
    )
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(ArticlePage, articles)
    # Finding references is cheap; writing them costs queries, so only for pages with some
    # (story files bring no images or links today).
    for article in articles:
        if next(ReferenceIndex._extract_references_from_object(article), None):
            ReferenceIndex.create_or_update_for_object(article)
    return articles


def _children_per_parent(pages: Sequence[tuple[ArticlePage, Page]]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for _article, parent in pages:
        counts[parent.pk] = counts.get(parent.pk, 0) + 1
    return counts


def _set_revision_ids(articles: Sequence[ArticlePage]) -> None:
    """Point each new page row at its revision in one UPDATE … FROM (VALUES …) per chunk
    (Django's bulk_update builds a CASE per row and cost a tenth of the import)."""
    for start in range(0, len(articles), 500):
        chunk = articles[start : start + 500]
        rows = ", ".join(["(%s, %s, %s)"] * len(chunk))
        params = [
            value for a in chunk for value in (a.pk, a.latest_revision_id, a.live_revision_id)
        ]
        values = f"(VALUES {rows}) AS v"  # placeholders only
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE wagtailcore_page"  # noqa: S608 - placeholders only
                " SET latest_revision_id = CAST(v.column2 AS integer),"
                " live_revision_id = CAST(v.column3 AS integer)"
                " FROM " + values + " WHERE wagtailcore_page.id = CAST(v.column1 AS integer)",
                params,
            )
