"""Period tables for the terminal: one row per period, one column per entry of a dimension, the
largest few kept and the rest combined as the quantity combines (:func:`fit_columns`)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from twin.literal import Table
from twin.report.tables import _fmt, options


def _labels(da: xr.DataArray) -> list[str]:
    periods = da["period"].values
    yearly = len(periods) < 2 or (periods[1] - periods[0]) >= np.timedelta64(360, "D")
    return [str(np.datetime_as_string(p, unit="D"))[: 4 if yearly else 7] for p in periods]


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


def _table(
    title: str,
    da: xr.DataArray,
    col_dim: str,
    scale: float = 1.0,
    fmt: str = "{:,.0f}",
    pinned: tuple[str, ...] = (),
) -> Table:
    """A table with one row per period and one column per ``col_dim`` entry (the largest
    :data:`MAX_COLUMNS` - 1 and the others summed, where there are more)."""
    da = fit_columns(da, col_dim, pinned=pinned)
    t = Table(title=title, title_justify="left")
    t.add_column("period", no_wrap=True)
    values = da.transpose("period", col_dim).values / scale
    cells = [[_fmt(fmt, v) for v in row] for row in values]
    for j, name in enumerate(str(n) for n in da[col_dim].values):
        wide = max((len(r[j]) for r in cells), default=1)  # a number is never cut
        t.add_column(name, justify="right", overflow="fold", min_width=wide)
    for label, row in zip(_labels(da), cells, strict=True):
        t.add_row(label, *row)
    return t
