"""Hand a Pyomo planning model to HiGHS and bring back values and duals.

Two hand-offs:

- ``"matrix"`` (default): :func:`twin.plan.standard_form.assemble` reads the model's linear
  expressions into a sparse matrix, which is passed to HiGHS (highspy) in one call. It gives the
  LP Pyomo's ``LinearStandardFormCompiler`` gives (:func:`compile_with_pyomo`, kept as the
  reference), without SciPy and faster (``benchmarks/README.md``).
- ``"pyomo"``: Pyomo's persistent HiGHS interface (``pyomo.contrib.solver`` ``highs``).

Both are for ``solver.name: highs`` (the default). Any other ``solver.name`` is solved through
``pyomo.environ.SolverFactory`` by :mod:`twin.plan.other_solvers`, whatever the hand-off.

For a MILP the duals come from the LP with the integers fixed at their solution: the same HiGHS
instance is re-run with integer columns fixed and relaxed to continuous.
Duals are ``d objective / d rhs`` (HiGHS's convention, for a maximisation too).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.core.base.constraint import ConstraintData

from twin.interrupt import wait_solve
from twin.plan.other_solvers import check_solver, solve_factory
from twin.plan.solve_result import SolveResult, SolveStatus
from twin.plan.standard_form import ExpressionForms, assemble, assemble_with_forms
from twin.progress import quiet_stdout, report_highs_done, report_stage, watch_highs
from twin.spec.errors import SpecError
from twin.spec.schema import SolverOptions

INF = highspy.kHighsInf

__all__ = [
    "MatrixSession", "SolveResult", "SolveStatus", "check_solver", "coefficient_ranges",
    "compile_with_pyomo", "solve", "solve_matrix", "solve_pyomo", "to_highs_lp",
]  # fmt: skip


def _highs(options: SolverOptions) -> highspy.Highs:
    with quiet_stdout():  # HiGHS prints its banner on the first construction
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(options.time_limit_s))
    h.setOptionValue("mip_rel_gap", float(options.mip_gap))
    h.setOptionValue("threads", int(options.threads))
    h.setOptionValue("solver", options.method)
    watch_highs(h)  # progress callbacks, if a reporter is current
    return h


def to_highs_lp(
    m: pyo.ConcreteModel,
) -> tuple[highspy.HighsLp, list, list, np.ndarray]:
    """The LP of ``m`` as a :class:`highspy.HighsLp`, assembled by
    :func:`twin.plan.standard_form.assemble`.

    Returns the LP, its columns (Pyomo vars), its rows (constraint, bound type) and the integer
    column mask. Ranged rows become two rows; their duals are summed back.
    """
    return assemble(m)


def compile_with_pyomo(
    m: pyo.ConcreteModel,
) -> tuple[highspy.HighsLp, list, list, np.ndarray]:
    """:func:`to_highs_lp` through Pyomo's ``LinearStandardFormCompiler`` (imports SciPy): the
    reference the assembled LP is checked against."""
    from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

    repn = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None)
    a = repn.A.tocsc()
    cols = repn.columns
    n, r = len(cols), len(repn.rows)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, r
    lp.col_cost_ = np.asarray(repn.c.toarray()[0] if n else [], dtype=float)
    lb = np.array([-INF if v.lb is None else v.lb for v in cols], dtype=float)
    ub = np.array([INF if v.ub is None else v.ub for v in cols], dtype=float)
    lp.col_lower_, lp.col_upper_ = lb, ub
    rhs = np.asarray(repn.rhs, dtype=float)
    kinds = np.array([row.bound_type for row in repn.rows], dtype=int)
    lp.row_lower_ = np.where(kinds <= 0, rhs, -INF)
    lp.row_upper_ = np.where(kinds >= 0, rhs, INF)
    mat = lp.a_matrix_
    mat.format_ = highspy.MatrixFormat.kColwise
    mat.num_col_, mat.num_row_ = n, r
    mat.start_ = a.indptr.astype(np.int32)
    mat.index_ = a.indices.astype(np.int32)
    mat.value_ = a.data.astype(float)
    sense = repn.objectives[0].sense
    lp.sense_ = highspy.ObjSense.kMaximize if sense == pyo.maximize else highspy.ObjSense.kMinimize
    lp.offset_ = float(repn.c_offset[0]) if len(repn.c_offset) else 0.0
    integer = np.array([v.is_integer() or v.is_binary() for v in cols], dtype=bool)
    if integer.any():
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
            for i in integer
        ]
    return lp, cols, repn.rows, integer


class CoefficientRangeWarning(UserWarning):
    """The model's coefficients span more than the solver handles well (see DESIGN: units)."""


