"""The planning model: Pyomo families solved by HiGHS, from a validated spec.

>>> from twin.spec import load_model
>>> from twin.plan import plan
>>> p = plan(load_model("models/baseline.yaml", scenario="neocloud"))  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import gc
import time
from dataclasses import dataclass, field

import pyomo.environ as pyo

from twin.errors import PlanError
from twin.plan.data import PlanData, plan_data
from twin.plan.model import build_model
from twin.plan.solve import SolveResult, SolveStatus, check_solver, solve
from twin.plan.tie_break import settle_ties
from twin.progress import report_stage
from twin.spec.errors import SpecError
from twin.spec.schema import SolverOptions
from twin.spec.spec import Spec

__all__ = [
    "Plan",
    "PlanData",
    "PlanFailed",
    "PlanInfeasible",
    "SolveStatus",
    "build_model",
    "plan",
    "plan_data",
]


class PlanFailed(PlanError):
    """The solver ended without a usable plan (time limit with no solution, numerical trouble)."""


class PlanInfeasible(PlanFailed):
    """No plan meets every constraint; ``conflicts`` names family, key and period of each."""

    def __init__(self, message: str, conflicts: list[tuple[str, str, str, float]]) -> None:
        super().__init__(message)
        self.conflicts = conflicts


@dataclass
class Plan:
    """A solved plan: the spec, its data, the Pyomo model with values loaded, and the result."""

    spec: Spec
    data: PlanData
    model: pyo.ConcreteModel
    result: SolveResult
    times: dict[str, float] = field(default_factory=dict)


def plan(
    spec: Spec,
    handoff: str = "matrix",
    data: PlanData | None = None,
    exact: bool = False,
    keep_session: bool = False,
) -> Plan:
    """Build and solve the plan of ``spec`` (from ``data`` if given, e.g. a scenario tree's leaf
    with each input in its time); raise :class:`PlanInfeasible` naming the conflict (a
    :class:`twin.spec.errors.SpecError` for a bad argument, before any work).

    ``exact``: the best NPV's own plan, ``solver.tie_break`` not applied; for a study that
    compares optima (wait-and-see leaves, the mean-value plan, a clause's value, the optimum of
    near-optimal alternatives), where the tie-break's ``eps`` of NPV given up would enter the
    difference. ``keep_session`` (with ``exact``): the matrix hand-off's live HiGHS model stays
    in ``result.session`` for a warm re-solve (:mod:`twin.study.warm_lp`)."""
    if not isinstance(spec, Spec):
        raise SpecError("spec", repr(spec)[:80], "expected a loaded model (twin.load_model)")
    if handoff not in ("matrix", "pyomo"):
        raise SpecError("handoff", repr(handoff), "expected 'matrix' or 'pyomo'")
    check_solver(spec.model.solver)
    t0 = time.perf_counter()
    gc.disable()  # the build makes millions of acyclic objects; collecting them is ~40% of it
    try:
        d = plan_data(spec) if data is None else data
        m = build_model(d)
    finally:
        gc.enable()
    t1 = time.perf_counter()
    if d.geometry_s:
        report_stage("geometry", d.geometry_s)
    report_stage("build", t1 - t0 - d.geometry_s)
    options = solver_options(spec, d)
    keep = keep_session or (not exact and options.tie_break != "none")  # re-solved warm
    result = solve(m, options, handoff=handoff, keep=keep)
    if not exact:
        result = settle_ties(m, d, options, result, handoff)  # drops result.session
    if not result.feasible:
        if result.kind is SolveStatus.INFEASIBLE:
            raise diagnose(spec, d)
        name = "HiGHS" if spec.model.solver.name == "highs" else spec.model.solver.name
        raise PlanFailed(f"{name} ended with status '{result.status}' and no feasible plan")
    times = {"geometry_s": d.geometry_s, "build_s": t1 - t0 - d.geometry_s, **result.times}
    return Plan(spec=spec, data=d, model=m, result=result, times=times)


def solver_options(spec: Spec, d: PlanData) -> SolverOptions:
    """``solver`` as the spec sets it, except that ``method: choose`` on the hourly form is
    dual simplex: HiGHS's interior point needed ~57 iterations on the hourly LP, and on the
    baseline's first 4 years at 2 representative days (68k nonzeros) took 2.9 CPU s where
    simplex took 0.5 (README "Power in hours")."""
    options = spec.model.solver
    if d.hours is not None and options.method == "choose":
        return options.model_copy(update={"method": "simplex"})
    return options


def diagnose(spec: Spec, d: PlanData) -> PlanInfeasible:
    """Solve the elastic (phase-one) model and name the rows whose slack stays positive."""
    m = build_model(dataclasses.replace(d, elastic=True))
    res = solve(m, spec.model.solver)
    if not res.feasible:
        return PlanInfeasible(
            "the plan is infeasible, and the conflict lies among rows that cannot be relaxed "
            "(chip supply, power, compute balances): check power limits against committed chips",
            [],
        )
    conflicts = []
    for idx, var in m.slack.items():
        val = var.value or 0.0
        if val > 1e-6:
            family, key, p = idx[0], str(idx[1]) if len(idx) > 2 else "*", idx[-1]
            when = d.periods[p].isoformat() if isinstance(p, int) else str(p)
            if len(idx) > 3:
                key = f"{idx[1]} at site {idx[2]}"
            conflicts.append((family, key, when, val))
    lines = [
        f"  {f} [{k}] in the period starting {w}: short by {v:.3g}" for f, k, w, v in conflicts[:10]
    ]
    more = f"\n  ... and {len(conflicts) - 10} more" if len(conflicts) > 10 else ""
    return PlanInfeasible(
        "the plan is infeasible; these rows conflict with the rest of the model:\n"
        + "\n".join(lines)
        + more,
        conflicts,
    )
