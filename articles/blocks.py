"""StreamField blocks of an article body: paragraphs, subheadings, lists, image slots, quotes,
pull quotes, fact boxes and related links. Each has a preview in the admin's block chooser."""

import html

from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText

from . import images


class ImageSlotValue(blocks.StructValue):
    def is_filled(self) -> bool:
        """An empty slot is a placeholder for editors; readers never see it."""
        return self.get("image") is not None


# What each field of an image slot is for, in the words a new reporter needs; the lead
# image's fields (ArticlePage.content_panels) say the same.
ALT_TEXT_HELP = (
    "What the photo shows, for readers who can't see it (screen readers, slow connections): "
    "“Fishing boats moored in Whitby harbour”. Needed to publish."
)
CAPTION_HELP = "Shown under the photo: who or what, where, when."
# Previews in the admin's block chooser, with the reader site's styles.
PREVIEW_TEMPLATE = "articles/blocks/preview.html"
CREDIT_HELP = "Who took or owns the photo: “Jane Doe / Newsroom”, “Reuters”. Needed to publish."


class ImageSlotBlock(blocks.StructBlock):
    image = ImageChooserBlock(required=False, help_text="Leave empty to keep a placeholder.")
    alt_text = blocks.CharBlock(
        required=False,
        max_length=255,
        help_text=ALT_TEXT_HELP,
    )
    caption = blocks.CharBlock(required=False, max_length=500, help_text=CAPTION_HELP)
    credit = blocks.CharBlock(required=False, max_length=255, help_text=CREDIT_HELP)

    class Meta:
        icon = "image"
        label = "Image slot"
        description = "A photo with alt text, caption and credit; left empty, a placeholder."
        template = "articles/blocks/image_slot.html"
        value_class = ImageSlotValue
        preview_template = PREVIEW_TEMPLATE
        preview_value = {"alt_text": "", "caption": "A caption", "credit": "Agency"}

    def get_api_representation(self, value, context=None):
        """The API shows a slot's crops too, so clients need not fetch the image."""
        data = super().get_api_representation(value, context)
        data["crops"] = images.api_crops(value.get("image"))
        return data


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(help_text="What the person said, word for word.")
    attribution = blocks.CharBlock(
        required=False, max_length=255, help_text="Who said it: “Maria Lind, harbour master”."
    )

    class Meta:
        icon = "openquote"
        template = "articles/blocks/quote.html"
        description = "A source's words, set apart from the text."
        preview_template = PREVIEW_TEMPLATE
        preview_value = {
            "quote": "We have never seen a storm like it.",
            "attribution": "Maria Lind, harbour master",
        }


class SubheadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = "Subheading"
        template = "articles/blocks/subheading.html"
        description = "A heading that breaks a long story into parts."
        preview_template = PREVIEW_TEMPLATE
        preview_value = "What happens next"
        form_classname = "title"


class PointsListBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        choices=[("bulleted", "Bulleted"), ("numbered", "Numbered")], default="bulleted"
    )
    items = blocks.ListBlock(
        blocks.CharBlock(max_length=1000, label="Item"), min_num=1, label="Items"
    )

    class Meta:
        icon = "list-ul"
        label = "List"
        template = "articles/blocks/list.html"
        description = "Bulleted or numbered points: what we know, the steps, the results."
        preview_template = PREVIEW_TEMPLATE
        preview_value = {
            "style": "bulleted",
            "items": ["Three ferries cancelled", "The harbour reopens on Friday"],
        }


class PullQuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(
        help_text="A line from the story, repeated large to catch the eye. Screen readers "
        "skip it, as the story already says it."
    )
    attribution = blocks.CharBlock(required=False, max_length=255)

    class Meta:
        icon = "openquote"
        label = "Pull quote"
        template = "articles/blocks/pull_quote.html"
        description = "A line the story already says, repeated large."
        preview_template = PREVIEW_TEMPLATE
        preview_value = {"text": "Nobody expected the water to rise so fast.", "attribution": ""}


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=255, help_text="“Key facts”, “The timeline”.")
    body = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "info-circle"
        label = "Fact box"
        template = "articles/blocks/fact_box.html"
        description = "A box of background facts beside the story."
        preview_template = PREVIEW_TEMPLATE
        preview_value = {
            "title": "Key facts",
            "body": "<ul><li>Founded 1820</li><li>400 boats</li></ul>",
        }


