"""Write a report to netCDF atomically and read it back."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import xarray as xr

from twin.errors import BadInput
from twin.interrupt import deferred
from twin.report.cf import annotate
from twin.report.dataset import SCHEMA_VERSION


class ReportError(BadInput):
    """A file that is not a twin report (or not readable): names the file and what was expected."""

    def __init__(self, file: str | Path, expected: str) -> None:
        self.file = str(file)
        super().__init__(f"{file}: {expected}")


def write(ds: xr.Dataset, path: str | Path) -> Path:
    """Write ``ds`` to ``path`` (netCDF4/HDF5) atomically.

    :func:`twin.report.cf.annotate` makes what is written CF-1.11 compliant. The data go to a
    temporary file in the same directory, which is renamed over ``path`` only
    once complete: a failed write leaves no partial file, and an existing file stays as it was.
    """
    path = Path(path)
    if not path.parent.exists():
        raise ReportError(path, f"expected an existing directory '{path.parent}' for the report")
    ds = annotate(ds.copy())  # CF conventions on whatever is written (idempotent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        with deferred():  # a signal waits for HDF5 to close the file, then drops it (below)
            ds.to_netcdf(tmp, engine="netcdf4", format="NETCDF4")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def open(path: str | Path) -> xr.Dataset:
    """Read a report written by :func:`write` fully into memory (the file is closed after)."""
    if not isinstance(path, str | Path) or not str(path).strip():
        raise ReportError(repr(path)[:80], "expected the path of a report file (netCDF)")
    path = Path(path)
    if not path.exists():
        raise ReportError(path, "expected an existing report file (netCDF); none found")
    if not path.is_file():  # a directory, FIFO or device: never opened (a FIFO would block)
        raise ReportError(path, "expected a report file (netCDF), found no regular file")
    try:
        ds = xr.load_dataset(path, engine="netcdf4")
    except (OSError, ValueError) as exc:
        raise ReportError(path, f"expected a netCDF report, could not read it ({exc})") from None
    if ds.attrs.get("schema_version") != SCHEMA_VERSION:
        raise ReportError(
            path,
            f"expected a twin report (schema_version {SCHEMA_VERSION}), "
            f"found schema_version {ds.attrs.get('schema_version')!r}",
        )
    return ds