#: Above this many nonzeros an LP left to "choose" is solved by interior point: 2.4x faster than
#: simplex at 176k, 4x at 554k, 6.6x at 954k nonzeros, no gain below ~100k (benchmarks/README.md).
IPM_NNZ = 100_000

#: Absolute coefficient magnitudes kept within this range by the model's units (MW, kH100e, $M).
COEFFICIENT_RANGE = (1e-4, 1e5)
#: a coefficient within this relative distance of an end is at it (a solar segment's mean
#: availability 1e-4 is 9.999999999999999e-05 after the averaging's round-off)
RANGE_SLACK = 1e-9


def coefficient_ranges(lp: highspy.HighsLp) -> dict[str, tuple[float, float]]:
    """Smallest and largest nonzero magnitude of the matrix, costs, bounds and right-hand sides."""

    def span(x: object) -> tuple[float, float]:
        a = np.abs(np.asarray(x, dtype=float))
        a = a[(a > 0) & np.isfinite(a)]
        return (float(a.min()), float(a.max())) if a.size else (0.0, 0.0)

    rhs = np.concatenate([np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)])
    bounds = np.concatenate([np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)])
    return {
        "matrix": span(lp.a_matrix_.value_),
        "cost": span(lp.col_cost_),
        "bounds": span(bounds),
        "rhs": span(rhs),
    }


def check_ranges(ranges: dict[str, tuple[float, float]], weight: float = 1.0) -> list[str]:
    """Warn (and return the messages) where coefficients leave :data:`COEFFICIENT_RANGE`.

    ``weight`` (0 < w <= 1): the smallest factor the model's costs were multiplied by, as an
    extensive form weights each leaf's cost by its probability p: a leaf's cost c lies in the
    range where ``p x c`` does not, so the cost's lower end is read as ``min |cost| / weight``
    (the upper end is not scaled: stage-1 costs carry the sum of the probabilities, 1)."""
    lo, hi = COEFFICIENT_RANGE
    slack = 1 + RANGE_SLACK
    scaled = {
        name: ((a / weight, b) if name == "cost" else (a, b)) for name, (a, b) in ranges.items()
    }
    msgs = [
        f"{name} coefficients span {a:.6g}..{b:.6g}, outside {lo:g}..{hi:g}: check units"
        for name, (a, b) in scaled.items()
        if name in ("matrix", "cost") and b > 0 and (a * slack < lo or b > hi * slack)
    ]
    for msg in msgs:
        warnings.warn(msg, CoefficientRangeWarning, stacklevel=3)
    return msgs


