"""The one-call API: ``twin.solve(model, scenario=..., overrides={...})``.

>>> import twin
>>> res = twin.solve("models/baseline.yaml", scenario="neocloud",
...                  overrides={"economics.discount_rate": 0.08})  # doctest: +SKIP
>>> res.summary["npv_musd"]  # doctest: +SKIP
>>> res.statistics().query("metric == 'capacity_mw'")  # doctest: +SKIP

It loads and validates the model (a YAML path or a dict), solves it the one way ``twin solve``
does (:func:`twin.report.run.run`: a plan, a myopic plan or a stochastic program, as the model
file says) and returns a :class:`Solution` holding the report Dataset, a summary and a tidy table
of results.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import xarray as xr

from twin.plan.quantities import report_dims
from twin.spec.errors import SpecError

if TYPE_CHECKING:
    from twin.report.run import Engine, Handoff

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
    """A solved model: ``dataset`` (the report, see :mod:`twin.report.dataset`; a stochastic
    report for a model with an ``uncertainty:`` section), ``plan`` (what was solved: the
    :class:`twin.plan.Plan`, a :class:`twin.study.foresight.Myopic` study, or the stochastic
    program), ``kind`` (deterministic, myopic or stochastic), ``summary`` (NPV [$M], the
    expected NPV of a stochastic program, status, timings [s])."""

    dataset: xr.Dataset
    plan: Any
    kind: str = "deterministic"

    @property
    def summary(self) -> dict[str, Any]:
        """NPV and objective [$M, real], termination condition, MIP gap [-], timings [s]."""
        a = self.dataset.attrs
        return {k: a[k] for k in SUMMARY_KEYS if k in a} | {
            "scenario": a.get("scenario") or None,
            "overrides": a.get("overrides"),
        }

    def statistics(self, metrics: Iterable[str] | None = None) -> pd.DataFrame:
        """A tidy table: one row per metric and index (the dimensions of the declared report
        variables, :data:`DIMS`: site, tenant, chip, source, contract, fab, project, notice,
        lease, offer, period, whichever the metric has; empty otherwise), with ``value`` and
        ``units`` (the domain units, e.g. "H100e", "1e6 USD"). ``metrics`` defaults to every
        numeric variable of the report.

        E.g. ``res.statistics(["allocation_h100e"]).groupby("tenant").value.sum()``.
        """
        return statistics(self.dataset, metrics)


def statistics(ds: xr.Dataset, metrics: Iterable[str] | None = None) -> pd.DataFrame:
    """The tidy table of :meth:`Solution.statistics` for any report Dataset; a stochastic
    report's rows carry their leaf in a ``scenario`` column (first)."""
    dims = report_dims()  # at call time: families registered since import count too
    if "scenario" in ds.dims:  # a stochastic report: every leaf's plan
        dims = ("scenario", *dims)
    names = _metrics(ds, metrics) if metrics is not None else _numeric(ds, dims)
    if not names:
        return pd.DataFrame(columns=["metric", *dims, "value", "units"])
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


def _metrics(ds: xr.Dataset, metrics: object) -> list[str]:
    """The variable names ``metrics`` asks for: a list of names of ``ds``'s data variables;
    a single text (read letter by letter before) or an unknown name is a SpecError."""
    from twin.spec.errors import did_you_mean

    if isinstance(metrics, str | bytes) or not isinstance(metrics, Iterable):
        raise SpecError(
            "metrics", repr(metrics)[:80], "expected a list of report variable names, e.g. "
            "['capacity_mw']",
        )  # fmt: skip
    known = [str(n) for n in ds.data_vars]
    names = list(metrics)  # a list, tuple, set, dict keys, numpy array or pandas Index
    for name in names:
        if not isinstance(name, str) or name not in ds.variables:
            raise SpecError(
                "metrics", repr(name)[:80], f"unknown report variable"
                f"{did_you_mean(str(name), known)}; expected a variable of the report",
            )  # fmt: skip
    return [str(n) for n in names]


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
    overrides: Mapping[str, Any] | Sequence[tuple[str, Any] | str] | None = None,
    handoff: Handoff = "matrix",
    engine: Engine = "ef",
) -> Solution:
    """Load ``model`` (a YAML file or a model dict), apply ``scenario`` and ``overrides``
    (``{"dotted.path": value}``, or a list of ``(path, value)`` pairs or ``"PATH=VALUE"`` texts
    as ``--set`` takes), solve it as ``twin solve`` does (:func:`twin.report.run.run`) and
    return the :class:`Solution`.

    Every bad argument raises a :class:`twin.errors.BadInput` (:class:`twin.SpecError`) with
    the command line's message; :class:`twin.PlanFailed` if no plan exists. Both are
    :class:`twin.errors.TwinError`.
    """
    from twin.report.run import Engine, Handoff, check_option, run
    from twin.spec import load_dict, load_model
    from twin.spec.base_scenario import scenario_or_none

    over = api_overrides(overrides)
    how: Handoff = check_option("handoff", handoff, Handoff)
    eng: Engine = check_option("engine", engine, Engine)
    if scenario is not None and not isinstance(scenario, str):
        raise SpecError("scenario", repr(scenario), "expected a scenario name (text) or None")
    scenario = scenario_or_none(scenario)  # 'base': the model without a scenario, as no name
    if isinstance(model, Mapping):
        if scenario is not None:
            raise SpecError(
                "scenario",
                scenario,
                "a scenario needs a model file; expected None with a model dict",
            )
        spec = load_dict(dict(model), overrides=over)
    elif isinstance(model, str | Path) and str(model).strip():
        spec = load_model(model, scenario=scenario, overrides=over)
    else:
        raise SpecError("model", repr(model)[:80], "expected a YAML model file or a model dict")
    res = run(spec, engine=eng, handoff=how)
    if res.dataset is None:  # pragma: no cover - only a PH rank other than 0, under mpiexec
        raise SpecError("engine", "ph", "the report is on MPI rank 0; expected rank 0 here")
    return Solution(dataset=res.dataset, plan=res.solved, kind=res.kind)


def api_overrides(overrides: object) -> list[tuple[str, Any]]:
    """The (path, value) pairs of ``overrides``: a mapping, or a list of (path, value) pairs or
    ``"PATH=VALUE"`` texts; anything else, or a path set twice, is a SpecError as for ``--set``
    (:func:`twin.spec.overrides.check_overrides`)."""
    from twin.spec.overrides import check_overrides

    found = check_overrides(overrides)
    own = [o for o in found if len(o) != 2]
    if own:  # an option of its own is the command line's (a clause's settings), not the API's
        from twin.spec.overrides import EXPECTED

        raise SpecError("overrides", repr(own[0])[:80], EXPECTED)
    return [(o[0], o[1]) for o in found]
