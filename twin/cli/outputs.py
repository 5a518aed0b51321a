"""Checks the command line makes before any work: output paths, and reports read back.

An output (``--out`` file, ``--out-dir`` folder) is checked before the model is loaded or solved:
a ``.nc`` name, not a directory or special file, in an existing folder where a file can be created
(tried with a probe file, removed at once). A report given to ``twin show`` / ``twin compare``
must hold everything they read (:data:`REPORT_NEEDS`); what it lacks is named. A command that
writes several files writes them as a set (:func:`output_set`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twin.spec.errors import SpecError

if TYPE_CHECKING:
    import xarray as xr

    from twin.spec.spec import Spec

#: What ``twin show`` and ``twin compare`` read from a report: data variables and attributes.
REPORT_NEEDS = (
    [
        "allocation_h100e",
        "capacity_mw",
        "chip_h100e",
        "chips_bought",
        "chips_made",
        "chips_vendor_cap",
        "marginal_value_capacity",
        "marginal_value_compute",
        "marginal_value_power",
        "max_mw",
        "power_limit_mw",
        "power_mw",
        "unmet_h100e",
    ],
    [
        "npv_musd",
        "solver",
        "termination_condition",
        "n_rows",
        "n_columns",
        "n_nonzeros",
        "build_s",
        "handoff_s",
        "solve_s",
        "report_s",
        "mip_gap",
    ],
)


def writable_dir(option: str, path: Path, folder: Path) -> None:
    """``folder`` exists, is a directory, and a file can be created in it (tried, then removed)."""
    if not folder.exists():
        raise SpecError(option, str(path), f"expected an existing directory '{folder}'")
    if not folder.is_dir():
        raise SpecError(option, str(path), f"expected '{folder}' to be a directory")
    try:
        fd, probe = tempfile.mkstemp(prefix=".twin-probe.", dir=folder)
    except OSError as exc:
        raise SpecError(
            option, str(path), f"expected a writable directory '{folder}': {exc.strerror}"
        ) from None
    os.close(fd)
    os.unlink(probe)


def check_out(path: Path, option: str = "--out") -> None:
    """Before any work: ``path`` ends in .nc, is not a directory, and the file it names (a
    link's target, :func:`twin.atomic.destination`) is no FIFO, device or socket and has a
    writable folder."""
    if path.suffix != ".nc":
        raise SpecError(option, str(path), "expected a file name ending in .nc")
    if path.is_dir():
        raise SpecError(option, str(path), "expected a file name, found a directory")
    folder = written_file(path, option).parent
    writable_dir(option, path, folder if str(folder) else Path("."))


def written_file(path: Path, option: str) -> Path:
    """The file writing output ``path`` replaces: ``path``, or a link's target; a link whose
    target's folder does not exist, or a FIFO, device or socket (or a link to one), is a
    :class:`SpecError` naming ``option``."""
    from twin.atomic import destination

    return destination(path, lambda why: SpecError(option, str(path), f"is {why}"))


def save_figure(fig: Any, path: Path, option: str, **kwargs: Any) -> None:
    """Save matplotlib figure ``fig`` as ``path`` (its format by its suffix) atomically
    (:func:`twin.atomic.write_atomic`), then close it: a failed drawing leaves no partial image
    and an existing one as it was; a file that cannot be written is a SpecError naming
    ``option``."""
    import matplotlib.pyplot as plt

    from twin.atomic import write_atomic

    def fail(why: str) -> SpecError:
        return SpecError(option, str(path), f"could not be written ({why})")

    def draw(tmp: Path) -> None:
        fig.savefig(tmp, format=path.suffix[1:].lower(), **kwargs)

    try:
        write_atomic(path, draw, fail)
    finally:
        plt.close(fig)


def check_out_dir(path: Path) -> None:
    """Before any work: ``--out-dir`` is a writable directory or can be made in one."""
    if path.exists():
        if not path.is_dir():
            raise SpecError("--out-dir", str(path), "expected a directory, found a file")
        writable_dir("--out-dir", path, path)
    else:
        writable_dir("--out-dir", path, path.parent)


def input_files(spec: Spec) -> list[Path]:
    """Every file a loaded model reads that exists: the model file, its dataset tables and TLE
    files (``spec.files``) and the hourly profile CSVs of its profile folder."""
    from twin.spec.profiles import QUANTITIES, profiles_folder

    files = [Path(f) for f in spec.files]
    with contextlib.suppress(SpecError):  # no profile folder: hours (if on) refuse it on load
        files += [profiles_folder(spec) / f"{q}.csv" for q in QUANTITIES]
    return [f for f in files if f.is_file()]


def check_not_input(option: str, outputs: list[Path], inputs: list[Path]) -> None:
    """No output is one of the inputs (the same file by any path, link included): writing it
    would replace what the command read. Checked once the inputs are known, before any work."""
    for path in (p for p in outputs if p.exists()):
        for f in inputs:
            if os.path.samefile(path, f):
                raise SpecError(
                    option,
                    str(path),
                    f"is the input {f}; expected a file the command does not read",
                )


def check_dir_holds_no_input(option: str, out_dir: Path, pattern: str, inputs: list[Path]) -> None:
    """No input lies in ``out_dir`` under a name the command writes there (the regular expression
    ``pattern``): it would be replaced (or, for a set of outputs, removed)."""
    written = re.compile(pattern)
    check_not_input(option, [p for p in out_dir.glob("*") if written.fullmatch(p.name)], inputs)


def open_report(path: Path) -> xr.Dataset:
    """A report with everything ``show``/``compare`` read, else a ReportError naming what lacks."""
    from twin.report import open as open_netcdf

    return complete_report(open_netcdf(path), path)  # open refuses a directory, FIFO, device


def complete_report(ds: xr.Dataset, path: Path) -> xr.Dataset:
    """``ds`` (read from ``path``) if it is a report of this schema version holding everything
    ``show``/``compare``/``plot`` read (:data:`REPORT_NEEDS`), else a ReportError naming what
    lacks."""
    from twin.report import ReportError
    from twin.report.dataset import SCHEMA_VERSION

    if ds.attrs.get("schema_version") != SCHEMA_VERSION:
        raise ReportError(
            path,
            f"expected a twin report (schema_version {SCHEMA_VERSION}), "
            f"found schema_version {ds.attrs.get('schema_version')!r}",
        )
    variables, attrs = REPORT_NEEDS
    missing = [v for v in variables if v not in ds.variables]
    missing += [f"attribute {a}" for a in attrs if a not in ds.attrs]
    if missing:
        raise ReportError(path, f"expected a complete twin report; missing {', '.join(missing)}")
    return ds


@contextlib.contextmanager
def output_set(out_dir: Path, previous: str) -> Iterator[Path]:
    """Write a command's outputs as a set: the block writes into a staging folder (the folder it
    yields) inside ``out_dir`` if it exists, else beside it, so that the files move within one
    file system (``/dev/shm`` or a mount point as ``out_dir``: its parent may be another file
    system, or not writable); when the block ends without error the new files replace
    the previous set in ``out_dir`` (files whose names match the regular expression
    ``previous``; other files are left alone), with signals deferred during the swap. On an
    error or a signal the staging folder is removed and ``out_dir`` is left as it was.
    """
    from twin.interrupt import deferred

    home = out_dir if out_dir.is_dir() else out_dir.parent
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=home))
    try:
        yield stage
        with deferred():
            out_dir.mkdir(exist_ok=True)
            new = {p.name for p in stage.iterdir()}
            for p in stage.iterdir():
                os.replace(p, out_dir / p.name)
            pattern = re.compile(previous)
            for p in out_dir.iterdir():
                if p.name not in new and p.is_file() and pattern.fullmatch(p.name):
                    p.unlink()
    finally:
        shutil.rmtree(stage, ignore_errors=True)
