"""PH's persistent leaf solver (twin.study.leaf_highs) on a leaf built as mpi-sppy builds one."""

from __future__ import annotations

import pyomo.environ as pyo
import pytest
from mpisppy.utils.sputils import not_good_enough_results

from twin.study.leaf_highs import LEAF_SOLVER

KEY = ("ROOT", 0)


def _leaf() -> pyo.ConcreteModel:
    """max 2x + y, x <= 4, x + y <= 6, x tied, with PH's objective terms as mpi-sppy writes
    them: ``leaf - W_on w x - prox_on rho/2 (q - 2 xbar x + xbar^2)``, ``q`` bounded below by
    tangent cuts of ``x^2``."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 4))
    m.y = pyo.Var(bounds=(0, None))
    m.c = pyo.Constraint(expr=m.x + m.y <= 6)
    m.risk = pyo.Block()
    m.risk.leaf_value = pyo.Expression(expr=2 * m.x + m.y)
    m._mpisppy_data = pyo.Block()
    m._mpisppy_data.nonant_indices = {KEY: m.x}
    m._mpisppy_data.xsqvar_prox_approx = {KEY: None}
    mp = m._mpisppy_model = pyo.Block()
    for name in ("W", "rho", "xbars"):
        mp.add_component(name, pyo.Param([KEY], initialize=0.0, mutable=True))
    mp.W_on = pyo.Param(initialize=0, mutable=True)
    mp.prox_on = pyo.Param(initialize=0, mutable=True)
    mp.xsqvar = pyo.Var([KEY], bounds=(0, None))
    mp.xsqvar_cuts = pyo.Constraint(pyo.Any)
    mp.WExpr = pyo.Expression(expr=mp.W[KEY] * m.x)
    q, xbar = mp.xsqvar[KEY], mp.xbars[KEY]
    mp.ProxExpr = pyo.Expression(expr=mp.rho[KEY] / 2 * (q - 2 * xbar * m.x + xbar**2))
    ph = mp.W_on * mp.WExpr + mp.prox_on * mp.ProxExpr
    m.risk.objective = pyo.Objective(expr=m.risk.leaf_value - ph, sense=pyo.maximize)
    return m


def _cut(m: pyo.ConcreteModel, a: float) -> None:
    """The tangent of ``x^2`` at ``a``: ``q >= 2 a x - a^2``."""
    mp = m._mpisppy_model
    mp.xsqvar_cuts[KEY, len(mp.xsqvar_cuts)] = mp.xsqvar[KEY] >= 2 * a * m.x - a * a


def _solve(opt, m: pyo.ConcreteModel) -> float:
    res = opt.solve(m, load_solutions=False)
    m.solutions.load_from(res)  # as mpi-sppy does: a no-op, the values are in already
    assert not not_good_enough_results(res)
    assert res.problem.upper_bound == pytest.approx(res.problem.lower_bound)
    return float(res.problem.upper_bound)


def test_leaf_solver_applies_w_the_proximal_cuts_and_fixings_by_hand() -> None:
    """Alone: x = 4, y = 2, 10. With w = 1.5: max 0.5 x + y, x = 0, y = 6, 6. With rho = 2,
    xbar = 1, w = 0: 2x + y - (q - 2x + 1) = 5 + 3x - q on y = 6 - x; cuts at 0 and 4 only:
    x = 2, q = 0, 11; with the cuts at 1, 2, 3 added, q = max(2x - 1, 4x - 4) and x = 1.5,
    q = 2, 7.5 (exact x^2 would give 7.25). x fixed at 1, PH terms off: y = 5, 7."""
    m = _leaf()
    opt = pyo.SolverFactory(LEAF_SOLVER)
    assert _solve(opt, m) == pytest.approx(10.0)
    assert (pyo.value(m.x), pyo.value(m.y)) == pytest.approx((4.0, 2.0))
    mp = m._mpisppy_model
    mp.W_on, mp.W[KEY] = 1, 1.5
    assert _solve(opt, m) == pytest.approx(6.0)
    assert (pyo.value(m.x), pyo.value(m.y)) == pytest.approx((0.0, 6.0))
    mp.W[KEY], mp.prox_on, mp.rho[KEY], mp.xbars[KEY] = 0.0, 1, 2.0, 1.0
    _cut(m, 0.0)
    _cut(m, 4.0)
    assert _solve(opt, m) == pytest.approx(11.0)
    assert pyo.value(m.x) == pytest.approx(2.0)
    for a in (1.0, 2.0, 3.0):
        _cut(m, a)
    assert _solve(opt, m) == pytest.approx(7.5)
    assert (pyo.value(m.x), pyo.value(mp.xsqvar[KEY])) == pytest.approx((1.5, 2.0))
    mp.W_on, mp.prox_on = 0, 0
    m.x.fix(1.0)
    assert _solve(opt, m) == pytest.approx(7.0)
    assert pyo.value(m.y) == pytest.approx(5.0)
