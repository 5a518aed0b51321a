"""Chips read from a solved model: in service, installed, retired early, bought.

The chips in service of the plan's vintages are ``sum(installed[s,k,q] for p - n < q <= p)``
(the windows of ``groups.active_installs``, the model's own) less those retired early and not
yet at the end of their life (:func:`twin.plan.retire.retired_grids`), plus the existing fleet.

The fleet's watts per H100e in a period are the IT power of the chips in service over their
compute, both before availability and idling (the chip table's figure, fleet-weighted):

    w[p] = 1e3 x sum_{s,k} active[s,k,p] kW_k / sum_{s,k} active[s,k,p] h100e_k   [W/H100e]

undefined (NaN) in a period with no chip in service. For a one-generation fleet it is that
chip's ``1e3 kW_k / h100e_k``.
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
        "fleet_w_per_h100e": (("period",), fleet_w_per_h100e(active, d)),
    }


def fleet_w_per_h100e(active: np.ndarray, d: PlanData) -> np.ndarray:
    """``w[p]`` [W/H100e] from the chips in service ``active[s,k,p]`` (module docstring)."""
    kw = np.array([d.kw[k] for k in d.chips])[None, :, None]
    h100e = np.array([d.h100e[k] for k in d.chips])[None, :, None]
    watts, compute = (active * kw).sum((0, 1)), (active * h100e).sum((0, 1))
    out = np.full(compute.shape, np.nan)
    np.divide(1e3 * watts, compute, out=out, where=compute > 0)
    return out


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
