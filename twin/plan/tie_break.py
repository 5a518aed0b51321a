"""Near-ties settled by a stated rule: of the plans within ``eps`` of the best NPV, the one that
buys the most compute, soonest.

The plan's optimum is nearly flat in *when* partial purchases are made: a year whose purchase is
below the vendor allocation can take a few hundred thousand H100e more or less for a few $M of
~730,000 (``benchmarks/results/end_effects.md``, "Ties"). Which vertex the solver returns then
depends on the far end of the horizon, and two plans of 12 and 17 years bought 10-14% apart in
such years (2030, 2033) while every stock agreed within 5%. A rule that picks one plan of the
near-optimal set makes that choice stated instead of the solver's.

``solver.tie_break = 'compute_early'``, two solves of the same LP:

    1.  NPV* = max NPV(x)                                         (the plan's objective)
    2.  max  NPV(x) + mu C(x),  C(x) = sum_{k,p} df_p h_k buy[k,p]    [$M; kH100e discounted]
        s.t. NPV(x) >= NPV* - eps |NPV*|                          (tie_break_floor)
             every row of the plan

``h_k`` the H100e of a chip of generation ``k``, ``df_p`` the discount factor of period ``p``
(the NPV's own), ``eps = solver.tie_break_eps`` (default 1e-4: at most 1e-4 of the NPV given
up), ``mu`` = :data:`MU` = 1 $M per discounted kH100e ($1,000 per H100e, about an eighth of what
an H100e of a 2030 chip costs): a plan gives up NPV only where it buys compute sooner or more
at a rate better than ``mu``, and at most ``eps`` in all. NPV stays in the second objective so
that nothing is given up for nothing: with ``max C`` alone the solver may return any plan on
the floor, and in a hand case it served less compute in the last year to no purpose. Discounting
``C`` makes the rule prefer compute bought sooner as well as more of it, over every solved
period (the buffer's too). The rule reads no horizon length, so two horizons apply the same rule.

What is reported: the second solve's plan and NPV (the report's ``solver`` attribute names the
rule and ``eps``); the first solve's duals (``d NPV / d rhs`` at
the best plan: the second LP's duals price ``C``, not money). The model is left as built (the
floor and the second objective removed, ``npv`` active again). A MIP (``solver.integer_modules``,
integer leases), an infeasible first solve or the elastic model skip the rule: a MIP's own gap is
wider than ``eps``. A second solve that fails keeps the first plan and says so in ``status``.

The schema's default is ``none``; the baseline model states ``compute_early``. With the matrix
hand-off the second solve re-uses the first one's live HiGHS model from its basis
(:func:`_warm`: 0.2 s after a 2.4 s first solve on the baseline, 11 s after 39 s quarterly);
with the Pyomo hand-off the floor and objective are Pyomo components and the LP is solved cold.
``twin.plan.plan(..., exact=True)`` skips the rule, for studies that compare optima.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo

from twin.plan.data import PlanData
from twin.plan.solve import MatrixSession, solve
from twin.plan.solve_result import SolveResult
from twin.progress import report_stage
from twin.spec.schema import SolverOptions

__all__ = [
    "MU", "ROUTE_MARK", "compute_early", "compute_weights", "define_tie_break", "remove_tie_break",
    "settle_ties", "tie_broken",
]  # fmt: skip

#: what the rule is willing to pay for one discounted kH100e bought [$M per kH100e]
MU = 1.0

#: how a plan's solver route (``SolveResult.route``, a report's ``solver`` attribute) names the
#: rule when it chose the plan
ROUTE_MARK = "tie-break"


def tie_broken(route: str) -> bool:
    """True if a solver route says the rule chose the plan (its NPV is then up to eps below the
    best, which the result keeps as its bound)."""
    return ROUTE_MARK in route


def compute_weights(m: pyo.ConcreteModel, d: PlanData) -> list[tuple[Any, float]]:
    """``(buy[k, p], df_p h_k)`` for every purchase: the terms of ``C`` (module docstring)."""
    return [(x, d.df[p] * d.h100e[k]) for (k, p), x in m.buy.items()]


def compute_early(m: pyo.ConcreteModel, d: PlanData) -> Any:
    """``C = sum_{k,p} df_p h_k buy[k,p]`` [kH100e, discounted] (module docstring)."""
    return sum(w * x for x, w in compute_weights(m, d))


def define_tie_break(m: pyo.ConcreteModel, d: PlanData, floor: float) -> None:
    """``tie_break_floor``: ``NPV >= floor`` [$M]; ``tie_break_objective``: ``max NPV + mu C``;
    the NPV objective deactivated (module docstring)."""
    m.tie_break_floor = pyo.Constraint(expr=m.npv.expr >= floor)
    m.tie_break_objective = pyo.Objective(
        expr=m.npv.expr + MU * compute_early(m, d), sense=pyo.maximize
    )
    m.npv.deactivate()


def remove_tie_break(m: pyo.ConcreteModel) -> None:
    """The model as built: the floor and the second objective removed, ``npv`` active."""
    for name in ("tie_break_floor", "tie_break_objective"):
        if m.component(name) is not None:
            m.del_component(name)
    m.npv.activate()


def settle_ties(
    m: pyo.ConcreteModel,
    d: PlanData,
    options: SolverOptions,
    best: SolveResult,
    handoff: str = "matrix",
) -> SolveResult:
    """The plan ``solver.tie_break`` picks among those within ``tie_break_eps`` of ``best``
    (module docstring), or ``best`` itself where the rule does not apply. The values of the
    plan returned are loaded in ``m``. ``best.session`` (the matrix hand-off's live model) is
    re-solved warm where it is kept, and dropped."""
    session, best.session = best.session, None
    if options.tie_break == "none" or best.is_mip or not best.optimal or d.elastic:
        return best
    t0 = time.perf_counter()
    floor = best.objective - options.tie_break_eps * abs(best.objective)
    if (
        isinstance(session, MatrixSession)
        and session.lp.sense_ == highspy.ObjSense.kMaximize
        and session.highs.getBasis().valid
    ):
        return _warm(m, d, options, best, session, floor, t0)
    define_tie_break(m, d, floor)
    try:
        second = solve(m, options, handoff=handoff)
    finally:
        remove_tie_break(m)
    if not second.feasible:  # the first plan's values are still loaded
        return _kept(best, second.status)
    second.objective = float(pyo.value(m.npv.expr))
    return _settled(best, second, options, second.times, t0)


def _kept(best: SolveResult, status: str) -> SolveResult:
    best.status += f"; tie-break solve ended '{status}', best-NPV plan kept"
    return best


def _settled(
    best: SolveResult, second: SolveResult, options: SolverOptions, times: dict, t0: float
) -> SolveResult:
    """``second`` reported as the plan: the first solve's bound, duals, size and ranges."""
    second.bound = best.objective
    second.duals = best.duals
    second.size, second.ranges = best.size, best.ranges
    second.route = f"{best.route}; {ROUTE_MARK} {options.tie_break} (eps {options.tie_break_eps:g})"
    second.times = {
        **best.times,
        **{k: best.times.get(k, 0.0) + v for k, v in times.items()},
        "tie_break_s": time.perf_counter() - t0,
    }
    return second


def _warm(
    m: pyo.ConcreteModel,
    d: PlanData,
    options: SolverOptions,
    best: SolveResult,
    session: MatrixSession,
    floor: float,
    t0: float,
) -> SolveResult:
    """The second solve on the first one's live HiGHS model, from its basis (the simplex's, or
    the interior point's after crossover, on by default): the floor ``c x >= NPV* - eps |NPV*|
    - c_0`` added as a row (``c``, ``c_0``: the LP's own NPV costs and offset), the costs of
    ``buy[k, p]`` raised by ``mu df_p h_k``, primal simplex (the basis stays primal feasible:
    the floor's slack is basic). Rebuilding the LP with the floor as a Pyomo row and solving it
    cold took the quarterly baseline's interior point past its 300 s limit (the floor is a
    dense row); from the basis it is a few simplex iterations. Without a valid basis (PDLP, a
    failed crossover) the cold path runs instead. The second solve gets ``time_limit_s`` of its
    own (HiGHS's clock runs on across runs of one model); a plan that misses the floor is not
    taken."""
    h, lp, cols = session.highs, session.lp, session.cols
    cost = np.asarray(lp.col_cost_, dtype=float)
    where = {id(v): j for j, v in enumerate(cols)}
    pairs = [(where[id(x)], MU * w) for x, w in compute_weights(m, d) if id(x) in where]
    idx = np.array([j for j, _ in pairs], dtype=np.int32)
    raised = cost[idx] + np.array([c for _, c in pairs], dtype=float)
    if (
        not session.add_floor(floor)
        or h.changeColsCost(len(idx), idx, raised) != highspy.HighsStatus.kOk
    ):
        return _kept(best, "its model could not be changed")
    t1 = time.perf_counter()
    status = session.run_primal(options.time_limit_s)
    report_stage("tie-break", time.perf_counter() - t1)
    if status is None:
        return _kept(best, "its model could not be changed")
    if status != "Optimal":
        return _kept(best, status)
    x = np.asarray(h.getSolution().col_value)
    npv = float(cost @ x + lp.offset_)
    if npv < floor - 1e-6 * abs(floor):
        return _kept(best, "below its NPV floor")
    for v, val in zip(cols, x, strict=True):
        v.set_value(float(val), skip_validation=True)
    second = dataclasses.replace(
        best, status=status, objective=npv, expressions=session.forms.values(x),
    )  # fmt: skip
    return _settled(best, second, options, {"solve_s": time.perf_counter() - t1}, t0)
