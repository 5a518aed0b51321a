"""Chips read from a solved model: in service, installed, retired early, bought.

The chips in service of the plan's vintages are ``sum(installed[s,k,q] for p - n < q <= p)``
(the windows of ``groups.active_installs``) less those retired early and not yet at the end of
their life (:func:`twin.plan.retire.retired_grids`), plus the existing fleet.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from twin.plan.data import PlanData
from twin.plan.groups import chip_life
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
    active += _in_service(installed, d) - gone
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


def _in_service(installed: np.ndarray, d: PlanData) -> np.ndarray:
    """Chips of the plan's vintages in service: ``sum(installed[s,k,q] for p - n < q <= p)``
    with ``n`` the chip life at the site (the windows of ``groups.active_installs``), one shifted
    array per year of life rather than a loop over sites, chips and periods."""
    life = np.array(
        [[chip_life(d.life, d.capacity_life, s, k) for k in d.chips] for s in d.sites], dtype=int
    ).reshape(len(d.sites), len(d.chips), 1)
    n = installed.shape[-1]
    out = np.zeros_like(installed)
    for lag in range(min(n, int(life.max(initial=0)))):
        out[..., lag:] += np.where(lag < life, installed[..., : n - lag], 0.0)
    return out
