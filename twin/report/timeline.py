"""Plan periods on a chart's time axis: decimal years of period edges."""

from __future__ import annotations

import numpy as np
import xarray as xr


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
