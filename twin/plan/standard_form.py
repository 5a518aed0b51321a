"""The LP handed to HiGHS, assembled straight from the model's linear expressions.

Every row of the planning model is linear: a sum of ``coefficient x variable`` terms, constants,
and the shared ``Expression`` components of :mod:`twin.plan.expressions` (scaled by constants).
This module reads those terms directly -- a short walk over the few expression types the
families write, with each shared expression read once and reused wherever it appears -- and
assembles the standard form ``row_lower <= A x <= row_upper``, ``col_lower <= x <= col_upper``,
``max/min c x + offset`` with NumPy. It replaces Pyomo's generic ``LinearStandardFormCompiler``
(kept in :func:`twin.plan.solve.compile_with_pyomo` as the reference) and needs no SciPy.

The LP is the compiler's to the last bit of structure: the same columns in the same order (a
variable component's members all at once, components in order of first appearance, objective
first; unused columns dropped), the same rows in the same order (constraint components in
declaration order; an equality is one row of bound type 0, a one-sided row type 1 (``<=``) or
-1 (``>=``), a ranged row two rows, ``<=`` first), constants moved to the bounds, duplicate terms
summed and zero coefficients dropped. ``tests/plan/test_standard_form.py`` checks it against the
compiler.

An expression of any other kind (a product of two variables, a function) raises
:class:`NotLinear` naming the row, as the compiler would refuse it.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from itertools import chain
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.core.base import SortComponents
from pyomo.core.base.var import VarData
from pyomo.core.expr import numeric_expr as ne
from pyomo.core.expr.numvalue import native_numeric_types, value

from twin.plan.column_bounds import column_bounds
from twin.plan.columns import Columns
from twin.plan.matrix_rows import LinearRows, read_rows

#: A row left with no free decision (all fixed, as in a myopic window) may miss its bound by
#: this much, relative to its size, before it is trivially infeasible (HiGHS's default primal
#: feasibility tolerance).
FEASIBILITY_TOL = 1e-7

INF = highspy.kHighsInf
#: The compiler's default order: members of ordered index sets as declared, others sorted.
_ORDER = SortComponents.ORDERED_INDICES
_NATIVE = native_numeric_types
_LINEAR = ne.LinearExpression
_MONOMIAL = ne.MonomialTermExpression
_SUM = ne.SumExpression


class NotLinear(ValueError):
    """A row or objective that is not a linear expression (names it)."""


@dataclass
class _Terms:
    """Terms being collected: parallel lists of coefficients and provisional columns; shared
    expressions already read (``id`` -> expression, coefficients, columns, constant)."""

    coefs: list[float]
    cols: list[int]
    shared: dict[int, tuple[Any, list[float], list[int], float]]
    index: Columns


@dataclass
class ExpressionForms:
    """The linear form of every named expression the LP's rows and objective read, in columns
    of the LP: ``value(e) = constant[e] + sum(coef * x[col])``, so the report can evaluate them
    all at once from the solution instead of walking each expression tree."""

    expressions: list[Any]
    seg: np.ndarray  # which expression each term belongs to
    cols: np.ndarray
    coefs: np.ndarray
    constants: np.ndarray

    def values(self, x: np.ndarray) -> dict[int, float]:
        """``{id(expression data): value}`` at the column values ``x`` (by ``id``: Pyomo's
        expression objects are not hashable)."""
        v = np.bincount(
            self.seg, weights=self.coefs * x[self.cols], minlength=len(self.expressions)
        )
        return dict(zip(map(id, self.expressions), (v + self.constants).tolist(), strict=True))


def _collect(expr: Any, mult: float, t: _Terms) -> float:
    """Append the terms of ``mult * expr`` to ``t``; return its constant part."""
    kind = type(expr)
    if kind is _LINEAR or kind is _SUM:  # the common case, unrolled: monomials, bare variables
        const = 0.0
        add_c, add_j = t.coefs.append, t.cols.append
        col_of, index = t.index.of.get, t.index
        for a in expr.args:
            ka = type(a)
            if ka is _MONOMIAL:
                c, v = a._args_
                if type(c) not in _NATIVE:
                    c = value(c)
                if v.fixed:
                    const += mult * c * v.value
                    continue
                j = col_of(id(v))
                add_j(index.add(v) if j is None else j)
                add_c(c if mult == 1.0 else mult * c)  # no new float object when unscaled
            elif ka is VarData and not a.fixed:
                j = col_of(id(a))
                add_j(index.add(a) if j is None else j)
                add_c(mult)
            elif ka in _NATIVE:
                const += mult * a
            else:
                const += _collect(a, mult, t)
        return const
    if kind in _NATIVE:
        return mult * expr
    return _collect_other(expr, mult, t)


def _collect_other(expr: Any, mult: float, t: _Terms) -> float:
    kind = type(expr)
    if kind is _MONOMIAL:
        c, v = expr._args_
        if v.fixed:
            return mult * value(c) * v.value
        _add(t, mult * value(c), v)
        return 0.0
    if kind is ne.NegationExpression:
        return _collect(expr._args_[0], -mult, t)
    if kind is ne.ProductExpression:
        a, b = expr._args_
        if type(a) in _NATIVE or not a.is_potentially_variable():
            return _collect(b, mult * value(a), t)
        if type(b) in _NATIVE or not b.is_potentially_variable():
            return _collect(a, mult * value(b), t)
        raise NotLinear(f"product of two expressions with variables: {expr}")
    if kind is ne.DivisionExpression:
        a, b = expr._args_
        if type(b) in _NATIVE or not b.is_potentially_variable():
            return _collect(a, mult / value(b), t)
        raise NotLinear(f"division by an expression with variables: {expr}")
    if kind in _NATIVE or not expr.is_potentially_variable():
        return mult * value(expr)
    if expr.is_variable_type():
        if expr.fixed:
            return mult * expr.value
        _add(t, mult, expr)
        return 0.0
    if expr.is_named_expression_type():
        return _collect_shared(expr, mult, t)
    raise NotLinear(f"not a linear expression: {expr}")


def _add(t: _Terms, coef: float, v: VarData) -> None:
    j = t.index.of.get(id(v))
    t.cols.append(t.index.add(v) if j is None else j)
    t.coefs.append(coef)


def _collect_shared(expr: Any, mult: float, t: _Terms) -> float:
    """A named (shared) expression: read its terms once, then copy them scaled by ``mult``."""
    memo = t.shared.get(id(expr))
    if memo is None:
        inner = _Terms([], [], t.shared, t.index)
        const = _collect(expr.expr, 1.0, inner)
        memo = t.shared[id(expr)] = (expr, inner.coefs, inner.cols, const)
    _, coefs, cols, const = memo
    t.coefs.extend(coefs if mult == 1.0 else [mult * c for c in coefs])
    t.cols.extend(cols)
    return mult * const


def _used(t: _Terms) -> tuple[np.ndarray, list[VarData], np.ndarray]:
    """Final column of each term and the used columns, in provisional order with the columns no
    row or objective uses dropped (as the compiler drops them); and provisional -> final."""
    prov = np.array(t.cols, dtype=np.int64)
    used = np.bincount(prov, minlength=len(t.index.members)) > 0
    final = np.cumsum(used) - 1
    members = t.index.members
    return final[prov], [members[i] for i in np.flatnonzero(used).tolist()], final


def _forms(t: _Terms, final: np.ndarray) -> ExpressionForms:
    """The named expressions read, as :class:`ExpressionForms` over the LP's columns."""
    entries = list(t.shared.values())
    sizes = np.fromiter((len(e[2]) for e in entries), dtype=np.int64, count=len(entries))
    total = int(sizes.sum())
    return ExpressionForms(
        expressions=[e[0] for e in entries],
        seg=np.repeat(np.arange(len(entries)), sizes),
        cols=final[np.fromiter(chain.from_iterable(e[2] for e in entries), np.int64, total)],
        coefs=np.fromiter(chain.from_iterable(e[1] for e in entries), float, total),
        constants=np.fromiter((e[3] for e in entries), float, len(entries)),
    )


