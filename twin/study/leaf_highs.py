"""PH's subproblem solver: one persistent HiGHS model per leaf, changed only where PH changes it.

mpi-sppy solves every leaf once per PH iteration (and the hub's x-hat once more), each time
with a new objective: for a maximised leaf ``f_s(x, y) = c x + d y + e`` (twin's
``m.risk.leaf_value``) PH solves

    max  c x + d y + e - W_on sum_i w_i x_i
         - prox_on sum_i rho_i / 2 (q_i - 2 xbar_i x_i + xbar_i^2)

over the leaf's rows and the proximal term's tangent cuts ``q_i >= 2 a x_i - a^2`` (mpi-sppy's
linearised proximal term, ``q_i`` standing for ``x_i^2``; a binary ``x_i`` is its own square);
the x-hat fixes the tied ``x`` and switches ``w`` and the proximal term off (``W_on = prox_on =
0``). Pyomo's APPSI interface re-read the whole objective and scanned every row for new ones
before each solve, ~3 times HiGHS's own time on the small benchmark leaf
(benchmarks/results/stochastic.md). :class:`LeafHighs` instead

- hands the leaf to HiGHS once, by twin's matrix hand-off (:func:`twin.plan.standard_form.
  assemble`) of its own objective and rows, with the tied decisions as columns;
- before each solve sets the columns' bounds (a fixed variable: both at its value; the tied
  decisions are columns even when fixed at the hand-off), the tied columns' costs
  ``c_i - W_on w_i + prox_on rho_i xbar_i``, the ``q_i`` columns' costs ``-prox_on rho_i / 2``,
  the offset ``e - prox_on sum_i rho_i xbar_i^2 / 2``, and adds the tangent cuts mpi-sppy
  added since the last solve as rows;
- re-solves from the previous basis and writes the values into the leaf's variables.

Rows other than the cuts are the leaf's as handed over (mpi-sppy adds no others to a leaf).
For a minimised leaf the signs of the PH terms flip (mpi-sppy adds them). A quadratic proximal
term (not linearised) is refused. The results carry the status and bounds mpi-sppy reads, with
an empty solution (the values are loaded already).
"""

from __future__ import annotations

from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.symbol_map import SymbolMap
from pyomo.opt import SolverResults, SolverStatus, TerminationCondition
from pyomo.opt.results.solution import Solution as LegacySolution
from pyomo.opt.results.solution import SolutionStatus
from pyomo.repn import generate_standard_repn

from twin.errors import TwinError
from twin.plan.standard_form import INF, assemble
from twin.progress import quiet_stdout

#: The name mpi-sppy is given (``cfg.solver_name``) to create one :class:`LeafHighs` per leaf.
LEAF_SOLVER = "twin_leaf_highs"

_TERMINATION = {
    "Optimal": TerminationCondition.optimal,
    "Infeasible": TerminationCondition.infeasible,
    "Unbounded": TerminationCondition.unbounded,
    "Primal infeasible or unbounded": TerminationCondition.infeasibleOrUnbounded,
    "Time limit reached": TerminationCondition.maxTimeLimit,
}


