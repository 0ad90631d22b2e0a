"""Article listings: every reader-facing list of articles is built here, with its prefetching,
so page templates get what they need in a fixed number of queries."""

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from wagtail.models import PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

from . import reader_cache

NEWEST_FIRST = ("-publication_date", "-pk")
# The same order, read from a section's filings (SectionFiling's filing_newest_first index).
FILED_NEWEST_FIRST = ("-filings__publication_date", "-filings__article")
# Filings read per place in a front-page rail: see latest_per_section().
RAIL_SPARES = 3


def restricted_paths() -> list[str]:
    """Tree paths of every page with a view restriction (private, password, groups): it and
    everything below it is hidden from the public (cached until content changes)."""
    return reader_cache.cached(
        "restricted-paths",
        lambda: list(PageViewRestriction.objects.values_list("page__path", flat=True)),
    )


class ArticlePageQuerySet(PageQuerySet):
    def for_readers(self):
        """Live, public, unembargoed articles, newest first, lead image renditions loaded."""
        return (
            self.live()
            .public()
            .not_embargoed()
            .defer_streamfields()
            .select_related("lead_image")
            .prefetch_related("lead_image__renditions")
            .order_by(*NEWEST_FIRST)
        )

    def private_q(self):
        """Wagtail's rule (a restricted page and everything below it), from the cached list
        of restricted pages instead of a query each time a listing is built."""
        q = Q()
        for path in restricted_paths():
            q |= Q(path__startswith=path)
        return q if q else Q(pk__in=[])

    def not_embargoed(self):
        return self.exclude(embargo_until__gt=timezone.now())

    def filed_in(self, section):
        """Articles filed in `section` (its primary or a secondary one), newest first, in the
        order of the section's filings index: page 1 and page 50 read a few rows of it."""
        return self.filter(filings__section=section).order_by(*FILED_NEWEST_FIRST)

    def latest_per_section(
        self, sections, *, per_section: int, among_latest: int = 1000
    ) -> dict[int, list]:
        """The newest `per_section` articles filed in each section, keyed by section id.

        Two short queries whatever the number of sections, over about the newest
        `among_latest` articles only, so the cost stays flat as the archive grows (a section
        with nothing among them shows an empty rail): the newest filings per section, read
        from the filings' index alone, then those articles that readers may see. A few spare
        filings per section stand in for articles readers may not see (unpublished, under
        embargo, private); a section with more of those than spares shows a shorter rail.
        """
        section_ids = [section.pk for section in sections]
        if not section_ids:
            return {}
        filings = self.model._meta.get_field("filings").related_model.objects
        # Fetched first, as a date: as a subquery, planners misjudge it.
        oldest = (
            filings.filter(is_primary=True, publication_date__isnull=False)
            .order_by("-publication_date")
            .values_list("publication_date", flat=True)[among_latest - 1 : among_latest]
            .first()
        )
        newest_filings = (
            filings.filter(section_id__in=section_ids)
            .filter(**({"publication_date__gte": oldest} if oldest else {}))
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("section_id")],
                    order_by=[F("publication_date").desc(), F("article_id").desc()],
                )
            )
            .filter(rank__lte=per_section * RAIL_SPARES)
            .order_by("section_id", "-publication_date", "-article_id")
            .values_list("section_id", "article_id")
        )
        newest_filings = list(newest_filings)
        readable = self.filter(pk__in={article_id for _, article_id in newest_filings})
        articles = {article.pk: article for article in readable}
        filed: dict[int, list] = {section_id: [] for section_id in section_ids}
        for section_id, article_id in newest_filings:
            rail = filed[section_id]
            if article_id in articles and len(rail) < per_section:
                rail.append(articles[article_id])
        return filed


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)
