"""Leaving chips: a vintage retired early and sold on the secondary market.

With ``economics.chip_resale_share = rho`` set, the plan may take chips of generation ``k``
installed at ``s`` in period ``v`` out of service at the start of a later period ``q`` of their
life (``v < q < v + n_sk``, ``n_sk`` the chip life at the site in periods):

    retire[s,k,v,q] >= 0                                   [kchips]
    sum_q retire[s,k,v,q] <= install[s,k,v]                (retire_cap[s,k,v])

A retired chip draws no power and serves nothing from ``q`` on: the chips in service are

    active[s,k,p] = sum_{v in window(p)} (install[s,k,v] - sum_{v < q <= p} retire[s,k,v,q])

(so ``it_load`` and ``new_compute``, :mod:`twin.plan.expressions`, subtract them), and it is
sold in ``q`` at a haircut on its straight-line book value:

    R[k,v,q] = rho x c_kv x max(0, 1 - (t_q - t_v) / L_k)   [$M per kchip]

``c_kv`` the least a new chip of ``k`` cost in ``v`` (the vendor's price, or a fab's variable
cost per chip where one makes ``k``: a resale price above what a chip can be made for would be a
money machine), ``L_k`` the chip life [years]. ``rho`` in [0, 1] keeps
a resale price at or below the book value and the new price (``rho = 0``: retire for the power and
the hall space alone). Cash: ``R x retire`` on the ``resale`` inflow in ``q``; the salvage at the
end loses what a sold chip would have been credited, ``share_v x c_kv x retire``. Why it
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
    """``retire[s,k,v,q] >= 0`` [kchips] on :func:`retire_index` (module docstring)."""
    m.retire = pyo.Var(pyo.Set(initialize=retire_index(d), dimen=4), within=pyo.NonNegativeReals)


def define_retire_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``retire_cap[s,k,v]``: a vintage sells at most what was installed (module docstring)."""
    by_vintage: dict[tuple[str, str, int], list[pyo.Var]] = {}
    for (s, k, v, _q), x in m.retire.items():
        by_vintage.setdefault((s, k, v), []).append(x)
    m.retire_cap = pyo.Constraint(
        list(by_vintage),
        rule=lambda m, s, k, v: sum(by_vintage[s, k, v]) - m.install[s, k, v] <= 0,
    )


def retired_in_service(
    m: pyo.ConcreteModel, s: str, k: str, vintages: list[int], p: int
) -> Iterator[pyo.Var]:
    """The ``retire[s,k,v,q]`` with ``v`` in ``vintages`` (those in service in ``p``) and
    ``v < q <= p``: chips of those vintages no longer in service in ``p``."""
    if not len(m.retire):
        return
    for v in vintages:
        for q in range(v + 1, p + 1):
            if (s, k, v, q) in m.retire:
                yield m.retire[s, k, v, q]


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
    """Resale ``R x retire`` on ``resale`` in ``q``; salvage loses ``share_v c_kv retire``."""
    out = CashTerms(d.n_periods)
    for (s, k, v, q), x in m.retire.items():
        price = resale_musd_per_k(d, k, v, q)
        if price > 0:
            out.add("resale", q, price * x)
        share = d.remaining_share(v, d.chip_life_years[k])
        if share > 0:
            out.salvage.append(-share * d.chip_price_musd_per_k[k, v] * x)
            out.attribute_book(s, -share * new_cost_musd_per_k(d, k, v) * x)
    return out


def retired_grids(m: pyo.ConcreteModel, d: PlanData) -> tuple[np.ndarray, np.ndarray]:
    """``(retired, out_of_service)`` [kchips] on the (site, chip, period) grid: chips retired at
    the start of each period, and chips of the plan's vintages retired early and not yet at the
    end of their life (to subtract from the vintages in service)."""
    si = {s: i for i, s in enumerate(d.sites)}
    ki = {k: i for i, k in enumerate(d.chips)}
    shape = (len(d.sites), len(d.chips), d.n_periods)
    retired, out = np.zeros(shape), np.zeros(shape)
    for (s, k, v, q), x in m.retire.items():
        val = x.value or 0.0
        if val:
            retired[si[s], ki[k], q] += val
            end = min(v + chip_life(d.life, d.capacity_life, s, k), d.n_periods)
            out[si[s], ki[k], q:end] += val
    return retired, out
