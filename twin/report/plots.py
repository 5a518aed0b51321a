"""Matplotlib plots of reports: capacity, allocation, marginal values, scenario comparison."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.axes import Axes


def _axes(ax: Axes | None) -> Axes:
    return ax if ax is not None else plt.subplots(figsize=(8, 4))[1]


def _years(ds: xr.Dataset) -> np.ndarray:
    p = ds["period"].values.astype("datetime64[D]")
    return (
        p.astype("datetime64[Y]").astype(int)
        + 1970
        + ((p - p.astype("datetime64[Y]")).astype(int) / 365.25)
    )


def plot_capacity(ds: xr.Dataset, ax: Axes | None = None) -> Axes:
    """Stacked IT capacity online by site [MW]."""
    ax = _axes(ax)
    x = _years(ds)
    ax.stackplot(x, ds["capacity_mw"].values, labels=list(ds["site"].values), step="post")
    ax.set(xlabel="year", ylabel="IT capacity [MW]", title=ds.attrs.get("title", ""))
    ax.legend(loc="upper left", fontsize="small")
    return ax


def plot_allocation(ds: xr.Dataset, ax: Axes | None = None) -> Axes:
    """Stacked compute allocated by tenant [million H100e]."""
    ax = _axes(ax)
    alloc = ds["allocation_h100e"].sum("site") / 1e6
    ax.stackplot(_years(ds), alloc.values, labels=list(ds["tenant"].values), step="post")
    ax.set(
        xlabel="year", ylabel="compute allocated [million H100e]", title=ds.attrs.get("title", "")
    )
    ax.legend(loc="upper left", fontsize="small")
    return ax


def plot_marginal_value(
    ds: xr.Dataset, site: str, ax: Axes | None = None, label: str | None = None
) -> Axes:
    """Marginal value of an H100e-hour at ``site`` over time [$/H100e-hour]."""
    ax = _axes(ax)
    ax.step(
        _years(ds),
        ds["marginal_value_compute"].sel(site=site).values,
        where="post",
        label=label or ds.attrs.get("scenario") or "base",
    )
    ax.set(xlabel="year", ylabel=f"marginal value at {site} [$/H100e-hour]")
    return ax


def plot_npv(reports: dict[str, xr.Dataset], ax: Axes | None = None) -> Axes:
    """NPV of several scenarios [$B]."""
    ax = _axes(ax)
    names = list(reports)
    ax.bar(names, [reports[n].attrs["npv_musd"] / 1e3 for n in names])
    ax.set(ylabel="NPV [$B, real]")
    return ax
