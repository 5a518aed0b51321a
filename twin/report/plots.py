"""Matplotlib charts of reports, each a function returning its Figure (readable on a slide).

Plan reports (one solve): :func:`plot_capacity`, :func:`plot_allocation`, :func:`plot_waterfall`,
:func:`plot_marginal`, :func:`plot_power`, :func:`plot_compare` (B minus A). Sweeps:
:func:`plot_breakeven`, :func:`plot_tornado`, :func:`plot_fan` (in
:mod:`twin.report.sweep_plots`). Maps: :func:`plot_map` (in :mod:`twin.report.map_plot`).

Time series are drawn as steps over each period ``[start, end)`` -- the last one ends at the
horizon -- so every period is shown with its true length. Axes are labelled with units.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from twin.report import map_plot, sweep_plots
from twin.report.plot_kinds import KINDS
from twin.report.timeline import edges, years

__all__ = [
    "KINDS",
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
    "years",
]


#: matplotlib settings of every chart: large enough to read on a slide
SLIDE = {"font.size": 13, "axes.titlesize": 15, "legend.fontsize": 11, "lines.linewidth": 2}


def slide(func: Callable[..., Figure]) -> Callable[..., Figure]:
    """Draw ``func``'s chart with the :data:`SLIDE` settings."""

    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> Figure:
        # the stubs key rc_context by a Literal of every rcParam; a plain dict of a few is fine
        with plt.rc_context(SLIDE):  # type: ignore[arg-type]
            return func(*args, **kwargs)

    return wrapper


plot_map = slide(map_plot.plot_map)
plot_breakeven = slide(sweep_plots.plot_breakeven)
plot_tornado = slide(sweep_plots.plot_tornado)
plot_fan = slide(sweep_plots.plot_fan)
map_of_model = slide(map_plot.map_of_model)
map_of_report = slide(map_plot.map_of_report)


def _fig(ax: Axes | None, size: tuple[float, float] = (10, 5)) -> tuple[Figure, Axes]:
    if ax is not None:
        # stubs say Figure | SubFigure; callers hand axes of a top-level Figure
        return cast(Figure, ax.figure), ax
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    return fig, ax


def _steps(ax: Axes, x: np.ndarray, ys: np.ndarray, labels: list[str], **kw: Any) -> None:
    """Stacked step areas: ``ys`` is (series, period), ``x`` the period edges."""
    bottom = np.zeros(ys.shape[1] + 1)
    for y, label in zip(ys, labels, strict=True):
        top = bottom + np.append(y, y[-1])
        ax.fill_between(x, bottom, top, step="post", label=label, **kw)
        bottom = top


def _time_axis(ax: Axes, x: np.ndarray) -> None:
    ax.set_xlim(x[0], x[-1])
    ax.set_xlabel("year")
    ax.grid(alpha=0.3)


@slide
def plot_capacity(ds: xr.Dataset, ax: Axes | None = None) -> Figure:
    """IT capacity online by site, stacked [MW], and the facility capacity it needs
    (``sum_s IT_s x PUE_s``) as a line [MW]."""
    fig, ax = _fig(ax)
    x = edges(ds)
    cap = ds["capacity_mw"].transpose("site", "period").values
    _steps(ax, x, cap, [str(s) for s in ds["site"].values])
    pue = ds["site_pue"].values if "site_pue" in ds else np.ones(len(cap))
    facility = (cap * pue[:, None]).sum(axis=0)
    ax.stairs(
        facility,
        x,
        baseline=None,
        color="k",
        ls="--",
        lw=1.5,
        label="facility (IT x PUE), all sites",
    )
    ax.set(ylabel="capacity [MW]", title=f"Capacity by site -- {ds.attrs.get('title', '')}")
    _time_axis(ax, x)
    ax.legend(loc="upper left", fontsize="small")
    return fig


