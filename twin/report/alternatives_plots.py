"""Plots of studies: ranges of near-optimal alternatives, tornado and fan charts of ensembles.

Each function returns a matplotlib Figure (Agg backend, nothing shown); the caller saves it.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402


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
        ax.set_xlabel({"1": "share [-]", "USD 1e6": "$M", "MW": "MW"}.get(unit, unit))
        ax.set_xlim(left=0, right=1.05 * max(float(np.nanmax(hi)), 1e-9))
    axes[0, 0].legend(loc="lower left", fontsize="small", bbox_to_anchor=(0, 1.02), ncols=2)
    fig.suptitle(
        f"Near-optimal ranges: NPV within {ds.attrs['slack']:.1%} of "
        f"{ds.attrs['optimum_musd']:,.0f} $M"
    )
    fig.tight_layout()
    return fig
