"""Parser for the plain-text "story" format (one story per UTF-8 file).

Layout::

    Monday, May 12, 2025
                                        (blank)
    Home > Section > ... > Headline     (breadcrumb; last part may be shortened)
      • Section                         (zero or more bulleted sections)
                                        (blank)
    The Full Headline
                                        (blank)
    image                               (image slot, anywhere in the body)
                                        (blank)
    Body paragraph, possibly wrapped
    over several lines.

This module is pure Python on purpose: it must not import Django (nor may the package's
`__init__`).
"""

from __future__ import annotations

import datetime
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "MAX_STORY_BYTES",
    "ImageSlot",
    "Paragraph",
    "Story",
    "StoryFormatError",
    "decode_story",
    "format_story",
    "parse_story",
    "read_story_bytes",
    "read_story_file",
]

MAX_STORY_BYTES = 1_000_000

_UTF8_BOM = b"\xef\xbb\xbf"
# Control bytes that don't belong in text (tab, line breaks and form feed do).
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r\f") + b"\x7f"
_DATE_EXAMPLE = "Monday, May 12, 2025"
_BREADCRUMB_EXAMPLE = "Home > Section > Headline"
_QUOTE_LIMIT = 80

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# English names only, never the locale: full names, 3-letter abbreviations and a few
# common longer abbreviations.
_WEEKDAY_NUMBERS = {
    **{name.casefold(): i for i, name in enumerate(_WEEKDAYS)},
    **{name[:3].casefold(): i for i, name in enumerate(_WEEKDAYS)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
_MONTH_NUMBERS = {
    **{name.casefold(): i for i, name in enumerate(_MONTHS, start=1)},
    **{name[:3].casefold(): i for i, name in enumerate(_MONTHS, start=1)},
    "sept": 9,
}

_DATE_RE = re.compile(
    r"""
    ^(?:(?P<weekday>[^\W\d_]+)\.?,?\s+)?   # optional weekday
    (?P<month>[^\W\d_]+)\.?\s+             # month name
    (?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+  # day, with or without leading zero
    (?P<year>\d{4})$
    """,
    re.VERBOSE | re.IGNORECASE,
)
_BREADCRUMB_SEP_RE = re.compile(r"\s*[>›»]\s*")
_BULLET_RE = re.compile(r"^(?:[•·]\s*|[*\-–]\s+)(?P<name>.*)$|^[•·*\-–]$")
_ELLIPSIS_RE = re.compile(r"\s*(?:\.\.\.|…)$")


class StoryFormatError(ValueError):
    """A story file that cannot be used, with a reason a person can act on."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason, line)
        self.reason = reason
        self.line = line

    def __str__(self) -> str:
        return self.reason if self.line is None else f"line {self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A body paragraph of plain text (never markup)."""

    text: str
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class ImageSlot:
    """A place in the story where an image goes."""

    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Story:
    """A parsed story."""

    published: datetime.date
    section_path: tuple[str, ...]
    sections: tuple[str, ...]
    headline: str
    blocks: tuple[Paragraph | ImageSlot, ...]
    # Things worth an operator's look that did not stop the story (a weekday that disagrees
    # with the date), each with its line.
    warnings: tuple[str, ...] = field(default=(), compare=False)
    date_line: int = field(default=1, compare=False)
    breadcrumb_line: int = field(default=3, compare=False)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The texts of the body paragraphs, in order."""
        return tuple(block.text for block in self.blocks if isinstance(block, Paragraph))


# --------------------------------------------------------------------------- decoding


def decode_story(data: bytes) -> str:
    """Decode the bytes of a story file as strict UTF-8, rejecting unusable files."""
    size = len(data)
    if size > MAX_STORY_BYTES:
        raise StoryFormatError(_too_big(size))
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise StoryFormatError(
            "The file is saved as UTF-16 or UTF-32; save it as UTF-8 and try again."
        )
    if not data.strip():
        raise StoryFormatError("The file is empty.")
    if b"\x00" in data:
        raise StoryFormatError("The file looks binary, not text: it contains NUL bytes.")
    sample = data[:8192]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls * 10 >= len(sample) * 3:
        raise StoryFormatError(
            f"The file looks binary, not text: {controls} of its first {len(sample)} bytes "
            "are control characters."
        )
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex().upper()
        raise StoryFormatError(
            f"The file is not valid UTF-8 text (byte 0x{bad} cannot be decoded); "
            "save the file as UTF-8 and try again.",
            _line_of_offset(data, exc.start),
        ) from None
    if not text.strip():
        raise StoryFormatError("The file is empty.")
    return text


def _too_big(size: int) -> str:
    return f"The file is {size:,} bytes, which is more than the limit of {MAX_STORY_BYTES:,} bytes."


def _line_of_offset(data: bytes, offset: int) -> int:
    """1-based line number of a byte offset, counting CRLF, CR and LF as line breaks."""
    prefix = data[:offset].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return prefix.count(b"\n") + 1


# --------------------------------------------------------------------------- parsing


def parse_story(text: str) -> Story:
    """Parse the text of a story file into a Story."""
    lines = _clean_lines(text)
    pos = _skip_blank(lines, 0)
    if pos == len(lines):
        raise StoryFormatError("The file is empty.")

    date_line = pos + 1
    warnings: list[str] = []
    published = _parse_date(lines[pos], date_line, warnings)

    pos = _skip_blank(lines, pos + 1)
    if pos == len(lines):
        raise StoryFormatError(
            f"The story ends after the date; a breadcrumb line like '{_BREADCRUMB_EXAMPLE}' "
            "should follow it.",
            date_line,
        )
    crumb_text, crumb_line = lines[pos], pos + 1
    crumbs = _split_breadcrumb(crumb_text, crumb_line)

    sections: list[str] = []
    seen: set[str] = set()
    pos = _skip_blank(lines, pos + 1)
    last_line = crumb_line
    while pos < len(lines) and (match := _BULLET_RE.match(lines[pos])):
        name = (match.group("name") or "").strip()
        if not name:
            raise StoryFormatError("The bullet has no section name after it.", pos + 1)
        if name.casefold() not in seen:
            seen.add(name.casefold())
            sections.append(name)
        last_line = pos + 1
        pos = _skip_blank(lines, pos + 1)

    if pos == len(lines):
        raise StoryFormatError(
            "The story is missing its headline: nothing follows the breadcrumb and sections.",
            last_line,
        )
    if _is_image(lines[pos]):
        raise StoryFormatError(
            "The story is missing its headline: an image slot is where the headline should be.",
            pos + 1,
        )
    headline, headline_line = lines[pos], pos + 1
    section_path = _section_path(crumb_text, crumb_line, crumbs, headline)

    blocks = _parse_body(lines, pos + 1)
    if not any(isinstance(block, Paragraph) for block in blocks):
        raise StoryFormatError(
            f"The story has no body paragraphs after the headline (line {headline_line}).",
            headline_line,
        )

    return Story(
        published=published,
        section_path=section_path,
        sections=tuple(sections),
        headline=headline,
        blocks=tuple(blocks),
        warnings=tuple(warnings),
        date_line=date_line,
        breadcrumb_line=crumb_line,
    )


# Characters a reader can't see that change what a name is: zero-width spaces and joiners,
# word joiners, BOMs inside the text, and bidirectional overrides and isolates. "World" with a
# zero-width space in it would otherwise become a second, look-alike section.
_INVISIBLE = re.compile("[\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Control characters (C0 but tab and line breaks, DEL, C1): no story means them, and feeds
# and sitemaps can't carry most of them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """NFC-normalised (one way to write "é"), without invisible and control characters."""
    return _CONTROL.sub("", _INVISIBLE.sub("", unicodedata.normalize("NFC", text)))


def _clean_lines(text: str) -> list[str]:
    """Split into lines (CRLF, CR or LF), clean each (`clean_text`) and collapse all Unicode
    whitespace to one space."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(clean_text(line) for line in text.split("\n"))
    # str.split() without arguments splits on every Unicode whitespace character,
    # including U+00A0, so this also strips and collapses runs.
    return [" ".join(line.split()) for line in text.split("\n")]


def _skip_blank(lines: list[str], pos: int) -> int:
    while pos < len(lines) and not lines[pos]:
        pos += 1
    return pos


def _is_image(line: str) -> bool:
    return line.casefold() == "image"


def _quote(line: str) -> str:
    if len(line) > _QUOTE_LIMIT:
        line = line[: _QUOTE_LIMIT - 1].rstrip() + "…"
    return f"'{line}'"


def _parse_date(line: str, line_no: int, warnings: list[str]) -> datetime.date:
    not_a_date = f"The date line {_quote(line)} is not a date like '{_DATE_EXAMPLE}'"
    match = _DATE_RE.match(line)
    if match is None:
        raise StoryFormatError(f"{not_a_date}.", line_no)
    weekday_name, month_name = match.group("weekday"), match.group("month")
    month = _MONTH_NUMBERS.get(month_name.casefold())
    if month is None:
        raise StoryFormatError(
            f"{not_a_date}: '{month_name}' is not an English month name.", line_no
        )
    weekday = None
    if weekday_name is not None:
        weekday = _WEEKDAY_NUMBERS.get(weekday_name.casefold())
        if weekday is None:
            raise StoryFormatError(
                f"{not_a_date}: '{weekday_name}' is not an English weekday name.", line_no
            )
    day, year = int(match.group("day")), int(match.group("year"))
    spelled = f"{_MONTHS[month - 1]} {day}, {year}"
    try:
        published = datetime.date(year, month, day)
    except ValueError:
        raise StoryFormatError(
            f"The date line {_quote(line)} names a day that does not exist: {spelled}.", line_no
        ) from None
    if weekday is not None and weekday != published.weekday():
        # Archives carry such slips; the date itself is what the story means.
        warnings.append(
            f"line {line_no}: the date line {_quote(line)} says {_WEEKDAYS[weekday]}, but "
            f"{spelled} is a {_WEEKDAYS[published.weekday()]}; the date was used."
        )
    return published


@dataclass(frozen=True, slots=True)
class _Crumb:
    text: str
    start: int  # offset of the part within the breadcrumb line


def _split_breadcrumb(line: str, line_no: int) -> list[_Crumb]:
    crumbs: list[_Crumb] = []
    start = 0
    for sep in _BREADCRUMB_SEP_RE.finditer(line):
        crumbs.append(_Crumb(line[start : sep.start()], start))
        start = sep.end()
    crumbs.append(_Crumb(line[start:], start))

    if crumbs[0].text.casefold() != "home":
        raise StoryFormatError(
            f"The breadcrumb line {_quote(line)} does not start with 'Home'; "
            f"it should look like '{_BREADCRUMB_EXAMPLE}'.",
            line_no,
        )
    if len(crumbs) < 3:
        raise StoryFormatError(
            f"The breadcrumb line {_quote(line)} is too short; it needs at least a section "
            f"and a headline after 'Home', like '{_BREADCRUMB_EXAMPLE}'.",
            line_no,
        )
    return crumbs


def _section_path(line: str, line_no: int, crumbs: list[_Crumb], headline: str) -> tuple[str, ...]:
    """Breadcrumb parts between 'Home' and the headline.

    Normally the headline is the last part. If the headline itself contains a separator
    ("Inflation > 3%"), the headline is the longest tail of the breadcrumb that is the
    start of the headline, so its pieces are not taken for sections.
    """
    first_headline_part = len(crumbs) - 1
    if _BREADCRUMB_SEP_RE.search(headline):
        folded = headline.casefold()
        for index in range(2, len(crumbs) - 1):
            tail = _ELLIPSIS_RE.sub("", line[crumbs[index].start :])
            if tail and folded.startswith(tail.casefold()):
                first_headline_part = index
                break
    path = tuple(crumb.text for crumb in crumbs[1:first_headline_part])
    if not all(path) or not line[crumbs[first_headline_part].start :]:
        raise StoryFormatError(
            f"The breadcrumb line {_quote(line)} has an empty part between separators; "
            f"it should look like '{_BREADCRUMB_EXAMPLE}'.",
            line_no,
        )
    return path


def _parse_body(lines: list[str], pos: int) -> list[Paragraph | ImageSlot]:
    blocks: list[Paragraph | ImageSlot] = []
    pending: list[str] = []
    pending_line = 0

    def flush() -> None:
        if pending:
            blocks.append(Paragraph(" ".join(pending), line=pending_line))
            pending.clear()

    for index in range(pos, len(lines)):
        line = lines[index]
        if not line:
            flush()
        elif _is_image(line):
            flush()
            blocks.append(ImageSlot(line=index + 1))
        else:
            if not pending:
                pending_line = index + 1
            pending.append(line)
    flush()
    return blocks


# --------------------------------------------------------------------------- files

_OS_ERROR_REASONS: tuple[tuple[type[OSError], str], ...] = (
    (FileNotFoundError, "it does not exist"),
    (PermissionError, "permission denied"),
    (IsADirectoryError, "it is a directory, not a file"),
    (NotADirectoryError, "a part of its path is not a directory"),
)


def format_story(story: Story) -> str:
    """The story as text in the format `parse_story` reads (it parses back to an equal story)."""
    day = story.published
    lines = [
        f"{_WEEKDAYS[day.weekday()]}, {_MONTHS[day.month - 1]} {day.day}, {day.year}",
        "",
        " > ".join(("Home", *story.section_path, story.headline)),
        *(f"  \u2022 {name}" for name in story.sections),
        "",
        story.headline,
    ]
    for block in story.blocks:
        lines.append("")
        if isinstance(block, ImageSlot):
            lines.append("image")
        elif _is_image(block.text):
            # A paragraph that says only "image" would read back as a slot.
            lines.append(block.text + ".")
        else:
            lines.append(block.text)
    return "\n".join(lines) + "\n"


def read_story_file(path: os.PathLike[str] | str) -> Story:
    """Read, decode and parse one story file (its size is checked before reading)."""
    return parse_story(decode_story(read_story_bytes(path)))


def read_story_bytes(path: os.PathLike[str] | str) -> bytes:
    """One story file's bytes: a regular file, no bigger than MAX_STORY_BYTES."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
    except (OSError, ValueError) as exc:
        raise _unreadable(exc) from exc
    if not stat.S_ISREG(info.st_mode):
        raise StoryFormatError("The file cannot be read: it is not a regular file.")
    if info.st_size > MAX_STORY_BYTES:
        raise StoryFormatError(_too_big(info.st_size))
    try:
        with open(path, "rb") as handle:
            # One byte past the limit, so a file that grew since stat() is still caught.
            data = handle.read(MAX_STORY_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise _unreadable(exc) from exc
    return data  # decode_story checks the size again


def _unreadable(exc: OSError | ValueError) -> StoryFormatError:
    if isinstance(exc, OSError):
        return StoryFormatError(f"The file cannot be read: {_describe_os_error(exc)}.")
    return StoryFormatError(f"The file cannot be read: the path is not valid ({exc}).")


def _describe_os_error(exc: OSError) -> str:
    for kind, reason in _OS_ERROR_REASONS:
        if isinstance(exc, kind):
            return reason
    return (exc.strerror or str(exc) or type(exc).__name__).rstrip(".").lower()
