"""Matplotlib charts of reports, each a function returning its Figure (readable on a slide).

Plan reports (one solve): :func:`plot_capacity`, :func:`plot_allocation`, :func:`plot_waterfall`,
:func:`plot_marginal`, :func:`plot_power`, :func:`plot_compare` (B minus A). Sweeps:
:func:`plot_breakeven`, :func:`plot_tornado`, :func:`plot_fan` (in
:mod:`twin.report.sweep_plots`). Maps: :func:`plot_map` (in :mod:`twin.report.map_plot`).

Time series are drawn as steps over each period ``[start, end)`` -- the last one ends at the
horizon -- so every period is shown with its true length. Axes are labelled with units, titles
name the scenario, legends sit right of the axes, ticks carry thousands separators
(:mod:`twin.report.chart_style`). A chart of a plan also draws a stochastic report: its expected
plan with the band of the total across leaves, or one leaf (``leaf=``;
:func:`twin.report.stochastic_plots.plan_view`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from twin.report import map_plot, network_plot, sweep_plots
from twin.report.chart_style import (
    SLIDE,
    chart_title,
    color,
    colour_of,
    equal_groups_named,
    figure_axes,
    legend_outside,
    name_colors,
    number,
    power_colors,
    scenario_label,
    site_colors,
    slide,
    thousands,
    time_axis,
    top_and_other,
)
from twin.report.marginal_plots import (
    MARGINAL_APART,
    MARGINAL_MOST,
    plot_marginal,
    plot_marginal_value,
)
from twin.report.plot_kinds import KINDS
from twin.report.stochastic_plots import leaf_band
from twin.report.timeline import edges, years
from twin.report.views import plan_view

__all__ = [
    "KINDS",
    "MARGINAL_APART",
    "MARGINAL_MOST",
    "SLIDE",
    "edges",
    "map_of_model",
    "map_of_report",
    "plot_allocation",
    "plot_breakeven",
    "plot_capacity",
    "plot_compare",
    "plot_fan",
    "plot_map",
    "plot_marginal",
    "plot_marginal_value",
    "plot_power",
    "plot_tornado",
    "plot_waterfall",
    "slide",
    "years",
]


plot_map = slide(map_plot.plot_map)
plot_breakeven = slide(sweep_plots.plot_breakeven)
plot_tornado = slide(sweep_plots.plot_tornado)
plot_fan = slide(sweep_plots.plot_fan)
map_of_model = slide(map_plot.map_of_model)
map_of_report = slide(map_plot.map_of_report)
plot_network = slide(network_plot.plot_network)


def _stack(
    ax: Axes,
    x: np.ndarray,
    ys: np.ndarray,
    labels: list[str],
    what: str,
    colors: Mapping[str, str],
    **kw: Any,
) -> None:
    """Stacked step areas, each label in its colour of ``colors`` (one mapping per model,
    :func:`~twin.report.chart_style.name_colors`): ``ys`` is (series, period), ``x`` the period
    edges. Series that are zero throughout are left out (the legend says how many) and the
    others keep their colours; more than 24 are cut to the 23 largest and ``other (N)``."""
    nonzero = np.nansum(np.abs(ys), axis=1) > 0
    ys, labels = top_and_other(ys[nonzero], [s for s, k in zip(labels, nonzero, strict=True) if k])
    bottom = np.zeros(ys.shape[1] + 1)
    for y, label in zip(ys, labels, strict=True):
        top = bottom + np.append(y, y[-1])
        c = colour_of(colors, label)
        ax.fill_between(x, bottom, top, step="post", label=label, color=c, lw=0, **kw)
        bottom = top
    if (~nonzero).any():
        n = int((~nonzero).sum())
        what = what if n > 1 else what.rstrip("s")
        ax.plot([], [], " ", label=f"({n} {what} at zero, not drawn)")


_fig, _time_axis, _title = figure_axes, time_axis, chart_title


def _finish(ax: Axes, x: np.ndarray, ds: xr.Dataset, ylabel: str, title: str) -> None:
    """The frame of a stacked chart over periods: its y label, the title with the scenario,
    the time axis at the period edges ``x`` and the legend outside the axes in stack order."""
    ax.set(ylabel=ylabel)
    _title(ax, title, ds)
    _time_axis(ax, x)
    legend_outside(ax, stacked=True)  # top of the legend = top of the stack


@slide
def plot_capacity(ds: xr.Dataset, ax: Axes | None = None, leaf: str | None = None) -> Figure:
    """IT capacity online by site, stacked [MW IT], and the facility capacity it needs
    (``sum_s IT_s x PUE_s``) as a line [MW]."""
    ds, leaves = plan_view(ds, leaf)
    fig, ax = _fig(ax)
    x = edges(ds)
    cap = ds["capacity_mw"].transpose("site", "period").values
    _stack(ax, x, cap, [str(s) for s in ds["site"].values], "sites", site_colors(ds))
    pue = ds["site_pue"].values if "site_pue" in ds else np.ones(len(cap))
    facility = (cap * pue[:, None]).sum(axis=0)
    ax.stairs(facility, x, baseline=None, color="k", ls="--", lw=1.5,
              label="facility (IT x PUE), all sites")  # fmt: skip
    if leaves is not None:
        leaf_band(ax, leaves, leaves["capacity_mw"].sum("site"), what="IT capacity")
    _finish(ax, x, ds, "capacity online [MW]", "IT capacity by site")
    return fig


@slide
def plot_allocation(ds: xr.Dataset, ax: Axes | None = None, leaf: str | None = None) -> Figure:
    """Compute served by tenant, summed over sites [million H100e], internal tenants hatched,
    and total demand as a line."""
    ds, leaves = plan_view(ds, leaf)
    fig, ax = _fig(ax)
    x = edges(ds)
    alloc = ds["allocation_h100e"].sum("site").transpose("tenant", "period").values / 1e6
    kinds = [str(k) for k in ds["tenant_kind"].values]
    bottom = np.zeros(len(x))
    for j, name in enumerate(ds["tenant"].values):
        top = bottom + np.append(alloc[j], alloc[j, -1])
        hatch = "//" if kinds[j] == "internal" else None  # a dark hatch: seen on a slide
        ax.fill_between(x, bottom, top, step="post", hatch=hatch, facecolor=color(j), alpha=0.85,
                        edgecolor="0.15", lw=0, label=f"{name} ({kinds[j]})")  # fmt: skip
        bottom = top
    demand = ds["demand_h100e"].sum("tenant").values / 1e6
    ax.stairs(demand, x, baseline=None, color="k", ls="--", lw=1.5, label="demand, all tenants")
    if leaves is not None:
        leaf_band(ax, leaves, leaves["allocation_h100e"].sum(["site", "tenant"]), scale=1e6,
                  what="compute served")  # fmt: skip
    _finish(ax, x, ds, "compute served [million H100e]", "Allocation by tenant")
    return fig


@slide
def plot_routes(ds: xr.Dataset, ax: Axes | None = None, leaf: str | None = None) -> Figure:
    """Compute acquired per period by route [million H100e]: chips bought from the vendor, one
    colour per generation, stacked under chips made in own fabs (hatched), each weighted by its
    H100e per chip; the title gives the share made."""
    ds, _ = plan_view(ds, leaf)
    fig, ax = _fig(ax)
    x = edges(ds)
    bought = (ds["chips_bought"] * ds["chip_h100e"]).transpose("chip", "period").values / 1e6
    made = (ds["chips_made"] * ds["chip_h100e"]).transpose("chip", "period").values / 1e6
    bottom = np.zeros(len(x))
    chips = [str(c) for c in ds["chip"].values]
    for route, table, hatch in (("bought", bought, None), ("made", made, "///")):
        for k, name in enumerate(chips):
            if table[k].max() <= 0:
                continue
            top = bottom + np.append(table[k], table[k, -1])
            ax.fill_between(x, bottom, top, step="post", hatch=hatch, alpha=0.85, lw=0,
                            color=color(k), label=f"{route}: {name}")  # fmt: skip
            bottom = top
    total = bought.sum() + made.sum()
    share = made.sum() / total if total > 0 else 0.0
    title = f"Chips by route: {share:.0%} of H100e made in own fabs"
    _finish(ax, x, ds, "compute acquired [million H100e]", title)
    return fig


def waterfall_steps(ds: xr.Dataset) -> dict[str, float]:
    """Discounted cash flows by kind [$M] (outflows negative) and the value after the horizon,
    which sum to the report's NPV: ``NPV = sum_f sign_f sum_p df_p flow_fp + df_end x
    salvage``; with a buffer the value after the horizon in its two parts, the buffer years'
    cash and the end credit (what the end rule credits less what is owed; twin.plan.end_effects),
    without one all of it is the end credit."""
    from twin.plan.cash import INFLOWS, OUTFLOWS

    df = ds["discount_factor"].values
    out = {f: float((df * ds[f"{f}_musd"].values).sum()) for f in INFLOWS}
    out |= {f: -float((df * ds[f"{f}_musd"].values).sum()) for f in OUTFLOWS}
    end = ds.attrs["discount_factor_end"] * ds.attrs["salvage_musd"]
    if "end_credit_musd" in ds and float(ds["buffer_cash_musd"]) != 0:  # the buffer apart
        wall = ds.attrs["discount_factor_end"] * float(ds["end_credit_musd"])
        out["buffer_years"], out["end_credit"] = end - wall, wall
    else:
        out["end_credit"] = end
    return out


@slide
def plot_waterfall(ds: xr.Dataset, ax: Axes | None = None, leaf: str | None = None) -> Figure:
    """Cash-flow waterfall: each discounted flow [$B] from the running total, ending at NPV.
    Flows that round to 0.0 $B are not drawn (the x label names them); NPV is their sum all
    the same."""
    ds, _ = plan_view(ds, leaf)
    fig, ax = _fig(ax)
    every = waterfall_steps(ds)
    steps = {k: v for k, v in every.items() if round(v / 1e3, 1) != 0}
    total = 0.0
    for i, v in enumerate(steps.values()):
        c = "tab:green" if v >= 0 else "tab:red"
        ax.bar(i, v / 1e3, bottom=total / 1e3, color=c, width=0.7)
        ax.annotate(number(v / 1e3, 1, sign=True), (i, (total + max(v, 0)) / 1e3), ha="center",
                    va="bottom", fontsize="small")  # fmt: skip
        total += v
    total = sum(every.values())  # the dropped flows too: the bar is the report's NPV
    n = len(steps)
    ax.bar(n, total / 1e3, color="tab:blue", width=0.7)
    ax.annotate(number(total / 1e3, 1), (n, max(total, 0) / 1e3), ha="center", va="bottom")
    tops = np.cumsum([0.0, *steps.values()]) / 1e3
    lo, hi = min(0.0, float(tops.min())), max(0.0, float(tops.max()))
    ax.set_ylim(lo - 0.05 * (hi - lo), hi + 0.12 * (hi - lo))  # room for the labels
    names = [*(k.replace("_", " ") for k in steps), "NPV"]
    ax.set_xticks(range(n + 1), names, rotation=30, ha="right", rotation_mode="anchor")
    ax.axhline(0, color="k", lw=0.8)
    ax.set(ylabel="discounted cash flow [$B, real]")
    zero = [k.replace("_", " ") for k in every if k not in steps]
    if zero:
        ax.set_xlabel(f"not drawn, 0.0 $B: {', '.join(zero)}", fontsize="small", loc="left")
    _title(ax, "NPV by cash flow", ds)
    ax.grid(alpha=0.3, axis="y")
    thousands(ax)
    return fig


def power_by_technology(ds: xr.Dataset) -> dict[str, np.ndarray]:
    """Average power drawn per period [MW] by technology: the existing sources by kind
    (``existing <kind>``) and the built power projects by technology (``new <technology>``)."""
    out: dict[str, np.ndarray] = {}
    for kind in dict.fromkeys(str(k) for k in ds["source_kind"].values):
        sel = np.flatnonzero(ds["source_kind"].values == kind)
        out[f"existing {kind}"] = ds["power_mw"].isel(source=sel).sum("source").values
    if ds.sizes.get("project"):
        draw = ds["power_draw_mw"].sum("site")
        for tech in dict.fromkeys(str(t) for t in ds["project_technology"].values):
            sel = np.flatnonzero(ds["project_technology"].values == tech)
            out[f"new {tech}"] = draw.isel(project=sel).sum("project").values
    return out


@slide
def plot_power(ds: xr.Dataset, ax: Axes | None = None, leaf: str | None = None) -> Figure:
    """Power against load [MW]: the average power drawn, stacked by technology (existing
    sources by kind, built projects by technology, :func:`power_by_technology`), against the
    facility load at full use (IT x PUE) and the firm capacity serving the sites (sum of capacity
    credit x nameplate, storage included; a credit is not energy)."""
    ds, leaves = plan_view(ds, leaf)
    fig, ax = _fig(ax)
    x = edges(ds)
    by_tech = power_by_technology(ds)
    colors = power_colors(list(by_tech))
    _stack(ax, x, np.array(list(by_tech.values())), list(by_tech), "technologies", colors,
           alpha=0.85)  # fmt: skip
    load = ds["facility_mw"].sum("site").values if "facility_mw" in ds else None
    if load is not None:
        ax.stairs(load, x, baseline=None, color="k", lw=2, label="load at full use (IT x PUE)")
    if "firm_capacity_mw" in ds:  # credit x nameplate of what serves the sites (storage too)
        online, what = ds["firm_capacity_mw"].sum("site").values, "firm capacity (credit x MW)"
    else:  # a report written before firm capacity was separate from energy
        online, what = ds["power_limit_mw"].sum("source").values, "power online (firm limits)"
        if ds.sizes.get("project"):
            online = online + ds["power_online_mw"].sum(["site", "project"]).values
    ax.stairs(online, x, baseline=None, color="k", ls="--", lw=1.2, label=what)
    if leaves is not None and "facility_mw" in leaves:
        leaf_band(ax, leaves, leaves["facility_mw"].sum("site"), what="load")
    _finish(ax, x, ds, "power [MW]", "Power drawn by technology against load")
    return fig


@slide
def plot_compare(a: xr.Dataset, b: xr.Dataset) -> Figure:
    """B minus A: IT capacity by site [MW] and net cash per period [$M], NPV difference in the
    title. Both reports must share their periods (a stochastic report: its expected plan)."""
    a, b = plan_view(a)[0], plan_view(b)[0]
    if not np.array_equal(a["period"].values, b["period"].values):
        raise ValueError("expected two reports over the same periods")
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(11, 7), sharex=True, layout="constrained")
    x = edges(a)
    series = {}
    names = list(dict.fromkeys([*map(str, a["site"].values), *map(str, b["site"].values)]))
    for s in names:  # model order, as every other chart (and its colours)
        ca = a["capacity_mw"].sel(site=s).values if s in a["site"].values else 0.0
        cb = b["capacity_mw"].sel(site=s).values if s in b["site"].values else 0.0
        series[s] = np.broadcast_to(cb - ca, x[:-1].shape)
    colors = name_colors(names)
    for label, first, v in equal_groups_named(series, "sites"):
        a1.stairs(v, x, baseline=None, label=label, lw=2, color=colors[first])
    dnet = b["net_cash_musd"].values - a["net_cash_musd"].values
    a2.bar((x[:-1] + x[1:]) / 2, dnet, width=0.8 * np.diff(x), color="tab:purple")
    dnpv = b.attrs["npv_musd"] - a.attrs["npv_musd"]
    a1.set(ylabel="IT capacity, B - A [MW]")
    a1.set_title(f"B ({scenario_label(b)}) minus A ({scenario_label(a)}): "
                 f"NPV {number(dnpv, sign=True)} $M", fontsize="medium", loc="left")  # fmt: skip
    a2.set(ylabel="net cash, B - A [$M]")
    for ax in (a1, a2):
        _time_axis(ax, x)
        ax.axhline(0, color="k", lw=0.8)
    a1.set_xlabel("")
    legend_outside(a1)
    return fig
