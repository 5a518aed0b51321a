"""Any solver Pyomo reaches: ``solver.name`` other than "highs" (Gurobi, CPLEX, Xpress, ...).

``solver.name: highs`` (the default) keeps twin's own hand-off to HiGHS (:mod:`twin.plan.solve`).
Any other name goes through ``pyomo.environ.SolverFactory(name)``: the model is written to the
solver by Pyomo's interface for it (a file for the shell interfaces, the solver's API for the
direct and persistent ones), solved, and its values and duals (``dual`` suffix, ``d objective /
d rhs``) loaded back. It is the same LP (or MILP): the plan's NPV agrees with the default route's
to the solvers' tolerances (``tests/test_run.py`` checks ``appsi_highs`` to 1e-6).

Passed on: ``solver.time_limit_s`` (Pyomo's ``timelimit``). Not passed on: ``mip_gap``,
``threads`` and ``method``, whose names differ from solver to solver (the solver's defaults
apply). A MILP gets no duals from this route (its marginal values are NaN).

A name Pyomo does not know, or a solver that is not installed or licensed, is bad input (exit 2):
:func:`check_solver` names ``solver.name`` and the solvers that are available.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import highspy
import pyomo.environ as pyo
from pyomo.opt import TerminationCondition as TC

from twin.plan.solve_result import SolveResult, SolveStatus
from twin.progress import report_stage
from twin.spec.errors import SpecError
from twin.spec.schema import SolverOptions

#: names tried when listing what is installed (Pyomo's legacy SolverFactory names)
KNOWN = (
    "highs", "appsi_highs", "gurobi", "gurobi_direct", "gurobi_persistent", "cplex",
    "cplex_direct", "xpress", "xpress_direct", "mosek", "scip", "cbc", "glpk",
)  # fmt: skip

_STATUS = {
    TC.optimal: SolveStatus.OPTIMAL,
    TC.locallyOptimal: SolveStatus.OPTIMAL,
    TC.globallyOptimal: SolveStatus.OPTIMAL,
    TC.infeasible: SolveStatus.INFEASIBLE,
    TC.infeasibleOrUnbounded: SolveStatus.INFEASIBLE,
    TC.unbounded: SolveStatus.UNBOUNDED,
    TC.maxTimeLimit: SolveStatus.LIMIT,
    TC.maxIterations: SolveStatus.LIMIT,
    TC.maxEvaluations: SolveStatus.LIMIT,
    TC.userInterrupt: SolveStatus.INTERRUPTED,
}


def _available(name: str) -> bool:
    """Whether Pyomo can run solver ``name`` here (its log of a failed probe kept quiet)."""
    log = logging.getLogger("pyomo")
    level = log.level
    log.setLevel(logging.CRITICAL)  # an unknown name logs a warning with a traceback
    try:
        return bool(pyo.SolverFactory(name).available(exception_flag=False))
    except Exception:  # an interface whose probe itself fails (a broken licence) is not there
        return False
    finally:
        log.setLevel(level)


def installed() -> list[str]:
    """The names of :data:`KNOWN` whose solver Pyomo finds installed and usable here."""
    return [n for n in KNOWN if _available(n)]


def check_solver(options: SolverOptions) -> None:
    """Raise :class:`SpecError` on ``solver.name`` unless it is "highs" (twin's own hand-off)
    or a solver Pyomo can run here; the message lists the solvers that are installed."""
    if options.name == "highs" or _available(options.name):
        return
    raise SpecError(
        "solver.name",
        options.name,
        "expected a solver Pyomo's SolverFactory can run here; installed: "
        + ", ".join(installed()),
    )


def solve_factory(m: pyo.ConcreteModel, options: SolverOptions) -> SolveResult:
    """Solve ``m`` with ``pyomo.environ.SolverFactory(options.name)``; load its values (and an
    LP's duals) into the model."""
    check_solver(options)
    opt = pyo.SolverFactory(options.name)
    is_mip = any(
        v.is_integer() or v.is_binary() for v in m.component_data_objects(pyo.Var, active=True)
    )
    m.add_component("dual", pyo.Suffix(direction=pyo.Suffix.IMPORT))  # removed below
    try:
        t0 = time.perf_counter()
        res = opt.solve(m, load_solutions=False, timelimit=options.time_limit_s)
        t1 = time.perf_counter()
        report_stage("solve", t1 - t0)
        cond = res.solver.termination_condition
        kind = _STATUS.get(cond, SolveStatus.ERROR)
        feasible = len(res.solution) > 0 and kind in (SolveStatus.OPTIMAL, SolveStatus.LIMIT)
        if feasible:
            m.solutions.load_from(res)
        duals = dict(m.component("dual").items()) if feasible and not is_mip else {}
    finally:
        m.del_component("dual")
        # a HiGHS-based interface (appsi_highs, highs) starts HiGHS's process-wide thread
        # scheduler with its default threads; later solves asking solver.threads would then
        # fail ('unknown' status), so it is reset (a no-op when none was started)
        highspy.Highs.resetGlobalScheduler(True)
    (obj,) = m.component_data_objects(pyo.Objective, active=True)
    value = float(pyo.value(obj)) if feasible else float("nan")
    bound = _bound(res, value)
    return SolveResult(
        kind=kind,
        status=str(cond),
        optimal=kind is SolveStatus.OPTIMAL,
        feasible=feasible,
        objective=value,
        bound=bound,
        gap=abs(bound - value) / abs(value) if is_mip and value else 0.0,
        is_mip=is_mip,
        duals={c: float(y) for c, y in duals.items()},
        times={"handoff_s": 0.0, "solve_s": t1 - t0, "highs_s": 0.0},
    )


def _bound(res: Any, value: float) -> float:
    """The best bound the solver reports (its problem section), else the objective."""
    try:
        problem = res.problem[0]
        b = problem.upper_bound if problem.sense == pyo.maximize else problem.lower_bound
        return float(b) if b is not None and abs(float(b)) < float("inf") else value
    except (AttributeError, IndexError, TypeError, ValueError):
        return value
