"""Reader search over live, public articles (headline, standfirst, body and tags), newest first.

Newest first, and without a total count, so a search costs the same in an archive of 1,000 or
100,000 stories: PostgreSQL walks the newest-first index and checks each story against the
query (a common word), or reads the full-text index (a rare one), and stops after one page.
Ranking or counting every match would read them all.
"""

from dataclasses import dataclass

from wagtail.search.backends import get_search_backend

from .conf import newsroom_setting
from .models import ArticlePage

MAX_PAGE = 500  # deeper than any reader goes; bounds the work a crafted URL can ask for


@dataclass(frozen=True)
class ResultsPage:
    """One page of results: what the pagination template needs, without a total count."""

    object_list: list
    number: int
    has_next: bool
    paginator = None  # no "of N pages": that would need counting every match

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def page_number_from(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def search_articles(*, query: str, page_number: str | int | None) -> ResultsPage | None:
    """One page of matching articles, newest first; None when there is nothing to search."""
    query = query.strip()
    if not query:
        return None
    readable = ArticlePage.objects.for_readers()
    if not type(get_search_backend()).__module__.startswith("modelsearch.backends.database"):
        # Search servers filter on indexed fields only: apply the reader rules as a list of ids.
        readable = ArticlePage.objects.filter(id__in=readable.order_by().values("id"))
    results = (
        readable.select_related("lead_image")
        .prefetch_related("lead_image__renditions")
        .order_by("-publication_date")
        .search(query, order_by_relevance=False)
    )
    size = newsroom_setting("SEARCH_PAGE_SIZE")
    number = page_number_from(page_number)
    start = (number - 1) * size
    found = list(results[start : start + size + 1])  # one more: is there a next page?
    return ResultsPage(object_list=found[:size], number=number, has_next=len(found) > size)