@slide
def plot_allocation(ds: xr.Dataset, ax: Axes | None = None) -> Figure:
    """Compute served by tenant, summed over sites [million H100e], internal tenants hatched,
    and total demand as a line."""
    fig, ax = _fig(ax)
    x = edges(ds)
    alloc = ds["allocation_h100e"].sum("site").transpose("tenant", "period").values / 1e6
    kinds = [str(k) for k in ds["tenant_kind"].values]
    bottom = np.zeros(len(x))
    for j, name in enumerate(ds["tenant"].values):
        top = bottom + np.append(alloc[j], alloc[j, -1])
        hatch = "//" if kinds[j] == "internal" else None
        ax.fill_between(
            x, bottom, top, step="post", hatch=hatch, label=f"{name} ({kinds[j]})", alpha=0.85
        )
        bottom = top
    demand = ds["demand_h100e"].sum("tenant").values / 1e6
    ax.stairs(demand, x, baseline=None, color="k", ls="--", lw=1.5, label="demand, all tenants")
    ax.set(ylabel="compute served [million H100e]", title="Allocation by tenant")
    _time_axis(ax, x)
    ax.legend(loc="upper left", fontsize="small")
    return fig


@slide
def plot_routes(ds: xr.Dataset, ax: Axes | None = None) -> Figure:
    """Compute acquired per period by route [million H100e]: chips bought from the vendor, one
    colour per generation, stacked under chips made in own fabs (hatched), each weighted by its
    H100e per chip; the title gives the share made."""
    fig, ax = _fig(ax)
    x = edges(ds)
    bought = (ds["chips_bought"] * ds["chip_h100e"]).transpose("chip", "period").values / 1e6
    made = (ds["chips_made"] * ds["chip_h100e"]).transpose("chip", "period").values / 1e6
    bottom = np.zeros(len(x))
    for route, table, hatch in (("bought", bought, None), ("made", made, "///")):
        for k, name in enumerate(ds["chip"].values):
            if table[k].max() <= 0:
                continue
            top = bottom + np.append(table[k], table[k, -1])
            ax.fill_between(
                x, bottom, top, step="post", hatch=hatch, alpha=0.85, label=f"{route}: {name}"
            )
            bottom = top
    total = bought.sum() + made.sum()
    share = made.sum() / total if total > 0 else 0.0
    ax.set(
        ylabel="compute acquired [million H100e]",
        title=f"Chips by route: {share:.0%} of H100e made in own fabs",
    )
    _time_axis(ax, x)
    ax.legend(loc="upper left", fontsize="small")
    return fig


def waterfall_steps(ds: xr.Dataset) -> dict[str, float]:
    """Discounted cash flows by kind [$M] (outflows negative) and discounted salvage, which sum
    to the report's NPV: ``NPV = sum_f sign_f sum_p df_p flow_fp + df_end x salvage``."""
    from twin.plan.cash import INFLOWS, OUTFLOWS

    df = ds["discount_factor"].values
    out = {f: float((df * ds[f"{f}_musd"].values).sum()) for f in INFLOWS}
    out |= {f: -float((df * ds[f"{f}_musd"].values).sum()) for f in OUTFLOWS}
    out["salvage"] = ds.attrs["discount_factor_end"] * ds.attrs["salvage_musd"]
    return out


@slide
def plot_waterfall(ds: xr.Dataset, ax: Axes | None = None) -> Figure:
    """Cash-flow waterfall: each discounted flow [$B] from the running total, ending at NPV."""
    fig, ax = _fig(ax)
    steps = waterfall_steps(ds)
    total = 0.0
    for i, v in enumerate(steps.values()):
        color = "tab:green" if v >= 0 else "tab:red"
        ax.bar(i, v / 1e3, bottom=total / 1e3, color=color, width=0.7)
        ax.annotate(f"{v / 1e3:+,.1f}", (i, (total + max(v, 0)) / 1e3), ha="center", va="bottom")
        total += v
    n = len(steps)
    ax.bar(n, total / 1e3, color="tab:blue", width=0.7)
    ax.annotate(f"{total / 1e3:,.1f}", (n, max(total, 0) / 1e3), ha="center", va="bottom")
    ax.set_xticks(range(n + 1), [*(k.replace("_", " ") for k in steps), "NPV"], rotation=20)
    ax.axhline(0, color="k", lw=0.8)
    ax.set(ylabel="discounted cash flow [$B, real]", title="NPV by cash flow")
    ax.grid(alpha=0.3, axis="y")
    return fig


