"""Article listings: every reader-facing list of articles is built here, with its prefetching,
so page templates get what they need in a fixed number of queries."""

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from wagtail.models import PageManager
from wagtail.query import PageQuerySet

from . import reader_cache

NEWEST_FIRST = ("-publication_date", "-pk")
# The same order, read from a section's filings (SectionFiling's filing_newest_first index).
FILED_NEWEST_FIRST = ("-filings__publication_date", "-filings__article")


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
        for path in reader_cache.restricted_paths():
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

        One windowed query over the filings whatever the number of sections, limited to about
        the newest `among_latest` articles, so the cost stays flat as the archive grows (a
        section with nothing among them shows an empty rail).
        """
        section_ids = [section.pk for section in sections]
        if not section_ids:
            return {}
        # Bounded by the date of the `among_latest`-th newest filing, read from the filings'
        # date index alone (fetched first: as a subquery, planners misjudge it).
        filings = self.model._meta.get_field("filings").related_model.objects
        oldest = (
            filings.filter(is_primary=True, publication_date__isnull=False)
            .order_by("-publication_date")
            .values_list("publication_date", flat=True)[among_latest - 1 : among_latest]
            .first()
        )
        recent = Q(filings__publication_date__gte=oldest) if oldest else Q()
        # One filter() call: both conditions apply to the same filing row.
        ranked = (
            self.filter(recent, filings__section__in=section_ids)
            .annotate(filed_section_id=F("filings__section"))
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("filings__section")],
                    order_by=[F(FILED_NEWEST_FIRST[0][1:]).desc(), F("pk").desc()],
                )
            )
            .filter(rank__lte=per_section)
            .order_by(*FILED_NEWEST_FIRST)
        )
        filed: dict[int, list] = {section_id: [] for section_id in section_ids}
        for article in ranked:
            filed[article.filed_section_id].append(article)
        return filed


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)
