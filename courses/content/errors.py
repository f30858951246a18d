"""Errors of a course folder: each names a file (relative to the course folder) and a line."""

from __future__ import annotations

from pathlib import Path


class ContentError(Exception):
    """One problem in a course folder, at ``file:line``.

    Activity-kind loaders of any plugin raise it on bad input; ``file`` may be the path the loader
    received (the importer makes it relative to the course folder) and ``line`` starts at 1.
    """

    def __init__(self, file: str | Path, line: int | None, message: str) -> None:
        super().__init__(message)
        self.file = str(file)
        self.line = max(int(line or 1), 1)
        self.message = message
        #: The course folder as the user named it (set by the reader), for full locations.
        self.folder = ""

    def location(self) -> str:
        """Return ``folder/file:line`` (the file as reachable from where the command ran)."""
        file = (Path(self.folder) / self.file).as_posix() if self.folder else self.file
        return f"{file}:{self.line}"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def __repr__(self) -> str:
        return f"ContentError({self.file!r}, {self.line}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ContentError):
            return NotImplemented
        return (self.file, self.line, self.message) == (other.file, other.line, other.message)

    def __hash__(self) -> int:
        return hash((self.file, self.line, self.message))

    def relative_to(self, root: Path) -> ContentError:
        """Return this error with its file made relative to ``root`` when it lies inside it."""
        try:
            relative = Path(self.file).resolve().relative_to(root.resolve())
        except (ValueError, OSError):
            return self
        return ContentError(relative.as_posix(), self.line, self.message)


class ContentErrors(Exception):
    """Every problem found in one or more course folders; nothing was written."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.folder, e.file, e.line))
        super().__init__("\n".join(f"{e.location()}: {e.message}" for e in self.errors))
