"""PH's subproblem solver and proximal-cut projection (twin.study.wheel), without MPI."""

from __future__ import annotations

import math

import pyomo.environ as pyo
import pytest
from mpisppy.utils.sputils import not_good_enough_results

from twin.study.wheel import SUBPROBLEM_SOLVER, nearest_on_parabola


@pytest.mark.parametrize(
    ("x", "y", "t"),
    [
        (2.0, 4.0, 2.0),  # on the parabola: itself
        (3.0, 0.0, 1.0),  # 2 t^3 + t - 3 = 0 at t = 1
        (0.0, 5.0, math.sqrt(4.5)),  # 2 t^3 - 9 t = 0: t^2 = 4.5 (either sign; +/- tie)
    ],
)
def test_nearest_point_on_the_parabola_by_hand(x: float, y: float, t: float) -> None:
    got = nearest_on_parabola(x, y)
    assert abs(got) == pytest.approx(t, abs=1e-9)
    # and no point of a fine grid is nearer
    grid = [s / 1000 for s in range(-5000, 5001)]
    best = min(grid, key=lambda s: (s - x) ** 2 + (s * s - y) ** 2)
    assert (got - x) ** 2 + (got**2 - y) ** 2 <= (best - x) ** 2 + (best**2 - y) ** 2 + 1e-12


def test_subproblem_solver_loads_values_and_reports_status() -> None:
    """max 2x + y with x <= 4, x + y <= 6: x = 4, y = 2, objective 10; with x fixed at 1, y = 5
    and 7; with y >= 9 added, infeasible (mpi-sppy's test says so; nothing loaded)."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 4))
    m.y = pyo.Var(bounds=(0, None))
    m.c = pyo.Constraint(expr=m.x + m.y <= 6)
    m.o = pyo.Objective(expr=2 * m.x + m.y, sense=pyo.maximize)
    opt = pyo.SolverFactory(SUBPROBLEM_SOLVER)
    res = opt.solve(m, load_solutions=False)
    m.solutions.load_from(res)  # as mpi-sppy does: a no-op, the values are in already
    assert not not_good_enough_results(res)
    assert res.problem.upper_bound == pytest.approx(10.0)
    assert (pyo.value(m.x), pyo.value(m.y)) == pytest.approx((4.0, 2.0))
    m.x.fix(1.0)
    res = opt.solve(m, load_solutions=False)
    assert res.problem.upper_bound == pytest.approx(7.0)
    assert pyo.value(m.y) == pytest.approx(5.0)
    m.d = pyo.Constraint(expr=m.y >= 9)
    res = opt.solve(m, load_solutions=False)
    assert not_good_enough_results(res)
    assert pyo.value(m.y) == pytest.approx(5.0)
