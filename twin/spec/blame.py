"""Where a value of a validated model came from, for the consistency checks' errors.

A value may come from a dataset CSV's row, the model file, a scenario's ``set`` entry or a
command-line ``--set`` (:attr:`twin.spec.spec.Spec.origins`, recorded by the loader). A check
names the place that set it: the option, the scenario's key, else the table's file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from twin.spec.spec import table_file

if TYPE_CHECKING:
    from twin.spec.spec import Spec


def _parts(table: str, name: str, key: str | None) -> tuple[str, ...]:
    head = ("orbit", "ground_stations") if table == "ground_stations" else (table,)
    return (*head, name, *([key] if key else []))


def _override(spec: Spec, parts: tuple[str, ...], shortest: int) -> tuple[str, str] | None:
    """``(file, key)`` of the ``--set``, scenario entry or CSV row that set ``parts`` or a key
    above it (down to ``shortest`` parts), or None if the value is the model file's own."""
    for n in range(len(parts), shortest - 1, -1):
        origin = spec.origins.get(parts[:n])
        if origin is None:
            continue
        if origin.file.startswith("--"):
            return origin.file, ".".join(parts)
        where = origin.where or ""
        if where.startswith("scenarios."):
            return origin.file, ".".join([where, *parts[n:]])
        if where.startswith("row "):  # a CSV row: its line, as the schema's errors name it
            column = f", column '{parts[n]}'" if len(parts) > n else ""
            return origin.file, f"{where}{column} ({'.'.join(parts)})"
        return None
    return None


def blame(spec: Spec, table: str, name: str, key: str | None = None) -> tuple[str | Path, str]:
    """``(file, key)`` naming where ``table.name.key`` was set: ``("--set",
    "sites.x.max_mw")``, ``(model, "scenarios.s.set.sites.x.max_mw")``, ``(sites.csv, "row 3
    ('x'), column 'max_mw' (sites.x.max_mw)")``, else the table's file and ``table.name.key``
    (a table given inline: the model file)."""
    parts = _parts(table, name, key)
    found = _override(spec, parts, len(parts) - (1 if key else 0))
    return found if found is not None else (table_file(spec, table), ".".join(parts))


def blame_path(spec: Spec, dotted: str) -> tuple[str | Path, str]:
    """``(file, key)`` naming where the model-file key ``dotted`` was set (as :func:`blame`)."""
    found = _override(spec, tuple(dotted.split(".")), 1)
    return found if found is not None else (spec.path, dotted)


def source(spec: Spec, table: str, name: str, key: str, blamed: str | Path) -> str:
    """`` (from FILE: KEY)`` of :func:`blame` for a second value named in a message blamed on
    the file ``blamed``, or ``""`` when that value comes from the same file."""
    file, where = blame(spec, table, name, key)
    return "" if str(file) == str(blamed) else f" (from {file}: {where})"
