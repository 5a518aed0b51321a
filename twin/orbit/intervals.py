"""Intervals during which a sampled quantity stays above zero, with sub-step crossing times.

A crossing between samples ``i`` and ``i + 1`` (in the same sampling block) is placed by linear
interpolation of the quantity: ``t = t_i + (t_{i+1} - t_i) * x_i / (x_i - x_{i+1})``. For a
smooth quantity sampled at step ``h`` the timing error is ``O(h**2 * x'' / x')``: seconds for
elevation or shadow angles of a LEO satellite sampled every 10-60 s.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Intervals", "positive_intervals"]


@dataclass(frozen=True)
class Intervals:
    """Start and end times (s) of the intervals, and whether each start/end is a real crossing
    (``True``) or the edge of a sampling block (``False``: the interval was cut off there)."""

    start: NDArray[np.float64]
    end: NDArray[np.float64]
    start_crossed: NDArray[np.bool_]
    end_crossed: NDArray[np.bool_]

    @property
    def complete(self) -> NDArray[np.bool_]:
        """Intervals whose both ends are real crossings."""
        return self.start_crossed & self.end_crossed

    @property
    def duration(self) -> NDArray[np.float64]:
        """Length of each interval, s."""
        return self.end - self.start


def positive_intervals(
    x: NDArray[np.float64], t: NDArray[np.float64], block: NDArray[np.int64] | None = None
) -> Intervals:
    """Intervals of the 1-D series ``x(t)`` where ``x > 0``.

    ``t`` are sample times in seconds (increasing); ``block`` labels contiguous sampling blocks
    (default: one block). Intervals are cut at block edges; NaN samples count as ``x <= 0``.
    """
    x = np.asarray(x, dtype=float)
    t = np.asarray(t, dtype=float)
    block = np.zeros(len(x), dtype=np.int64) if block is None else np.asarray(block)
    pos = np.nan_to_num(x, nan=-1.0) > 0
    first = np.r_[True, block[1:] != block[:-1]]  # first sample of each block
    last = np.r_[block[1:] != block[:-1], True]
    same = ~last[:-1]  # pair (i, i + 1) lies in one block
    rise = np.flatnonzero(same & ~pos[:-1] & pos[1:])  # x crosses up between i and i + 1
    fall = np.flatnonzero(same & pos[:-1] & ~pos[1:])

    def cross(i: NDArray[np.int64]) -> NDArray[np.float64]:
        x0, x1 = x[i], x[i + 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            f = np.where(np.isfinite(x0) & np.isfinite(x1), x0 / (x0 - x1), 0.5)
        return t[i] + (t[i + 1] - t[i]) * np.clip(f, 0.0, 1.0)

    open_start = np.flatnonzero(first & pos)  # already positive at a block's first sample
    close_end = np.flatnonzero(last & pos)  # still positive at a block's last sample
    starts = np.r_[cross(rise), t[open_start]]
    start_ok = np.r_[np.ones(len(rise), bool), np.zeros(len(open_start), bool)]
    ends = np.r_[cross(fall), t[close_end]]
    end_ok = np.r_[np.ones(len(fall), bool), np.zeros(len(close_end), bool)]
    si, ei = np.argsort(starts, kind="stable"), np.argsort(ends, kind="stable")
    return Intervals(starts[si], ends[ei], start_ok[si], end_ok[ei])