@dataclass
class MatrixSession:
    """An LP's live HiGHS model after the matrix hand-off solved it (at its basis, if any): the
    LP as passed (``lp.col_cost_``, ``lp.offset_``: the objective), its columns (Pyomo vars, in
    column order) and the forms of the named expressions it read; for a warm re-solve of the same
    LP with a row added or costs changed (:mod:`twin.plan.tie_break`)."""

    highs: highspy.Highs
    lp: highspy.HighsLp
    cols: list
    forms: ExpressionForms
    #: ``(constraint, sign)`` per row, in row order: the duals of a re-solve
    rows: list | None = None

    def add_floor(self, floor: float) -> bool:
        """Add ``c x >= floor - c_0`` as the LP's last row (``c``, ``c_0``: its own costs and
        offset, so the objective stays at least ``floor``); True if HiGHS took it. The floor of
        the tie-break (:mod:`twin.plan.tie_break`) and of near-optimal alternatives."""
        cost = np.asarray(self.lp.col_cost_, dtype=float)
        nz = np.flatnonzero(cost).astype(np.int32)
        low = floor - self.lp.offset_
        status = self.highs.addRow(low, highspy.kHighsInf, len(nz), nz, cost[nz])
        return status == highspy.HighsStatus.kOk

    def run_primal(self, time_limit_s: float) -> str | None:
        """Re-solve by primal simplex from the current basis (primal feasible after a row whose
        slack is basic or a change of costs), with ``time_limit_s`` of its own (HiGHS's clock
        runs on across runs of one model): the model status, None if the options were refused."""
        h, ok = self.highs, highspy.HighsStatus.kOk
        steps = (
            lambda: h.setOptionValue("solver", "simplex"),
            lambda: h.setOptionValue("simplex_strategy", 4),  # primal
            lambda: h.setOptionValue("time_limit", h.getRunTime() + float(time_limit_s)),
        )
        if any(step() != ok for step in steps):
            return None
        for event in (h.cbSimplexInterrupt, h.cbIpmInterrupt, h.cbMipInterrupt):
            event.clear()  # progress shows the first solve; wait_solve re-arms the interrupt
        wait_solve(h)
        return h.modelStatusToString(h.getModelStatus())


def solve_matrix(
    m: pyo.ConcreteModel, options: SolverOptions, keep: bool = False, weight: float = 1.0
) -> SolveResult:
    """Solve ``m`` through the matrix hand-off; load values into the Pyomo variables. ``keep``:
    an LP solved to a feasible point keeps its :class:`MatrixSession` in ``result.session``;
    ``weight``: the smallest probability weighting its costs (:func:`check_ranges`)."""
    t0 = time.perf_counter()
    lp, cols, rows, integer, forms = assemble_with_forms(m)
    ranges = coefficient_ranges(lp)
    check_ranges(ranges, weight)
    h = _highs(options)
    if options.method == "choose" and not integer.any() and len(lp.a_matrix_.value_) > IPM_NNZ:
        h.setOptionValue("solver", "ipm")  # crossover stays on: duals remain basic
    h.passModel(lp)
    t1 = time.perf_counter()
    report_stage("hand-off", t1 - t0)
    wait_solve(h)  # a thread: SIGINT/SIGTERM stop HiGHS by its interrupt callbacks
    t2 = time.perf_counter()
    report_highs_done(h)
    report_stage("solve", t2 - t1)
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    sol = h.getSolution()
    is_mip = bool(integer.any())
    feasible = info.primal_solution_status == 2  # kSolutionStatusFeasible
    result = SolveResult(
        kind=SolveStatus.from_highs(status),
        status=status,
        optimal=status == "Optimal",
        feasible=feasible,
        objective=float(info.objective_function_value) if feasible else float("nan"),
        bound=float(info.mip_dual_bound) if is_mip else float(info.objective_function_value),
        gap=float(info.mip_gap) if is_mip else 0.0,
        is_mip=is_mip,
        size={"columns": lp.num_col_, "rows": lp.num_row_, "nonzeros": len(lp.a_matrix_.value_)},
        ranges=ranges,
    )
    if not feasible:
        result.times = {"handoff_s": t1 - t0, "solve_s": t2 - t1, "highs_s": h.getRunTime()}
        return result
    x = np.asarray(sol.col_value)
    if is_mip:  # duals of the LP with the integers fixed at their values
        idx = np.flatnonzero(integer).astype(np.int32)
        fixed = np.round(x[idx])
        h.changeColsIntegrality(
            len(idx), idx, np.array([highspy.HighsVarType.kContinuous] * len(idx))
        )
        h.changeColsBounds(len(idx), idx, fixed, fixed)
        wait_solve(h)
        sol = h.getSolution()
        x[idx] = fixed
    t3 = time.perf_counter()
    for v, val in zip(cols, x, strict=True):
        v.set_value(float(val), skip_validation=True)
    duals: dict[ConstraintData, float] = {}
    if sol.dual_valid:
        for (con, _), y in zip(rows, sol.row_dual, strict=True):
            duals[con] = duals.get(con, 0.0) + float(y)
    result.duals = duals
    result.expressions = forms.values(x)
    if keep and not is_mip:
        result.session = MatrixSession(h, lp, cols, forms, rows)
    t4 = time.perf_counter()
    result.times = {
        "handoff_s": (t1 - t0) + (t4 - t3),
        "solve_s": (t2 - t1) + (t3 - t2),
        "highs_s": h.getRunTime(),
    }
    return result


