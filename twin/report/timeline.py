"""Plan periods on a chart's time axis: decimal years of period edges, and the axis that names
the periods as the tables do (:func:`period_axis`)."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.axes import Axes


def years(t: np.ndarray) -> np.ndarray:
    """Decimal years of datetime64 values, e.g. 2026-07-01 -> 2026.496."""
    d = np.asarray(t).astype("datetime64[D]")
    y = d.astype("datetime64[Y]")
    start, end = y.astype("datetime64[D]"), (y + 1).astype("datetime64[D]")
    return y.astype(int) + 1970 + (d - start).astype(float) / (end - start).astype(float)


def edges(ds: xr.Dataset) -> np.ndarray:
    """The ``n + 1`` period edges of a report in decimal years (starts, then the horizon end)."""
    if "period_bounds" in ds:
        pb = ds["period_bounds"]  # (period, 2); a stochastic report's: the same in every leaf
        b = pb.isel({d: 0 for d in pb.dims[:-1] if d != "period"}).values
        return years(np.append(b[:, 0], b[-1, 1]))
    end = np.datetime64(ds.attrs["horizon_end"], "D")
    return years(np.append(ds["period"].values.astype("datetime64[D]"), end))


#: Most period ticks on a time axis; more periods are labelled every k-th.
MAX_TICKS = 13


def _start(x: float) -> np.datetime64:
    """The day a decimal year (of :func:`years`) stands for."""
    year = int(np.floor(x + 1e-9))
    first = np.datetime64(f"{year:04d}-01-01", "D")
    length = int((np.datetime64(f"{year + 1:04d}-01-01", "D") - first).astype(int))
    return first + np.timedelta64(round((x - year) * length), "D")


def period_labels(x: np.ndarray) -> list[str]:
    """The name of each period with edges ``x`` [decimal years], as the tables name it: the year
    it starts in (``2026`` for the period from 2026-07-01) when periods are a year or longer,
    else its start month (``2026-07``)."""
    starts = [_start(float(v)) for v in x[:-1]]
    yearly = len(x) < 2 or float(np.min(np.diff(x))) > 0.9
    return [str(s)[: 4 if yearly else 7] for s in starts]  # YYYY-MM-DD


def period_axis(ax: Axes, x: np.ndarray) -> None:
    """Label the x axis of a chart over the period edges ``x`` [decimal years] like the tables:
    a tick at the middle of each period (every k-th of many) named by :func:`period_labels`, and
    the axis label saying on which day the periods start (a year tick used to fall mid-period:
    the period the table calls 2026 was drawn under "2027")."""
    x = np.asarray(x, float)
    if len(x) < 2:
        return
    labels = period_labels(x)
    mids = (x[:-1] + x[1:]) / 2
    k = max(1, -(-len(mids) // MAX_TICKS))
    ax.set_xticks(mids[::k], labels[::k])
    ax.set_xticks(x, minor=True)  # the period edges
    ax.tick_params(axis="x", which="minor", length=4)
    ax.grid(False, axis="x")
    first = _start(float(x[0]))
    day = first.astype(object)
    on = f"{day.day} {day:%b}"
    ax.set_xlabel("year" if on == "1 Jan" else f"period (each from {on})")
