"""Compare two LPs as sets of named rows and columns, whatever order each tool put them in.

An LP here is ``max/min c x`` subject to ``row_lower <= A x <= row_upper`` and
``col_lower <= x <= col_upper``. :class:`CanonicalLP` names every column and row by
``(family, index tuple)``, sorts both, and permutes ``A`` (CSR, sorted indices), the bounds and
the costs to that order, so two LPs built by different tools are equal exactly when they are the
same problem written the same way (same orientation of each row, same constants on the right).
Coefficients are compared to a relative tolerance: the tools multiply the same factors in a
different order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Dimension order of an index tuple (twin's families index site before tenant or chip, and
#: every family puts the period last; the hourly ones put day and hour just before it).
DIM_ORDER = ("site", "tenant", "chip", "source", "day", "hour", "period")


@dataclass
class CanonicalLP:
    """An LP with named, sorted columns and rows (module docstring)."""

    cols: list[tuple]
    rows: list[tuple]
    indptr: np.ndarray
    indices: np.ndarray
    values: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    cost: np.ndarray
    maximize: bool

    @property
    def nnz(self) -> int:
        """Number of nonzeros of A."""
        return len(self.values)


def _plain(x: object) -> object:
    return x.item() if isinstance(x, np.generic) else x


def canonical(
    cols: list[tuple],
    rows: list[tuple],
    row_idx: np.ndarray,
    col_idx: np.ndarray,
    vals: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    cost: np.ndarray,
    maximize: bool,
) -> CanonicalLP:
    """Sort columns and rows by name and permute the LP given as coordinates to that order.

    Duplicate (row, column) entries are summed; explicit zeros dropped.
    """
    if len(set(cols)) != len(cols) or len(set(rows)) != len(rows):
        raise ValueError("column or row names are not unique")
    col_order = sorted(range(len(cols)), key=lambda i: repr(cols[i]))
    row_order = sorted(range(len(rows)), key=lambda i: repr(rows[i]))
    col_pos = np.empty(len(cols), dtype=np.int64)
    col_pos[col_order] = np.arange(len(cols))
    row_pos = np.empty(len(rows), dtype=np.int64)
    row_pos[row_order] = np.arange(len(rows))
    r, c = row_pos[np.asarray(row_idx, dtype=np.int64)], col_pos[np.asarray(col_idx, np.int64)]
    key = r * max(1, len(cols)) + c
    uniq, inv = np.unique(key, return_inverse=True)
    summed = np.zeros(len(uniq))
    np.add.at(summed, inv, np.asarray(vals, dtype=float))
    keep = summed != 0
    uniq, summed = uniq[keep], summed[keep]
    rr, cc = uniq // max(1, len(cols)), uniq % max(1, len(cols))
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.add.at(indptr, rr + 1, 1)
    return CanonicalLP(
        cols=[cols[i] for i in col_order],
        rows=[rows[i] for i in row_order],
        indptr=np.cumsum(indptr),
        indices=cc,
        values=summed,
        col_lower=np.asarray(col_lower, float)[col_order],
        col_upper=np.asarray(col_upper, float)[col_order],
        row_lower=np.asarray(row_lower, float)[row_order],
        row_upper=np.asarray(row_upper, float)[row_order],
        cost=np.asarray(cost, float)[col_order],
        maximize=maximize,
    )


def differences(a: CanonicalLP, b: CanonicalLP, rtol: float = 1e-12) -> list[str]:
    """What differs between ``a`` and ``b`` (empty when they are the same LP).

    Matrix coefficients, bounds and right-hand sides must agree to ``rtol`` (relative); objective
    coefficients to ``1e3 * rtol``, since they are sums of up to one term per period.
    """
    out: list[str] = []
    if a.maximize != b.maximize:
        out.append(f"sense: maximize {a.maximize} against {b.maximize}")
    for what, x, y in (("columns", a.cols, b.cols), ("rows", a.rows, b.rows)):
        if x != y:
            only_a, only_b = sorted(set(x) - set(y), key=repr), sorted(set(y) - set(x), key=repr)
            out.append(
                f"{what}: {len(x)} against {len(y)}; only in the first {only_a[:5]}, "
                f"only in the second {only_b[:5]}"
            )
    if out:
        return out
    if not (np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)):
        row = int(np.flatnonzero(np.diff(a.indptr) != np.diff(b.indptr))[:1].sum())
        out.append(f"sparsity differs (nnz {a.nnz} against {b.nnz}; e.g. row {a.rows[row]})")
        return out
    checks = (
        ("matrix", a.values, b.values, rtol),
        ("column lower bounds", a.col_lower, b.col_lower, rtol),
        ("column upper bounds", a.col_upper, b.col_upper, rtol),
        ("row lower bounds", a.row_lower, b.row_lower, rtol),
        ("row upper bounds", a.row_upper, b.row_upper, rtol),
        ("objective", a.cost, b.cost, 1e3 * rtol),
    )
    for what, x, y, tol in checks:
        bad = ~np.isclose(x, y, rtol=tol, atol=0) & (x != y)  # x != y: equal infinities pass
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            where = (
                a.cols[i]
                if what.startswith(("column", "objective"))
                else a.rows[i]
                if what.startswith("row")
                else a.rows[int(np.searchsorted(a.indptr, i, side="right") - 1)]
            )
            out.append(f"{what}: {int(bad.sum())} differ, first at {where}: {x[i]!r} vs {y[i]!r}")
    return out


# ---------------------------------------------------------------- twin (Pyomo) side


def _index(idx: object) -> tuple:
    if idx is None:
        return ()
    return tuple(_plain(i) for i in idx) if isinstance(idx, tuple) else (_plain(idx),)


def from_highs_lp(lp: object, cols: list, rows: list) -> CanonicalLP:
    """The canonical form of a :class:`highspy.HighsLp` whose columns are Pyomo variables and
    whose rows are ``(constraint, bound type)`` pairs, as :func:`twin.plan.solve.to_highs_lp`
    returns them."""
    import highspy

    col_keys = [(v.parent_component().name, *_index(v.index())) for v in cols]
    row_keys = [(con.parent_component().name, *_index(con.index())) for con, _ in rows]
    if len(set(row_keys)) != len(row_keys):  # ranged rows: two rows per constraint
        row_keys = [(*k, bt) for k, (_, bt) in zip(row_keys, rows, strict=True)]
    a = lp.a_matrix_
    start, index = np.asarray(a.start_), np.asarray(a.index_)
    col_of = np.repeat(np.arange(lp.num_col_), np.diff(start))
    if a.format_ == highspy.MatrixFormat.kRowwise:
        row_idx, col_idx = col_of, index
    else:
        row_idx, col_idx = index, col_of
    inf = highspy.kHighsInf

    def fix(x: object) -> np.ndarray:
        x = np.array(x, dtype=float)
        x[x >= inf], x[x <= -inf] = np.inf, -np.inf
        return x

    return canonical(
        col_keys,
        row_keys,
        row_idx,
        col_idx,
        np.asarray(a.value_),
        fix(lp.col_lower_),
        fix(lp.col_upper_),
        fix(lp.row_lower_),
        fix(lp.row_upper_),
        np.asarray(lp.col_cost_),
        lp.sense_ == highspy.ObjSense.kMaximize,
    )


# ---------------------------------------------------------------- linopy side


def from_linopy(m: object, aliases: dict[str, str] | None = None) -> CanonicalLP:
    """The canonical form of a :class:`linopy.Model`; ``aliases`` renames constraint families
    (a contract's rows are named ``("contracts", contract)`` when its name is mapped to
    ``"contracts"``)."""
    from linopy.common import LabelPositionIndex

    aliases = aliases or {}
    mat = m.matrices

    def keys(container: object, labels: np.ndarray) -> list[tuple]:
        index = LabelPositionIndex(container)
        out = []
        for label in labels:
            name, coord = index.find_single(int(label))
            dims = sorted(coord, key=DIM_ORDER.index)
            idx = tuple(_plain(coord[d]) for d in dims)
            alias = aliases.get(name, name)
            out.append((alias, name, *idx) if alias == "contracts" else (alias, *idx))
        return out

    col_keys = keys(m.variables, mat.vlabels)
    row_keys = keys(m.constraints, mat.clabels)
    a = mat.A.tocoo()
    sense = np.asarray(mat.sense)
    b = np.asarray(mat.b, dtype=float)
    return canonical(
        col_keys,
        row_keys,
        a.row,
        a.col,
        a.data,
        mat.lb,
        mat.ub,
        np.where(sense == "<", -np.inf, b),
        np.where(sense == ">", np.inf, b),
        mat.c,
        m.objective.sense == "max",
    )
