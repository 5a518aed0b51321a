"""The LP handed to HiGHS (assembled from the model's expressions) is the LP Pyomo's own
standard-form compiler writes: the same columns and rows in the same order, the same
coefficients, bounds, objective and offset -- on every scenario of the baseline (orbit, fabs,
integer modules, contracts), an elastic (phase-one) model, and a synthetic fleet."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import pytest
from conftest import PERIOD_FORM
from lp_checks import assert_same_lp

from benchmarks.synthetic import synthetic_spec
from twin.plan import build_model, plan_data
from twin.plan.standard_form import NotLinear, assemble
from twin.spec import load_model

BASELINE = Path(__file__).resolve().parents[2] / "models" / "baseline.yaml"
# quarterly periods: test_synthetic_fleet (the quarterly baseline's LP took CI ~15 s to build twice)
SCENARIOS = [None, "modules", "terafab", "orbital_2035", "turbine_permit"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_baseline_scenarios(scenario):
    d = plan_data(load_model(BASELINE, scenario=scenario))
    assert assert_same_lp(build_model(d)) > 1000


def test_elastic_model():
    d = plan_data(load_model(BASELINE, scenario="terafab"))
    m = build_model(dataclasses.replace(d, elastic=True))
    assert sum(1 for _ in m.slack.values()) > 0
    assert assert_same_lp(m) > 1000


def test_synthetic_fleet():
    spec = synthetic_spec(12, 4, 4, 8, period="quarter")
    assert assert_same_lp(build_model(plan_data(spec))) > 5_000


def test_small_model_by_hand():
    """A model written out by hand: constants on both sides, a ranged row, a fixed variable,
    a named expression used twice, a negation, a product and a division by a constant."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var([1, 2, 3], bounds=(0, 10))
    m.y = pyo.Var(bounds=(None, 4))
    m.z = pyo.Var(initialize=2.0)
    m.z.fix()
    m.e = pyo.Expression(expr=2 * m.x[1] + 3 * m.x[2] + 1)
    m.c1 = pyo.Constraint(expr=m.e + m.y - 5 <= 7 + m.z)  # 2x1 + 3x2 + y <= 13
    m.c2 = pyo.Constraint(expr=pyo.inequality(1, -(m.x[3] - m.e), 8))  # ranged: two rows
    m.c3 = pyo.Constraint(expr=(8 * (m.x[1] + m.x[1])) / 2 == 3)  # duplicates summed: 8 x1 = 3
    m.c4 = pyo.Constraint(expr=m.z <= 5)  # no decision, holds: skipped
    m.o = pyo.Objective(expr=m.e - 2 * m.y + 0 * m.x[3], sense=pyo.maximize)
    lp, cols, rows, _ = assemble(m)
    assert [v.name for v in cols] == ["x[1]", "x[2]", "x[3]", "y"]  # a component at once
    assert [(c.name, k) for c, k in rows] == [("c1", 1), ("c2", 1), ("c2", -1), ("c3", 0)]
    assert list(lp.row_upper_[:2]) == [13.0, 7.0] and lp.row_lower_[2] == 0.0
    assert lp.row_lower_[3] == lp.row_upper_[3] == 3.0
    dense = np.zeros((4, 4))
    a = lp.a_matrix_
    for j in range(4):
        for k in range(a.start_[j], a.start_[j + 1]):
            dense[a.index_[k], j] = a.value_[k]
    assert dense.tolist() == [[2, 3, 0, 1], [2, 3, -1, 0], [2, 3, -1, 0], [8, 0, 0, 0]]
    assert list(lp.col_cost_) == [2.0, 3.0, 0.0, -2.0] and lp.offset_ == 1.0
    assert_same_lp(m)


def test_nonlinear_row_is_named():
    m = pyo.ConcreteModel()
    m.x = pyo.Var()
    m.sq = pyo.Constraint(expr=m.x * m.x <= 1)
    m.o = pyo.Objective(expr=m.x)
    with pytest.raises(NotLinear, match="sq"):
        assemble(m)


def test_expression_values_from_the_solution():
    """The hand-off's values of the shared expressions and cash flows equal Pyomo's own
    evaluation of each at the solution, and cover every one of them (the report reads these)."""
    from twin.plan.solve import solve

    spec = load_model(BASELINE, scenario="terafab", overrides=PERIOD_FORM)
    m = build_model(plan_data(spec))
    res = solve(m, spec.model.solver)
    assert res.optimal
    names = ["new_capacity", "it_load", "new_compute", "cash", "salvage_value"]
    checked = 0
    for name in names:
        for e in m.component(name).values():
            assert res.expressions[id(e)] == pytest.approx(pyo.value(e), rel=1e-9, abs=1e-9)
            checked += 1
    assert checked > 100


def test_a_row_with_every_decision_fixed_is_kept_out_within_the_feasibility_tolerance() -> None:
    """As in a myopic window: x + y <= 1 with x, y fixed at 0.5 and 0.5 + 1e-12 (a value an
    earlier solve left) holds within HiGHS's 1e-7 tolerance and leaves no row; at 0.6 it cannot
    hold and the row is named."""
    m = pyo.ConcreteModel()
    m.x, m.y, m.z = pyo.Var(), pyo.Var(), pyo.Var(bounds=(0, 1))
    m.row = pyo.Constraint(expr=m.x + m.y <= 1)
    m.free = pyo.Constraint(expr=m.z <= 1)
    m.obj = pyo.Objective(expr=m.z, sense=pyo.maximize)
    m.x.fix(0.5)
    m.y.fix(0.5 + 1e-12)
    lp = assemble(m)[0]
    assert lp.num_row_ == 1
    m.y.fix(0.6)
    with pytest.raises(ValueError, match="'row'"):
        assemble(m)
