"""Constraint families written as a sparse matrix: the hourly rows, built with NumPy.

A family of ``R`` rows over ``T`` terms is given row-wise (CSR): row ``r`` holds the terms
``start[r] .. start[r+1]-1``; term ``i`` is ``coef[i] x var[i]``, its variable the member at
position ``pos[i]`` (in the component's ordered members) of the variable component
``variables[comp[i]]``. Each row is ``lower[r] <= sum_i coef[i] x var[i] <= upper[r]``: an
equality where the two are equal, one-sided where the other is infinite (ranged rows are not
written here). No Pyomo expression is made while building: the hourly families hold ~4 terms a
row over hundreds of thousands of rows, and a Pyomo term costs ~7 us to make and read back.

:class:`LinearRows` is a Pyomo ``Constraint`` all the same: each row is a ``ConstraintData``
(:class:`RowData`) whose expression is made from the matrix when something asks for it, so
Pyomo's writers, persistent solvers, ``SolverFactory`` routes and mpi-sppy see ordinary rows,
and duals are keyed by row as for every other constraint. The matrix hand-off
(:mod:`twin.plan.standard_form`) reads the matrix itself, never the expressions.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyomo.common.sorting import sorted_robust
from pyomo.core.base import SortComponents
from pyomo.core.base.constraint import ConstraintData, IndexedConstraint
from pyomo.core.base.set import Any as AnySet
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.core.expr.relational_expr import EqualityExpression, InequalityExpression

INF = float("inf")
ORDERED = SortComponents.ORDERED_INDICES


def member_positions(var: Any) -> dict[Any, int]:
    """``{index: position}`` of a variable component's members in its ordered index: the
    ``pos`` of a term in :class:`RowTerms` (for the small components a row reads by key)."""
    return {k: j for j, k in enumerate(var.keys(ORDERED))}


class FixedRows(TypeError):
    """A change asked of rows written as a matrix (set, add or delete a row): the matrix is the
    rows, as a tuple's items are the tuple; build the family anew instead."""


@dataclass
class RowTerms:
    """The rows' terms and bounds (module docstring); arrays of equal length per kind."""

    variables: list[Any]  # Pyomo Var components (indexed or scalar)
    start: np.ndarray  # (R + 1,) int64
    comp: np.ndarray  # (T,) int64, into ``variables``
    pos: np.ndarray  # (T,) int64, member position in ``variables[comp]``
    coef: np.ndarray  # (T,) float
    lower: np.ndarray  # (R,) float, -inf: none
    upper: np.ndarray  # (R,) float, inf: none

    def __post_init__(self) -> None:
        n_rows, n_terms = len(self.lower), len(self.coef)
        if len(self.start) != n_rows + 1 or int(self.start[-1]) != n_terms:
            raise ValueError("row starts do not match the rows and terms")
        if not (len(self.comp) == len(self.pos) == n_terms and len(self.upper) == n_rows):
            raise ValueError("term or bound arrays of unequal length")
        if np.any(np.isfinite(self.lower) & np.isfinite(self.upper) & (self.lower != self.upper)):
            raise ValueError("ranged rows are not supported")

    def row_of_term(self) -> np.ndarray:
        """The row of every term, (T,) int64."""
        return np.repeat(np.arange(len(self.lower), dtype=np.int64), np.diff(self.start))

    def kind(self) -> np.ndarray:
        """Bound type of every row, as :mod:`twin.plan.standard_form` numbers them: 0 an
        equality, 1 ``<=``, -1 ``>=``."""
        eq = self.lower == self.upper
        return np.where(eq, 0, np.where(np.isfinite(self.upper), 1, -1)).astype(np.int64)


def csr(
    blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    variables: list[Any],
    lower: np.ndarray,
    upper: np.ndarray,
) -> RowTerms:
    """:class:`RowTerms` from row blocks, each ``(comp, pos, coef)`` of shape (rows, terms) in
    row order (a block's rows all have the same number of terms); terms with a zero coefficient
    are dropped, as :func:`twin.plan.linear.weighted_sum` drops them."""
    blocks = [b for b in blocks if len(b[0])]  # each (rows, terms), terms fixed per block
    comps = [np.asarray(b[0], np.int64) for b in blocks]
    poss = [np.asarray(b[1], np.int64) for b in blocks]
    coefs = [np.asarray(b[2], float) for b in blocks]
    counts = [(c != 0).sum(axis=1) for c in coefs]
    keep = [(c != 0).ravel() for c in coefs]

    def cat(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)

    start = np.zeros(sum(len(c) for c in counts) + 1, dtype=np.int64)
    np.cumsum(cat(counts, np.int64), out=start[1:])
    return RowTerms(
        variables=variables,
        start=start,
        comp=cat([c.ravel()[k] for c, k in zip(comps, keep, strict=True)], np.int64),
        pos=cat([p.ravel()[k] for p, k in zip(poss, keep, strict=True)], np.int64),
        coef=cat([c.ravel()[k] for c, k in zip(coefs, keep, strict=True)], float),
        lower=np.asarray(lower, float),
        upper=np.asarray(upper, float),
    )


