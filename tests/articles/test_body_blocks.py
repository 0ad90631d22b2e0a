"""The body blocks a story needs beyond paragraphs and photos: subheadings, lists, pull
quotes, fact boxes and related links; as readers, ninjs clients, the exporter and editors (in
the block chooser's previews) see them."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.blocks import StreamValue
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.rich_text import RichText

from articles.blocks import ArticleBodyBlock, RelatedLinkBlock
from articles.models import ArticlePage
from articles.stories.format import Paragraph
from articles.stories.mapping import article_story
from tests.conftest import publish_article


def body(*blocks):
    block = ArticlePage._meta.get_field("body").stream_block
    return StreamValue(block, list(blocks))


@pytest.fixture
def linked(world):
    return {
        "live": publish_article(world, title="Storm season: a timeline"),
        "draft": publish_article(world, title="Secret draft about the mayor", live=False),
    }


@pytest.fixture
def story(world, linked):
    return publish_article(
        world,
        title="Harbour reopens",
        body=body(
            ("paragraph", RichText("<p>The harbour reopened.</p>")),
            ("subheading", "What happens <next>"),
            ("list", {"style": "numbered", "items": ["Boats return", "Ferries <b>resume</b>"]}),
            ("list", {"style": "bulleted", "items": ["One point"]}),
            ("pull_quote", {"text": "Nobody expected it.", "attribution": ""}),
            (
                "fact_box",
                {"title": "Key facts", "body": RichText("<ul><li>Founded 1820</li></ul>")},
            ),
            ("related_link", {"page": linked["live"], "url": "", "text": ""}),
            ("related_link", {"page": linked["draft"], "url": "", "text": ""}),
            ("related_link", {"page": None, "url": "https://example.org/x", "text": "Elsewhere"}),
        ),
    )


def test_readers_see_each_block(client, story, linked):
    html = client.get(story.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    article_body = soup.select_one(".article__body")
    assert article_body.select_one("h2.article__subheading").get_text() == "What happens <next>"
    numbered, bulleted = article_body.select(".article__list")
    assert numbered.name == "ol" and bulleted.name == "ul"
    assert [li.get_text() for li in numbered.select("li")] == [
        "Boats return",
        "Ferries <b>resume</b>",
    ]
    pull = article_body.select_one("aside.pullquote--pull")
    assert pull["aria-hidden"] == "true" and pull.get_text() == "Nobody expected it."
    box = article_body.select_one("aside.factbox")
    assert box["aria-label"] == "Key facts"
    assert box.select_one("h2").get_text() == "Key facts"
    assert [li.get_text() for li in box.select("li")] == ["Founded 1820"]
    links = [(a["href"], a.get_text()) for a in article_body.select(".related-link a")]
    assert links == [
        (linked["live"].url, "Storm season: a timeline"),
        ("https://example.org/x", "Elsewhere"),
    ]
    # A draft is never named to readers, not even as a link's text.
    assert "Secret draft" not in html


def test_a_related_link_appears_when_its_story_is_published(client, story, linked):
    linked["draft"].save_revision().publish()
    soup = BeautifulSoup(client.get(story.url).content, "html.parser")
    texts = [a.get_text() for a in soup.select(".related-link a")]
    assert "Secret draft about the mayor" in texts


@pytest.mark.parametrize(
    "value",
    [
        {"page": None, "url": "", "text": "Nothing to link"},
        "both",
    ],
)
def test_a_related_link_needs_one_target(value, linked):
    block = RelatedLinkBlock()
    if value == "both":
        value = {"page": linked["live"], "url": "https://example.org/", "text": ""}
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({**value, "page": getattr(value["page"], "pk", None)}))
    assert "Choose one of our stories or give an address elsewhere" in str(
        error.value.block_errors["page"]
    )


def test_ninjs_body_carries_the_text_blocks(client, story):
    item = client.get(f"/api/ninjs/articles/{story.pk}/").json()
    html = item["bodies"][0]["value"]
    assert "<h2>What happens &lt;next&gt;</h2>" in html
    assert "<ol><li>Boats return</li><li>Ferries &lt;b&gt;resume&lt;/b&gt;</li></ol>" in html
    assert "<aside><h2>Key facts</h2><ul><li>Founded 1820</li></ul></aside>" in html
    assert "Storm season: a timeline" in html
    assert "Nobody expected it." not in html  # a pull quote repeats the text
    assert "Secret draft" not in html


def test_the_exporter_keeps_every_blocks_text(story):
    paragraphs = [
        b.text for b in article_story(story, ("World",), []).blocks if isinstance(b, Paragraph)
    ]
    assert paragraphs == [
        "The harbour reopened.",
        "What happens <next>",
        "1. Boats return",
        "2. Ferries <b>resume</b>",
        "• One point",
        "Key facts",
        "Founded 1820",
        f"Read more: Storm season: a timeline ({story.get_parent().url}storm-season-a-timeline/)",
        "Read more: Elsewhere (https://example.org/x)",
    ]


def test_each_block_has_a_styled_preview_in_the_block_chooser(client, home):
    client.force_login(get_user_model().objects.create_superuser("a", "a@example.com", "pw"))
    stream = ArticleBodyBlock()
    for name, block in stream.child_blocks.items():
        assert getattr(block.meta, "description", ""), f"{name} has no description for the chooser"
        response = client.get(
            reverse("wagtailadmin_block_preview") + f"?id={block.definition_prefix}"
        )
        assert response.status_code == 200, name
        soup = BeautifulSoup(response.content, "html.parser")
        assert soup.select_one('link[href$="articles/newsroom.css"]'), name
        content = soup.select_one(".article__body").get_text(strip=True)
        if name != "image":  # an empty slot is a placeholder: readers see nothing
            assert content, f"{name}'s preview shows nothing"
