"""Reader search over live, public articles (headline, standfirst, body and tags)."""

from django.core.paginator import Page, Paginator

from .conf import newsroom_setting
from .models import ArticlePage


def search_articles(*, query: str, page_number: str | int | None) -> Page | None:
    """One page of matching articles, most relevant first; None when there is nothing to search."""
    query = query.strip()
    if not query:
        return None
    # The reader rules live in for_readers(); applying them as an id subquery keeps search
    # in step with every listing whatever filters the search backend supports.
    readable_ids = ArticlePage.objects.for_readers().order_by().values("id")
    results = (
        ArticlePage.objects.filter(id__in=readable_ids)
        .select_related("lead_image")
        .prefetch_related("lead_image__renditions")
        .search(query, order_by_relevance=True)
    )
    return Paginator(results, newsroom_setting("SEARCH_PAGE_SIZE")).get_page(page_number)
