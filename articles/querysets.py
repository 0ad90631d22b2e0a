"""Article listings: every reader-facing list of articles is built here, with its prefetching,
so page templates get what they need in a fixed number of queries."""

from django.db.models import F, Q, Window
from django.db.models.functions import Left, Length, RowNumber
from django.utils import timezone
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet

NEWEST_FIRST = ("-publication_date", "-pk")


def _newest_first_window(partition_by):
    return Window(
        RowNumber(),
        partition_by=[partition_by],
        order_by=[F("publication_date").desc(), F("pk").desc()],
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

    def not_embargoed(self):
        return self.exclude(embargo_until__gt=timezone.now())

    def filed_in(self, section):
        """Articles filed in `section`: as their primary section (parent) or a secondary one."""
        through = self.model.secondary_sections.through
        secondary_ids = through.objects.filter(sectionpage_id=section.pk).values("articlepage_id")
        return self.filter(self.child_of_q(section) | Q(pk__in=secondary_ids))

    def latest_per_section(
        self, sections, *, per_section: int, among_latest: int = 1000
    ) -> dict[int, list]:
        """The newest `per_section` articles filed in each section, keyed by section id.

        Two windowed queries (primary and secondary filings) whatever the number of sections,
        over the newest `among_latest` articles only, so the cost stays flat as the archive
        grows (a section with nothing among them shows an empty rail).
        """
        sections = list(sections)
        if not sections:
            return {}
        # Fetched first, as plain ids: as a subquery, planners misjudge it into a nested loop.
        recent_ids = list(self.order_by(*NEWEST_FIRST).values_list("pk", flat=True)[:among_latest])
        recent = self.filter(pk__in=recent_ids)
        section_id_by_path = {section.path: section.pk for section in sections}
        children = Q()
        for section in sections:
            children |= self.child_of_q(section)
        primary = (
            recent.filter(children)
            .annotate(filed_path=Left("path", Length("path") - Page.steplen))
            .annotate(rank=_newest_first_window(F("filed_path")))
            .filter(rank__lte=per_section)
        )
        secondary = (
            recent.filter(secondary_sections__in=section_id_by_path.values())
            .annotate(filed_section_id=F("secondary_sections"))
            .annotate(rank=_newest_first_window(F("secondary_sections")))
            .filter(rank__lte=per_section)
        )
        filed: dict[int, list] = {section.pk: [] for section in sections}
        for article in primary:
            filed[section_id_by_path[article.filed_path]].append(article)
        for article in secondary:
            filed[article.filed_section_id].append(article)
        for section_id, articles in filed.items():
            unique = {article.pk: article for article in articles}.values()
            newest = sorted(unique, key=lambda a: (a.publication_date, a.pk), reverse=True)
            filed[section_id] = newest[:per_section]
        return filed


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)
