"""How ``twin show`` prints its tables: every column (``--all``), each table also as CSV
(``--csv DIR``), figures without ``-0.00``. Printing goes through :func:`emit`."""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rich.console import Console, Group
from rich.markup import escape
from rich.text import Text

from twin.literal import Table


@dataclass
class TableOptions:
    """How ``twin show`` prints tables: every column (``--all``) and each table also as a CSV
    file in ``csv_dir`` (``--csv DIR``; ``written`` lists the files)."""

    all_columns: bool = False
    csv_dir: Path | None = None
    written: list[Path] = field(default_factory=list)


_OPTIONS: ContextVar[TableOptions | None] = ContextVar("twin_table_options", default=None)


@contextlib.contextmanager
def table_options(all_columns: bool = False, csv_dir: Path | None = None) -> Iterator[TableOptions]:
    """Print tables with these options inside the ``with`` block (see :class:`TableOptions`)."""
    opts = TableOptions(all_columns, csv_dir)
    token = _OPTIONS.set(opts)
    try:
        yield opts
    finally:
        _OPTIONS.reset(token)


def _plain(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else Text.from_markup(str(cell)).plain


def write_csv(table: Table, directory: Path) -> Path:
    """``table`` as ``<directory>/<n>_<title>.csv``: its header row, then its rows (the text
    as printed, thousands separators removed so that numbers parse)."""
    opts = options()
    title = _plain(table.title or "headline")
    slug = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")[:60] or "table"
    path = directory / f"{len(opts.written) + 1:02d}_{slug}.csv"
    cols = [list(c.cells) for c in table.columns]
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow([_plain(c.header) for c in table.columns])
        for row in zip(*cols, strict=True):
            cells = [_plain(c) for c in row]
            w.writerow([c.replace(",", "") if re.fullmatch(r"[-+]?[\d,]+(\.\d+)?", c) else c
                        for c in cells])  # fmt: skip
    opts.written.append(path)
    return path


def emit(console: Console, *parts: object) -> None:
    """Print ``parts`` (tables, groups, text) and, under ``--csv DIR``, write each table."""
    opts = options()
    if opts.csv_dir is not None:
        for part in parts:
            for t in part.renderables if isinstance(part, Group) else [part]:
                if isinstance(t, Table) and t.columns and t.row_count:
                    write_csv(t, opts.csv_dir)
    console.print(*parts)


def notes(console: Console, title: str, lines: list[str], empty: str | None = None) -> None:
    """Print ``title`` (rich markup) and each line indented two spaces, as plain text; nothing
    when there are no lines, unless ``empty`` is given to print in their place."""
    shown = lines or ([] if empty is None else [empty])
    if shown:
        console.print(title)
    for line in shown:
        console.print(f"  {escape(line)}")


def options() -> TableOptions:
    """The table options in force (:func:`table_options`; the defaults outside it)."""
    return _OPTIONS.get() or TableOptions()


def _fmt(fmt: str, v: float) -> str:
    """``v`` in ``fmt`` (e.g. ``{:,.2f}``), ``-`` for NaN; a value that prints as zero prints
    without a sign (no ``-0.00``)."""
    if np.isnan(v):
        return "-"
    text = fmt.format(v)
    return text[1:] if text[0] in "+-" and not re.search(r"[1-9]", text) else text
