"""Reader listings that are not pages of the tree: an author's articles, a topic's articles
and the corrections log. Each shows only what readers may see (live, public, out of embargo):
an author or a topic with nothing readers may see has no page at all, so a name or a tag on
a draft never shows. Pages go newest first without counting every row, as search does, so
page 1 costs the same in an archive of 1,000 or 100,000 stories."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from taggit.models import Tag

from .conf import newsroom_setting
from .models import ArticleAuthor, ArticleCorrection, ArticlePage, ArticleTag, Author
from .search import ResultsPage, page_number_from


def newest_first_page(queryset, page_number) -> ResultsPage:
    """One page of `queryset` (already newest first), and whether another follows."""
    size = newsroom_setting("ARCHIVE_PAGE_SIZE")
    number = page_number_from(page_number)
    start = (number - 1) * size
    found = list(queryset[start : start + size + 1])  # one more: is there a next page?
    return ResultsPage(object_list=found[:size], number=number, has_next=len(found) > size)


def articles_by(author: Author):
    """Readable articles with `author` in their byline, newest first."""
    return ArticlePage.objects.for_readers().filter(
        pk__in=ArticleAuthor.objects.filter(author=author).values("page_id")
    )


def articles_on(tag: Tag):
    """Readable articles tagged `tag`, newest first."""
    return ArticlePage.objects.for_readers().filter(
        pk__in=ArticleTag.objects.filter(tag=tag).values("content_object_id")
    )


def author_or_404(slug: str) -> Author:
    """The author at `slug`, if readers may see at least one of their articles."""
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    if not articles_by(author).exists():
        raise Http404("No published stories by this author.")
    return author


def topic_or_404(slug: str) -> Tag:
    """The tag at `slug`, if readers may see at least one article with it."""
    tag = get_object_or_404(Tag, slug=slug)
    if not articles_on(tag).exists():
        raise Http404("No published stories on this topic.")
    return tag


def public_corrections():
    """Corrections and updates on readable articles, newest first, with their article
    (`correction.article`): two queries for a page of them."""
    readable = ArticlePage.objects.for_readers()
    return ArticleCorrection.objects.filter(page__in=readable.order_by().values("pk")).order_by(
        "-noted_at", "-pk"
    )


def with_articles(corrections: list) -> list:
    """`corrections`, each given its readable `article` (one query for all of them)."""
    ids = {correction.page_id for correction in corrections}
    articles = {a.pk: a for a in ArticlePage.objects.for_readers().filter(pk__in=ids)}
    for correction in corrections:
        correction.article = articles.get(correction.page_id)
    return [correction for correction in corrections if correction.article is not None]
