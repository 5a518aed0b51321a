"""The one error type of bad input: it names the file, the key and what was expected."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from twin.errors import BadInput


class SpecError(BadInput):
    """Bad model input.

    Every message carries where the bad value came from (``file``), which key holds it (``key``, a
    dotted path such as ``sites.colossus1.max_mw`` or a CSV row and column) and what was expected.
    The CLI prints ``str(err)`` and exits with code 2 (:class:`twin.errors.BadInput`).
    """

    def __init__(self, file: str | Path | None, key: str, expected: str) -> None:
        self.file = str(file) if file is not None else "<model>"
        self.key = key
        self.expected = expected
        super().__init__(f"{self.file}: {key}: {expected}")


class SpecErrors(SpecError):
    """Several independent input problems found in one pass, reported together."""

    def __init__(self, errors: list[SpecError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.file, first.key, first.expected)
        self.args = ("\n".join(str(e) for e in errors),)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest of ``choices``, or ``""``."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def refuse_repeated_columns(columns: list[str], path: str | Path | None) -> None:
    """A CSV header names each column once (a reader would keep one of two silently); raises
    :class:`SpecError` naming ``path`` and both column numbers."""
    for j, col in enumerate(columns):
        if col in columns[:j]:
            raise SpecError(
                path,
                f"header, columns {columns.index(col) + 1} and {j + 1}",
                f"duplicate column '{col}'; expected each column once",
            )
