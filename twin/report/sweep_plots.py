"""Charts of sweeps: make-vs-buy break-even, tornado of NPV over swept paths, fan of members.

A sweep is the summary Dataset of :func:`twin.sweep.run_sweep` (dimension ``member``, each swept
path a coordinate whose ``swept_path`` attribute names it).
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from twin.report.timeline import edges
from twin.sweep import break_even, swept


def swept_paths(sweep: xr.Dataset) -> list[str]:
    """The model paths a sweep varies, in coordinate order."""
    return [str(c.attrs["swept_path"]) for c in sweep.coords.values() if "swept_path" in c.attrs]


def _one_path(sweep: xr.Dataset, path: str | None) -> str:
    paths = swept_paths(sweep)
    if path is None:
        if len(paths) != 1:
            raise ValueError(f"expected a path to plot against; the sweep varies {paths}")
        return paths[0]
    swept(sweep, path)  # raises KeyError naming the swept paths
    return path


def plot_breakeven(
    sweep: xr.Dataset, path: str | None = None, variable: str = "fab_kwspm"
) -> Figure:
    """Fab capacity built [1e3 wafer/month] (left) and NPV [$B] (right) against the swept value
    of ``path``, one line per scenario, with the break-even (the smallest swept value at which
    ``variable`` is positive) marked."""
    path = _one_path(sweep, path)
    fig, ax = plt.subplots(figsize=(10, 5), layout="constrained")
    ax2 = ax.twinx()
    for k, sc in enumerate(dict.fromkeys(str(s) for s in sweep["scenario"].values)):
        sub = sweep.isel(member=np.flatnonzero(sweep["scenario"].values == sc))
        x = np.asarray(swept(sub, path).values, float)
        o = np.argsort(x)
        label = sc or "base"
        c = plt.get_cmap("tab10").colors[k % 10]  # type: ignore[attr-defined]  # ListedColormap
        ax.plot(x[o], sub[variable].values[o], "-o", color=c, label=f"{label}: {variable}")
        ax2.plot(x[o], sub["npv_musd"].values[o] / 1e3, ":s", color=c, ms=4, label=f"{label}: NPV")
        be = break_even(sub, path, variable)
        if be is not None:
            ax.axvline(be, color=c, ls="--", lw=1)
            ax.annotate(f"break-even {be:g}", (be, 0), textcoords="offset points", xytext=(4, 8))
    units = sweep[variable].attrs.get("twin_units", sweep[variable].attrs.get("units", ""))
    ax.set(xlabel=f"{path} [{_units(swept(sweep, path))}]", ylabel=f"{variable} [{units}]")
    ax2.set_ylabel("NPV [$B, real]")
    ax.set_title(f"Make vs buy: {variable} and NPV against {path}")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize="small", loc="upper left")
    ax.grid(alpha=0.3)
    return fig


def _units(da: xr.DataArray) -> str:
    return str(da.attrs.get("twin_units", da.attrs.get("units", "1")))


def tornado_ranges(sweep: xr.Dataset, variable: str = "npv_musd") -> dict[str, tuple]:
    """For each swept path: (value giving the lowest mean, lowest mean, value giving the highest
    mean, highest mean) of ``variable`` over the members at each value of the path (other paths
    averaged over: for a one-path sweep, the members themselves)."""
    out = {}
    y = sweep[variable]
    for p in swept_paths(sweep):
        means = y.groupby(swept(sweep, p).rename("v")).mean()
        lo, hi = int(np.argmin(means.values)), int(np.argmax(means.values))
        v = means["v"].values
        out[p] = (v[lo], float(means[lo]), v[hi], float(means[hi]))
    return out


def plot_tornado(sweep: xr.Dataset, variable: str = "npv_musd", ax: Axes | None = None) -> Figure:
    """Tornado chart: for each swept path, the range of the mean NPV over its values [$B],
    against the mean of all members; widest range on top."""
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 5), layout="constrained")
    ranges = tornado_ranges(sweep, variable)
    ref = float(sweep[variable].mean()) / 1e3
    order = sorted(ranges, key=lambda p: ranges[p][3] - ranges[p][1])
    for i, p in enumerate(order):
        vlo, lo, vhi, hi = ranges[p]
        ax.barh(i, (hi - lo) / 1e3, left=lo / 1e3, color="tab:blue", height=0.6)
        ax.annotate(
            f"{vlo}",
            (lo / 1e3, i),
            ha="right",
            va="center",
            xytext=(-4, 0),
            textcoords="offset points",
        )
        ax.annotate(
            f"{vhi}",
            (hi / 1e3, i),
            ha="left",
            va="center",
            xytext=(4, 0),
            textcoords="offset points",
        )
    ax.axvline(ref, color="k", lw=1, label=f"mean of all members ({ref:,.1f} $B)")
    ax.set_yticks(range(len(order)), order)
    ax.set(xlabel="NPV [$B, real]", title="NPV range over each swept path (values at the ends)")
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3, axis="x")
    return cast(Figure, ax.figure)  # stubs say Figure | SubFigure; drawn on a Figure


def member_reports(sweep: xr.Dataset, directory: str | Path) -> list[xr.Dataset]:
    """The reports of a sweep's members that solved (files relative to ``directory``)."""
    from twin.report.io import open as open_report

    return [open_report(Path(directory) / f) for f in sweep["file"].values if f]


def fan_series(reports: list[xr.Dataset], variable: str) -> np.ndarray:
    """``variable`` summed over every dimension but ``period``, one row per report."""
    rows = []
    for ds in reports:
        da = ds[variable]
        rows.append(da.sum([d for d in da.dims if d != "period"]).values)
    return np.array(rows)


def plot_fan(
    reports: list[xr.Dataset],
    variable: str = "capacity_mw",
    quantiles: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95),
) -> Figure:
    """Fan chart of ``variable`` (summed over all but period) across the members: the median
    and the bands between symmetric quantiles, over each period."""
    fig, ax = plt.subplots(figsize=(10, 5), layout="constrained")
    x = edges(reports[0])
    y = fan_series(reports, variable)
    q = np.quantile(y, quantiles, axis=0)
    n = len(quantiles)
    for i in range(n // 2):
        lo, hi = np.append(q[i], q[i][-1]), np.append(q[n - 1 - i], q[n - 1 - i][-1])
        label = f"{quantiles[i]:.0%}-{quantiles[n - 1 - i]:.0%}"
        ax.fill_between(x, lo, hi, step="post", alpha=0.25 + 0.2 * i, color="tab:blue", label=label)
    ax.stairs(np.median(y, axis=0), x, baseline=None, color="k", lw=2, label="median")
    units = _units(reports[0][variable])
    ax.set(
        xlabel="year",
        ylabel=f"{variable} [{units}]",
        title=f"{variable} over {len(reports)} members",
        xlim=(x[0], x[-1]),
    )
    ax.legend(fontsize="small", loc="upper left")
    ax.grid(alpha=0.3)
    return fig
