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
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from twin.report.chart_style import legend_outside, number, share, slide, thousands

#: How each unit of a metric is drawn: (axis label, divisor).
RANGE_UNITS = {"1": ("share [-]", 1.0), "1e6 USD": ("$B", 1e3), "MW": ("MW", 1.0)}
#: Readable names of the metrics of :mod:`twin.study.alternatives` (``kind:what``).
METRIC_WORDS = {
    "site_mw": "IT MW at {}", "power_mw": "{} built [MW]", "orbit_mw": "IT MW in orbit",
    "fab_share": "share made in own fabs", "leased_share": "share served to external tenants",
    "capex": "capex (undiscounted)",
}  # fmt: skip


def metric_label(name: str) -> str:
    """``site_mw:texas_3`` as a slide says it: ``IT MW at texas_3``."""
    kind, _, what = name.partition(":")
    words = METRIC_WORDS.get(kind)
    return words.format(what.replace("_", " ") if kind == "power_mw" else what) if words else name


def _range_panel(ax: Axes, ds: xr.Dataset, unit: str) -> None:
    """One panel: the range bar and optimum marker of each metric in ``unit``."""
    sel = ds.where(ds["units"] == unit, drop=True)
    label, div = RANGE_UNITS.get(unit, (unit, 1.0))
    names = [metric_label(str(n)) for n in sel["metric"].values]
    lo, hi = sel["metric_min"].values / div, sel["metric_max"].values / div
    y = np.arange(len(names))[::-1]  # the first metric on top
    ax.barh(y, hi - lo, left=lo, height=0.55, color="tab:blue", alpha=0.6, label="range")
    ax.plot(sel["optimum_value"].values / div, y, "D", color="k", ms=7, zorder=3,
            clip_on=False, label="optimum")  # fmt: skip  # seen at 0 too
    ax.set_yticks(y, names)
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_xlabel(label)
    top = float(np.nanmax(hi)) if np.isfinite(hi).any() else 0.0  # all NaN: shares of nothing
    top = max(top, 1e-9)
    ax.set_xlim(left=-0.02 * top, right=1.05 * top)
    ax.grid(alpha=0.3, axis="x")
    thousands(ax, "x")


@slide
def plot_ranges(ds: xr.Dataset) -> Figure:
    """Range [least, most] of each metric over the near-optimal alternatives (a bar per metric,
    one panel per unit, panel heights by their bar counts, landscape), with the optimum marked;
    from :meth:`Alternatives.to_dataset`."""
    units = list(dict.fromkeys(str(u) for u in ds["units"].values))
    counts = [int((ds["units"] == u).sum()) for u in units]
    fig, axes = plt.subplots(
        len(units), 1, figsize=(11, 6), squeeze=False, layout="constrained",
        gridspec_kw={"height_ratios": [n + 1.2 for n in counts]},
    )  # fmt: skip
    for ax, unit in zip(axes[:, 0], units, strict=True):
        _range_panel(ax, ds, unit)
    legend_outside(axes[0, 0])
    model = str(ds.attrs.get("model_file", "")).rsplit("/", 1)[-1].removesuffix(".yaml")
    what = " / ".join(x for x in (model, str(ds.attrs.get("scenario") or "")) if x)
    axes[0, 0].set_title(
        f"Near-optimal ranges{' -- ' + what if what else ''}: NPV within "
        f"{share(float(ds.attrs['slack']))} of {number(ds.attrs['optimum_musd'] / 1e3, 1)} $B",
        fontsize="medium", loc="left",
    )  # fmt: skip
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
