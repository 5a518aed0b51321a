"""The hoard-vs-rent policy: a least share of allocated compute kept for internal work."""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan import elastic
from twin.plan.data import PlanData
from twin.plan.linear import weighted_sum
from twin.plan.rows import sparse_rule


def define_policy_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Internal share per period, with ``alpha = internal_share_min``:

    ``(1 - alpha) * sum_{s, j internal} alloc[s,j,p] - alpha * sum_{s, j external} alloc[s,j,p]
    >= 0``, i.e. internal >= alpha x total. Skipped when alpha is 0.
    """
    a = d.internal_share_min
    if a <= 0:
        return
    by_p: dict[int, list] = {}
    for (_, j, p), x in m.alloc.items():
        by_p.setdefault(p, []).append((1 - a if j in d.internal else -a, x))
    m.policy = pyo.Constraint(
        sorted(by_p),
        rule=sparse_rule(
            "policy",
            lambda m, p: weighted_sum(by_p[p]) + elastic.slack(m, d, "policy", "*", p) >= 0,
        ),
    )
