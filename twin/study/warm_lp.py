"""Near-optimal alternatives re-solved warm: the optimum's live HiGHS model, the NPV floor added
as one row, each alternative's objective set as new column costs, primal simplex from the
basis the previous solve left.

Every alternative of :mod:`twin.study.alternatives` is the same LP, rows ``A x <= b`` plus

    ``c x + c_0 >= NPV* - slack |NPV*|``          (the floor; ``c``, ``c_0`` the NPV's costs)

with a different objective ``min / max  g x + g_0`` (a metric, a Dinkelbach step ``num - lambda
den`` or a SPORES weighting). The rows do not change from one alternative to the next, so the
basis that solved the previous one is primal feasible for the next: primal simplex starts there
(the floor's slack is basic at the optimum, where the floor is slack by ``slack |NPV*|``).
Solved cold, each alternative was a new LP with a dense row: on the baseline in hours HiGHS took
the interior point (``method: choose``) and ~90 s an alternative against 28 s for the optimum
(`neocloud`, 2026-12-05). The objective ``g`` is read off the Pyomo expression by
:func:`pyomo.repn.generate_standard_repn`; an expression holding a variable that is not a
column of the LP (none of twin's metrics does), a model that cannot be changed or a solve that
ends with no feasible point returns None, and the caller solves cold. A solve stopped by the
time limit keeps the feasible point primal simplex had reached, with its status, as a cold
solve would (not a second, cold solve with a fresh limit).

What each alternative reports is what the cold solve reports: its status, its NPV (``c x +
c_0``), the values loaded into the Pyomo variables, the named expressions, the LP's size with
the floor row, and the duals of its own LP (``d objective / d rhs``: of the metric, not of
money, as cold), the floor's under ``floor_row`` if given.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.repn import generate_standard_repn

from twin.plan.solve import MatrixSession
from twin.plan.solve_result import SolveResult, SolveStatus
from twin.spec.schema import SolverOptions

__all__ = ["WarmLP"]


class WarmLP:
    """The optimum's :class:`MatrixSession` with the NPV floor added (module docstring)."""

    def __init__(
        self,
        session: MatrixSession,
        best: SolveResult,
        options: SolverOptions,
        floor: float,
        floor_row: Any = None,
    ) -> None:
        h, lp = session.highs, session.lp
        self.session, self.best, self.options = session, best, options
        self.floor, self.floor_row = floor, floor_row
        self.npv_cost = np.asarray(lp.col_cost_, dtype=float)
        self.column = {id(v): j for j, v in enumerate(session.cols)}
        self.size = {
            "columns": best.size.get("columns", lp.num_col_),
            "rows": best.size.get("rows", lp.num_row_) + 1,
            "nonzeros": best.size.get("nonzeros", 0) + int(np.count_nonzero(self.npv_cost)),
        }
        self.ready = (
            lp.sense_ == highspy.ObjSense.kMaximize
            and h.getBasis().valid
            and session.add_floor(floor)
        )

    def costs(self, expr: Any) -> tuple[np.ndarray, float] | None:
        """``(g, g_0)``: the column costs and constant of a linear ``expr``, or None if it is
        not linear or reads a variable that is not a column."""
        repn = generate_standard_repn(expr, compute_values=True, quadratic=False)
        if not repn.is_linear():
            return None
        g = np.zeros(len(self.session.cols))
        for v, a in zip(repn.linear_vars, repn.linear_coefs, strict=True):
            j = self.column.get(id(v))
            if j is None:
                return None
            g[j] += float(a)
        return g, float(repn.constant)

    def solve(self, expr: Any, sense: int) -> SolveResult | None:
        """Optimise ``expr`` (``pyo.minimize`` or ``pyo.maximize``) under the plan's rows and
        the floor, from the current basis; the solution loaded into the Pyomo variables. None
        where the warm route does not apply (module docstring)."""
        got = self.costs(expr) if self.ready else None
        if got is None:
            return None
        g, g0 = got
        h, n = self.session.highs, len(g)
        ok = highspy.HighsStatus.kOk
        want = highspy.ObjSense.kMinimize if sense == pyo.minimize else highspy.ObjSense.kMaximize
        steps = (
            lambda: h.changeColsCost(n, np.arange(n, dtype=np.int32), g),
            lambda: h.changeObjectiveOffset(g0),
            lambda: h.changeObjectiveSense(want),
        )
        t0, run0 = time.perf_counter(), h.getRunTime()
        status = (
            None
            if any(step() != ok for step in steps)
            else self.session.run_primal(self.options.time_limit_s)
        )
        if status is None:
            self.ready = False
            return None
        kind = SolveStatus.from_highs(status)
        feasible = h.getInfo().primal_solution_status == 2  # kSolutionStatusFeasible
        if not (kind is SolveStatus.OPTIMAL or (kind is SolveStatus.LIMIT and feasible)):
            return None
        return self._result(status, kind, time.perf_counter() - t0, h.getRunTime() - run0)

    def _result(
        self, status: str, kind: SolveStatus, seconds: float, highs_s: float
    ) -> SolveResult:
        """The solve's plan as :func:`twin.plan.solve.solve_matrix` reports one."""
        h, s = self.session.highs, self.session
        sol = h.getSolution()
        x = np.asarray(sol.col_value)
        for v, val in zip(s.cols, x, strict=True):
            v.set_value(float(val), skip_validation=True)
        duals: dict[Any, float] = {}
        if sol.dual_valid and s.rows is not None:
            y = list(sol.row_dual)
            for (con, _), yi in zip(s.rows, y, strict=False):
                duals[con] = duals.get(con, 0.0) + float(yi)
            if self.floor_row is not None and len(y) == len(s.rows) + 1:
                duals[self.floor_row] = float(y[-1])  # the floor is the last row
        optimal = kind is SolveStatus.OPTIMAL
        return dataclasses.replace(
            self.best,
            kind=kind,
            status=status,
            optimal=optimal,
            feasible=True,
            gap=0.0,
            objective=float(self.npv_cost @ x + s.lp.offset_),
            size=dict(self.size),
            duals=duals,
            expressions=s.forms.values(x),
            route=f"{self.best.route}; warm from the optimum's basis (primal simplex)",
            times={"handoff_s": 0.0, "solve_s": seconds, "highs_s": highs_s},
            session=None,
        )
