"""Write a report to netCDF atomically and read it back."""

from __future__ import annotations

import datetime as dt
import json
import numbers
import os
import re
from pathlib import Path

import xarray as xr

from twin.atomic import write_atomic
from twin.errors import BadInput
from twin.report.cf import annotate
from twin.report.dataset import SCHEMA_VERSION


class ReportError(BadInput):
    """A file that is not a twin report (or not readable): names the file and what was expected."""

    def __init__(self, file: str | Path, expected: str) -> None:
        self.file = str(file)
        super().__init__(f"{file}: {expected}")


#: attribute of a label variable naming the dimension whose labels it holds
LABELS_OF = "labels_of_dimension"


def _encode_labels(ds: xr.Dataset) -> xr.Dataset:
    """Strings labelling a dimension (sites, chips, members...) as CF label variables.

    In memory, ``site`` is an index of strings; CF (sections 5 and 6.1) wants a coordinate
    variable -- a variable named after its dimension -- to be numeric and monotonic, and string
    labels in an auxiliary coordinate variable named otherwise. On disk ``site`` is therefore a
    bare dimension and ``site_label(site)`` holds the names (with the coordinate's attributes and
    ``labels_of_dimension = "site"``), referenced from each variable's ``coordinates``; :func:`read`
    turns it back into the index, so a report round-trips identically.
    """
    labels = {}
    for dim in list(ds.dims):
        if dim in ds.coords and ds[dim].dtype.kind in "OUS":
            name = f"{dim}_label"
            while name in ds.variables:  # a report's own variable of that name stays as it is
                name += "_"
            labels[dim] = name
    if not labels:
        return ds
    out = ds.copy()
    for dim, name in labels.items():
        attrs = dict(ds[dim].attrs, **{LABELS_OF: str(dim)})
        out = out.drop_indexes(dim).rename_vars({dim: name})
        out[name].attrs = attrs
    return out


def _decode_labels(ds: xr.Dataset) -> xr.Dataset:
    """Undo :func:`_encode_labels`: every ``labels_of_dimension`` variable back to its index."""
    for name in [n for n in ds.variables if LABELS_OF in ds[n].attrs]:
        dim = str(ds[name].attrs[LABELS_OF])
        attrs = {k: v for k, v in ds[name].attrs.items() if k != LABELS_OF}
        ds = ds.rename_vars({name: dim}).set_xindex(dim)
        ds[dim].attrs = attrs
    return ds


#: Global attributes that hold one number in every file twin writes, by name: counts
#: (``n_rows``), money (``npv_musd``), seconds (``solve_s``), shares, years, levels, gaps, rates.
NUMERIC_ATTRS = re.compile(
    r"n_\w+|\w+_(musd|s|share|years|level|gap|rate|iterations)|optimal|is_mip|slack|samples|seed"
    r"|discount_factor_end|money_base_year"
)
#: Global attributes that hold JSON text, and those that hold an ISO date.
JSON_ATTRS = frozenset(
    {"overrides", "swept_paths", "stage_dates", "uncertain_inputs", "coefficient_ranges",
     "package_versions", "input_sha256", "member_row"}
)  # fmt: skip
DATE_ATTRS = frozenset({"horizon_end", "solved_horizon_end"})
#: Variables with units that hold words: a stochastic leaf's path of nodes (a swept path may
#: hold words too: its coordinate carries ``swept_path``).
TEXT_VARIABLES = frozenset({"scenario_node"})


def _attr_problem(name: str, value: object) -> str | None:
    """What is wrong with global attribute ``name`` holding ``value``, or None."""
    if NUMERIC_ATTRS.fullmatch(name):
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool)  # no array, no flag
        return None if ok else "expected a number"
    if name in JSON_ATTRS or name in DATE_ATTRS:
        if not isinstance(value, str):
            return "expected text"
        try:
            json.loads(value) if name in JSON_ATTRS else dt.date.fromisoformat(value)
        except ValueError:
            return "expected JSON text" if name in JSON_ATTRS else "expected an ISO date"
    return None


def check_types(ds: xr.Dataset, path: str | Path) -> None:
    """Every attribute and variable a command reads has the type twin writes: a numeric attribute
    (:data:`NUMERIC_ATTRS`) holds a number, JSON and date attributes parse, and a variable with
    units holds numbers or times. A :class:`ReportError` names the first that does not."""
    for name, value in ds.attrs.items():
        problem = _attr_problem(str(name), value)
        if problem:
            raise ReportError(path, f"attribute {name}: {problem}, found {value!r:.60}")
    for name, var in ds.variables.items():
        words = "swept_path" in var.attrs or name in TEXT_VARIABLES
        numeric = "units" in var.attrs and not words
        if numeric and var.dtype.kind not in "biufcmM":
            raise ReportError(path, f"variable {name}: expected numbers, found {var.dtype} values")


