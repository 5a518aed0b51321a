"""Charts of stochastic reports: views of the plan, the NPV distribution, fans over the leaves.

A stochastic report (:mod:`twin.report.stochastic`) holds every leaf's plan along ``scenario``.
Every chart of a plan draws from it either the **expected plan** (:func:`expected_view`: each
quantity's probability-weighted mean over the leaves, with the band of the total between the
5 % and 95 % weighted quantiles across the leaves, :func:`leaf_band`) or **one leaf**
(:func:`leaf_view`, ``twin plot --scenario-leaf``).

A fan chart draws, per period, probability-weighted quantile bands of a quantity over the leaves
(5-95 % and 25-75 %) and the median, with :func:`twin.report.fan.fan_chart` (the one fan
implementation, shared with sweeps).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.axes import Axes

from twin.report.chart_style import (
    legend_outside,
    number,
    scenario_label,
    slide,
    thousands,
    title_text,
)
from twin.report.fan import fan_chart, fan_quantiles, weighted_quantiles
from twin.report.timeline import edges

#: Band of the leaves drawn around an expected plan [-].
LEAF_BAND = (0.05, 0.95)


def _axes(ax: Axes | None) -> Axes:
    return ax if ax is not None else plt.subplots(figsize=(11, 5), layout="constrained")[1]


def leaf_band(
    ax: Axes, leaves: xr.Dataset, total: xr.DataArray, scale: float = 1.0, what: str = "total"
) -> None:
    """Draw, over each period, the 5 % and 95 % probability-weighted quantiles across the leaves
    of ``total`` (dims scenario x period, divided by ``scale``) as two thin dashed lines labelled
    by ``what`` (a hatch over the stack made the stack unreadable)."""
    values = total.transpose("scenario", "period").values / scale
    lo, hi = weighted_quantiles(values, leaves["scenario_probability"].values, list(LEAF_BAND))
    x = edges(leaves)
    label = f"{what}, P{LEAF_BAND[0]:.0%}-P{LEAF_BAND[1]:.0%} of leaves".replace("%", "")
    for i, y in enumerate((lo, hi)):
        ax.stairs(y, x, baseline=None, color="0.2", ls=(0, (4, 2)), lw=1.0, zorder=3,
                  label=label if i == 0 else "_P95")  # fmt: skip


@slide
def plot_npv_distribution(ds: xr.Dataset, ax: Axes | None = None) -> Axes:
    """The NPV distribution over the leaves: its cumulative distribution function for the
    here-and-now plan and wait-and-see, with the expected NPV and the CVaR [$B, as the
    waterfall]."""
    ax = _axes(ax)
    p = ds["scenario_probability"].values
    for name, label, style in (
        ("scenario_npv_musd", "here-and-now plan", "-"),
        ("scenario_npv_ws_musd", "wait and see (perfect foresight)", "--"),
    ):
        v = ds[name].values / 1e3
        if np.isnan(v).all():
            continue
        order = np.argsort(v, kind="stable")
        ax.step(v[order], np.cumsum(p[order]), where="post", linestyle=style, label=label)
    a = ds.attrs
    e, cvar = a["expected_npv_musd"] / 1e3, a["cvar_musd"] / 1e3
    ax.axvline(e, color="k", lw=1, label=f"expected NPV {number(e, 1)} $B")
    ax.axvline(cvar, color="tab:red", lw=1,
               label=f"CVaR {a['cvar_level']:.0%}: {number(cvar, 1)} $B")  # fmt: skip
    ax.set(xlabel="NPV [$B, real]", ylabel="cumulative probability [-]")
    ax.set_title(title_text(f"NPV over {ds.sizes['scenario']} leaves -- {scenario_label(ds)}"),
                 fontsize="medium", loc="left")  # fmt: skip
    thousands(ax, "x")
    ax.grid(alpha=0.3)
    legend_outside(ax)
    return ax


@slide
def plot_fan(
    ds: xr.Dataset,
    variable: str = "capacity_mw",
    ax: Axes | None = None,
    scale: float = 1.0,
    select: dict[str, object] | None = None,
) -> Axes:
    """Fan chart of ``variable`` (after ``select``, e.g. ``{"tenant": "anthropic"}``) summed over
    every dimension but scenario and period, divided by ``scale``, across the leaves."""
    ax = _axes(ax)
    da = ds[variable].sel(select or {})
    da = da.sum([d for d in da.dims if d not in ("scenario", "period")]) / scale
    units = str(ds[variable].attrs.get("units", ""))
    if scale != 1.0:
        units = f"{scale:g} x {units}"
    name = str(ds[variable].attrs.get("long_name", variable))
    values = da.transpose("scenario", "period").values
    q = fan_quantiles(values, ds["scenario_probability"].values)
    fan_chart(ax, edges(ds), q, f"{name} [{units}]")
    title = f"{name} (total) over {ds.sizes['scenario']} leaves -- {scenario_label(ds)}"
    ax.set_title(title_text(title), fontsize="medium", loc="left")
    return ax
