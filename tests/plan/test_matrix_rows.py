"""Rows written as a matrix (:class:`twin.plan.matrix_rows.LinearRows`) are the rows they stand
for: the hand-off reads the matrix, Pyomo's compiler and solvers read the expressions made from
it, and both give the LP that ordinary ``Constraint`` rows give.

Checked on a hand case (an equality, a ``<=`` row with a fixed variable moved to its bound, a
``>=`` row, a row left with nothing to decide, dropped when it holds and named when it cannot)
and on the hourly neocloud model, whose balance, storage, mean and availability rows are
matrices: the LP is
the compiler's to the last bit, a clone gives the same LP, and the Pyomo hand-off (persistent
HiGHS reading the expressions) reaches the matrix hand-off's optimum.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import pytest
from lp_checks import assert_same_lp

from twin.plan import build_model, plan, plan_data
from twin.plan.matrix_rows import FixedRows, LinearRows, csr
from twin.plan.standard_form import assemble
from twin.spec import load_model

MODEL = Path(__file__).resolve().parents[2] / "models" / "baseline.yaml"
INF = float("inf")


def _hand(limit: float = 3.0, matrix: bool = True) -> pyo.ConcreteModel:
    """x[1..3] in [0, 10] (x[3] fixed at 2), y >= 0; max x1 + x2 + y subject to
    2 x1 + 3 x2 = 4;  x1 - x3 <= 5;  y + x2 >= 1;  x3 <= limit (nothing to decide)."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var([1, 2, 3], bounds=(0, 10))
    m.y = pyo.Var(within=pyo.NonNegativeReals)
    m.x[3].fix(2.0)
    m.o = pyo.Objective(expr=m.x[1] + m.x[2] + m.y, sense=pyo.maximize)
    if not matrix:
        m.rows = pyo.Constraint(
            ["eq", "le", "ge", "none"],
            rule=lambda m, k: {
                "eq": 2 * m.x[1] + 3 * m.x[2] == 4,
                "le": m.x[1] - m.x[3] <= 5,
                "ge": m.y + m.x[2] >= 1,
                "none": m.x[3] <= limit,
            }[k],
        )
        return m
    # x: component 0 (members x[1], x[2], x[3] at positions 0, 1, 2); y: component 1
    blocks = [
        (np.array([[0, 0]]), np.array([[0, 1]]), np.array([[2.0, 3.0]])),
        (np.array([[0, 0]]), np.array([[0, 2]]), np.array([[1.0, -1.0]])),
        (np.array([[1, 0]]), np.array([[0, 1]]), np.array([[1.0, 1.0]])),
        (np.array([[0]]), np.array([[2]]), np.array([[1.0]])),
    ]
    terms = csr(blocks, [m.x, m.y], np.array([4, -INF, 1, -INF]), np.array([4, 5, INF, limit]))
    m.add_component("rows", LinearRows(["eq", "le", "ge", "none"], terms))
    return m


def test_matrix_rows_are_the_rows_they_stand_for() -> None:
    lp, cols, rows, _ = assemble(_hand())
    assert [v.name for v in cols] == ["x[1]", "x[2]", "y"]  # x[3] fixed: no column
    assert [(c.name, k) for c, k in rows] == [("rows[eq]", 0), ("rows[le]", 1), ("rows[ge]", -1)]
    assert list(lp.row_lower_) == [4.0, -INF, 1.0]
    assert list(lp.row_upper_) == [4.0, 7.0, INF]  # x1 - 2 <= 5: the fixed x3 moved over
    dense = np.zeros((3, 3))
    a = lp.a_matrix_
    for j in range(3):
        for k in range(a.start_[j], a.start_[j + 1]):
            dense[a.index_[k], j] = a.value_[k]
    assert dense.tolist() == [[2, 3, 0], [1, 0, 0], [0, 1, 1]]
    plain = assemble(_hand(matrix=False))[0]
    for part in ("row_lower_", "row_upper_", "col_lower_", "col_upper_", "col_cost_"):
        assert np.array_equal(getattr(lp, part), getattr(plain, part)), part
    assert np.array_equal(a.value_, plain.a_matrix_.value_)
    m = _hand()
    m.rows["none"].deactivate()  # Pyomo's compiler keeps a row with no decision in it
    assert_same_lp(m)  # the compiler reads the rows' expressions
    assert [c.name for c, _ in assemble(m)[2]] == ["rows[eq]", "rows[le]", "rows[ge]"]
    m.rows["le"].deactivate()
    assert [c.name for c, _ in assemble(m)[2]] == ["rows[eq]", "rows[ge]"]


