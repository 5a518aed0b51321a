"""Tenant contracts: a whole-site lease takes all of a site; a quantity contract a firm amount.

A contract covers a share ``c[p]`` of period p (its term, renewals and notice, see
:func:`twin.state.contract_end`). Over that share the tenant must get its contracted compute.
"""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan import elastic
from twin.plan.data import PlanData
from twin.plan.expressions import compute_capacity


def define_contract_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Contracted compute is served while a contract runs:

    - whole site: ``alloc[s,j,p] >= c[p] * installed_compute[s,p]`` (installed, not running:
      switching chips off does not escape a lease);
    - quantity:   ``sum_{s in S_c} alloc[s,j,p] >= c[p] * Q``, S_c the named site or all eligible.
    """
    rows = {}
    for (name, p), share in d.contract_cover.items():
        c = d.contracts[name]
        if c.form == "whole_site":
            assert c.site is not None
            a = m.alloc[c.site, c.tenant, p] if (c.site, c.tenant, p) in m.alloc else 0.0
            rows[name, p] = (
                a
                - share * compute_capacity(m, d, c.site, p, running=False)
                + elastic.slack(m, d, "contracts", name, c.site, p)
                >= 0
            )
        else:
            assert c.quantity_k_h100e is not None
            served = sum(
                m.alloc[s, c.tenant, p]
                for s in d.groups.allocs_to.get((c.tenant, p), ())
                if c.site is None or s == c.site
            )
            rows[name, p] = (
                served + elastic.slack(m, d, "contracts", name, c.site or "*", p)
                >= share * c.quantity_k_h100e
            )
    m.contracts = pyo.Constraint(list(rows), rule=lambda m, n, p: rows[n, p])
