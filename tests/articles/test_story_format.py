"""Tests for the pure-Python story parser (no database, no Django)."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

from articles.stories.format import (
    MAX_STORY_BYTES,
    ImageSlot,
    Paragraph,
    Story,
    StoryFormatError,
    decode_story,
    parse_story,
    read_story_file,
)

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_72acc11ac7a82a21.txt"
SEED_HEADLINE = "Putin Signals Willingness for Direct Peace Talks with Ukraine"

HEADER = "Monday, May 12, 2025\n\nHome > World > Big News\n  • World\n\nBig News Today\n\n"
ASCII_HEADER = HEADER.replace("•", "*")  # same layout, encodable as latin-1


def story(body: str = "First paragraph.\n\nSecond paragraph.\n", header: str = HEADER) -> Story:
    return parse_story(decode_story((header + body).encode("utf-8")))


def parse_error(text: str) -> StoryFormatError:
    with pytest.raises(StoryFormatError) as info:
        parse_story(text)
    return info.value


def decode_error(data: bytes) -> StoryFormatError:
    with pytest.raises(StoryFormatError) as info:
        decode_story(data)
    return info.value


# --------------------------------------------------------------------------- real seed


def test_real_seed_file():
    parsed = read_story_file(SEED)

    assert parsed.published == datetime.date(2025, 5, 12)
    assert parsed.section_path == ("Top Stories",)
    assert parsed.sections == ("Top Stories", "World")
    assert parsed.headline == SEED_HEADLINE
    assert isinstance(parsed.blocks[0], ImageSlot)
    assert all(isinstance(block, Paragraph) for block in parsed.blocks[1:])
    assert len(parsed.blocks) == 7
    assert len(parsed.paragraphs) == 6
    assert parsed.paragraphs[0].startswith("Russian leader Vladimir Putin announced")
    assert parsed.paragraphs[3].startswith("Yet, Ukraine's refusal")
    assert parsed.paragraphs[-1].startswith("There is no established framework")
    assert parsed.paragraphs[-1].endswith("summer offensives.")
    assert not any(text != text.strip() or "\xa0" in text for text in parsed.paragraphs)


def test_real_seed_file_line_numbers():
    parsed = read_story_file(SEED)
    assert [block.line for block in parsed.blocks] == [9, 11, 14, 17, 20, 23, 26]


# --------------------------------------------------------------------------- layout variations


def test_basic_story():
    parsed = story()
    assert parsed == Story(
        published=datetime.date(2025, 5, 12),
        section_path=("World",),
        sections=("World",),
        headline="Big News Today",
        blocks=(Paragraph("First paragraph."), Paragraph("Second paragraph.")),
    )
    assert parsed.paragraphs == ("First paragraph.", "Second paragraph.")


def test_dataclasses_are_frozen_and_line_not_compared():
    assert Paragraph("a", line=3) == Paragraph("a", line=99)
    assert ImageSlot(line=1) == ImageSlot()
    with pytest.raises(AttributeError):
        Paragraph("a").text = "b"  # type: ignore[misc]


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"], ids=["crlf", "old-mac-cr", "lf"])
def test_line_endings(newline):
    text = (HEADER + "One\nwrapped.\n\n\nTwo.\n").replace("\n", newline)
    parsed = parse_story(decode_story(text.encode("utf-8")))
    assert parsed.headline == "Big News Today"
    assert parsed.section_path == ("World",)
    assert parsed.paragraphs == ("One wrapped.", "Two.")
    assert parsed.blocks[1].line == 12


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_line_endings_give_right_error_line(newline):
    text = "\n\nMonday, May 12, 2025\n\nWork > World > X\n".replace("\n", newline)
    err = parse_error(text)
    assert err.line == 5


def test_utf8_bom_is_stripped():
    data = b"\xef\xbb\xbf" + (HEADER + "Body.").encode("utf-8")
    text = decode_story(data)
    assert not text.startswith("\ufeff")
    parsed = parse_story(text)
    assert parsed.published == datetime.date(2025, 5, 12)
    assert parsed.paragraphs == ("Body.",)


def test_bom_in_text_passed_directly_to_parse_story():
    assert parse_story("\ufeff" + HEADER + "Body.").published == datetime.date(2025, 5, 12)


def test_no_newline_at_end_of_file():
    assert story("Only paragraph, no newline").paragraphs == ("Only paragraph, no newline",)


def test_nbsp_and_other_unicode_whitespace_become_single_spaces():
    parsed = story("\xa0Yet,\u2003 it\t\tgoes\u00a0\u00a0on.\u3000\n\n\u202fNext.")
    assert parsed.paragraphs == ("Yet, it goes on.", "Next.")


def test_many_blank_lines_between_paragraphs_and_before_date():
    parsed = story("A.\n\n\n\n\n \n\xa0\n\t\nB.\n\n\n", header="\n\n \n" + HEADER)
    assert parsed.paragraphs == ("A.", "B.")
    assert parsed.blocks[1].line == 19


def test_image_slots_before_between_and_in_a_row():
    parsed = story("image\n\nA.\n\nIMAGE\n\n Image \nimage\n\nB.\nimage\nC.\n\nimage")
    assert parsed.blocks == (
        ImageSlot(),
        Paragraph("A."),
        ImageSlot(),
        ImageSlot(),
        ImageSlot(),
        Paragraph("B."),
        ImageSlot(),
        Paragraph("C."),
        ImageSlot(),
    )
    assert parsed.paragraphs == ("A.", "B.", "C.")


def test_word_image_inside_a_sentence_is_text():
    assert story("image of a cat\n\nAn image.").paragraphs == ("image of a cat", "An image.")


def test_paragraph_wrapped_over_several_lines():
    assert story("One\n  two\nthree.").paragraphs == ("One two three.",)


def test_multi_level_section_path():
    header = "Monday, May 12, 2025\n\nHome > World > Europe > Big News\n• World\n\nBig News\n\n"
    assert story("Body.", header=header).section_path == ("World", "Europe")


@pytest.mark.parametrize(
    "breadcrumb",
    [
        "Home > World > Europe > Putin Signals Willingness for...",
        "Home > World > Europe > Putin Signals Willingness for…",
        "Home > World > Europe > Putin Signals",
        "home>World>Europe>Putin",
        "Home › World › Europe › Putin Signals",
        "Home » World»Europe » Putin Signals",
        "\xa0Home  >  World >\tEurope > Putin Signals …",
    ],
)
def test_breadcrumb_variants(breadcrumb):
    header = f"Monday, May 12, 2025\n\n{breadcrumb}\n\n{SEED_HEADLINE}\n\n"
    parsed = story("Body.", header=header)
    assert parsed.section_path == ("World", "Europe")
    assert parsed.headline == SEED_HEADLINE
    assert parsed.sections == ()


def test_headline_containing_separator_is_not_split_into_sections():
    header = (
        "Monday, May 12, 2025\n\nHome > Business > Inflation > 3% in May...\n"
        "• Business\n\nInflation > 3% in May, Says Bank\n\n"
    )
    parsed = story("Body.", header=header)
    assert parsed.section_path == ("Business",)
    assert parsed.headline == "Inflation > 3% in May, Says Bank"


@pytest.mark.parametrize(
    "bullets, expected",
    [
        ("  • Top Stories\n  • World\n", ("Top Stories", "World")),
        (
            "•World\n* Europe\n- Asia\n· Africa\n– Americas\n",
            ("World", "Europe", "Asia", "Africa", "Americas"),
        ),
        ("• World\n\n• Europe\n• world\n• Europe\n", ("World", "Europe")),
        ("", ()),
    ],
    ids=["seed-style", "all-bullet-kinds", "deduplicated", "none"],
)
def test_bullets(bullets, expected):
    header = f"Monday, May 12, 2025\n\nHome > World > News\n{bullets}\nThe Headline\n\n"
    parsed = story("Body.", header=header)
    assert parsed.sections == expected
    assert parsed.headline == "The Headline"


def test_markup_is_kept_literally():
    parsed = story("<b>Bold</b> & <script>alert(1)</script> &amp; *stars*\n\n<p>x</p>")
    assert parsed.paragraphs == (
        "<b>Bold</b> & <script>alert(1)</script> &amp; *stars*",
        "<p>x</p>",
    )


def test_headline_markup_kept_literally():
    header = "Monday, May 12, 2025\n\nHome > World > <i>X</i>\n\n<i>X</i> & Y\n\n"
    assert story("Body.", header=header).headline == "<i>X</i> & Y"


@pytest.mark.parametrize(
    "date_line, expected",
    [
        ("Monday, May 12, 2025", datetime.date(2025, 5, 12)),
        ("May 12, 2025", datetime.date(2025, 5, 12)),
        ("Mon, May 12, 2025", datetime.date(2025, 5, 12)),
        ("monday, may 12, 2025", datetime.date(2025, 5, 12)),
        ("Saturday, February 1, 2025", datetime.date(2025, 2, 1)),
        ("Saturday, Feb 01, 2025", datetime.date(2025, 2, 1)),
        ("Sat, Feb. 1, 2025", datetime.date(2025, 2, 1)),
        ("Tuesday, Sept 2, 2025", datetime.date(2025, 9, 2)),
        ("Thursday, February 29, 2024", datetime.date(2024, 2, 29)),
        ("  Wednesday,\xa0December 31, 2025  ", datetime.date(2025, 12, 31)),
    ],
)
def test_dates(date_line, expected):
    header = f"{date_line}\n\nHome > World > News\n\nHeadline\n\n"
    assert story("Body.", header=header).published == expected


def test_module_does_not_import_django():
    code = (
        "import sys, articles.stories.format; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'wagtail')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=SEED.parents[1],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"


# --------------------------------------------------------------------------- decoding errors


@pytest.mark.parametrize(
    "data",
    [b"", b"\xef\xbb\xbf", b"   ", b"\n\n\r\n\t \n", "\xa0\n\u3000\n".encode()],
    ids=["empty", "bom-only", "spaces", "blank-lines", "unicode-spaces"],
)
def test_empty_file(data):
    err = decode_error(data)
    assert err.reason == "The file is empty."
    assert err.line is None
    assert str(err) == "The file is empty."


@pytest.mark.parametrize(
    "data, detail",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes"),
        (b"Monday\x00May", "NUL bytes"),
        (bytes(range(1, 32)) * 4 + b"text", "control characters"),
    ],
)
def test_binary_file(data, detail):
    err = decode_error(data)
    assert err.reason.startswith("The file looks binary, not text: ")
    assert detail in err.reason
    assert err.line is None


def test_utf16_file():
    err = decode_error((HEADER + "Body.").encode("utf-16"))
    assert "UTF-16" in err.reason
    assert "UTF-8" in err.reason


@pytest.mark.parametrize(
    "newline, bom", [("\n", b""), ("\r\n", b""), ("\r", b""), ("\n", b"\xef\xbb\xbf")]
)
def test_latin1_file_names_line_of_first_bad_byte(newline, bom):
    text = (ASCII_HEADER + "Plain line.\n\nCaf\xe9 society.\n\nNa\xefve.").replace("\n", newline)
    err = decode_error(bom + text.encode("latin-1"))
    assert err.line == 10
    assert "0xE9" in err.reason
    assert "save the file as UTF-8" in err.reason
    assert str(err).startswith("line 10: The file is not valid UTF-8 text")


def test_truncated_utf8_sequence_at_end():
    err = decode_error(b"line one\nline two \xe2\x80")
    assert err.line == 2


def test_decoding_is_strict_and_keeps_real_characters():
    text = decode_story("Café – “quoted” 日本\n".encode())
    assert text == "Café – “quoted” 日本\n"


def test_oversize_bytes():
    err = decode_error(b"a" * (MAX_STORY_BYTES + 1))
    assert err.line is None
    assert "1,000,001 bytes" in err.reason
    assert "1,000,000 bytes" in err.reason


def test_exactly_max_size_is_allowed():
    body = "x" * (MAX_STORY_BYTES - len(HEADER.encode()))
    data = (HEADER + body).encode()
    assert len(data) == MAX_STORY_BYTES
    assert len(parse_story(decode_story(data)).paragraphs[0]) == len(body)


# --------------------------------------------------------------------------- parse errors


@pytest.mark.parametrize(
    "date_line, fragment",
    [
        ("Mondy, May 12 2025", "'Mondy' is not an English weekday name"),
        ("Monday, Mai 12, 2025", "'Mai' is not an English month name"),
        ("2025-05-12", "is not a date like 'Monday, May 12, 2025'."),
        ("Monday, May 12", "is not a date like 'Monday, May 12, 2025'."),
        ("Home > World > News", "is not a date like 'Monday, May 12, 2025'."),
        ("Friday, February 30, 2025", "does not exist: February 30, 2025"),
    ],
)
def test_bad_date(date_line, fragment):
    err = parse_error(f"\n\n{date_line}\n\nHome > World > News\n\nHeadline\n\nBody.")
    assert err.line == 3
    assert fragment in err.reason
    assert str(err) == f"line 3: {err.reason}"


def test_bad_date_message_reads_well():
    err = parse_error("Mondy, May 12 2025\n\nHome > World > X\n\nHeadline\n\nBody.")
    assert err.reason.startswith(
        "The date line 'Mondy, May 12 2025' is not a date like 'Monday, May 12, 2025'"
    )


def test_long_date_line_is_shortened_in_message():
    err = parse_error("x" * 500 + "\n\nHome > World > X\n\nHeadline\n\nBody.")
    assert len(err.reason) < 200
    assert "…" in err.reason


@pytest.mark.parametrize(
    "date_line, said, actual",
    [
        ("Tuesday, May 12, 2025", "Tuesday", "Monday"),
        ("Sun, Feb 1, 2025", "Sunday", "Saturday"),
    ],
)
def test_wrong_weekday_is_a_warning_and_the_date_wins(date_line, said, actual):
    """Archives carry such slips: the story goes through, dated by its date."""
    story = parse_story(f"{date_line}\n\nHome > World > News\n\nHeadline\n\nBody.")
    (warning,) = story.warnings
    assert warning.startswith("line 1: ")
    assert f"says {said}, but" in warning and f"is a {actual}; the date was used." in warning
    assert story.published.strftime("%A") == actual


def test_invisible_and_control_characters_are_removed_and_text_is_nfc():
    text = (
        "Monday, May 12, 2025\n\nHome > Wor\u200bld > Cafe\u0301 news\n  • \u202eWorld\n\n"
        "Cafe\u0301 \x1b[31mnews\x07\n\nBody\u2060 text."
    )
    story = parse_story(text)
    assert story.section_path == ("World",)
    assert story.sections == ("World",)
    assert story.headline == "Caf\u00e9 [31mnews"
    assert story.paragraphs == ("Body text.",)


@pytest.mark.parametrize(
    "breadcrumb, fragment",
    [
        ("Homepage > World > News", "does not start with 'Home'"),
        ("World > Europe > News", "does not start with 'Home'"),
        ("  • World", "does not start with 'Home'"),
        ("Home", "is too short"),
        ("Home > World", "is too short"),
        ("Home > > News", "has an empty part"),
        ("Home > World >", "has an empty part"),
    ],
)
def test_bad_breadcrumb(breadcrumb, fragment):
    err = parse_error(f"Monday, May 12, 2025\n\n\n{breadcrumb}\n\nHeadline\n\nBody.")
    assert err.line == 4
    assert fragment in err.reason
    assert "'Home > Section > Headline'" in err.reason


def test_missing_breadcrumb_at_end_of_file():
    err = parse_error("Monday, May 12, 2025\n\n\n")
    assert err.line == 1
    assert "breadcrumb" in err.reason


@pytest.mark.parametrize(
    "after_bullets, line",
    [("\nimage\n\nBody.", 6), ("", 4), ("\n\n\n", 4)],
    ids=["image-instead", "end-of-file", "only-blank-lines"],
)
def test_missing_headline(after_bullets, line):
    err = parse_error("Monday, May 12, 2025\n\nHome > World > News\n• World\n" + after_bullets)
    assert err.reason.startswith("The story is missing its headline")
    assert err.line == line


def test_empty_bullet():
    err = parse_error("Monday, May 12, 2025\n\nHome > World > News\n• World\n•\n\nH\n\nBody.")
    assert err.line == 5
    assert "no section name" in err.reason


@pytest.mark.parametrize(
    "body", ["", "\n\n\n", "image\n\nimage\n"], ids=["none", "blank", "images"]
)
def test_missing_body(body):
    err = parse_error(HEADER + body)
    assert err.reason == "The story has no body paragraphs after the headline (line 6)."
    assert err.line == 6


def test_parse_story_of_blank_text():
    err = parse_error("\n \n\xa0\n")
    assert err.reason == "The file is empty."


# --------------------------------------------------------------------------- files


def test_read_story_file_accepts_str_path(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "Body.").replace("\n", "\r\n").encode())
    assert read_story_file(str(path)).paragraphs == ("Body.",)


def test_read_story_file_missing(tmp_path):
    with pytest.raises(StoryFormatError) as info:
        read_story_file(tmp_path / "nope.txt")
    assert info.value.reason == "The file cannot be read: it does not exist."
    assert info.value.line is None


def test_read_story_file_directory(tmp_path):
    with pytest.raises(StoryFormatError) as info:
        read_story_file(tmp_path)
    assert info.value.reason == "The file cannot be read: it is a directory, not a file."


@pytest.mark.parametrize(
    "error, reason",
    [
        (PermissionError(13, "Permission denied"), "permission denied"),
        (IsADirectoryError(21, "Is a directory"), "it is a directory, not a file"),
        (OSError(5, "Input/output error"), "input/output error"),
    ],
)
def test_read_story_file_os_errors_when_opening(tmp_path, monkeypatch, error, reason):
    path = tmp_path / "story.txt"
    path.write_text(HEADER + "Body.", encoding="utf-8")

    def failing_open(*args, **kwargs):
        raise error

    monkeypatch.setattr("articles.stories.format.open", failing_open, raising=False)
    with pytest.raises(StoryFormatError) as info:
        read_story_file(path)
    assert info.value.reason == f"The file cannot be read: {reason}."
    assert info.value.line is None
    assert str(info.value) == info.value.reason


def test_read_story_file_oversize_checked_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: 2 GB on paper, nothing on disk

    def no_open(*args, **kwargs):
        raise AssertionError("an oversized file must not be opened")

    monkeypatch.setattr("articles.stories.format.open", no_open, raising=False)
    with pytest.raises(StoryFormatError) as info:
        read_story_file(path)
    assert "2,147,483,648 bytes" in info.value.reason
    assert "1,000,000 bytes" in info.value.reason


def test_read_story_file_rejects_non_regular_file():
    with pytest.raises(StoryFormatError) as info:
        read_story_file("/dev/zero")
    assert info.value.reason == "The file cannot be read: it is not a regular file."


def test_read_story_file_reports_decode_and_parse_errors(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes((ASCII_HEADER + "Caf\xe9.").encode("latin-1"))
    with pytest.raises(StoryFormatError) as info:
        read_story_file(bad)
    assert info.value.line == 8

    no_body = tmp_path / "nobody.txt"
    no_body.write_text(HEADER, encoding="utf-8")
    with pytest.raises(StoryFormatError) as info:
        read_story_file(no_body)
    assert info.value.line == 6