class RowData(ConstraintData):
    """One row of a :class:`LinearRows`: its expression made from the matrix on request."""

    __slots__ = ("_row",)

    def __init__(self, component: weakref.ref, index: Any, row: int) -> None:
        # ConstraintData's own __init__ would store an expression: none is kept here
        self._component = component  # type: ignore[misc]  # ConstraintData's slots
        self._index = index  # type: ignore[misc]
        self._active = True  # type: ignore[misc]
        self._row = row

    @property
    def _expr(self) -> Any:
        comp = self.parent_component()
        return comp._relation(self._row)

    @_expr.setter
    def _expr(self, value: Any) -> None:
        """Nothing is stored: Pyomo's copy and pickle restore the slot with the expression they
        read, which the matrix already gives (a change goes through ``set_value``, refused)."""

    def set_value(self, expr: Any) -> None:
        """Rows written as a matrix are fixed."""
        raise FixedRows(f"{self.name}: rows written as a matrix cannot be changed")


class LinearRows(IndexedConstraint):
    """Rows given as :class:`RowTerms`, keyed by ``index`` (one distinct key per row, in row
    order). Rows iterate in row order, or sorted where Pyomo asks for sorted indices (as a
    writer may), as a constraint over an insertion-ordered set does. Rows cannot be changed,
    added or deleted: the matrix is the rows."""

    def __init__(self, index: list[Any], terms: RowTerms, **kwargs: Any) -> None:
        if len(index) != len(terms.lower):
            raise ValueError(f"{len(index)} row keys for {len(terms.lower)} rows")
        if len(set(index)) != len(index):
            raise ValueError("row keys repeat: one distinct key per row")
        IndexedConstraint.__init__(self, AnySet, **kwargs)
        self._keys = index
        self.terms = terms
        self._members: list[list[Any] | None] = [None] * len(terms.variables)

    def construct(self, data: Any = None) -> None:
        """Make the row objects (no expressions)."""
        if self._constructed:  # type: ignore[has-type]
            return
        self._constructed = True
        me = weakref.ref(self)  # one reference shared by every row
        self._data = {k: RowData(me, k, r) for r, k in enumerate(self._keys)}

    def _member(self, comp: int, pos: int) -> Any:
        members = self._members[comp]
        if members is None:
            v = self.terms.variables[comp]
            members = self._members[comp] = list(v.values(ORDERED))
        return members[pos]

    def _relation(self, row: int) -> Any:
        """``lower <= body <= upper`` of ``row`` as a Pyomo relational expression."""
        t = self.terms
        a, b = int(t.start[row]), int(t.start[row + 1])
        args = []
        for c, j, p in zip(t.coef[a:b].tolist(), t.comp[a:b].tolist(), t.pos[a:b].tolist(),
                           strict=True):  # fmt: skip
            v = self._member(j, p)
            args.append(v if c == 1 else MonomialTermExpression((c, v)))
        body = LinearExpression(args)
        lo, hi = float(t.lower[row]), float(t.upper[row])
        if lo == hi:
            return EqualityExpression((body, lo))
        if hi < INF:
            return InequalityExpression((body, hi), False)
        return InequalityExpression((lo, body), False)

    def keys(self, sort: Any = SortComponents.UNSORTED, ordered: Any = None) -> Any:
        """Row keys in row order (the order of an insertion-ordered index), sorted where
        ``sort`` asks for sorted indices, as for a constraint over an ordered set."""
        if SortComponents.SORTED_INDICES in SortComponents(sort):
            return iter(sorted_robust(self._data))
        return iter(self._data)

    def values(self, sort: Any = SortComponents.UNSORTED, ordered: Any = None) -> Any:
        """Rows in the order of :meth:`keys`."""
        return map(self._data.__getitem__, self.keys(sort))

    def items(self, sort: Any = SortComponents.UNSORTED, ordered: Any = None) -> Any:
        """``(key, row)`` in the order of :meth:`keys`."""
        return ((k, self._data[k]) for k in self.keys(sort))

    def __setitem__(self, index: Any, value: Any) -> None:
        raise FixedRows(f"{self.name}: rows written as a matrix cannot be changed")

    def __delitem__(self, index: Any) -> None:
        raise FixedRows(f"{self.name}: rows written as a matrix cannot be deleted")

    def add(self, index: Any, expr: Any) -> Any:
        """Rows written as a matrix are fixed."""
        raise FixedRows(f"{self.name}: rows written as a matrix cannot be added to")


