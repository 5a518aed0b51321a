"""Scenario ensembles (kept for ``from twin.sweep import ...``): see :mod:`twin.study.ensemble`.

``run_sweep`` solves the members on Dask, writes one report per member (kept on a re-run when
its inputs are unchanged) and returns the summary Dataset over ``member`` with percentiles.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import xarray as xr

from twin.study.ensemble import Member, Progress, grid, run_ensemble
from twin.study.outcomes import break_even, summary, swept, variable_name

__all__ = [
    "Member", "break_even", "grid", "run_member", "run_sampled", "run_sweep", "summary", "swept",
    "variable_name",
]  # fmt: skip


def run_member(model: str | Path, member: Member, out_dir: str | Path) -> dict:
    """Solve one member in this process and write its report; its summary row."""
    from twin.report.member import ReportTask
    from twin.study.ensemble import member_keys

    (key,) = member_keys(str(model), [member])
    return ReportTask()(str(model), member, key, str(out_dir))


def run_sweep(
    model: str | Path,
    members: list[Member],
    out_dir: str | Path,
    n_workers: int = 2,
    scheduler: str | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    reports: bool = True,
) -> xr.Dataset:
    """Solve ``members`` (finished ones kept) and return the summary (dims ``member``).
    Without ``reports`` a member leaves only its summary row (``<member>.json``).

    ``scheduler`` is the address of a running Dask scheduler; without it a LocalCluster of
    ``n_workers`` single-threaded processes is started and closed (0: in this process).
    """
    from twin.report.member import ReportTask

    task = ReportTask(reports=reports)
    rows = run_ensemble(model, members, out_dir, task, n_workers, scheduler, on_progress)
    return summary(rows, members)


#: Outputs whose global sensitivity a sampled sweep reports: NPV and the main decisions.
SENSITIVITY_OUTPUTS = ("npv_musd", "build_mw", "capex_musd", "leased_share", "chips_bought")


def run_sampled(
    model: str | Path,
    scenario: str | None,
    samples: int,
    out_dir: str | Path,
    method: str = "lhs",
    seed: int = 0,
    sensitivity: str = "fast",
    n_workers: int = 2,
    scheduler: str | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    reports: bool = True,
) -> xr.Dataset:
    """A sampled ensemble of ``scenario`` drawn from its ``uncertainty:`` section
    (:mod:`twin.study.sampling`), solved like :func:`run_sweep`, with global sensitivity.

    The summary gains ``unit_coordinate(member, input)`` (each member's design point, with
    ``input_path``) and the sensitivity indices over ``(input, output)``.
    """
    import numpy as np

    from twin.spec.load import load_model
    from twin.study.ensemble import check_members
    from twin.study.sampling import (
        check_design,
        check_seed,
        design_size,
        sample_members,
        uncertain_inputs,
        unit_design,
    )
    from twin.study.sampling import sensitivity as indices

    check_design(samples, method, sensitivity, enough=False)
    check_seed(seed)
    spec = load_model(model, scenario=scenario)
    inputs = uncertain_inputs(spec)  # a missing uncertainty: section before a sample count
    check_design(samples, method, sensitivity)  # at least the sensitivity's least samples
    n = design_size(samples, len(inputs), sensitivity)
    check_members(n, "--samples", f"{samples} ({sensitivity} design on {len(inputs)} inputs)")
    u = unit_design(samples, len(inputs), method, seed, sensitivity)
    members = sample_members(spec, u)
    ds = run_sweep(model, members, out_dir, n_workers, scheduler, on_progress, reports)
    ds["unit_coordinate"] = (("member", "input"), u)
    ds = ds.assign_coords(
        input=np.array([m.name for m in inputs], dtype=object),
        input_path=("input", np.array([m.path for m in inputs], dtype=object)),
    )
    ds["unit_coordinate"].attrs.update(units="1", long_name="design point on the unit cube")
    if sensitivity != "none":
        ys = {k: ds[k].values for k in SENSITIVITY_OUTPUTS}
        ds = ds.merge(
            indices(inputs, u, ys, sensitivity, seed),
            compat="no_conflicts",
            combine_attrs="override",
        )
    ds.attrs.update(
        method=method if sensitivity not in ("morris", "sobol") else f"{sensitivity} design",
        seed=seed, samples=samples, sensitivity=sensitivity, scenario=spec.scenario or "",
    )  # fmt: skip
    return ds