def solve_pyomo(m: pyo.ConcreteModel, options: SolverOptions) -> SolveResult:
    """Solve ``m`` through Pyomo's persistent HiGHS interface (``pyomo.contrib.solver``)."""
    from pyomo.contrib.solver.common.factory import SolverFactory

    solver = SolverFactory("highs")
    t0 = time.perf_counter()
    res = solver.solve(
        m,
        load_solutions=False,
        raise_exception_on_nonoptimal_result=False,
        time_limit=options.time_limit_s,
        rel_gap=options.mip_gap,
        threads=options.threads,
    )
    t1 = time.perf_counter()
    highs_s = float(res.timing_info.highs_time) if hasattr(res.timing_info, "highs_time") else 0.0
    status = str(res.termination_condition).split(".")[-1]
    feasible = res.incumbent_objective is not None
    is_mip = any(v.is_integer() for v in m.component_data_objects(pyo.Var, active=True))
    out = SolveResult(
        kind=SolveStatus.from_pyomo(status),
        status=status,
        optimal=status == "convergenceCriteriaSatisfied",
        feasible=feasible,
        objective=float(res.incumbent_objective) if feasible else float("nan"),
        bound=float(res.objective_bound) if res.objective_bound is not None else float("nan"),
        gap=0.0,
        is_mip=is_mip,
    )
    if feasible:
        res.solution_loader.load_vars()
        if not is_mip:
            out.duals = dict(res.solution_loader.get_duals())
        if is_mip and np.isfinite(out.bound) and out.objective != 0:
            out.gap = abs(out.bound - out.objective) / abs(out.objective)
    out.times = {"handoff_s": (t1 - t0) - highs_s, "solve_s": highs_s, "highs_s": highs_s}
    return out


def solve(
    m: pyo.ConcreteModel,
    options: SolverOptions,
    handoff: str = "matrix",
    keep: bool = False,
    weight: float = 1.0,
) -> SolveResult:
    """Solve ``m`` with ``solver.name``: HiGHS through ``handoff`` ("matrix" or "pyomo"), any
    other solver through Pyomo's ``SolverFactory`` (:mod:`twin.plan.other_solvers`). ``keep``:
    the matrix hand-off keeps an LP's live model (:class:`MatrixSession`) in ``session``;
    ``weight``: the smallest probability an extensive form weights a cost by (the units check
    of :func:`check_ranges`)."""
    if handoff not in ("matrix", "pyomo"):
        raise SpecError("handoff", repr(handoff), "expected 'matrix' or 'pyomo'")
    if options.name != "highs":
        result = solve_factory(m, options)
        result.route = f"{options.name} via Pyomo's SolverFactory"
    elif handoff == "matrix":
        result = solve_matrix(m, options, keep=keep, weight=weight)
        result.route = "HiGHS (highspy) via twin's matrix hand-off"
    else:
        result = solve_pyomo(m, options)
        result.route = "HiGHS via Pyomo"
    return result
