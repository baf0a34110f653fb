"""The shared error vocabulary: a located ``Problem`` and the error that lists them.

Kept in a module of its own so that every layer can report problems without importing
the layer that loads the raw data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One violation, located as precisely as the check allows."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.message}"


class RawDataError(ValueError):
    """The raw data package is invalid; ``problems`` lists every violation found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"invalid raw data ({len(self.problems)} problem(s)):\n{shown}{tail}")