class RelatedLinkValue(blocks.StructValue):
    def readable_page(self):
        """The linked article, if readers may see it now; a draft, scheduled, embargoed or
        private story is never named to readers (nor is the link shown)."""
        page = self.get("page")
        if page is None:
            return None
        # The chooser gives an ArticlePage (its page_type), whose manager knows the rules.
        return type(page).objects.for_readers().filter(pk=page.pk).first()

    def link(self) -> tuple[str, str] | None:
        """(address, text) readers see, or None."""
        if self.get("page") is not None:
            page = self.readable_page()
            return (page.url, self.get("text") or page.title) if page else None
        if self.get("url"):
            return (self["url"], self.get("text") or self["url"])
        return None


class RelatedLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(
        page_type="articles.ArticlePage",
        required=False,
        help_text="One of our stories; the link appears once it is published.",
    )
    url = blocks.URLBlock(required=False, label="Or an address elsewhere")
    text = blocks.CharBlock(
        required=False, max_length=255, help_text="Left empty, the story's headline is used."
    )

    class Meta:
        icon = "link"
        label = "Related link"
        template = "articles/blocks/related_link.html"
        value_class = RelatedLinkValue
        description = "“Read more:” a link to a story that goes with this one."
        preview_template = PREVIEW_TEMPLATE
        preview_value = {"url": "https://example.com/", "text": "Storm season: a timeline"}

    def clean(self, value):
        value = super().clean(value)
        if (value.get("page") is None) == (not value.get("url")):
            raise StructBlockValidationError(
                block_errors={
                    "page": ValidationError(
                        "Choose one of our stories or give an address elsewhere, not both "
                        "and not neither."
                    )
                }
            )
        return value


class PlainTextParagraph(RichText):
    """A paragraph made from plain text (a story file's): the text, escaped, in a <p>. Its
    search text is the text itself, which is what Wagtail's indexing would get back from the
    HTML after parsing it (a sixth of a large import's time)."""

    def __init__(self, text: str):
        super().__init__(f"<p>{html.escape(text, quote=False)}</p>")
        self.plain_text = text.strip()


class ParagraphBlock(blocks.RichTextBlock):
    def get_searchable_content(self, value):
        if self.search_index and isinstance(value, PlainTextParagraph):
            return [value.plain_text]
        return super().get_searchable_content(value)


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock(
        features=["bold", "italic", "link"],
        template="articles/blocks/paragraph.html",
        icon="pilcrow",
        description="Text, with bold, italics and links.",
        preview_value="<p>The harbour reopened on Tuesday, three days after the storm.</p>",
        preview_template=PREVIEW_TEMPLATE,
    )
    subheading = SubheadingBlock()
    image = ImageSlotBlock()
    quote = QuoteBlock()
    list = PointsListBlock()
    pull_quote = PullQuoteBlock()
    fact_box = FactBoxBlock()
    related_link = RelatedLinkBlock()


class LiveEntryBodyBlock(blocks.StreamBlock):
    """An update in live coverage: short text, a photo, a quote."""

    paragraph = ParagraphBlock(
        features=["bold", "italic", "link"],
        template="articles/blocks/paragraph.html",
        icon="pilcrow",
        description="Text, with bold, italics and links.",
    )
    image = ImageSlotBlock()
    quote = QuoteBlock()


def plain_body_html(body) -> str:
    """A body's text as plain HTML (for ninjs): paragraphs, subheadings, lists, quotes, fact
    boxes and related links readers may follow. Pictures travel as associations, not markup;
    a pull quote repeats the text, so it is left out."""
    parts = []
    for block in body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            parts.append(str(value))
        elif kind == "subheading":
            parts.append(format_html("<h2>{}</h2>", value))
        elif kind == "list":
            tag = "ol" if value["style"] == "numbered" else "ul"
            items = format_html_join("", "<li>{}</li>", ((item,) for item in value["items"]))
            parts.append(format_html("<{}>{}</{}>", tag, items, tag))
        elif kind == "quote":
            parts.append(format_html("<blockquote><p>{}</p></blockquote>", value["quote"]))
        elif kind == "fact_box":
            parts.append(format_html("<aside><h2>{}</h2>{}</aside>", value["title"], value["body"]))
        elif kind == "related_link" and (link := value.link()):
            parts.append(format_html('<p>Read more: <a href="{}">{}</a></p>', *link))
    return "\n".join(parts)