@dataclass
class ReadRows:
    """The kept rows of a :class:`LinearRows` in the hand-off's terms: each term's provisional
    column and coefficient (fixed variables moved to the bounds), and per row its data, bound
    type, term count and bounds."""

    cols: np.ndarray
    coefs: np.ndarray
    rows: list[tuple[RowData, int]]
    counts: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


def read_rows(con: LinearRows, columns: Any, tol: float) -> ReadRows:
    """Read ``con`` as :func:`twin.plan.standard_form._rows` reads any row, in bulk.

    ``columns`` numbers variable components (``scan``, ``number``: the hand-off's
    :class:`twin.plan.columns.Columns`); a component is numbered at its first term with an
    unfixed member, in term order, as the walk over expressions numbers it. A fixed member's
    ``coef x value`` moves to the bounds; a row left with no unfixed term is dropped if it holds
    within ``tol`` (relative to its constant part, at least 1) and raises ``ValueError`` naming
    it otherwise. A deactivated row is left out.
    """
    tm = con.terms
    data = list(con._data.values())
    active = np.fromiter((r._active for r in data), dtype=bool, count=len(data))
    row_t = tm.row_of_term()
    scans = [columns.scan(v) for v in tm.variables]
    sel = [tm.comp == j for j in range(len(tm.variables))]
    fixed = np.zeros(len(tm.coef), dtype=bool)
    for j, (_, fx) in enumerate(scans):
        fixed[sel[j]] = fx[tm.pos[sel[j]]]
    fixed &= active[row_t]
    live = ~fixed & active[row_t]
    used, first = np.unique(tm.comp[live], return_index=True)
    for j in used[np.argsort(first, kind="stable")].tolist():
        columns.number(tm.variables[j], bulk=True)
    cols = np.full(len(tm.coef), -1, dtype=np.int64)
    for j in used.tolist():
        cols[sel[j]] = columns.numbered[id(tm.variables[j])][tm.pos[sel[j]]]
    n_rows = len(tm.lower)
    const: np.ndarray = np.zeros(n_rows)
    if fixed.any():
        vals = np.zeros(len(tm.coef))
        for j, (members, _) in enumerate(scans):  # fixed members' values
            at = np.flatnonzero(sel[j] & fixed)
            vals[at] = [members[p].value for p in tm.pos[at].tolist()]
        const = np.bincount(row_t[fixed], weights=tm.coef[fixed] * vals[fixed], minlength=n_rows)
    counts = np.bincount(row_t[live], minlength=n_rows)
    empty = np.flatnonzero((counts == 0) & active)
    if len(empty):
        slack = tol * np.maximum(1.0, np.abs(const[empty]))
        bad = (tm.lower[empty] > const[empty] + slack) | (tm.upper[empty] < const[empty] - slack)
        if bad.any():
            name = data[int(empty[np.argmax(bad)])].name
            raise ValueError(f"model contains a trivially infeasible constraint, '{name}'")
    keep = np.flatnonzero(counts > 0)
    kinds = tm.kind()[keep].tolist()
    return ReadRows(
        cols=cols[live],
        coefs=tm.coef[live],
        rows=[(data[r], k) for r, k in zip(keep.tolist(), kinds, strict=True)],
        counts=counts[keep],
        lower=tm.lower[keep] - const[keep],
        upper=tm.upper[keep] - const[keep],
    )


def capacity_rows(
    unit: Any, cap: Any, blocks: list[tuple[int, int | None, np.ndarray, Any]]
) -> RowTerms:
    """``unit[i] - c_i x cap[q] <= 0`` as a matrix: per block ``(first, q, at, c)`` the rows of
    the members ``first + at`` of ``unit``, each against the member ``q`` of ``cap`` with
    coefficient ``-c`` (an array over ``at``, or a number); ``q`` None: no capacity term (the
    row is ``unit[i] <= 0``)."""
    parts = []
    for first, q, at, c in blocks:
        r = len(at)
        coef = np.column_stack([np.ones(r), -np.broadcast_to(np.asarray(c, float), r)])
        if q is None:
            coef[:, 1] = 0.0
        pos = np.column_stack([first + np.asarray(at, np.int64), np.full(r, q or 0)])
        parts.append((np.tile([0, 1], (r, 1)), pos, coef))
    n = sum(len(b[2]) for b in blocks)
    return csr(parts, [unit, cap], np.full(n, -INF), np.zeros(n))
