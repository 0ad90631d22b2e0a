"""Hostile input: any bytes give a clean story or a clear error, never a traceback."""

import datetime
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.stories.format import (
    ImageSlot,
    Paragraph,
    Story,
    StoryFormatError,
    decode_story,
    format_story,
    parse_story,
)

from .stories import story_text

words = (
    st.text(alphabet=string.ascii_letters + string.digits + "äöüéß,.;:'\"!?()&<>/%€—–", min_size=1)
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and s.lower() != "image")
)
names = words.filter(lambda s: ">" not in s and "›" not in s and "»" not in s)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_any_bytes_parse_or_fail_cleanly(data):
    try:
        story = parse_story(decode_story(data))
    except StoryFormatError as error:
        assert error.reason and error.reason[0].isupper()
    else:
        assert story.headline and story.paragraphs


@settings(max_examples=200)
@given(st.text(max_size=2000))
def test_any_text_parses_or_fails_cleanly(text):
    try:
        parse_story(text)
    except StoryFormatError as error:
        assert error.reason


@settings(max_examples=200)
@given(
    st.lists(
        st.sampled_from(["", "x", "image", "  • World", "Home > A > B", "\u00a0"]), max_size=40
    )
)
def test_story_shaped_noise_parses_or_fails_cleanly(lines):
    try:
        parse_story(story_text() + "\n" + "\n".join(lines))
    except StoryFormatError as error:
        assert error.reason


@settings(max_examples=200)
@given(
    published=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 1, 1)),
    section_path=st.lists(names, min_size=1, max_size=3).map(tuple),
    headline=names.filter(lambda s: not s.startswith(("•", "*", "-", "·", "–"))),
    blocks=st.lists(
        st.one_of(st.builds(ImageSlot), st.builds(Paragraph, words)), max_size=8
    ).filter(lambda b: any(isinstance(x, Paragraph) for x in b)),
)
def test_format_then_parse_gives_the_same_story(published, section_path, headline, blocks):
    story = Story(
        published=published,
        section_path=section_path,
        sections=(section_path[-1],),
        headline=headline,
        blocks=tuple(blocks),
    )
    assert parse_story(format_story(story)) == story


story_lines = st.lists(
    st.one_of(
        st.sampled_from(
            ["", "image", "Home > World > Headline", "  • World", "Monday, May 12, 2025", "\u00a0"]
        ),
        words,
    ),
    max_size=25,
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.one_of(st.binary(max_size=600), story_lines.map(lambda ls: "\n".join(ls).encode())))
def test_importer_gives_a_whole_article_or_a_clear_error(data, tmp_path_factory):
    from articles.models import ArticlePage
    from articles.setup import set_up_newsroom
    from articles.stories.importer import import_stories

    set_up_newsroom()
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "story.txt").write_bytes(story_text().encode() if not data else data)
    before = ArticlePage.objects.count()
    report = import_stories(paths=[folder])
    created = ArticlePage.objects.count() - before
    if report.failed:
        [failure] = report.failed
        assert failure.reason[0].isupper() and failure.reason.endswith((".", ")"))
        assert created == 0
    else:
        assert len(report.created) + len(report.unchanged) + len(report.updated) == 1
        if report.created:
            article = ArticlePage.objects.latest("pk")
            assert created == 1 and article.live and article.live_revision_id
            assert any(block.block_type == "paragraph" for block in article.body)
