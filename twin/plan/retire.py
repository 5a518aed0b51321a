"""Leaving chips: a vintage retired early and sold on the secondary market.

With ``economics.chip_resale_share = rho`` set, the plan may take chips of generation ``k``
installed at ``s`` in period ``v`` out of service at the start of a later period ``q`` of their
life (``v < q < v + n_sk``, ``n_sk`` the chip life at the site in periods). The decision is the
stock retired so far, ``Z[s,k,v,q]`` [kchips]: chips of the vintage out of service from the start
of ``q`` on; those retired at the start of ``q`` are ``z_q = Z_q - Z_{q-1}`` (``Z_v = 0``):

    Z[s,k,v,q] >= Z[s,k,v,q-1] >= 0                        (retire_order[s,k,v,q]: z_q >= 0)
    Z[s,k,v,last] <= install[s,k,v]                        (retire_cap[s,k,v])

The stock, not the flow, is the variable because the chips in service read it once per vintage:
with flows each period's rows would hold every earlier ``z`` of the vintage, and the quarterly
baseline's rows held 2.1M of its 2.55M nonzeros this way (life x vintages x periods).

A retired chip draws no power and serves nothing from ``q`` on: the chips in service are

    active[s,k,p] = sum_{v in window(p)} (install[s,k,v] - Z[s,k,v,p])

(so ``it_load`` and ``new_compute``, :mod:`twin.plan.expressions`, subtract them), and it is
sold in ``q`` at a haircut on its straight-line book value:

    R[k,v,q] = rho x c_kv x max(0, 1 - (t_q - t_v) / L_k)   [$M per kchip]

``c_kv`` the least a new chip of ``k`` cost in ``v`` (the vendor's price, or a fab's variable
cost per chip where one makes ``k``: a resale price above what a chip can be made for would be a
money machine), ``L_k`` the chip life [years]. ``rho`` in [0, 1] keeps
a resale price at or below the book value and the new price (``rho = 0``: retire for the power and
the hall space alone). Cash: ``R x z_q`` on the ``resale`` inflow in ``q``; the salvage at the
end loses what a sold chip would have been credited, ``share_v x c_kv x Z_last``. Why it
matters: an installed chip is powered for its whole life, so an old, power-hungry vintage holds
hall MW and energy a newer one would use better; without this family the plan can only wait for
it to retire.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyomo.environ as pyo

from twin.plan.cash import CashTerms
from twin.plan.data import PlanData
from twin.plan.groups import chip_life

Key = tuple[str, str, int, int]


def retire_index(d: PlanData) -> list[Key]:
    """``(s, k, v, q)`` for every install ``(s, k, v)`` and every later period ``q`` of its life
    in the horizon; empty when the model sets no resale share (the family is off)."""
    if d.chip_resale_share is None:
        return []
    n = d.n_periods
    out = []
    for s, k, v in d.install_idx:
        life = chip_life(d.life, d.capacity_life, s, k)
        out += [(s, k, v, q) for q in range(v + 1, min(v + life, n))]
    return out


def define_retire_variables(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``retired[s,k,v,q] >= 0`` [kchips], the stock ``Z`` on :func:`retire_index` (module
    docstring)."""
    m.retired = pyo.Var(pyo.Set(initialize=retire_index(d), dimen=4), within=pyo.NonNegativeReals)


def _by_vintage(m: pyo.ConcreteModel) -> dict[tuple[str, str, int], list[int]]:
    """The periods ``q`` of each vintage's ``retired`` stock, in order."""
    out: dict[tuple[str, str, int], list[int]] = {}
    for s, k, v, q in m.retired:
        out.setdefault((s, k, v), []).append(q)
    return {key: sorted(qs) for key, qs in out.items()}


def define_retire_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``retire_order[s,k,v,q]``: the stock never falls (``z_q >= 0``); ``retire_cap[s,k,v]``: a
    vintage sells at most what was installed (module docstring)."""
    vintages = _by_vintage(m)
    order = [(s, k, v, q) for (s, k, v), qs in vintages.items() for q in qs[1:]]
    m.retire_order = pyo.Constraint(
        order, rule=lambda m, s, k, v, q: m.retired[s, k, v, q - 1] - m.retired[s, k, v, q] <= 0
    )
    m.retire_cap = pyo.Constraint(
        list(vintages),
        rule=lambda m, s, k, v: m.retired[s, k, v, vintages[s, k, v][-1]] - m.install[s, k, v] <= 0,
    )


def retired_in_service(
    m: pyo.ConcreteModel, s: str, k: str, vintages: list[int], p: int
) -> Iterator[pyo.Var]:
    """The stocks ``retired[s,k,v,p]`` of the ``vintages`` in service in ``p``: chips of those
    vintages no longer in service in ``p``."""
    if not len(m.retired):
        return
    for v in vintages:
        if (s, k, v, p) in m.retired:
            yield m.retired[s, k, v, p]


def new_cost_musd_per_k(d: PlanData, k: str, v: int) -> float:
    """``c_kv`` [$M per kchip]: the vendor's price of ``k`` in ``v``, or the variable cost of a
    fab that makes ``k`` if lower (module docstring)."""
    made = [d.fab.variable_musd_per_k[f] for f in d.fab.fabs if d.fab.chip[f] == k]
    return min([d.chip_price_musd_per_k[k, v], *made])


def resale_musd_per_k(d: PlanData, k: str, v: int, q: int) -> float:
    """``R[k,v,q]`` [$M per kchip] (module docstring)."""
    rho = d.chip_resale_share or 0.0
    age = d.t[q] - d.t[v]
    return rho * new_cost_musd_per_k(d, k, v) * max(0.0, 1.0 - age / d.chip_life_years[k])


def retire_cash(m: pyo.ConcreteModel, d: PlanData) -> CashTerms:
    """Resale ``R x z_q`` on ``resale`` in ``q``; salvage loses ``share_v c_kv Z_last``."""
    out = CashTerms(d.n_periods)
    for (s, k, v), qs in _by_vintage(m).items():
        for prev, q in zip([None, *qs], qs, strict=False):
            price = resale_musd_per_k(d, k, v, q)
            if price > 0:
                flow = m.retired[s, k, v, q] - (0 if prev is None else m.retired[s, k, v, prev])
                out.add("resale", q, price * flow)
        share = d.remaining_share(v, d.chip_life_years[k])
        if share > 0:
            stock = m.retired[s, k, v, qs[-1]]
            out.salvage.append(-share * d.chip_price_musd_per_k[k, v] * stock)
            out.attribute_book(s, -share * new_cost_musd_per_k(d, k, v) * stock)
    return out


def retired_grids(m: pyo.ConcreteModel, d: PlanData) -> tuple[np.ndarray, np.ndarray]:
    """``(retired, out_of_service)`` [kchips] on the (site, chip, period) grid: chips retired at
    the start of each period (``z_q``), and chips of the plan's vintages retired early and not
    yet at the end of their life (the stock ``Z``, to subtract from the vintages in service)."""
    si = {s: i for i, s in enumerate(d.sites)}
    ki = {k: i for i, k in enumerate(d.chips)}
    shape = (len(d.sites), len(d.chips), d.n_periods)
    retired, out = np.zeros(shape), np.zeros(shape)
    for (s, k, v), qs in _by_vintage(m).items():
        before = 0.0
        for q in qs:
            stock = m.retired[s, k, v, q].value or 0.0
            retired[si[s], ki[k], q] += stock - before
            out[si[s], ki[k], q] += stock
            before = stock
    return retired, out