@slide
def plot_marginal(ds: xr.Dataset, sites: list[str] | None = None) -> Figure:
    """Marginal value of an H100e-hour [$/H100e-h] and of a MW of IT capacity [$M/MW-yr] by
    site over time (undiscounted duals; NaN where the row is absent)."""
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(10, 7), sharex=True, layout="constrained")
    x = edges(ds)
    for s in sites or [str(s) for s in ds["site"].values]:
        a1.stairs(ds["marginal_value_compute"].sel(site=s).values, x, baseline=None, label=s, lw=2)
        a2.stairs(ds["marginal_value_capacity"].sel(site=s).values, x, baseline=None, label=s, lw=2)
    a1.set(ylabel="H100e-hour [$/H100e-h]", title="Marginal value")
    a2.set(ylabel="MW of IT capacity [$M/(MW yr)]")
    for a in (a1, a2):
        _time_axis(a, x)
    a1.set_xlabel("")
    a1.legend(fontsize="small", ncols=2)
    return fig


@slide
def plot_marginal_value(
    ds: xr.Dataset, site: str, ax: Axes | None = None, label: str | None = None
) -> Figure:
    """Marginal value of an H100e-hour at ``site`` over time [$/H100e-hour], one line."""
    fig, ax = _fig(ax)
    x = edges(ds)
    label = label or ds.attrs.get("scenario") or "base"
    ax.stairs(
        ds["marginal_value_compute"].sel(site=site).values, x, baseline=None, label=label, lw=2
    )
    ax.set(ylabel=f"marginal value at {site} [$/H100e-h]")
    _time_axis(ax, x)
    return fig


@slide
def plot_power(ds: xr.Dataset, ax: Axes | None = None) -> Figure:
    """Average power drawn from each source [MW] (solid) against its firm limit (dashed)."""
    fig, ax = _fig(ax)
    x = edges(ds)
    colors = plt.get_cmap("tab10").colors  # type: ignore[attr-defined]  # a ListedColormap
    for i, g in enumerate(ds["source"].values):
        c = colors[i % len(colors)]
        site = ds["source_site"].sel(source=g).item()
        ax.stairs(
            ds["power_mw"].sel(source=g).values,
            x,
            baseline=None,
            color=c,
            lw=2,
            label=f"{g} ({site})",
        )
        ax.stairs(
            ds["power_limit_mw"].sel(source=g).values, x, baseline=None, color=c, ls="--", lw=1
        )
    ax.plot([], [], "k--", lw=1, label="firm limit (dashed)")
    ax.set(ylabel="power [MW]", title="Power by source against its limit")
    _time_axis(ax, x)
    ax.legend(fontsize="small", ncols=2, loc="upper left")
    return fig


@slide
def plot_compare(a: xr.Dataset, b: xr.Dataset) -> Figure:
    """B minus A: IT capacity by site [MW] and net cash per period [$M], NPV difference in the
    title. Both reports must share their periods."""
    if not np.array_equal(a["period"].values, b["period"].values):
        raise ValueError("expected two reports over the same periods")
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(10, 7), sharex=True, layout="constrained")
    x = edges(a)
    for s in sorted(set(a["site"].values) | set(b["site"].values)):
        ca = a["capacity_mw"].sel(site=s).values if s in a["site"].values else 0.0
        cb = b["capacity_mw"].sel(site=s).values if s in b["site"].values else 0.0
        a1.stairs(np.broadcast_to(cb - ca, x[:-1].shape), x, baseline=None, label=str(s), lw=2)
    dnet = b["net_cash_musd"].values - a["net_cash_musd"].values
    a2.bar((x[:-1] + x[1:]) / 2, dnet, width=0.8 * np.diff(x), color="tab:purple")
    na, nb = (d.attrs.get("scenario") or "base" for d in (a, b))
    dnpv = b.attrs["npv_musd"] - a.attrs["npv_musd"]
    a1.set(ylabel="IT capacity, B - A [MW]", title=f"B ({nb}) minus A ({na}): NPV {dnpv:+,.0f} $M")
    a2.set(ylabel="net cash, B - A [$M]")
    for ax in (a1, a2):
        _time_axis(ax, x)
        ax.axhline(0, color="k", lw=0.8)
    a1.set_xlabel("")
    a1.legend(fontsize="small", ncols=2)
    return fig