#: What every reader of a file twin wrote expects (show, compare, plot, the Python API).
EXPECTED_FILE = "expected a netCDF file twin wrote (a report, sweep.nc, alternatives.nc, ...)"
#: The first bytes of a netCDF file: netCDF-4 (HDF5), then the classic and 64-bit forms.
NETCDF_MAGIC = (b"\x89HDF\r\n\x1a\n", b"CDF\x01", b"CDF\x02", b"CDF\x05")


def check_readable(path: str | Path) -> Path:
    """``path`` if it names a regular, non-empty file that starts as netCDF does; else a
    :class:`ReportError` saying, alike for every reader, what was found: none, a directory,
    no regular file (a FIFO, a device), an empty file, a file that is not netCDF."""
    if not isinstance(path, str | Path) or not str(path).strip():
        raise ReportError(repr(path)[:80], f"{EXPECTED_FILE}; found no path")
    path = usable(Path(path))
    if not path.exists():
        raise ReportError(path, f"{EXPECTED_FILE}; no such file")
    if path.is_dir():
        raise ReportError(path, f"{EXPECTED_FILE}; found a directory")
    if not path.is_file():  # a FIFO or device: never opened (a FIFO would block)
        raise ReportError(path, f"{EXPECTED_FILE}; found no regular file (a FIFO or a device)")
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise ReportError(path, f"{EXPECTED_FILE}; cannot read it: {exc.strerror}") from None
    if not head:
        raise ReportError(path, f"{EXPECTED_FILE}; found an empty file")
    if not head.startswith(NETCDF_MAGIC):
        raise ReportError(path, f"{EXPECTED_FILE}; found a file that is not netCDF")
    return path


def read(path: str | Path) -> xr.Dataset:
    """Any netCDF file twin wrote, fully in memory, with its label variables back as indexes
    (:func:`_decode_labels`); a path that is no readable netCDF file (:func:`check_readable`),
    a file that cannot be read, or one holding an attribute or variable of the wrong type
    (:func:`check_types`), is a :class:`ReportError`."""
    path = check_readable(path)
    try:
        ds = xr.load_dataset(path, engine="netcdf4")
    except (OSError, ValueError) as exc:
        raise ReportError(path, f"expected a netCDF file twin writes ({exc})") from None
    check_types(ds, path)
    return _decode_labels(ds)


def write(ds: xr.Dataset, path: str | Path) -> Path:
    """Write ``ds`` to ``path`` (netCDF4/HDF5) atomically.

    :func:`twin.report.cf.annotate` makes what is written CF-1.11 compliant. The data go to a
    temporary file in the same directory, which is renamed over ``path`` only once complete
    (:func:`twin.atomic.write_atomic`): a failed write leaves no partial file, and an existing
    file stays as it was; a symbolic link at ``path`` is written through, to its target. A file
    that cannot be written (no space, no permission) is a :class:`ReportError`.
    """
    if not isinstance(ds, xr.Dataset):
        raise ReportError(repr(ds)[:80], "expected an xarray Dataset (a report) to write")
    if not isinstance(path, str | Path) or not str(path).strip():
        raise ReportError(repr(path)[:80], "expected the path of the report file to write")
    path = usable(Path(path))
    if not path.parent.exists():
        raise ReportError(path, f"expected an existing directory '{path.parent}' for the report")
    if path.is_dir() or (path.exists() and not path.is_file()):
        raise ReportError(path, "expected a file name for the report, found no regular file")
    ds = _encode_labels(annotate(ds.copy()))  # CF conventions on whatever is written

    def fail(why: str) -> ReportError:
        return ReportError(path, f"expected a file that can be written: {why}")

    def netcdf(tmp: Path) -> None:
        ds.to_netcdf(tmp, engine="netcdf4", format="NETCDF4")

    write_atomic(path, netcdf, fail)
    return path


def usable(path: Path) -> Path:
    """``path``, if the file system can look it up (missing is fine); a NUL byte, a name too
    long or a symlink loop is a :class:`ReportError` (an OSError or ValueError of the API)."""
    try:
        os.stat(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise ReportError(path, f"expected a usable file path: {exc.strerror}") from None
    except ValueError:
        raise ReportError(repr(str(path))[:80], "expected a file path without a NUL byte") from None
    return path


def open(path: str | Path) -> xr.Dataset:
    """Read a report written by :func:`write` fully into memory (the file is closed after)."""
    if not isinstance(path, str | Path) or not str(path).strip():
        raise ReportError(repr(path)[:80], "expected the path of a report file (netCDF)")
    ds = read(path)  # none, a directory, an empty or non-netCDF file: as every reader says
    if ds.attrs.get("schema_version") != SCHEMA_VERSION:
        raise ReportError(
            path,
            f"expected a twin report (schema_version {SCHEMA_VERSION}), "
            f"found schema_version {ds.attrs.get('schema_version')!r}",
        )
    return ds
