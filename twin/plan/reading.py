"""Solved values of a model: the helpers every results reader shares (:mod:`twin.plan.results`,
:mod:`twin.plan.chip_results`) and the studies' reads of decisions by key (:data:`Key`,
:func:`decision_values`), so no study looks a component up by its name itself."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

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


Key = tuple[str, Any]
"""A decision named by its component and index, e.g. ``("build", ("abilene", 0))``."""


def indexed(m: pyo.Block, name: str) -> Any:
    """The component ``name`` of ``m`` (a variable or expression family), None if ``m`` lacks it:
    the one place a family is looked up by its declared name (:mod:`twin.plan.quantities`)."""
    return m.component(name)


def decision(m: pyo.Block, key: Key) -> Any:
    """The variable ``component[index]`` a :data:`Key` names in ``m`` (a plan or a leaf block)."""
    return m.component(key[0])[key[1]]


def decision_values(m: pyo.Block, keys: Iterable[Key], unset: float | None = None) -> dict:
    """``{key: solved value}`` of the decisions ``keys`` in ``m``; a variable the solve left
    without a value raises, or reads ``unset`` when given."""
    out = {}
    for key in keys:
        v = decision(m, key).value
        if v is None:
            if unset is None:
                raise ValueError(f"{key[0]}[{key[1]}] has no solved value")
            v = unset
        out[key] = float(v)
    return out


def decisions(m: pyo.Block) -> Iterator[tuple[Key, Any]]:
    """Every variable of ``m``'s active variable families with its :data:`Key`."""
    for var in m.component_objects(pyo.Var, active=True):
        for idx, v in var.items():
            yield (var.local_name, idx), v
