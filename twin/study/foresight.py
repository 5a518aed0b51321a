"""Limited foresight: a planner who sees only the next few years (myopic, rolling horizon).

With ``solver.foresight: myopic``, window ``W`` and step ``S`` years, the horizon of ``Y`` years is
solved window by window. Window k starts at year ``a_k = k S`` and sees years ``[0, min(Y,
a_k + W))``: its model is the plan of that shorter horizon (salvage valued at the window's end,
options that start later invisible), with every decision of a period before ``a_k`` fixed at the
value an earlier window chose. The last window reaches the horizon end; its plan, every earlier
decision fixed, is the myopic plan, and its NPV is that plan's true NPV over the whole horizon.

Because the last window is the perfect-foresight model with some decisions fixed, its NPV can
never exceed the perfect-foresight optimum: ``NPV_myopic <= NPV_perfect``; the difference is the
cost of myopia. A window no longer than a site's lead time sees no build of that site come
online inside it, so it never starts one: keep windows longer than the lead times that matter.
Each window's own view (its builds and purchases, NaN past its end, and its
objective) is kept in :attr:`Myopic.windows`.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from twin.plan import Plan, PlanFailed, build_model, plan_data
from twin.plan.reading import decisions
from twin.plan.solve import solve
from twin.spec.load import Spec


@dataclass
class Myopic:
    """A myopic plan: the last window's :class:`Plan` and the decisions of each window."""

    plan: Plan
    windows: xr.Dataset
    window_years: int
    step_years: int


def window_starts(years: int, window: int, step: int) -> list[int]:
    """Start year of each window: ``0, S, 2S, ...`` up to the first that reaches the end."""
    starts = [0]
    while starts[-1] + window < years:
        starts.append(starts[-1] + step)
    return starts


def _shorter(spec: Spec, years: int) -> Spec:
    """``spec`` with a horizon of ``years`` (same start, same periods)."""
    h = spec.model.horizon.model_copy(update={"years": years})
    return dataclasses.replace(spec, model=spec.model.model_copy(update={"horizon": h}))


def _period(index: int | tuple[Any, ...]) -> int:
    """The period of a variable's index: its last element (every plan variable ends with p)."""
    return index[-1] if isinstance(index, tuple) else index


def _clamp(v: pyo.Var, x: float) -> float:
    """``x`` within the variable's bounds (solver round-off leaves ~1e-13 outside them)."""
    lo, hi = v.lb, v.ub
    x = x if lo is None else max(lo, x)
    return x if hi is None else min(hi, x)


def _window_view(p: Plan, n_full: int) -> dict[str, np.ndarray]:
    """Builds [MW] per site and chips bought [chips] per generation, over the full horizon's
    periods (NaN past the window's end; a window's end buffer past the horizon is left out)."""
    d, m = p.data, p.model
    build = np.full((len(d.sites), n_full), np.nan)
    bought = np.full((len(d.chips), n_full), np.nan)
    build[:, : d.n_periods] = 0.0
    bought[:, : d.n_periods] = 0.0
    for (s, q), x in m.build.items():
        if q < n_full:
            build[d.sites.index(s), q] = x.value or 0.0
    for (k, q), x in m.buy.items():
        if q < n_full:
            bought[d.chips.index(k), q] = 1e3 * (x.value or 0.0)
    return {"build_mw": build, "chips_bought": bought}


def solve_myopic(spec: Spec, handoff: str = "matrix") -> Myopic:
    """Solve ``spec`` window by window (module docstring); raise :class:`PlanFailed` naming the
    window whose fixed past leaves it no feasible plan."""
    sv, h = spec.model.solver, spec.model.horizon
    per_year = 12 // h.months_per_period
    starts = window_starts(h.years, sv.window_years, sv.step_years)
    fixed: dict[tuple[str, object], float] = {}
    views, objectives = [], []
    unproven: list[str] = []
    t0 = time.perf_counter()
    for k, a in enumerate(starts):
        end = min(h.years, a + sv.window_years)
        sub = spec if end == h.years else _shorter(spec, end)
        d = plan_data(sub)
        m = build_model(d)
        past = a * per_year
        for key, v in decisions(m):
            if _period(key[1]) < past:
                v.fix(_clamp(v, fixed.get(key, 0.0)))
        res = solve(m, sub.model.solver, handoff=handoff)
        if not res.feasible:
            raise PlanFailed(
                f"myopic window {k + 1} (years {a}-{end} of the horizon) has no feasible plan "
                f"with earlier windows' decisions fixed: HiGHS ended '{res.status}'"
            )
        for key, v in decisions(m):
            if _period(key[1]) >= past:
                fixed[key] = v.value or 0.0
        if not res.optimal:  # a window that is not proven optimal: the whole run is not
            unproven.append(f"myopic window {k + 1} ended '{res.status}'")
        last = Plan(spec=sub, data=d, model=m, result=res, times=dict(res.times))
        views.append(_window_view(last, h.years * per_year))
        objectives.append(float(res.objective))
    last.times.update(build_s=time.perf_counter() - t0 - res.times["handoff_s"], geometry_s=0.0)
    if unproven:  # the plan's status says so, and twin solve exits 3
        last.result = dataclasses.replace(last.result, optimal=False, status="; ".join(unproven))
    d = last.data
    windows = xr.Dataset(
        {
            "window_build_mw": (
                ("window", "site", "period"),
                np.stack([v["build_mw"] for v in views]),
            ),
            "window_chips_bought": (
                ("window", "chip", "period"),
                np.stack([v["chips_bought"] for v in views]),
            ),
            "window_objective_musd": ("window", np.array(objectives)),
        },
        coords={
            "window": np.arange(1, len(starts) + 1),
            "window_start": (
                "window",
                np.array([d.periods[a * per_year] for a in starts], dtype="datetime64[ns]"),
            ),
            "window_end_year": (
                "window",
                np.array([min(h.years, a + sv.window_years) for a in starts]),
            ),
            "site": np.array(d.sites, dtype=object),
            "chip": np.array(d.chips, dtype=object),
            "period": np.array(d.periods[: h.years * per_year], dtype="datetime64[ns]"),
        },
    )
    windows["window_build_mw"].attrs.update(
        units="MW", long_name="IT capacity whose construction starts, as the window planned it"
    )
    windows["window_chips_bought"].attrs.update(
        units="1", long_name="chips bought, as the window planned it"
    )
    windows["window_objective_musd"].attrs.update(
        units="1e6 USD", long_name="NPV the window saw (its horizon, its salvage)"
    )
    windows["window_end_year"].attrs.update(units="year", long_name="years from start it sees")
    return Myopic(
        plan=last, windows=windows, window_years=sv.window_years, step_years=sv.step_years
    )