def test_a_matrix_row_that_cannot_hold_is_named() -> None:
    with pytest.raises(ValueError, match=r"trivially infeasible constraint, 'rows\[none\]'"):
        assemble(_hand(limit=1.0))


def test_a_matrix_row_refuses_changes() -> None:
    m = _hand()
    ge, eq = m.rows["ge"], m.rows["eq"]
    assert (ge.lb, ge.ub, ge.equality) == (1.0, None, False)
    assert (eq.lb, eq.ub, eq.equality) == (4.0, 4.0, True)
    with pytest.raises(FixedRows, match="cannot be changed"):
        m.rows["eq"].set_value(m.x[1] == 0)


def test_a_matrix_row_cannot_be_added_or_deleted_and_keys_are_distinct() -> None:
    m = _hand()
    with pytest.raises(FixedRows, match="cannot be deleted"):
        del m.rows["le"]
    with pytest.raises(FixedRows, match="cannot be changed"):
        m.rows["new"] = m.x[1] <= 1
    terms = m.rows.terms
    with pytest.raises(ValueError, match="row keys repeat"):
        LinearRows(["eq", "le", "le", "none"], terms)
    assert list(m.rows.keys()) == ["eq", "le", "ge", "none"]  # row order
    assert list(m.rows.keys(sort=True)) == ["eq", "ge", "le", "none"]  # sorted when asked


def test_rows_seen_twice_through_a_reference_are_read_once() -> None:
    """Pyomo reads a row once however many components reach it (a ``Reference``); so does
    the hand-off, for matrix rows and ordinary rows, whichever comes first."""
    m = _hand()
    m.plain = pyo.Constraint(expr=m.x[1] + m.y <= 9)
    m.b = pyo.Block()
    m.b.again = pyo.Reference(m.rows)
    m.b.plain_again = pyo.Reference(m.plain)
    names = [c.name for c, _ in assemble(m)[2]]
    assert names == ["rows[eq]", "rows[le]", "rows[ge]", "plain"]
    inner = _hand()
    outer = pyo.ConcreteModel()
    outer.ref = pyo.Reference(inner.rows)  # reached first through the reference
    outer.m = inner
    got = [c.name for c, _ in assemble(outer)[2]]
    assert got == ["m.rows[eq]", "m.rows[le]", "m.rows[ge]"]


@pytest.fixture(scope="module")
def hourly() -> object:
    over = [("horizon.hours.representative_days", 2), ("horizon.years", 2),
            ("horizon.hours.segments", 6), ("horizon.hours.extreme_days", True)]  # fmt: skip
    return load_model(MODEL, scenario="neocloud", overrides=over)


def test_the_hourly_model_is_the_compilers_lp(hourly: object) -> None:
    m = build_model(plan_data(hourly))
    matrices = ("site_power_hourly", "storage_balance", "power_mean", "power_draw_mean",
                "project_available", "storage_charge_limit", "storage_energy_limit")  # fmt: skip
    assert all(isinstance(m.component(n), LinearRows) for n in matrices)
    assert len(m.project_available) > 100 and len(m.storage_energy_limit) > 100
    assert assert_same_lp(m) > 10_000
    a, b = assemble(m)[0], assemble(m.clone())[0]
    assert np.array_equal(a.a_matrix_.value_, b.a_matrix_.value_)
    assert np.array_equal(a.row_upper_, b.row_upper_)


def test_pyomo_reads_the_matrix_rows_to_the_same_optimum(hourly: object) -> None:
    a = plan(hourly, handoff="matrix", exact=True)
    b = plan(hourly, handoff="pyomo", exact=True)
    assert a.result.optimal and b.result.optimal
    assert b.result.objective == pytest.approx(a.result.objective, rel=1e-7)
    balance = b.model.site_power_hourly  # the Pyomo route keys its duals by these rows
    assert sum(1 for c in balance.values() if c in b.result.duals) == len(balance)


def test_expression_rows_reading_matrix_columns_are_the_compilers_lp() -> None:
    """Hourly 24/7 carbon-free rows (``policy.cfe_share``) read ``dispatch`` and
    ``project_dispatch`` through expressions after the matrix rows numbered those columns: the
    LP is still the compiler's."""
    over = [("horizon.hours.representative_days", 2), ("horizon.years", 2),
            ("horizon.hours.segments", 6), ("horizon.hours.extreme_days", False),
            ("policy.cfe_share", 0.5)]  # fmt: skip
    m = build_model(plan_data(load_model(MODEL, scenario="neocloud", overrides=over)))
    assert len(m.cfe_supply) > 100
    assert assert_same_lp(m) > 10_000
