"""Writing live articles back out as story files, so nothing lives only in the database."""

import html
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from django.utils.html import strip_tags

from .models import ArticlePage, SectionPage
from .story_format import ImageSlot, Paragraph, Story, format_story


@dataclass
class ExportReport:
    written: list[Path] = field(default_factory=list)


def _plain_text(rich_text_source: str) -> str:
    return " ".join(html.unescape(strip_tags(rich_text_source)).split())


def article_story(
    article: ArticlePage, section_path: tuple[str, ...], secondary: list[str]
) -> Story:
    # Every article has a lead image slot, so the story opens with one.
    blocks: list[Paragraph | ImageSlot] = [ImageSlot()]
    for block in article.body:
        if block.block_type == "paragraph":
            text = _plain_text(block.value.source)
            if text:
                blocks.append(Paragraph(text))
        elif block.block_type == "image":
            blocks.append(ImageSlot())
        elif block.block_type == "quote":
            attribution = block.value.get("attribution")
            quote = f"“{block.value['quote']}”" + (f" ({attribution})" if attribution else "")
            blocks.append(Paragraph(" ".join(quote.split())))
    return Story(
        # The day in the site's time zone, as the importer reads it back (local midnight):
        # in UTC, a site east of Greenwich lost a day on every export and import.
        published=timezone.localdate(article.publication_date or article.first_published_at),
        section_path=section_path,
        sections=(section_path[-1], *[name for name in secondary if name != section_path[-1]]),
        headline=article.title,
        blocks=tuple(blocks),
    )


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