def _csc(
    rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n_rows: int, n_cols: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column-wise sparse matrix (start, index, value) with duplicates summed, zeros dropped."""
    key = cols * max(n_rows, 1) + rows
    order = np.argsort(key, kind="stable")
    key, vals = key[order], vals[order]
    if len(key):
        new = np.empty(len(key), dtype=bool)
        new[0] = True
        np.not_equal(key[1:], key[:-1], out=new[1:])
        starts = np.flatnonzero(new)
        vals, key = np.add.reduceat(vals, starts), key[starts]
    keep = vals != 0
    key, vals = key[keep], vals[keep]
    start = np.zeros(n_cols + 1, dtype=np.int64)
    np.add.at(start, key // max(n_rows, 1) + 1, 1)
    return np.cumsum(start), key % max(n_rows, 1), vals


def _rows(m: pyo.ConcreteModel, t: _Terms) -> tuple[list, list[int], list[float], list[float]]:
    """Collect every active row's terms into ``t``; its (constraint, bound type), term counts
    and bounds with the constants moved over. Rows written as a matrix
    (:class:`~twin.plan.matrix_rows.LinearRows`) are read in bulk, in their place."""
    rows: list[tuple[Any, int]] = []
    counts: list[int] = []
    lower: list[float] = []
    upper: list[float] = []
    seen: set[int] = set()  # rows already read: a Reference repeats them, as Pyomo dedups
    for comp in m.component_objects(pyo.Constraint, active=True, descend_into=True, sort=_ORDER):
        if isinstance(comp, LinearRows) and seen.isdisjoint(map(id, comp._data.values())):
            seen.update(map(id, comp._data.values()))
            got = read_rows(comp, t.index, FEASIBILITY_TOL)
            t.coefs.extend(got.coefs.tolist())
            t.cols.extend(got.cols.tolist())
            rows.extend(got.rows)
            counts.extend(got.counts.tolist())
            lower.extend(got.lower.tolist())
            upper.extend(got.upper.tolist())
            continue
        members = comp.values(_ORDER) if comp.is_indexed() else comp._data.values()
        for con in members:
            if con.active and id(con) not in seen:
                seen.add(id(con))
                _row(con, t, rows, counts, lower, upper)
    return rows, counts, lower, upper


def _row(
    con: Any, t: _Terms, rows: list, counts: list[int], lower: list[float], upper: list[float]
) -> None:
    """Collect one row (see :func:`_rows`)."""
    lb, body, ub = con.to_bounded_expression(evaluate_bounds=True)
    k0 = len(t.cols)
    try:
        const = _collect(body, 1.0, t)
    except NotLinear as exc:
        raise NotLinear(f"constraint {con.name}: {exc}") from None
    n = len(t.cols) - k0
    if n == 0:  # nothing to decide: skipped if it holds within HiGHS's feasibility tolerance
        tol = FEASIBILITY_TOL * max(1.0, abs(const))
        if (lb is None or lb <= const + tol) and (ub is None or ub >= const - tol):
            return
        raise ValueError(f"model contains a trivially infeasible constraint, '{con.name}'")
    if lb is not None and lb == ub:
        rows.append((con, 0))
        counts.append(n)
        lower.append(lb - const)
        upper.append(ub - const)
        return
    if ub is not None:
        rows.append((con, 1))
        counts.append(n)
        lower.append(-INF)
        upper.append(ub - const)
        if lb is not None:  # ranged: the same terms again for the >= row
            t.coefs.extend(t.coefs[k0:])
            t.cols.extend(t.cols[k0 : k0 + n])
    if lb is not None:
        rows.append((con, -1))
        counts.append(n)
        lower.append(lb - const)
        upper.append(INF)


def assemble(m: pyo.ConcreteModel) -> tuple[highspy.HighsLp, list, list, np.ndarray]:
    """The LP of ``m`` as a :class:`highspy.HighsLp` (module docstring).

    Returns the LP, its columns (Pyomo variables), its rows ``(constraint, bound type)`` and
    the integer column mask, as :func:`twin.plan.solve.compile_with_pyomo` does.
    """
    return assemble_with_forms(m)[:4]


def assemble_with_forms(
    m: pyo.ConcreteModel,
) -> tuple[highspy.HighsLp, list, list, np.ndarray, ExpressionForms]:
    """:func:`assemble`, and the :class:`ExpressionForms` of the named expressions it read.

    Python's cyclic garbage collector is paused meanwhile (the lists of terms hold no cycles),
    as the compiler does.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _assemble(m)
    finally:
        if enabled:
            gc.enable()


def _assemble(
    m: pyo.ConcreteModel,
) -> tuple[highspy.HighsLp, list, list, np.ndarray, ExpressionForms]:
    objectives = list(m.component_data_objects(pyo.Objective, active=True, sort=_ORDER))
    if len(objectives) != 1:
        raise ValueError(f"expected one active objective, found {len(objectives)}")
    (obj,) = objectives
    t = _Terms([], [], {}, Columns())
    offset = _collect(obj.expr, 1.0, t)
    n_obj = len(t.cols)
    rows, counts, lower, upper = _rows(m, t)
    col, cols, final = _used(t)
    vals = np.asarray(t.coefs, dtype=float)
    forms = _forms(t, final)
    t.cols.clear()  # the term lists are arrays now: free them before the matrix is sorted
    t.coefs.clear()
    t.shared.clear()
    n, r = len(cols), len(rows)
    cost = np.zeros(n)
    np.add.at(cost, col[:n_obj], vals[:n_obj])
    row_of = np.repeat(np.arange(r, dtype=np.int64), np.asarray(counts, dtype=np.int64))
    start, index, value_ = _csc(row_of, col[n_obj:], vals[n_obj:], r, n)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, r
    lp.col_cost_ = cost
    lp.col_lower_, lp.col_upper_, integer = column_bounds(cols)
    lp.row_lower_ = np.asarray(lower, dtype=float)
    lp.row_upper_ = np.asarray(upper, dtype=float)
    mat = lp.a_matrix_
    mat.format_ = highspy.MatrixFormat.kColwise
    mat.num_col_, mat.num_row_ = n, r
    mat.start_ = start.astype(np.int32)
    mat.index_ = index.astype(np.int32)
    mat.value_ = value_
    maximize = obj.sense == pyo.maximize
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    lp.offset_ = float(offset)
    if integer.any():
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
            for i in integer
        ]
    return lp, cols, rows, integer, forms
