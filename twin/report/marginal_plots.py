"""Charts of marginal values (the duals of a plan) by site over time: :func:`plot_marginal`
(``twin plot --kind marginal``) and :func:`plot_marginal_value` (one site, one line)."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from twin.report.chart_style import (
    chart_title,
    equal_groups_named,
    figure_axes,
    legend_outside,
    site_colors,
    slide,
    time_axis,
)
from twin.report.timeline import edges
from twin.report.views import plan_view

#: A site's marginal value is drawn when it is this share of the panel's range off the median.
MARGINAL_APART = 0.05
#: Most sites drawn apart from the median (the farthest from it).
MARGINAL_MOST = 6


def _apart(series: dict[str, np.ndarray], median: np.ndarray) -> dict[str, np.ndarray]:
    """The series (at most :data:`MARGINAL_MOST`, the farthest, in their order) more than
    :data:`MARGINAL_APART` of the values' range off ``median`` in some period; a period where
    the site has no row (NaN) is not apart."""
    values = np.array(list(series.values()), float)
    span = float(np.nanmax(values) - np.nanmin(values)) if np.isfinite(values).any() else 0.0
    far = {}
    for name, v in series.items():
        off = np.nan_to_num(np.abs(v - median), nan=0.0)
        if off.max(initial=0.0) > MARGINAL_APART * span:
            far[name] = float(off.max())
    keep = sorted(far, key=lambda n: -far[n])[:MARGINAL_MOST]
    return {n: v for n, v in series.items() if n in keep}


def _marginal_panel(
    ax: Axes, ds: xr.Dataset, var: str, sites: list[str], x: np.ndarray, every: bool
) -> None:
    """One line per site (equal sites drawn once), one width. Unless ``every`` (sites asked
    for by name) or one site: the median over the sites as a thick grey line, and only the sites
    apart from it (13 overlapping lines of one value read as spaghetti)."""
    series = {s: ds[var].sel(site=s).values for s in sites}
    colors = site_colors(ds)
    if not every and len(series) > 1:
        with warnings.catch_warnings():  # a period where no site has the row: NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            median = np.nanmedian(np.array(list(series.values()), float), axis=0)
        ax.stairs(median, x, baseline=None, color="0.55", lw=5, alpha=0.6,
                  label=f"median of {len(series)} sites")  # fmt: skip
        drawn = _apart(series, median)
        n = len(series) - len(drawn)
        if not drawn:
            ax.plot([], [], " ", label=f"(every site within {MARGINAL_APART:.0%} of its range)")
        elif n:
            ax.plot([], [], " ", label=f"({n} other site{'s' * (n > 1)} nearer the median)")
        series = drawn
    for label, first, v in equal_groups_named(series, "sites"):
        ax.stairs(v, x, baseline=None, label=label, lw=2, color=colors[first])
    time_axis(ax, x)
    legend_outside(ax)


@slide
def plot_marginal(
    ds: xr.Dataset, sites: list[str] | None = None, leaf: str | None = None
) -> Figure:
    """Marginal value of an H100e-hour [$/H100e-h] and of a MW of IT capacity [$M/MW-yr] by
    site over time (undiscounted duals; NaN where the row is absent): the median over the sites
    and the sites apart from it, or every site of ``sites``. Sites with equal values in every
    period are drawn once, labelled with every name. A stochastic report's expected view draws
    the probability-weighted mean of the leaves' own duals."""
    ds, _ = plan_view(ds, leaf)
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(11, 7), sharex=True, layout="constrained")
    x = edges(ds)
    names = sites or [str(s) for s in ds["site"].values]
    _marginal_panel(a1, ds, "marginal_value_compute", names, x, bool(sites))
    _marginal_panel(a2, ds, "marginal_value_capacity", names, x, bool(sites))
    a1.set(ylabel="marginal value of compute\n[$/H100e-h]")
    chart_title(a1, "Marginal value by site", ds)
    a2.set(ylabel="marginal value of IT capacity\n[$M/MW-yr]")
    a1.set_xlabel("")
    return fig


@slide
def plot_marginal_value(
    ds: xr.Dataset, site: str, ax: Axes | None = None, label: str | None = None
) -> Figure:
    """Marginal value of an H100e-hour at ``site`` over time [$/H100e-hour], one line."""
    fig, ax = figure_axes(ax)
    x = edges(ds)
    label = label or ds.attrs.get("scenario") or "base"
    ax.stairs(
        ds["marginal_value_compute"].sel(site=site).values, x, baseline=None, label=label, lw=2
    )
    ax.set(ylabel=f"marginal value at {site} [$/H100e-h]")
    time_axis(ax, x)
    return fig
