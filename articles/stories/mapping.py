"""The two mappings, side by side: a story's text -> an article's fields (import), and an
article -> a story (export). What one writes, the other reads back."""

import hashlib
import html
import json
from datetime import datetime, time

from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Page

from ..blocks import PlainTextParagraph
from ..models import ArticlePage
from .format import ImageSlot, Paragraph, Story

# -- story -> article ---------------------------------------------------------------------


def story_fingerprint(story: Story) -> str:
    """A hash of what the story says (not of its bytes: line endings and BOMs don't count)."""
    content = {
        "published": story.published.isoformat(),
        "section_path": story.section_path,
        "sections": story.sections,
        "headline": story.headline,
        "blocks": [
            ["paragraph", block.text] if isinstance(block, Paragraph) else ["image"]
            for block in story.blocks
        ],
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def publication_datetime(story: Story) -> datetime:
    """Midnight of the story's day, in the site's time zone."""
    return timezone.make_aware(datetime.combine(story.published, time.min))


def story_body(story: Story) -> list[tuple[str, object]]:
    """Body blocks in file order; the first image slot before any paragraph is the lead slot."""
    blocks = list(story.blocks)
    if blocks and isinstance(blocks[0], ImageSlot):
        blocks = blocks[1:]
    body: list[tuple[str, object]] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            # Story text is text: escaped, so `<b>` reaches readers as the characters `<b>`.
            body.append(("paragraph", PlainTextParagraph(block.text)))
        else:
            body.append(("image", {"image": None, "alt_text": "", "caption": "", "credit": ""}))
    return body


def fill_article(
    page: ArticlePage, story: Story, *, source_key: str, parent: Page, secondary: list[Page]
) -> None:
    """Set a page's story-derived fields (a new page or an update)."""
    page.title = page.draft_title = story.headline
    page.publication_date = publication_datetime(story)
    page.body = story_body(story)
    page.secondary_sections = [s for s in secondary if s.pk != parent.pk]
    page.source_key = source_key


# -- article -> story ---------------------------------------------------------------------


def _plain_text(rich_text_source: str) -> str:
    return " ".join(html.unescape(strip_tags(rich_text_source)).split())


def _block_text(block) -> list[str]:
    kind, value = block.block_type, block.value
    if kind == "subheading":
        return [" ".join(value.split())]
    if kind == "list":
        numbered = value["style"] == "numbered"
        return [
            f"{f'{n}.' if numbered else '•'} {' '.join(item.split())}"
            for n, item in enumerate(value["items"], start=1)
        ]
    if kind == "fact_box":
        return [" ".join(value["title"].split()), _plain_text(value["body"].source)]
    if kind == "related_link" and (link := value.link()):
        return [f"Read more: {' '.join(link[1].split())} ({link[0]})"]
    return []


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
        else:
            # The story format has paragraphs and image slots only: the other blocks' text
            # goes out as paragraphs, so none of it is lost (a pull quote repeats the text).
            blocks += [Paragraph(text) for text in _block_text(block) if text]
    return Story(
        # The day in the site's time zone, as the importer reads it back (local midnight):
        # in UTC, a site east of Greenwich lost a day on every export and import.
        published=timezone.localdate(article.publication_date or article.first_published_at),
        section_path=section_path,
        sections=(section_path[-1], *[name for name in secondary if name != section_path[-1]]),
        headline=article.title,
        blocks=tuple(blocks),
    )
