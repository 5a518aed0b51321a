"""Reports of studies: a myopic plan with each window's decisions, near-optimal alternatives,
the value of a contract clause.

A study's result is still a report (one netCDF schema): the plan's variables as
:func:`~twin.report.dataset.to_dataset` makes them, plus what the study adds, named in attributes.
"""

from __future__ import annotations

import xarray as xr

from twin.plan import Plan
from twin.report.dataset import to_dataset
from twin.study.alternatives import Alternative, Alternatives
from twin.study.clauses import ClauseValue
from twin.study.foresight import Myopic


def plan_report(result: Plan | Myopic) -> xr.Dataset:
    """The report of a plan under either foresight.

    A myopic report holds the last window's plan (the myopic plan over the whole horizon) and,
    over a ``window`` dimension, what each window planned (``window_build_mw``,
    ``window_chips_bought``, ``window_objective_musd``); its attributes name the foresight, the
    window and the step [years].
    """
    if isinstance(result, Plan):
        return to_dataset(result)
    ds = to_dataset(result.plan).merge(
        result.windows, compat="no_conflicts", join="outer", combine_attrs="override"
    )
    ds.attrs.update(
        foresight="myopic",
        window_years=result.window_years,
        step_years=result.step_years,
        n_windows=int(result.windows.sizes["window"]),
    )
    return ds


def alternative_report(alt: Alternative, plan: Plan, study: Alternatives) -> xr.Dataset:
    """The report of one near-optimal alternative: the plan it found, its name, how it was
    found, the slack and NPV floor. Its duals are those of the alternative's own problem (the
    metric's objective under the NPV floor), not marginal values of the NPV."""
    ds = to_dataset(plan)
    ds.attrs.update(
        title=f"{ds.attrs['title']} / alternative {alt.name}",
        alternative=alt.name,
        alternative_kind=alt.kind,
        alternative_target=alt.target,
        slack=study.slack,
        optimum_musd=study.optimum_musd,
        npv_floor_musd=study.floor_musd,
        duals_note="" if alt.kind == "optimum" else "duals of the alternative's own problem",
    )
    return ds


def clause_report(v: ClauseValue, basis: str, scenario: str | None) -> xr.Dataset:
    """The value of a contract clause as a file (``twin clause --out``): the optimal (expected)
    NPV with and without the clause and their difference [$M], ``basis`` naming which NPV."""
    import numpy as np

    ds = xr.Dataset(
        {
            "npv_with_clause_musd": ((), np.float64(v.with_npv)),
            "npv_without_clause_musd": ((), np.float64(v.without_npv)),
            "clause_value_musd": ((), np.float64(v.value)),
        },
        attrs={
            "title": f"value of the {v.clause} clause of {v.contract}",
            "contract": v.contract,
            "clause": v.clause,
            "basis": basis,
            "scenario": scenario or "",
        },
    )
    for name, long_name in (
        ("npv_with_clause_musd", "optimal NPV with the clause"),
        ("npv_without_clause_musd", "optimal NPV without the clause"),
        ("clause_value_musd", "value of the clause: with minus without"),
    ):
        ds[name].attrs.update(units="1e6 USD", long_name=long_name)
    return ds
