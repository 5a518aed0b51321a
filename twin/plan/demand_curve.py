"""Demand as curves: a tenant's demand in blocks of H100e at falling values.

A tenant with ``demand_blocks = [a_1, ..., a_B]`` and ``demand_block_values = [f_1 >= ... >= f_B]``
wants, in period p, block b of size ``a_b x D[j,p]`` (``D`` its demand path: first-period
demand grown at its rate, capped at its ceiling) worth ``f_b x v[j,p]`` per H100e-hour (``v`` its
value or market price path). With ``serve[j,b,p] >= 0``:

    serve[j,b,p] <= a_b D[j,p]                         (block size)      [kH100e]
    sum_s alloc[s,j,p] = sum_b serve[j,b,p]            (curve[j,p])

and the objective takes ``(1 - f_b) x 8.76 dt x v[j,p] x serve[j,b,p]`` off the tenant's flow
(revenue or internal value; the allocation itself is valued at ``v`` as any tenant's). As the
``f_b`` fall, the plan fills the blocks in order and serves block b only while its value beats
the marginal cost of compute: the block served at the critical price is the one the dual of
``curve`` (the marginal value of compute to the tenant) falls within. Demand left unserved,
``sum_b a_b D - served``, is a reported quantity (``unmet_h100e``), not a slack.
"""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan.cash import CashTerms
from twin.plan.data import PlanData
from twin.plan.linear import var_sum
from twin.plan.rows import sparse_rule


def block_size(d: PlanData, j: str, b: int, p: int) -> float:
    """``a_b D[j,p]`` [kH100e]: ``demand_k`` holds the whole curve, ``sum_b a_b D``."""
    shares = [a for a, _ in d.curve[j]]
    return d.demand_k[j, p] * shares[b] / sum(shares)


def define_curve(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``serve[j,b,p]`` within its block and the ``curve[j,p]`` rows (module docstring)."""
    idx = [(j, b, p) for j in d.curve for b in range(len(d.curve[j])) for p in range(d.n_periods)]
    m.serve = pyo.Var(
        pyo.Set(initialize=idx, dimen=3),
        within=pyo.NonNegativeReals,
        bounds=lambda m, j, b, p: (0.0, block_size(d, j, b, p)),
    )
    to = d.groups.allocs_to
    alloc = dict(m.alloc.items())

    def rule(m: pyo.ConcreteModel, j: str, p: int) -> object:
        served = var_sum(alloc[s, j, p] for s in to.get((j, p), ()))
        return served - var_sum(m.serve[j, b, p] for b in range(len(d.curve[j]))) == 0

    rows = [(j, p) for j in d.curve for p in range(d.n_periods)]
    m.curve = pyo.Constraint(rows, rule=sparse_rule("curve", rule))


def curve_cash(m: pyo.ConcreteModel, d: PlanData) -> CashTerms:
    """``-(1 - f_b) x value[j,p] x serve[j,b,p]`` on the tenant's flow (module docstring)."""
    out = CashTerms(d.n_periods)
    for j, blocks in d.curve.items():
        flow = "internal_value" if j in d.internal else "revenue"
        for b, (_, f) in enumerate(blocks):
            if f < 1:
                for p in range(d.n_periods):
                    out.add(flow, p, -(1 - f) * d.curve_value_musd[j, p] * m.serve[j, b, p])
    return out
