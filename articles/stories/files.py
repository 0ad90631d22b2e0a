"""Which files under the paths an operator names are stories, and which can't be read as one."""

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

STORY_SUFFIX = ".txt"  # matched in any case: `.TXT` is a story too


@dataclass(frozen=True)
class ImportFailure:
    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}, line {self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


def story_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, ImportFailure | None]]:
    """Each story file named or found (recursively, `*.txt` in any case) under the given
    paths, in order; with a failure for what can't be a story: an unreadable folder, a
    special file (a FIFO, a device), a link pointing out of the folder named."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _folder_story_files(path)
        elif path.exists():
            yield path, None
        else:
            yield path, ImportFailure(str(path), "No such file or folder.")


def _folder_story_files(folder: Path) -> Iterator[tuple[Path, ImportFailure | None]]:
    root = folder.resolve()
    found = []
    unreadable = []

    def note_unreadable(error: OSError) -> None:
        unreadable.append(error)

    for directory, subfolders, names in os.walk(folder, onerror=note_unreadable):
        subfolders.sort()
        for name in names:
            if name.lower().endswith(STORY_SUFFIX):
                found.append(Path(directory) / name)
    for error in unreadable:
        yield (
            Path(error.filename or folder),
            ImportFailure(
                str(error.filename or folder),
                f"The folder cannot be read ({(error.strerror or str(error)).lower()}): "
                "give the importer read access to it.",
            ),
        )
    for path in sorted(found):
        target = path.resolve()
        if not target.is_relative_to(root):
            yield (
                path,
                ImportFailure(
                    str(path), f"It links out of {folder} (to {target}); copy the story in instead."
                ),
            )
        elif not target.is_file():
            yield (
                path,
                ImportFailure(
                    str(path), "It is not a regular file (a pipe, a device, or a broken link)."
                ),
            )
        else:
            yield path, None
