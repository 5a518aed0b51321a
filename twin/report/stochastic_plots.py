"""Plots of stochastic reports: the NPV distribution and fan charts over the leaves.

A fan chart draws, per period, probability-weighted quantile bands of a quantity over the leaves
(5-95 % and 25-75 %) and the median, so the spread of recourse shows against time.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.axes import Axes

#: Quantile bands of the fan charts, outer to inner [-].
BANDS = ((0.05, 0.95), (0.25, 0.75))


def _axes(ax: Axes | None) -> Axes:
    return ax if ax is not None else plt.subplots(figsize=(8, 4))[1]


def weighted_quantiles(values: np.ndarray, probs: np.ndarray, qs: list[float]) -> np.ndarray:
    """Quantiles of a discrete law along axis 0: for each q the least v with P(V <= v) >= q.

    ``values`` is (leaves, n); returns (len(qs), n).
    """
    order = np.argsort(values, axis=0, kind="stable")
    v = np.take_along_axis(values, order, axis=0)
    cum = np.cumsum(probs[order], axis=0) / probs.sum()
    out = np.empty((len(qs), values.shape[1]))
    for i, q in enumerate(qs):
        idx = (cum < q - 1e-12).sum(axis=0).clip(max=len(probs) - 1)
        out[i] = v[idx, np.arange(values.shape[1])]
    return out


def plot_npv_distribution(ds: xr.Dataset, ax: Axes | None = None) -> Axes:
    """The NPV distribution over the leaves: its cumulative distribution function, with the
    expected NPV, the CVaR and the wait-and-see distribution for comparison [$M]."""
    ax = _axes(ax)
    p = ds["scenario_probability"].values
    for name, label, style in (
        ("scenario_npv_musd", "plan", "-"),
        ("scenario_npv_ws_musd", "wait and see", "--"),
    ):
        v = ds[name].values
        if np.isnan(v).all():
            continue
        order = np.argsort(v, kind="stable")
        ax.step(v[order], np.cumsum(p[order]), where="post", linestyle=style, label=label)
    a = ds.attrs
    ax.axvline(a["expected_npv_musd"], color="k", lw=0.8, label="expected NPV")
    ax.axvline(a["cvar_musd"], color="r", lw=0.8, label=f"CVaR {a['cvar_level']:.0%}")
    ax.set(xlabel="NPV [$M]", ylabel="cumulative probability", title=a.get("title", ""))
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_fan(
    ds: xr.Dataset,
    variable: str = "capacity_mw",
    ax: Axes | None = None,
    scale: float = 1.0,
    select: dict[str, object] | None = None,
) -> Axes:
    """Fan chart of ``variable`` (after ``select``, e.g. ``{"tenant": "anthropic"}``) summed over
    every dimension but scenario and period, divided by ``scale``."""
    ax = _axes(ax)
    da = ds[variable].sel(select or {})
    da = da.sum([d for d in da.dims if d not in ("scenario", "period")]) / scale
    values = da.transpose("scenario", "period").values
    p = ds["scenario_probability"].values
    x = ds["period"].values
    for lo, hi in BANDS:
        band = weighted_quantiles(values, p, [lo, hi])
        ax.fill_between(
            x, band[0], band[1], step="post", alpha=0.25, color="C0", label=f"{lo:.0%}-{hi:.0%}"
        )
    median = weighted_quantiles(values, p, [0.5])[0]
    ax.step(x, median, where="post", color="C0", label="median")
    units = da.attrs.get("units", ds[variable].attrs.get("units", ""))
    ax.set(xlabel="period", ylabel=f"{variable} [{units}]", title=ds.attrs.get("title", ""))
    ax.legend(loc="upper left", fontsize="small")
    return ax
