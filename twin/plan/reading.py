"""Solved values into arrays: the helpers every results reader shares (:mod:`twin.plan.results`,
:mod:`twin.plan.chip_results`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pyomo.environ as pyo


def values_of(var: pyo.Var) -> np.ndarray:
    """Values of an indexed variable in its index order (NaN where unset)."""
    return np.fromiter(
        (np.nan if v.value is None else v.value for v in var.values()), float, len(var)
    )


def scatter(
    shape: tuple[int, ...], keys: Iterable[tuple], values: np.ndarray, axes: Sequence[dict]
) -> np.ndarray:
    """Place ``values`` at positions ``axes[i][key[i]]`` (integer positions pass through)."""
    out = np.zeros(shape)
    keys = list(keys)
    if not keys:
        return out
    pos = tuple(
        np.fromiter((ax[k[i]] if ax else k[i] for k in keys), int, len(keys))
        for i, ax in enumerate(axes)
    )
    np.add.at(out, pos, values)
    return out