class _Leaf:
    """One leaf handed to HiGHS: its columns, the tied decisions' columns and base costs."""

    def __init__(self, m: pyo.ConcreteModel, threads: int) -> None:
        self.m = m
        obj = next(m.component_data_objects(pyo.Objective, active=True))
        self.sign = -1.0 if obj.sense == pyo.maximize else 1.0  # PH terms: subtracted on a max
        data = m.component("_mpisppy_data")
        self.nonants: dict[Any, Any] = dict(data.nonant_indices) if data is not None else {}
        lp, cols, integer = self._assemble(obj)
        self.is_mip = bool(integer.any())
        with quiet_stdout():
            self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("threads", threads)
        self.h.passModel(lp)
        self.cols: list[Any] = list(cols)
        self.col_of = {id(v): j for j, v in enumerate(self.cols)}
        self.cost0 = np.asarray(lp.col_cost_, dtype=float).copy()
        self.offset0 = float(lp.offset_)
        self.x_col = np.array([self.col(v) for v in self.nonants.values()], dtype=np.int32)
        self.cuts_seen: set[Any] = set()

    def _assemble(self, obj: Any) -> tuple[highspy.HighsLp, list, np.ndarray]:
        """The leaf's own LP: its objective ``m.risk.leaf_value``, mpi-sppy's block off, the tied
        decisions free (their bounds are set per solve)."""
        m = self.m
        ph_expr, extra = obj.expr, m.component("_mpisppy_model")
        fixed = [v for v in self.nonants.values() if v.fixed]
        risk = m.component("risk")
        obj.set_value(risk.leaf_value if risk is not None else ph_expr)
        if extra is not None:
            extra.deactivate()
        for v in fixed:
            v.unfix()
        try:
            lp, cols, _, integer = assemble(m)
        finally:
            obj.set_value(ph_expr)
            if extra is not None:
                extra.activate()
            for v in fixed:
                v.fix()
        return lp, cols, integer

    def col(self, v: Any) -> int:
        """The column of variable ``v``, added (no cost, no rows) if the LP lacks it."""
        j = self.col_of.get(id(v))
        if j is None:
            lo = -INF if v.lb is None else float(v.lb)
            hi = INF if v.ub is None else float(v.ub)
            self.h.addCol(0.0, lo, hi, 0, np.array([], dtype=np.int32), np.array([]))
            j = len(self.cols)
            self.cols.append(v)
            self.col_of[id(v)] = j
            self.cost0 = np.append(self.cost0, 0.0)
        return j

    def _objective(self) -> tuple[np.ndarray, float]:
        """Costs and offset of the PH objective (module docstring) at the current parameters."""
        mp = self.m.component("_mpisppy_model")
        if mp is None or not self.nonants:
            return self.cost0, self.offset0
        w_on = float(pyo.value(mp.W_on)) if mp.component("WExpr") is not None else 0.0
        prox_on = float(pyo.value(mp.prox_on)) if mp.component("ProxExpr") is not None else 0.0
        approx = getattr(self.m._mpisppy_data, "xsqvar_prox_approx", False)
        if prox_on and approx is False:
            raise TwinError(  # twin.study.wheel always linearises it (proximal.LINEARIZE)
                "a leaf solved by HiGHS as an LP needs PH's proximal term linearised "
                "(mpi-sppy's linearize_proximal_terms), not its quadratic form"
            )
        squares: dict[Any, Any] = approx if isinstance(approx, dict) else {}
        sq_cols = (
            [
                self.col(mp.xsqvar[i]) if i in squares else self.col(v)
                for i, v in self.nonants.items()
            ]
            if prox_on
            else []
        )
        cost = self.cost0.copy()
        offset = self.offset0
        keys = list(self.nonants)
        if w_on:
            w = np.array([mp.W[i].value for i in keys], dtype=float)
            np.add.at(cost, self.x_col, self.sign * w_on * w)
        if prox_on:
            rho = np.array([mp.rho[i].value for i in keys], dtype=float)
            xbar = np.array([mp.xbars[i].value for i in keys], dtype=float)
            np.add.at(cost, self.x_col, -self.sign * prox_on * rho * xbar)
            np.add.at(cost, np.array(sq_cols, dtype=np.int32), self.sign * prox_on * rho / 2)
            offset += self.sign * prox_on * float(np.dot(rho, xbar * xbar)) / 2
        return cost, offset

    def _add_cuts(self) -> None:
        """Rows for the tangent cuts mpi-sppy added since the last solve."""
        mp = self.m.component("_mpisppy_model")
        cuts = None if mp is None else mp.component("xsqvar_cuts")
        if cuts is None or len(cuts) == len(self.cuts_seen):
            return
        for key in cuts:
            if key in self.cuts_seen:
                continue
            self.cuts_seen.add(key)
            con = cuts[key]
            repn = generate_standard_repn(con.body, quadratic=False)
            idx = np.array([self.col(v) for v in repn.linear_vars], dtype=np.int32)
            val = np.array(repn.linear_coefs, dtype=float)
            const = float(repn.constant)
            lo = -INF if con.lower is None else float(pyo.value(con.lower)) - const
            hi = INF if con.upper is None else float(pyo.value(con.upper)) - const
            self.h.addRow(lo, hi, len(idx), idx, val)

    def solve(self) -> SolverResults:
        """Update the costs, bounds and cuts; re-solve; load the values; the results."""
        self._add_cuts()
        cost, offset = self._objective()
        n = len(self.cols)
        self.h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        self.h.changeObjectiveOffset(offset)
        lo = np.array([_bound(v, v.lb, -INF) for v in self.cols], dtype=float)
        hi = np.array([_bound(v, v.ub, INF) for v in self.cols], dtype=float)
        self.h.changeColsBounds(n, np.arange(n, dtype=np.int32), lo, hi)
        self.h.run()
        status = self.h.modelStatusToString(self.h.getModelStatus())
        info = self.h.getInfo()
        feasible = info.primal_solution_status == 2  # kSolutionStatusFeasible
        if feasible:
            for v, x in zip(self.cols, self.h.getSolution().col_value, strict=True):
                if not v.fixed:
                    v.set_value(x, skip_validation=True)
        return _results(status, feasible, info, self.sign < 0, self.is_mip)


def _bound(v: Any, bound: float | None, inf: float) -> float:
    """A tied column's bound: its value when fixed, else its own bound."""
    if v.fixed:
        return float(v.value)
    return inf if bound is None else float(bound)


def _results(status: str, feasible: bool, info: Any, maximize: bool, is_mip: bool) -> SolverResults:
    """The legacy results mpi-sppy reads: status, bounds, an empty solution when feasible."""
    res = SolverResults()
    res.solver.status = SolverStatus.ok if feasible else SolverStatus.warning
    res.solver.termination_condition = _TERMINATION.get(status, TerminationCondition.other)
    if not feasible:
        return res
    obj = float(info.objective_function_value)
    bound = float(info.mip_dual_bound) if is_mip else obj
    res.problem.upper_bound, res.problem.lower_bound = (bound, obj) if maximize else (obj, bound)
    solution = LegacySolution()
    solution.status = SolutionStatus.optimal if status == "Optimal" else SolutionStatus.feasible
    res.solution.insert(solution)
    res._smap = SymbolMap()  # nothing to map: the values are loaded already
    res._smap_id = id(res._smap)
    return res


class LeafHighs:
    """The legacy Pyomo solver interface mpi-sppy calls (``solve(model, load_solutions=False,
    ...)``), one instance per leaf, its HiGHS model kept between solves (module docstring)."""

    def __init__(self, **kwds: Any) -> None:
        self.options: dict[str, Any] = {}
        self._leaf: _Leaf | None = None

    def available(self, exception_flag: bool = True) -> bool:
        """HiGHS ships with highspy: always."""
        return True

    def solve(self, model: pyo.ConcreteModel, *args: Any, **kwds: Any) -> SolverResults:
        """Solve ``model`` (the same leaf every call) from the previous basis."""
        if self._leaf is None or self._leaf.m is not model:
            self._leaf = _Leaf(model, int(self.options.get("threads", 1)))
        return self._leaf.solve()


pyo.SolverFactory.register(LEAF_SOLVER, doc=LeafHighs.__doc__)(LeafHighs)
