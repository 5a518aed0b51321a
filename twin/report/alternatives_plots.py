"""Plots of studies: ranges of near-optimal alternatives; tornado and fan delegate to
:mod:`twin.report.sweep_plots` (one implementation of each chart).

Each function returns a matplotlib Figure (Agg backend, nothing shown); the caller saves it.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from twin.report.chart_style import share, slide


@slide
def plot_ranges(ds: xr.Dataset) -> Figure:
    """Range [least, most] of each metric over the near-optimal alternatives (a bar per metric,
    one panel per unit), with the optimum marked; from :meth:`Alternatives.to_dataset`."""
    units = list(dict.fromkeys(str(u) for u in ds["units"].values))
    fig, axes = plt.subplots(
        len(units), 1, figsize=(7, 1.2 + 0.5 * ds.sizes["metric"]), squeeze=False
    )
    for ax, unit in zip(axes[:, 0], units, strict=True):
        sel = ds.where(ds["units"] == unit, drop=True)
        names = [str(n) for n in sel["metric"].values]
        lo, hi = sel["metric_min"].values, sel["metric_max"].values
        y = np.arange(len(names))
        ax.barh(y, hi - lo, left=lo, height=0.5, color="tab:blue", alpha=0.6, label="range")
        ax.plot(sel["optimum_value"].values, y, "k|", markersize=14, label="optimum")
        ax.set_yticks(y, names)
        ax.set_xlabel({"1": "share [-]", "1e6 USD": "$M", "MW": "MW"}.get(unit, unit))
        top = float(np.nanmax(hi)) if np.isfinite(hi).any() else 0.0  # all NaN: shares of nothing
        ax.set_xlim(left=0, right=1.05 * max(top, 1e-9))
    axes[0, 0].legend(loc="lower left", fontsize="small", bbox_to_anchor=(0, 1.02), ncols=2)
    fig.suptitle(
        f"Near-optimal ranges: NPV within {share(float(ds.attrs['slack']))} of "
        f"{ds.attrs['optimum_musd']:,.0f} $M"
    )
    fig.tight_layout()
    return fig


def plot_input_tornado(ds: xr.Dataset, output: str = "npv_musd") -> Figure:
    """The tornado chart of a sampled sweep: :func:`twin.report.sweep_plots.plot_tornado` (the
    one implementation, as ``twin plot --kind tornado``)."""
    from twin.report.plots import plot_tornado

    return plot_tornado(ds, output)


def plot_percentile_fan(ds: xr.Dataset, series: str = "capacity_mw") -> Figure:
    """The fan chart of a sweep from its percentiles: :func:`twin.report.sweep_plots.plot_fan`
    (the one implementation, as ``twin plot --kind fan``)."""
    from twin.report.plots import plot_fan

    return plot_fan(ds, series)
