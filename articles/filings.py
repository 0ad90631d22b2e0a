"""The one writer of SectionFiling rows: which sections list an article, and its date there.

An article is filed in its parent (its primary section) and in its secondary sections. The
rows follow the article's page row: rewritten when the article is saved whole (created,
published), when it moves, and by the importer's bulk insert (articles/signal_handlers.py
calls these at each); deleted with the article.
"""

from collections.abc import Iterable, Sequence

from wagtail.models import Page

from .models import ArticlePage, SectionFiling


def _filings(article: ArticlePage, *, parent_id: int, secondary_ids: Iterable[int]) -> list:
    section_ids = dict.fromkeys([parent_id, *secondary_ids])
    return [
        SectionFiling(
            section_id=section_id,
            article_id=article.pk,
            publication_date=article.publication_date,
            is_primary=section_id == parent_id,
        )
        for section_id in section_ids
    ]


def refile_article(article: ArticlePage) -> None:
    """Rewrite `article`'s filings from its parent and its (saved) secondary sections."""
    parent_id = (
        Page.objects.filter(path=article.path[: -Page.steplen]).values_list("pk", flat=True).first()
    )
    SectionFiling.objects.filter(article_id=article.pk).delete()
    if parent_id is None:
        return
    through = ArticlePage.secondary_sections.through
    secondary_ids = through.objects.filter(articlepage_id=article.pk).values_list(
        "sectionpage_id", flat=True
    )
    SectionFiling.objects.bulk_create(
        _filings(article, parent_id=parent_id, secondary_ids=secondary_ids)
    )


def file_new_articles(pages: Sequence[tuple[ArticlePage, Page]]) -> None:
    """Filings for articles just inserted in bulk (with their parents), in one statement."""
    SectionFiling.objects.bulk_create(
        [
            filing
            for article, parent in pages
            for filing in _filings(
                article,
                parent_id=parent.pk,
                secondary_ids=[section.pk for section in article.secondary_sections.all()],
            )
        ]
    )
