"""Shared check: the LP the matrix hand-off gives HiGHS is the one Pyomo's compiler writes."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest

from twin.plan.solve import compile_with_pyomo, to_highs_lp


def assert_same_lp(m: pyo.ConcreteModel) -> int:
    """Assembled and compiled LPs of ``m`` are identical; returns the number of nonzeros."""
    a, cols_a, rows_a, int_a = to_highs_lp(m)
    b, cols_b, rows_b, int_b = compile_with_pyomo(m)
    assert [v.name for v in cols_a] == [v.name for v in cols_b]
    assert [(c.name, k) for c, k in rows_a] == [(c.name, k) for c, k in rows_b]
    assert (a.num_col_, a.num_row_) == (b.num_col_, b.num_row_)
    for part in ("start_", "index_"):
        assert np.array_equal(getattr(a.a_matrix_, part), getattr(b.a_matrix_, part)), part
    # the same factors multiplied in the same order: equal to the last bit
    np.testing.assert_allclose(a.a_matrix_.value_, b.a_matrix_.value_, rtol=1e-15, atol=0)
    np.testing.assert_allclose(a.col_cost_, b.col_cost_, rtol=1e-13, atol=1e-300)
    for part in ("col_lower_", "col_upper_", "row_lower_", "row_upper_"):
        np.testing.assert_allclose(getattr(a, part), getattr(b, part), rtol=1e-13, atol=1e-12)
    assert a.sense_ == b.sense_
    assert a.offset_ == pytest.approx(b.offset_, rel=1e-13)
    assert np.array_equal(int_a, int_b)
    return len(a.a_matrix_.value_)
