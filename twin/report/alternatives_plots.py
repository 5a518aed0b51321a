"""Plots of studies: ranges of near-optimal alternatives, tornado and fan charts of ensembles.

Each function returns a matplotlib Figure (Agg backend, nothing shown); the caller saves it.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from twin.study.sampling import tornado


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
        ax.set_xlim(left=0, right=1.05 * max(float(np.nanmax(hi)), 1e-9))
    axes[0, 0].legend(loc="lower left", fontsize="small", bbox_to_anchor=(0, 1.02), ncols=2)
    fig.suptitle(
        f"Near-optimal ranges: NPV within {ds.attrs['slack']:.1%} of "
        f"{ds.attrs['optimum_musd']:,.0f} $M"
    )
    fig.tight_layout()
    return fig


def plot_input_tornado(ds: xr.Dataset, output: str = "npv_musd", share: float = 0.2) -> Figure:
    """Tornado chart of a sampled sweep: for each input, the mean of ``output`` over members
    with the input in its lowest and in its highest ``share`` of quantiles, around the median;
    inputs sorted by swing, largest on top."""
    t = tornado(ds["unit_coordinate"].values, ds[output].values, list(ds["input"].values), share)
    mid = t.attrs["median"]
    n = t.sizes["input"]
    fig, ax = plt.subplots(figsize=(7, 1 + 0.45 * n))
    y = np.arange(n)[::-1]
    ax.barh(y, t["low"].values - mid, left=mid, color="tab:red", alpha=0.7,
            label=f"input in lowest {share:.0%}")  # fmt: skip
    ax.barh(y, t["high"].values - mid, left=mid, color="tab:blue", alpha=0.7,
            label=f"input in highest {share:.0%}")  # fmt: skip
    ax.axvline(mid, color="k", lw=0.8)
    ax.set_yticks(y, [str(v) for v in t["input"].values])
    units = ds[output].attrs.get("units", "")
    ax.set_xlabel(f"{ds[output].attrs.get('long_name', output)} [{units}]")
    ax.set_title(f"Tornado: {output} over {ds.sizes['member']} members")
    ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


def plot_percentile_fan(ds: xr.Dataset, series: str = "capacity_mw") -> Figure:
    """Fan chart: the median of ``series`` by period and bands between the 5/95th and 25/75th
    percentiles over the members that solved (``<series>_pct`` of the summary)."""
    pct = ds[f"{series}_pct"]
    x = ds["period"].values
    fig, ax = plt.subplots(figsize=(7, 3.5))
    q = {float(p): pct.sel(percentile=p).values for p in pct["percentile"].values}
    ax.fill_between(x, q[5.0], q[95.0], color="tab:blue", alpha=0.2, label="5-95 %")
    ax.fill_between(x, q[25.0], q[75.0], color="tab:blue", alpha=0.4, label="25-75 %")
    ax.plot(x, q[50.0], color="tab:blue", label="median")
    ax.set_ylabel(f"{ds[series].attrs.get('long_name', series)} [{ds[series].attrs['units']}]")
    ax.set_title(f"Fan chart over {ds.sizes['member']} members")
    ax.legend(fontsize="small", loc="upper left")
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig
