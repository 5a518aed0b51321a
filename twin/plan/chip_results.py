"""Chips read from a solved model: in service, installed, retired early, bought.

The chips in service of the plan's vintages are ``sum(installed[s,k,q] for p - n < q <= p)``
(the windows of ``groups.active_installs``, the model's own) less those retired early and not
yet at the end of their life (:func:`twin.plan.retire.retired_grids`), plus the existing fleet.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from twin.plan.data import PlanData
from twin.plan.reading import scatter, values_of
from twin.plan.retire import retired_grids


def chip_results(m: pyo.ConcreteModel, d: PlanData) -> dict[str, tuple]:
    """Chips active (less those retired early), installed, retired and bought; vendor
    allocation and price."""
    n, S, K = d.n_periods, d.sites, d.chips
    si, ki = {s: i for i, s in enumerate(S)}, {k: i for i, k in enumerate(K)}
    shape = (len(S), len(K), n)
    installed = scatter(shape, m.install.keys(), values_of(m.install), (si, ki, {}))
    active = scatter(
        shape, d.existing_chips_k.keys(), np.array(list(d.existing_chips_k.values())), (si, ki, {})
    )
    retired, gone = retired_grids(m, d)
    active += _in_service(installed, d, si, ki) - gone
    bought = scatter((len(K), n), m.buy.keys(), values_of(m.buy), (ki, {}))
    vcap = np.full((len(K), n), np.nan)
    unit = np.full((len(K), n), np.nan)
    for k, p in d.buy_idx:
        vcap[ki[k], p] = d.vendor_cap_k[k, p]
        if d.vendor_cap_k[k, p] > 0:  # a chip the vendor does not sell has no price
            unit[ki[k], p] = d.chip_price_musd_per_k[k, p] * 1e3
    k3 = ("site", "chip", "period")
    return {
        "chips_active": (k3, active * 1e3),
        "chips_installed": (k3, installed * 1e3),
        "chips_retired": (k3, retired * 1e3),
        "chips_bought": (("chip", "period"), bought * 1e3),
        "chips_vendor_cap": (("chip", "period"), vcap * 1e3),
        "chip_unit_cost_usd": (("chip", "period"), unit),
    }


def _in_service(
    installed: np.ndarray, d: PlanData, si: dict[str, int], ki: dict[str, int]
) -> np.ndarray:
    """Chips of the plan's vintages in service: ``sum(installed[s,k,q] for q in
    active_installs[s,k,p])``, the windows the model's ``it_load`` and ``new_compute`` sum over
    (:mod:`twin.plan.expressions`), read from the same groups rather than worked out again."""
    out = np.zeros_like(installed)
    for (s, k, p), vintages in d.groups.active_installs.items():
        out[si[s], ki[k], p] = installed[si[s], ki[k], vintages].sum()
    return out
