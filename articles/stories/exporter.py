"""The export service: live articles written back out as story files, so nothing lives only
in the database."""

from dataclasses import dataclass, field
from pathlib import Path

from ..models import ArticlePage, SectionPage
from .format import format_story
from .mapping import article_story


@dataclass
class ExportReport:
    written: list[Path] = field(default_factory=list)


def export_stories(*, folder: Path) -> ExportReport:
    """Write every live article to `folder` as `<source key or article-id>.txt`."""
    folder.mkdir(parents=True, exist_ok=True)
    report = ExportReport()
    sections = {s.path: s for s in SectionPage.objects.all()}
    articles = ArticlePage.objects.live().order_by("path").prefetch_related("secondary_sections")
    for article in articles.iterator(chunk_size=500):
        ancestors = [
            sections[article.path[:end]]
            for end in range(article.steplen, len(article.path), article.steplen)
            if article.path[:end] in sections
        ]
        story = article_story(
            article,
            tuple(section.title for section in ancestors),
            [section.title for section in article.secondary_sections.all()],
        )
        path = folder / f"{article.source_key or f'article-{article.pk}'}.txt"
        path.write_text(format_story(story), encoding="utf-8")
        report.written.append(path)
    return report
