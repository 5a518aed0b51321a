"""Scenario ensembles (kept for ``from twin.sweep import ...``): see :mod:`twin.study.ensemble`.

``run_sweep`` solves the members on Dask, writes one report per member (kept on a re-run when
its inputs are unchanged) and returns the summary Dataset over ``member`` with percentiles.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import xarray as xr

from twin.study.ensemble import Member, Progress, grid, run_ensemble
from twin.study.outcomes import break_even, summary

__all__ = ["Member", "break_even", "grid", "run_sweep", "summary"]


def run_sweep(
    model: str | Path,
    members: list[Member],
    out_dir: str | Path,
    n_workers: int = 2,
    scheduler: str | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> xr.Dataset:
    """Solve ``members`` (finished ones kept) and return the summary (dims ``member``).

    ``scheduler`` is the address of a running Dask scheduler; without it a LocalCluster of
    ``n_workers`` single-threaded processes is started and closed (0: in this process).
    """
    from twin.report.member import ReportTask

    rows = run_ensemble(model, members, out_dir, ReportTask(), n_workers, scheduler, on_progress)
    return summary(rows, members)
