"""Dataset tables: a CSV file read into rows, and the model's ``datasets`` mapping loaded.

A table's CSV path is given relative to the model file, in its ``datasets:`` mapping; a
scenario's ``set:`` or a command-line ``--set datasets.TABLE=PATH`` replaces it (the path again
relative to the model file, confined to the model's project like every dataset path). The
rows of the file the model names are then never read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from twin.spec.errors import SpecError, did_you_mean, refuse_repeated_columns
from twin.spec.files import confine, decode, read_bytes
from twin.spec.names import name_problem, twin_key, twins
from twin.spec.schema import TABLES
from twin.spec.validation import Origin

#: Where each loadable table lands in the model dictionary.
TABLE_PATHS: dict[str, tuple[str, ...]] = {name: (name,) for name in TABLES}
TABLE_PATHS["ground_stations"] = ("orbit", "ground_stations")

#: A line break inside a quoted cell (a row running over several lines).
_BREAK = re.compile(r"\r\n|\r|\n")

#: A set entry: dotted path, value, where it came from.
SetEntry = tuple[str, Any, Origin]


def _cell(value: str, field_info: Any) -> Any:
    """One CSV cell as a Python value: '' is missing; 'a;b' is a list for list fields; 'true' and
    'false' (any case) are booleans for boolean fields (other text is left for the schema to
    refuse)."""
    value = value.strip()
    if value == "":
        return None
    annotation = str(field_info.annotation) if field_info is not None else ""
    if annotation.startswith("list"):
        return [part.strip() for part in value.split(";") if part.strip()]
    if "bool" in annotation and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _check_list(value: str | None, field_info: Any, path: Path, row: str, col: str) -> None:
    """A list cell (``a;b``) holds one value between each ``;``: an empty item (``1;;2``, a
    trailing ``;``) would be dropped and a comma-separated list read as one value; else a
    :class:`SpecError` naming the row and column."""
    annotation = str(field_info.annotation) if field_info is not None else ""
    text = (value or "").strip()
    if not annotation.startswith("list") or not text:
        return
    if any(not part.strip() for part in text.split(";")):
        raise SpecError(
            path,
            f"{row}, column '{col}'",
            f"'{text}' has an empty item; expected values separated by single ';' (no ';' at "
            "either end)",
        )
    if "," in text:
        raise SpecError(
            path,
            f"{row}, column '{col}'",
            f"'{text}' separates its values by ','; expected ';' between them (a ',' ends the "
            "cell in a CSV)",
        )


def refuse_case_twins(names: list[str], where: Callable[[str], tuple[str | Path, str]]) -> None:
    """Every one of a table's row ``names`` is a name (:func:`twin.spec.names.name_problem`) and
    no two print alike (differing only by letter case, ``h100``, ``H100``, or by Unicode form):
    else a :class:`SpecError` naming the row, or both rows, the file and key of each given by
    ``where(name)``."""
    seen: dict[str, str] = {}
    for name in names:
        problem = name_problem(str(name))
        if problem:
            file, key = where(str(name))
            raise SpecError(file, key, problem)
        other = seen.setdefault(twin_key(str(name)), str(name))
        if other != str(name):
            file_a, key_a = where(other)
            file_b, key_b = where(str(name))
            also = "" if str(file_a) == str(file_b) else f" ({file_a})"
            raise SpecError(file_b, f"{key_a}{also} and {key_b}", twins(other, str(name)))


def read_table(
    path: Path, table: str, key: str | None = None
) -> tuple[dict[str, dict[str, Any]], dict[str, Origin], str]:
    """Read a dataset CSV into ``{row name: {column: value}}`` and per-row origins.

    The first column must be ``name`` (unique); empty cells take the schema's default; columns not
    in the schema are errors naming the file and column, with a did-you-mean. Also returns the
    sha256 of the bytes read. ``key`` names the setting that gave the path (a file that cannot
    be read is blamed on it; default ``datasets.TABLE``).
    """
    data = read_bytes(path, key or f"datasets.{table}", "CSV file")
    rows, origins = _parse_table(decode(data, path), path, table, TABLES[table])
    return rows, origins, hashlib.sha256(data).hexdigest()


def _check_header(columns: list[str], path: Path, table: str, schema: type[BaseModel]) -> None:
    """``name`` first, each column once, every column in the schema."""
    if not columns or columns[0] != "name":
        raise SpecError(path, "header", "expected 'name' as the first column")
    allowed = set(schema.model_fields) | {"name"}
    refuse_repeated_columns(columns, path)
    for col in columns:
        if col not in allowed:
            raise SpecError(
                path,
                f"column '{col}'",
                f"unknown column for table '{table}'{did_you_mean(col, allowed)}; "
                f"expected some of {sorted(allowed)}",
            )


def _quote_open_at_end(text: str) -> bool:
    """Whether a quoted cell of ``text`` (comment lines left out) is never closed: the csv
    module's strict reading ends in 'unexpected end of data'; its lenient one, which names
    rows better, takes the cell."""
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _row_name(raw: dict[str, Any], first: dict[str, tuple[str, int]], path: Path, i: int) -> str:
    """The name of the row on line ``i``: a name (:func:`twin.spec.names.name_problem`), not a
    name seen before (``first``: :func:`twin.spec.names.twin_key` -> (name as written, line)),
    nor one that prints alike (differing only by letter case or Unicode form)."""
    name = (raw.get("name") or "").strip()
    if not name:
        raise SpecError(path, f"row {i}, column 'name'", "expected a non-empty name")
    problem = name_problem(name)
    if problem:
        raise SpecError(path, f"row {i}, column 'name'", problem)
    seen, at = first.setdefault(twin_key(name), (name, i))
    if seen == name and at != i:
        raise SpecError(
            path, f"rows {at} and {i}, column 'name'",
            f"duplicate name '{name}'; expected each name once",
        )  # fmt: skip
    if seen != name:
        raise SpecError(path, f"rows {at} and {i}, column 'name'", twins(seen, name))
    return name


def _parse_table(
    text: str, path: Path, table: str, schema: type[BaseModel]
) -> tuple[dict[str, dict[str, Any]], dict[str, Origin]]:
    """Rows by name; a row is named by the line of the file it is on (comment and blank lines
    counted, as a spreadsheet or an editor shows them); a row must be on one line."""
    lines: list[int] = []  # the file's line number of each line the reader is given

    def content() -> Iterator[str]:
        for n, line in enumerate(io.StringIO(text, newline=""), start=1):
            if not line.lstrip().startswith("#"):
                lines.append(n)
                yield line

    def line_of(read: int) -> int:  # the file's line of the reader's line ``read`` (1-based)
        return lines[read - 1] if 0 < read <= len(lines) else read

    i = 1  # the file's line of the last row read (the header's at first)
    try:
        reader = csv.DictReader(content())
        _check_header(list(reader.fieldnames or []), path, table, schema)
        rows: dict[str, dict[str, Any]] = {}
        origins: dict[str, Origin] = {}
        first: dict[str, tuple[str, int]] = {}  # twin key -> (name as written, line)
        for raw in reader:
            cells = [v for v in raw.values() if isinstance(v, str)]
            breaks = sum(len(_BREAK.findall(v)) for v in cells)
            # a quote left open on the last line takes the file's final line break into its
            # cell with no line after it: that break ends the row's line, it starts none
            at_end = reader.line_num >= len(lines) and any(_BREAK.search(v[-2:]) for v in cells)
            i = line_of(reader.line_num - breaks + (1 if at_end else 0))
            if breaks:
                to = "the end of the file" if at_end else f"line {line_of(reader.line_num)}"
                raise SpecError(
                    path,
                    f"row {i}",
                    f"a quoted cell runs on to {to}; expected each row on one line (a quote "
                    "left open?)",
                )
            name = _row_name(raw, first, path, i)
            if None in raw:
                raise SpecError(path, f"row {i}", "more cells than header columns")
            if any(v is None for v in raw.values()):  # DictReader fills a short row with None
                have = sum(v is not None for v in raw.values())
                raise SpecError(
                    path,
                    f"row {i} ('{name}')",
                    f"{have} cells, but the header names {len(raw)} columns; expected one cell "
                    "per column (an empty cell between two commas for a value left out)",
                )
            row = {}
            for col, val in raw.items():
                if col == "name" and "name" not in schema.model_fields:
                    continue
                _check_list(val, schema.model_fields.get(col), path, f"row {i} ('{name}')", col)
                cell = _cell(val or "", schema.model_fields.get(col))
                if cell is not None:
                    row[col] = cell
            rows[name] = row
            origins[name] = Origin(str(path), f"row {i} ('{name}')")
    except csv.Error as exc:
        raise SpecError(path, f"line {line_of(reader.line_num)}", f"expected CSV: {exc}") from None
    kept = (ln for ln in io.StringIO(text, newline="") if not ln.lstrip().startswith("#"))
    if _quote_open_at_end("".join(kept)):  # the last row's last cell, no line break to show it
        raise SpecError(
            path, f"row {i}", "a quoted cell runs on to the end of the file; expected each row "
            "on one line (a quote left open?)",
        )  # fmt: skip
    return rows, origins


def dataset_sets(sets: list[SetEntry]) -> tuple[dict[str, tuple[str, Origin]], list[SetEntry]]:
    """The ``datasets.TABLE`` entries of ``sets`` (table -> (CSV path, origin)) and the rest.

    Each must name a known table and a path; ``datasets`` itself or a path into a table's entry
    is refused, naming where the entry came from."""
    tables: dict[str, tuple[str, Origin]] = {}
    rest: list[SetEntry] = []
    for dotted, value, origin in sets:
        parts = dotted.split(".")
        if parts[0] != "datasets":
            rest.append((dotted, value, origin))
            continue
        key = origin.where or dotted
        if len(parts) != 2:
            raise SpecError(origin.file, key, "expected datasets.TABLE=PATH (a table's CSV file)")
        if parts[1] not in TABLES:
            raise SpecError(
                origin.file,
                key,
                f"unknown table '{parts[1]}'{did_you_mean(parts[1], TABLES)}; "
                f"expected one of {sorted(TABLES)}",
            )
        if not isinstance(value, str) or not value.strip():
            raise SpecError(origin.file, key, "expected a path to a CSV file")
        tables[parts[1]] = (value, origin)
    return tables, rest


def _rows_into(
    data: dict[str, Any], path: Path, table: str, rows: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Merge a table's CSV ``rows`` with the rows the YAML gives inline (which may add rows or
    change cells) at the table's place in ``data``; returns the inline rows."""
    dest = TABLE_PATHS[table]
    node = data
    for part in dest[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise SpecError(path, part, "expected a mapping")
    inline = node.get(dest[-1]) or {}
    if not isinstance(inline, dict):
        raise SpecError(path, ".".join(dest), "expected a mapping of rows by name")
    merged = {**rows}
    for name, row in inline.items():
        if row is not None and not isinstance(row, dict):
            raise SpecError(path, f"{'.'.join(dest)}.{name}", "expected a mapping of columns")
        merged[name] = {**rows.get(name, {}), **(row or {})}
    node[dest[-1]] = merged
    return inline


def load_tables(
    raw: dict[str, Any],
    path: Path,
    roots: list[Path],
    sets: list[SetEntry],
    files: dict[str, str],
) -> tuple[dict[str, Any], dict[tuple[str, ...], Origin], list[SetEntry]]:
    """The model dictionary with every dataset table's rows in place, the rows' origins and the
    ``sets`` left once the ``datasets.TABLE`` entries among them are applied (module docstring).
    Each file read is recorded in ``files`` with its sha256."""
    data: dict[str, Any] = {k: v for k, v in raw.items() if k != "datasets"}
    data["datasets"] = {}
    origins: dict[tuple[str, ...], Origin] = {}
    datasets = raw.get("datasets") or {}
    if not isinstance(datasets, dict):
        raise SpecError(path, "datasets", "expected a mapping of table name to CSV path")
    replaced, rest = dataset_sets(sets)
    given = {t: (rel, Origin(str(path), f"datasets.{t}")) for t, rel in datasets.items()}
    for table, (rel, origin) in {**given, **replaced}.items():
        key = origin.where or f"datasets.{table}"
        if table not in TABLES:
            raise SpecError(
                path,
                key,
                f"unknown table{did_you_mean(table, TABLES)}; expected one of {sorted(TABLES)}",
            )
        if not isinstance(rel, str) or not rel.strip():
            raise SpecError(origin.file, key, "expected a path to a CSV file")
        csv_path = confine(path.parent / rel, roots, Path(origin.file), key)
        where = key if origin.file == str(path) else f"{key} ({origin.file})"
        rows, row_origins, sha = read_table(csv_path, table, where)
        files[str(csv_path)] = sha
        data["datasets"][table] = str(rel)
        inline = _rows_into(data, path, table, rows)
        for name, org in row_origins.items():
            if name not in inline:
                origins[(*TABLE_PATHS[table], name)] = org
    return data, origins, rest
