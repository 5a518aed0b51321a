"""Linear terms shared by several constraint families, built once per model.

The IT load, the compute of new vintages and the capacity online at a site in a period appear in
the IT-power, site-power, compute, contract, orbit and objective rows. Building each sum once and
reusing it keeps the model build linear in its size (Pyomo copies a shared sum before extending
it in place, so reuse is safe).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pyomo.environ as pyo

T = TypeVar("T")


def shared(m: pyo.ConcreteModel, key: tuple, make: Callable[[], T]) -> T:
    """The value stored under ``key`` on model ``m``, made by ``make()`` the first time."""
    store = m.__dict__.get("_shared_terms")
    if store is None:
        store = {}
        m.__dict__["_shared_terms"] = store
    if key not in store:
        store[key] = make()
    return store[key]
