"""The one-call API: ``twin.solve(model, scenario=..., overrides={...})``.

>>> import twin
>>> res = twin.solve("models/baseline.yaml", scenario="neocloud",
...                  overrides={"economics.discount_rate": 0.08})  # doctest: +SKIP
>>> res.summary["npv_musd"]  # doctest: +SKIP
>>> res.statistics().query("metric == 'capacity_mw'")  # doctest: +SKIP

It loads and validates the model (a YAML path or a dict), builds and solves the plan with HiGHS,
and returns a :class:`Solution` holding the report Dataset, a summary and a tidy table of results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import xarray as xr

from twin.plan.quantities import report_dims

#: the dimensions a statistics row may carry, in column order: every dimension of a declared
#: report variable (:mod:`twin.plan.quantities`), ``period`` last
DIMS = report_dims()
SUMMARY_KEYS = (
    "npv_musd",
    "objective_musd",
    "termination_condition",
    "mip_gap",
    "build_s",
    "handoff_s",
    "solve_s",
)


@dataclass(frozen=True)
class Solution:
    """A solved plan: ``dataset`` (the report, see :mod:`twin.report.dataset`), ``plan`` (the
    Pyomo model and solver result), ``summary`` (NPV [$M], status, timings [s])."""

    dataset: xr.Dataset
    plan: Any

    @property
    def summary(self) -> dict[str, Any]:
        """NPV and objective [$M, real], termination condition, MIP gap [-], timings [s]."""
        a = self.dataset.attrs
        return {k: a[k] for k in SUMMARY_KEYS if k in a} | {
            "scenario": a.get("scenario") or None,
            "overrides": a.get("overrides"),
        }

    def statistics(self, metrics: Sequence[str] | None = None) -> pd.DataFrame:
        """A tidy table: one row per metric and index (the dimensions of the declared report
        variables, :data:`DIMS`: site, tenant, chip, source, contract, fab, project, notice,
        lease, offer, period, whichever the metric has; empty otherwise), with ``value`` and
        ``units`` (the domain units, e.g. "H100e", "1e6 USD"). ``metrics`` defaults to every
        numeric variable of the report.

        E.g. ``res.statistics(["allocation_h100e"]).groupby("tenant").value.sum()``.
        """
        return statistics(self.dataset, metrics)


def statistics(ds: xr.Dataset, metrics: Sequence[str] | None = None) -> pd.DataFrame:
    """The tidy table of :meth:`Solution.statistics` for any report Dataset."""
    dims = report_dims()  # at call time: families registered since import count too
    names = list(metrics) if metrics is not None else _numeric(ds, dims)
    frames = []
    for name in names:
        da = ds[name]
        df = da.to_series().rename("value").reset_index() if da.dims else _scalar(da)
        df.insert(0, "metric", name)
        df["units"] = str(da.attrs.get("twin_units", da.attrs.get("units", "")))
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    for d in dims:
        if d not in out:
            out[d] = pd.NaT if d == "period" else ""
    labels = [d for d in dims if d != "period"]
    out[labels] = out[labels].astype(object).fillna("")
    return out[["metric", *dims, "value", "units"]]


def _numeric(ds: xr.Dataset, dims: tuple[str, ...]) -> list[str]:
    return [
        str(n)
        for n, v in ds.data_vars.items()
        if v.dtype.kind in "fiu" and set(v.dims) <= set(dims)
    ]


def _scalar(da: xr.DataArray) -> pd.DataFrame:
    return pd.DataFrame({"value": [float(da.values)]})


def solve(
    model: str | Path | Mapping[str, Any],
    scenario: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    handoff: str = "matrix",
) -> Solution:
    """Load ``model`` (a YAML file or a model dict), apply ``scenario`` and ``overrides``
    (``{"dotted.path": value}``), solve with HiGHS and return the :class:`Solution`.

    Raises :class:`twin.SpecError` on bad input and :class:`twin.PlanFailed` if no plan exists.
    """
    from twin.plan import plan
    from twin.report import to_dataset
    from twin.spec import load_dict, load_model

    over = list((overrides or {}).items())
    if isinstance(model, Mapping):
        if scenario is not None:
            raise ValueError("scenario needs a model file; apply it to the dict instead")
        spec = load_dict(dict(model), overrides=over)
    else:
        spec = load_model(model, scenario=scenario, overrides=over)
    p = plan(spec, handoff=handoff)
    return Solution(dataset=to_dataset(p), plan=p)
