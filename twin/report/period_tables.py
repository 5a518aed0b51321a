"""Period tables for the terminal: one row per period, one column per entry of a dimension, the
largest few kept and the rest combined as the quantity combines (:func:`fit_columns`)."""

from __future__ import annotations

import re

import numpy as np
import xarray as xr

from twin.report.tables import Column, Grid, _fmt, options


def period_labels(periods: object) -> list[str]:
    """Labels of period starts as every table prints them: the year (``2026``) when periods
    are a year or longer, else the year and month (``2026-07``)."""
    values = np.atleast_1d(np.asarray(periods, dtype="datetime64[D]"))
    yearly = len(values) < 2 or (values[1] - values[0]) >= np.timedelta64(360, "D")
    return [str(np.datetime_as_string(p, unit="D"))[: 4 if yearly else 7] for p in values]


def _labels(da: xr.DataArray) -> list[str]:
    return period_labels(da["period"].values)


#: Most columns a period table shows, so that it reads at 80 columns.
MAX_COLUMNS = 6


def aggregation(name: object) -> str:
    """How a report variable combines across an index, from its declared quantity
    (:mod:`twin.plan.quantities`): ``sum`` (extensive), ``mean`` or ``max`` (intensive)."""
    from twin.plan.quantities import by_name

    q = by_name().get(str(name))
    return q.aggregate.value if q is not None else "sum"


def fit_columns(
    da: xr.DataArray,
    col_dim: str,
    most: int = MAX_COLUMNS,
    pinned: tuple[str, ...] = (),
    how: str | None = None,
) -> xr.DataArray:
    """``da`` with at most ``most`` entries along ``col_dim``: the largest by total magnitude,
    in their order, and the rest in one ``others (n)`` entry; ``pinned`` entries (e.g. a total)
    are always kept, last. The others combine as the quantity does (``how``, else its declared
    aggregation, :func:`aggregation`): summed for an extensive one (MW, $M), the mean or the
    largest for an intensive one (a marginal value is never summed), and the label says so."""
    names = [str(n) for n in da[col_dim].values]
    if len(names) <= most or options().all_columns:
        return da
    how = how or aggregation(da.name)
    da = da.reset_coords(drop=True)
    size = abs(da.fillna(0.0)).sum(dim=[d for d in da.dims if d != col_dim]).values
    pins = [i for i, n in enumerate(names) if n in pinned]
    size[pins] = -np.inf
    keep = sorted(int(i) for i in np.argsort(-size, kind="stable")[: most - 1 - len(pins)])
    rest = [i for i in range(len(names)) if i not in keep and i not in pins]
    part = da.isel({col_dim: rest})
    if how == "sum":
        others, label = part.sum(col_dim, min_count=1), f"others ({len(rest)})"
    else:
        others = getattr(part, how)(col_dim, skipna=True)
        label = f"others ({len(rest)}, {how})"
    others = others.expand_dims({col_dim: [label]})
    kept = da.isel({col_dim: keep}).assign_coords({col_dim: [names[i] for i in keep]})
    last = da.isel({col_dim: pins}).assign_coords({col_dim: [names[i] for i in pins]})
    return xr.concat([kept, others, last], dim=col_dim)


def zero_columns(da: xr.DataArray, col_dim: str, fmt: str, scale: float = 1.0) -> list[str]:
    """The entries of ``col_dim`` whose every value prints as zero (or is missing) in ``fmt``."""
    values = da.transpose(..., col_dim).values.reshape(-1, da.sizes[col_dim]) / scale
    return [
        str(name)
        for name, col in zip(da[col_dim].values, values.T, strict=True)
        if not any(re.search(r"[1-9]", _fmt(fmt, float(v))) for v in col)
    ]


def hidden_note(names: list[str]) -> str:
    """The note under a table whose zero columns are hidden."""
    if not names:
        return ""
    n = len(names)
    return f"{n} column{'s' if n > 1 else ''} zero throughout, hidden: {', '.join(names)}"


def _columns(da: xr.DataArray, col_dim: str, fmt: str) -> list[Column]:
    values = da.transpose("period", col_dim).values
    out = [Column("period", _labels(da), numeric=False)]
    for j, name in enumerate(str(n) for n in da[col_dim].values):
        col = [float(v) for v in values[:, j]]
        out.append(Column(name, [_fmt(fmt, v) for v in col], raw=col))
    return out


def _table(
    title: str,
    da: xr.DataArray,
    col_dim: str,
    scale: float = 1.0,
    fmt: str = "{:,.0f}",
    pinned: tuple[str, ...] = (),
) -> Grid:
    """A table with one row per period and one column per ``col_dim`` entry: columns zero
    throughout hidden (with a note; not with ``--all``), then the largest :data:`MAX_COLUMNS` - 1
    and the others combined, where there are more. Its CSV holds every column's values."""
    da = da.reset_coords(drop=True) / scale if scale != 1.0 else da.reset_coords(drop=True)
    full = _columns(da, col_dim, fmt)
    zeros = [] if options().all_columns else zero_columns(da, col_dim, fmt)
    zeros = [z for z in zeros if z not in pinned]
    shown = da.drop_sel({col_dim: zeros}) if zeros else da
    if shown.sizes[col_dim] == 0:
        shown = da
        zeros = []
    shown = fit_columns(shown, col_dim, pinned=pinned)
    return Grid(title, _columns(shown, col_dim, fmt), note=hidden_note(zeros), csv_columns=full)
