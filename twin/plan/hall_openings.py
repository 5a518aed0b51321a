"""Chips that wait for a hall opening part-way through their period.

A build at s opening part-way through p (:func:`twin.plan.site_timing.hall_openings`; ``a`` the
share of p after the opening) is not capacity in p: the capacity online at p's start is. Chips
installed in p may wait for it: ``waiting[s,k,p]`` [kchips] of the install ``install[s,k,p]``
are bought with it at p's start, fit the opening halls, not the capacity at the start, and run
from the opening:

    waiting[s,k,p] <= install[s,k,p]                                  (waiting_install[s,k,p])
    sum_k kW_k waiting[s,k,p] <= sum_{q opening in p} build[s,q]       (waiting_halls[s,p])

and in p the plan's vintages at s give (:mod:`twin.plan.expressions`)

    at the start   it_load - it_waiting,   it_waiting = sum_k w_kp kW_k waiting      [MW]
    drawn          it_load - it_unrun,     it_unrun   = sum_k c_kp kW_k waiting      [MW]
    compute        new_compute - sum_k c_kp h100e_k waiting                          [kH100e]

with ``w_kp`` the share of p chip k is on sale in (1 but in its first period on sale) and
``c_kp = w_kp - min(a, w_kp)``: a chip runs from the later of its sale and the opening. The
capacity row (``it_power``) and the mothball row take the load at the start; energy, water,
revenue per MW, compute and the firm row the drawn mean (the firm row counts power projects
opening in p pro rata too, :mod:`twin.plan.firm`). From p + 1 the chips are in service like any
other; their life still counts from p (they retire with their vintage: 1 - min(a, w) of a period
short of it, the same as a chip bought in its first, partial period on sale).

The chip balance and the vendor's allocation count them in p's purchase ``buy[k,p]``, paid at p's
start at ``price[k,p]``; what is saved by paying when they start to run is a negative term on
p's ``capex``: ``-(1 - f[s,k,p]) price[k,p] waiting[s,k,p]``, ``f`` the later purchase's cost per
$ of the start's (:func:`twin.plan.site_timing.waiting_price_shares`: the price decline and the
discounting over the wait). Its salvage stays the vintage's.
"""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan.cash import CashTerms
from twin.plan.data import PlanData
from twin.plan.linear import weighted_sum


def waiting_index(d: PlanData) -> list[tuple[str, str, int]]:
    """``(s, k, p)`` where chips of k may be installed at s in p for a hall opening in p."""
    install = set(d.install_idx)
    return [(s, k, p) for s, p in d.hall_openings for k in d.chips if (s, k, p) in install]


def define_hall_openings(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``waiting``, its two rows and the expressions ``it_waiting``, ``it_unrun`` and
    ``compute_unrun`` [MW, MW, kH100e] (module docstring); empty where no hall opens
    part-way through a period (every quarterly baseline date is a quarter start)."""
    idx = waiting_index(d)
    m.waiting = pyo.Var(pyo.Set(initialize=idx, dimen=3), within=pyo.NonNegativeReals)
    m.waiting_install = pyo.Constraint(
        pyo.Set(initialize=idx, dimen=3),
        rule=lambda m, s, k, p: m.waiting[s, k, p] - m.install[s, k, p] <= 0,
    )
    at: dict[tuple[str, int], list[str]] = {}
    for s, k, p in idx:
        at.setdefault((s, p), []).append(k)
    build = dict(m.build.items())
    openings = d.hall_openings
    m.waiting_halls = pyo.Constraint(
        list(at),
        rule=lambda m, s, p: (
            weighted_sum(
                [(d.kw[k], m.waiting[s, k, p]) for k in at[s, p]]
                + [(-1.0, build[s, q]) for q in openings[s, p][1]]
            )
            <= 0
        ),
    )

    def on_sale(k: str, p: int) -> float:
        return d.on_sale_share.get((k, p), 1.0)

    def unrun(k: str, s: str, p: int) -> float:
        w = on_sale(k, p)
        return w - min(openings[s, p][0], w)

    m.it_waiting = pyo.Expression(
        list(at),
        rule=lambda m, s, p: weighted_sum(
            (on_sale(k, p) * d.kw[k], m.waiting[s, k, p]) for k in at[s, p]
        ),
    )
    m.it_unrun = pyo.Expression(
        list(at),
        rule=lambda m, s, p: weighted_sum(
            (unrun(k, s, p) * d.kw[k], m.waiting[s, k, p]) for k in at[s, p]
        ),
    )
    m.compute_unrun = pyo.Expression(
        list(at),
        rule=lambda m, s, p: weighted_sum(
            (unrun(k, s, p) * d.h100e[k], m.waiting[s, k, p]) for k in at[s, p]
        ),
    )


def waiting_cash(m: pyo.ConcreteModel, d: PlanData) -> CashTerms:
    """``capex[p] -= (1 - f[s,k,p]) price[k,p] waiting[s,k,p]`` (module docstring) [$M]."""
    out = CashTerms(d.n_periods)
    for (s, k, p), x in m.waiting.items():
        saving = (1 - d.waiting_price_share[s, k, p]) * d.chip_price_musd_per_k[k, p]
        if saving != 0:
            out.add("capex", p, -saving * x)
    return out
