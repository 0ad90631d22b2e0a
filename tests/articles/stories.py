"""Story files for tests, written in the seed format."""

from pathlib import Path

SEED_DIR = Path(__file__).resolve().parents[2] / "seeds"


def story_text(
    *,
    date="Monday, May 12, 2025",
    path=("Top Stories",),
    headline="A headline for testing",
    sections=("Top Stories",),
    body=("image", "First paragraph.", "Second paragraph."),
    crumb_headline=None,
    newline="\n",
) -> str:
    crumb = " > ".join(("Home", *path, crumb_headline or headline))
    lines = [date, "", crumb, *(f"  • {s}" for s in sections), "", headline, ""]
    for block in body:
        lines += [block, ""]
    return newline.join(lines).rstrip("\n")


def write_story(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path
