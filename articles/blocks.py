"""StreamField blocks of an article body: paragraphs, image slots and quotes."""

import html

from wagtail import blocks
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
        template = "articles/blocks/image_slot.html"
        value_class = ImageSlotValue
        preview_value = {"alt_text": "", "caption": "A caption", "credit": "Agency"}

    def get_api_representation(self, value, context=None):
        """The API shows a slot's crops too, so clients need not fetch the image."""
        data = super().get_api_representation(value, context)
        data["crops"] = images.api_crops(value.get("image"))
        return data


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=255)

    class Meta:
        icon = "openquote"
        template = "articles/blocks/quote.html"
        preview_value = {"quote": "A memorable line.", "attribution": "A source"}


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
    )
    image = ImageSlotBlock()
    quote = QuoteBlock()
