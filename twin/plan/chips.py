"""Chip vintages and supply: installs by generation, lifetimes, vendor purchases."""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan.data import PlanData
from twin.plan.terms import shared


def define_chip_variables(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``install[s,k,p] >= 0`` [kchips of generation k installed at s in p: a vintage] and
    ``buy[k,p]`` in ``[0, vendor allocation x dt]`` [kchips bought from the vendor]."""
    m.install = pyo.Var(pyo.Set(initialize=d.install_idx, dimen=3), within=pyo.NonNegativeReals)
    m.buy = pyo.Var(
        pyo.Set(initialize=d.buy_idx, dimen=2),
        within=pyo.NonNegativeReals,
        bounds=lambda m, k, p: (
            0,
            None if d.vendor_cap_k[k, p] == float("inf") else d.vendor_cap_k[k, p],
        ),
    )
    m.installs_of = {}
    for s, k, p in d.install_idx:
        m.installs_of.setdefault((s, k), []).append(p)


def active_terms(m: pyo.ConcreteModel, d: PlanData, s: str, k: str, p: int) -> list[pyo.Var]:
    """Vintages of k at s active in p: ``install[s,k,p']`` for ``p - n < p' <= p``, with
    ``n = n_k``, or ``min(n_k, satellite life)`` in orbit, where chips die with their satellite."""
    n = chip_life(d, s, k)
    return shared(
        m,
        ("active", s, k, p),
        lambda: [m.install[s, k, q] for q in m.installs_of.get((s, k), ()) if p - n < q <= p],
    )


def chip_life(d: PlanData, s: str, k: str) -> int:
    """Periods a chip of k installed at s serves (capped by the site's capacity life)."""
    return min(d.life[k], d.capacity_life.get(s, d.life[k]))


def define_chip_supply_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Chip balance per generation and period:

    ``sum_s install[s,k,p] = buy[k,p] + sum_f make[f,k,p]``  for (k,p) in buy_idx.

    Fab output terms come from :mod:`twin.plan.fab` through ``m.made_of`` when fabs exist.
    """
    by_kp: dict[tuple[str, int], list] = {}
    for s, k, p in d.install_idx:
        by_kp.setdefault((k, p), []).append(m.install[s, k, p])
    made = getattr(m, "made_of", {})
    m.chip_supply = pyo.Constraint(
        list(by_kp),
        rule=lambda m, k, p: sum(by_kp[k, p]) - m.buy[k, p] - sum(made.get((k, p), ())) == 0,
    )
