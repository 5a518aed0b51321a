"""How ``twin show`` prints its tables: fitted to the terminal at print time (headers break only
after ``_``, at a space or before ``[``; numbers never break), every column (``--all``), each
table also as CSV (``--csv DIR``: full width, raw numbers), figures without ``-0.00``. Printing
goes through :func:`emit`."""

from __future__ import annotations

import contextlib
import csv
import re
import textwrap
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console, ConsoleOptions, Group, RenderResult
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


def options() -> TableOptions:
    """The table options in force (:func:`table_options`; the defaults outside it)."""
    return _OPTIONS.get() or TableOptions()


@dataclass
class Column:
    """One column of a :class:`Grid`: its header, its cells as printed, whether it holds figures
    (right-justified, never broken), and its values for CSV (``raw``; else the cells, read back
    as numbers where they are) under ``csv_header`` (default ``header``)."""

    header: str
    cells: list[str]
    numeric: bool = True
    raw: Sequence[object] | None = None
    csv_header: str = ""


@dataclass
class Grid:
    """A table fitted to the console when printed: its title on a line of its own (never
    wrapped to the table's width), headers broken only where :func:`header_lines` allows, cells
    never broken. Columns after ``fixed`` that do not fit are left out and named in a note (all
    of them are in the CSV). ``csv_columns`` (default ``columns``) and ``csv_name`` (default from
    the title) are what ``--csv DIR`` writes."""

    title: str
    columns: list[Column]
    note: str = ""
    csv_name: str = ""
    csv_columns: list[Column] | None = None
    fixed: int = 1

    @property
    def row_count(self) -> int:
        """The number of rows."""
        return len(self.columns[0].cells) if self.columns else 0

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        cols, widths, left_out = fit_widths(self.columns, options.max_width, self.fixed)
        t = Table(header_style="bold")
        for c, w in zip(cols, widths, strict=True):
            t.add_column(header_lines(c.header, w), justify="right" if c.numeric else "left",
                         no_wrap=c.numeric, overflow="fold", width=w)  # fmt: skip
        for i in range(self.row_count):
            t.add_row(*(c.cells[i] for c in cols))
        yield Text(self.title, style="table.title")
        yield t
        notes_ = [self.note] if self.note else []
        if left_out:
            notes_.append(f"not shown at this width (see --all): {', '.join(left_out)}")
        for n in notes_:
            yield Text(textwrap.fill(n, max(options.max_width, 20), initial_indent="  ",
                                     subsequent_indent="    "), style="dim")  # fmt: skip


_BREAK = re.compile(r"(?<=_)|(?= )|(?=\[)")


def header_pieces(header: str) -> list[str]:
    """The parts a header may be broken into: after ``_``, before a space (dropped at a break)
    or ``[``; units in brackets stay whole (``[MW IT]``)."""
    out: list[str] = []
    for p in _BREAK.split(header):
        if out and out[-1].count("[") > out[-1].count("]"):
            out[-1] += p
        elif p:
            out.append(p)
    return out


def header_lines(header: str, width: int) -> str:
    """``header`` on lines of at most ``width`` characters, broken only between
    :func:`header_pieces` (a piece longer than ``width`` stays whole)."""
    lines: list[str] = []
    for piece in header_pieces(header):
        if lines and len(lines[-1] + piece) <= width:
            lines[-1] += piece
        else:
            lines.append(piece.lstrip() if lines else piece)
    return "\n".join(line.rstrip() for line in lines)


def _least(c: Column) -> int:
    pieces = max((len(p.strip()) for p in header_pieces(c.header)), default=1)
    return max([pieces, 1, *(len(x) for x in c.cells)])


def fit_widths(
    columns: list[Column], width: int, fixed: int = 1
) -> tuple[list[Column], list[int], list[str]]:
    """The columns that fit ``width`` (a rich table's box: 3 characters a column and 1), their
    widths and the headers of those left out: each column as wide as its header, else narrower
    down to its longest cell or header piece, widest headers first; then columns after the
    first ``fixed`` are left out from the right until the rest fit."""
    cols = list(columns)
    left_out: list[str] = []
    while True:
        least = [_least(c) for c in cols]
        widths = [max(lo, len(c.header)) for c, lo in zip(cols, least, strict=True)]
        room = width - 3 * len(cols) - 1
        while sum(widths) > room:
            j = max(range(len(cols)), key=lambda k: (widths[k] > least[k], widths[k]))
            if widths[j] <= least[j]:
                break
            widths[j] -= 1
        if sum(widths) <= room or len(cols) <= fixed + 1:
            return cols, widths, left_out
        left_out.insert(0, cols.pop().header)


