"""The hourly profiles of the terrestrial sites: where they are, how they are read and checked.

A profile folder (``horizon.hours.profiles``; README "Hourly profiles") holds one CSV per
quantity, each with a column ``hour`` = 0, 1, ..., 8759 (a non-leap year, the site's local
standard time) and one column per terrestrial site:

- ``solar.csv``, ``wind.csv``: AC output per MW of nameplate (hourly availability) in [0, 1];
- ``temperature.csv``: dry-bulb air temperature in [-60, 60] deg C.

``datasets/profiles/make_profiles.py`` makes them offline (pvlib, windpowerlib) and
``sources.csv`` beside them records each one's method and source. Bad input (a missing file or
column, NaN, 8759 rows, a value out of range) is a :class:`SpecError` naming the file and the
column (exit 2). Files are read once per (path, modification time, size).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from twin.spec.errors import SpecError, refuse_repeated_columns
from twin.spec.files import confine, data_roots, project_root, read_text
from twin.spec.ranges import TINY, tiny_expected

if TYPE_CHECKING:
    import pandas as pd

    from twin.spec.spec import Spec

#: Hours of the profile year (365 days; a leap day is not represented) [h].
HOURS = 8760

#: Quantity -> (lowest, highest value allowed, unit): the profile CSVs of a folder.
QUANTITIES: dict[str, tuple[float, float, str]] = {
    "solar": (0.0, 1.0, "MW per MW of nameplate"),
    "wind": (0.0, 1.0, "MW per MW of nameplate"),
    "temperature": (-60.0, 60.0, "deg C"),
}


@dataclass(frozen=True)
class Profiles:
    """The hourly profiles of a folder: quantity -> (8760 x sites) frame, columns = sites."""

    folder: Path
    tables: dict[str, pd.DataFrame]

    @property
    def sites(self) -> list[str]:
        """Sites with every quantity's column, in the order of ``solar.csv``."""
        cols = [set(t.columns) for t in self.tables.values()]
        return [s for s in self.tables["solar"].columns if all(s in c for c in cols)]


def profiles_folder(spec: Spec) -> Path:
    """The folder of the profile CSVs: ``horizon.hours.profiles`` relative to the model file
    (confined to the model's project); else ``profiles/`` beside the model's sites table if it
    exists; else, for a sites table inside the model's project, ``datasets/profiles`` there;
    else the folder beside the sites table, which the error names. A sites table from another
    root (``--data-root``) never takes this project's profiles: they are matched by site name
    only, and another project's sites may share a name and not a place."""
    hours = spec.model.horizon.hours
    if hours.profiles:
        key = "horizon.hours.profiles"
        return confine(spec.path.parent / hours.profiles, data_roots(spec.path), spec.path, key)
    root = project_root(spec.path)
    project = root / "datasets" / "profiles"
    sites = spec.model.datasets.get("sites")
    if sites:
        table = (spec.path.parent / sites).resolve()
        beside = table.parent / "profiles"
        inside = table.is_relative_to(root.resolve())
        return project if not beside.is_dir() and inside and project.is_dir() else beside
    return project


def profiles_digest(spec: Spec) -> str:
    """sha256 of the profile CSVs the spec's hours would read (empty if there is no folder):
    part of a sweep member's input key (:func:`twin.study.ensemble.input_key`), since the
    profiles are not in the validated model. Taken whether or not the spec plans in hours, as a
    member may switch the hours on."""
    try:
        folder = profiles_folder(spec)
    except SpecError:  # a bad horizon.hours.profiles is refused when the hours are loaded
        return ""
    digest = hashlib.sha256()
    for quantity in QUANTITIES:
        path = folder / f"{quantity}.csv"
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def read_profile(path: Path, quantity: str) -> pd.DataFrame:
    """The checked (8760 x sites) table of ``path``: hours 0..8759 in order, every cell a
    number within the quantity's range (:data:`QUANTITIES`); else a :class:`SpecError`."""
    try:
        st = os.stat(path)
    except OSError:
        st = None  # read_text names the missing file
    mtime, size = (st.st_mtime_ns, st.st_size) if st else (0, -1)
    return _read_cached(str(path), quantity, mtime, size).copy()


