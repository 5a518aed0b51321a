"""THE fan chart of twin (sweeps and stochastic reports draw it alike): over each period, the
bands between the 5 %-95 % and 25 %-75 % quantiles of a quantity across members or leaves, and
the median, as steps over the period edges (every period drawn to the horizon end)."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from twin.report.chart_style import color, legend_outside, thousands
from twin.report.timeline import period_axis

#: Fan-chart quantile bands, outer to inner [-].
FAN_BANDS = ((0.05, 0.95), (0.25, 0.75))
BANDS = FAN_BANDS


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


def fan_quantiles(values: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """The quantiles a fan chart draws of ``values`` (members x n): the bands of
    :data:`FAN_BANDS` (low, high, ...) then the median. Without ``weights`` they interpolate
    (numpy's default, as a sweep's percentiles); with them they are the discrete
    probability-weighted quantiles (:func:`weighted_quantiles`)."""
    qs = [q for band in FAN_BANDS for q in band] + [0.5]
    if weights is None:
        return np.quantile(values, qs, axis=0)
    return weighted_quantiles(values, weights, qs)


def fan_chart(ax: Axes, x: np.ndarray, q: np.ndarray, ylabel: str) -> None:
    """THE fan chart: over the period edges ``x`` (n + 1, decimal years), the bands and the
    median ``q`` of :func:`fan_quantiles` as steps, every period drawn to the horizon end."""
    for i, (lo, hi) in enumerate(FAN_BANDS):
        a, b = q[2 * i], q[2 * i + 1]
        ax.fill_between(x, np.append(a, a[-1]), np.append(b, b[-1]), step="post", color=color(0),
                        alpha=0.25 + 0.2 * i, lw=0, label=f"{lo:.0%}-{hi:.0%}")  # fmt: skip
    ax.stairs(q[-1], x, baseline=None, color="k", lw=2, label="median")
    ax.set(ylabel=ylabel, xlim=(x[0], x[-1]))
    thousands(ax)
    ax.grid(alpha=0.3)
    period_axis(ax, x)  # periods named as the tables name them, no decimal years
    legend_outside(ax)