def _plain(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else Text.from_markup(str(cell)).plain


def csv_value(cell: str) -> object:
    """A printed cell as CSV data: a figure as a number (no separators), a share ``77%`` as
    ``0.77``, ``-`` (missing) as empty; other text as it is."""
    text = cell.strip()
    if text in ("-", ""):
        return ""
    number = re.fullmatch(r"([-+]?[\d,]*\.?\d+)(%?)", text)
    if not number:
        return text
    value = float(number[1].replace(",", ""))
    return round(value / 100, 12) if number[2] else number[1].replace(",", "")


def _raw(v: object) -> object:
    if isinstance(v, float | np.floating):
        return "" if np.isnan(v) else repr(float(v))
    return v


def slug(title: str) -> str:
    """A file name from a table title: lower case, letters and digits joined by ``_``."""
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")[:60] or "table"


def _csv_data(table: Grid | Table) -> tuple[list[str], list[list[object]]]:
    if isinstance(table, Grid):
        cols = table.csv_columns or table.columns
        data = [[_raw(v) for v in c.raw] if c.raw is not None else [csv_value(x) for x in c.cells]
                for c in cols]  # fmt: skip
        heads = [c.csv_header or c.header for c in cols]
        return heads, [list(r) for r in zip(*data, strict=True)]
    cells = [[csv_value(_plain(x)) for x in c.cells] for c in table.columns]
    return [_plain(c.header) for c in table.columns], [list(r) for r in zip(*cells, strict=True)]


def write_csv(table: Grid | Table, directory: Path, name: str = "") -> Path:
    """``table`` as ``<directory>/<name>.csv`` (by default from its title; ``_2`` and on for a
    name already written): its header row, then its rows as data (:func:`csv_value`)."""
    opts = options()
    title = table.title if isinstance(table.title, str) else _plain(table.title or "table")
    base = name or getattr(table, "csv_name", "") or slug(title)
    stem, n = base, 1
    while any(p.name == f"{stem}.csv" for p in opts.written):
        n += 1
        stem = f"{base}_{n}"
    path = directory / f"{stem}.csv"
    header, rows = _csv_data(table)
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    opts.written.append(path)
    return path


def _tables(part: object) -> Iterator[Any]:
    for t in part.renderables if isinstance(part, Group) else [part]:
        grid = isinstance(t, Grid) and t.row_count
        if grid or (isinstance(t, Table) and t.columns and t.row_count and t.show_header):
            yield t


def emit(console: Console, *parts: object) -> None:
    """Print ``parts`` (tables, groups, text) and, under ``--csv DIR``, write each table."""
    opts = options()
    if opts.csv_dir is not None:
        for part in parts:
            for t in _tables(part):
                write_csv(t, opts.csv_dir)
    console.print(*parts)


def prose(console: Console, line: str, indent: int = 2) -> None:
    """Print ``line`` as plain text, wrapped to the console with a hanging indent."""
    text = textwrap.fill(line, max(console.width, 20), initial_indent=" " * indent,
                         subsequent_indent=" " * (indent + 2))  # fmt: skip
    console.print(escape(text), soft_wrap=True)


def notes(console: Console, title: str, lines: list[str], empty: str | None = None) -> None:
    """Print ``title`` (rich markup) and each line indented two spaces, as plain text (wrapped
    lines indented further); nothing when there are no lines, unless ``empty`` is given to
    print in their place."""
    shown = lines or ([] if empty is None else [empty])
    if shown:
        console.print(title)
    for line in shown:
        prose(console, line)


def headline(console: Console, rows: list[tuple[str, str]]) -> None:
    """Print ``label  value`` lines, labels in one column, values wrapped under themselves."""
    pad = max((len(k) for k, _ in rows), default=0) + 2
    width = max(console.width, pad + 20)
    for label, value in rows:
        text = textwrap.fill(value, width, initial_indent=label.ljust(pad),
                             subsequent_indent=" " * pad)  # fmt: skip
        console.print(escape(text), soft_wrap=True)


def _fmt(fmt: str, v: float) -> str:
    """``v`` in ``fmt`` (e.g. ``{:,.2f}``), ``-`` for NaN; a value that prints as zero prints
    without a sign (no ``-0.00``)."""
    if np.isnan(v):
        return "-"
    text = fmt.format(v)
    return text[1:] if text[0] in "+-" and not re.search(r"[1-9]", text) else text