@lru_cache(maxsize=16)
def _read_cached(path_text: str, quantity: str, mtime: int, size: int) -> pd.DataFrame:
    import pandas as pd  # only when profiles are used: validate and --help stay light

    path = Path(path_text)
    text = read_text(path, f"horizon.hours.profiles ({quantity})", "profile CSV file")
    rows, header = _cells(text, path)
    frame = pd.DataFrame(rows, columns=header)  # the cells as written: errors quote them
    if "hour" not in frame.columns:
        raise SpecError(path, "hour", "expected a column 'hour' (0 .. 8759) and one per site")
    if len(frame) != HOURS:
        raise SpecError(
            path, "rows", f"expected {HOURS} hourly rows (a 365-day year), found {len(frame)}"
        )
    hours = pd.to_numeric(frame["hour"], errors="coerce").to_numpy(float)
    _refuse_tiny(path, "hour", frame["hour"].to_numpy(), hours)  # 5e-400 would pass as hour 0
    if not np.array_equal(hours, np.arange(HOURS, dtype=float)):
        raise SpecError(path, "hour", f"expected the hours 0, 1, ..., {HOURS - 1} in order")
    low, high, unit = QUANTITIES[quantity]
    out = {}
    for col in frame.columns.drop("hour"):
        values = pd.to_numeric(frame[col], errors="coerce").to_numpy(float)
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            raise SpecError(
                path, f"{col}, hour {bad[0]}", f"expected a number [{unit}], found "
                f"'{frame[col].iloc[bad[0]]}' ({bad.size} such hours)",
            )  # fmt: skip
        _refuse_tiny(path, str(col), frame[col].to_numpy(), values)
        out_of = np.flatnonzero((values < low) | (values > high))
        if out_of.size:
            raise SpecError(
                path, f"{col}, hour {out_of[0]}", f"expected a value in [{low:g}, {high:g}] "
                f"[{unit}], found {values[out_of[0]]:g} ({out_of.size} such hours)",
            )  # fmt: skip
        out[str(col)] = values
    return pd.DataFrame(out)


def _refuse_tiny(path: Path, col: str, texts: np.ndarray, values: np.ndarray) -> None:
    """No cell of a column is a nonzero number closer to 0 than 1e-12 or below the smallest
    float (read as 0): the rule of a table cell (:func:`twin.spec.ranges.tiny_expected`)."""
    near = np.flatnonzero(np.abs(values) < TINY)  # 0 as read: 0, 0.0, or 5e-400
    if not near.size:
        return
    problems = {t: tiny_expected(str(t)) for t in set(texts[near])}  # few distinct texts
    bad = [h for h in near if problems[texts[h]]]
    if bad:
        raise SpecError(
            path, f"{col}, hour {bad[0]}", f"{problems[texts[bad[0]]]} ({len(bad)} such hours)"
        )


def _cells(text: str, path: Path) -> tuple[list[list[str]], list[str]]:
    """The rows and the header of a profile CSV, as text: each column named once, each row
    with one cell per column (a row with more cells than the header is not read as an index)."""
    try:
        lines = [(n, r) for n, r in enumerate(csv.reader(io.StringIO(text)), start=1) if r]
    except csv.Error as exc:
        raise SpecError(path, "rows", f"expected a CSV table: {exc}") from None
    if not lines:
        raise SpecError(path, "header", "expected a column 'hour' (0 .. 8759) and one per site")
    header = lines[0][1]
    refuse_repeated_columns(header, path)
    for n, row in lines[1:]:
        if len(row) != len(header):
            raise SpecError(
                path,
                f"line {n}",
                f"{len(row)} cells, but the header names {len(header)} columns; expected one "
                "cell per column (a site missing from the header?)",
            )
    return [row for _, row in lines[1:]], header


def load_profiles(spec: Spec) -> Profiles:
    """Every quantity's checked table from the spec's profile folder."""
    folder = profiles_folder(spec)
    if not folder.is_dir():
        raise SpecError(
            folder, "horizon.hours.profiles", "expected a folder of hourly profiles (solar.csv, "
            "wind.csv, temperature.csv): profiles/ beside the sites table, datasets/profiles in "
            "the model's project, or horizon.hours.profiles; or representative_days: none for "
            "the energy-only form, which reads none",
        )  # fmt: skip
    return Profiles(folder, {q: read_profile(folder / f"{q}.csv", q) for q in QUANTITIES})


def check_profiles(spec: Spec) -> list[SpecError]:
    """With representative days asked for, the profiles read and cover every enabled
    terrestrial site (one column per site in each CSV)."""
    if spec.model.horizon.hours.representative_days is None:
        return []
    try:
        profiles = load_profiles(spec)
    except SpecError as err:
        return [err]
    out = []
    for quantity, table in profiles.tables.items():
        for name, site in spec.model.sites.items():
            if site.kind == "terrestrial" and site.enabled and name not in table.columns:
                out.append(
                    SpecError(
                        profiles.folder / f"{quantity}.csv",
                        name,
                        f"expected a column for the terrestrial site '{name}' (regenerate with "
                        "python datasets/profiles/make_profiles.py)",
                    )
                )
    return out


__all__ = ["HOURS", "QUANTITIES", "Profiles", "check_profiles", "load_profiles", "read_profile"]
