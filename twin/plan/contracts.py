"""Tenant contracts: a whole-site lease takes all of a site; a quantity contract a firm amount.

A contract covers a share ``c[p]`` of period p (its term, renewals and notice, see
:func:`twin.state.contract_end`). Over that share the tenant must get its contracted compute.

What a contract earns [$M] is one expression, ``contract_revenue[c,p]``, which the objective's
cash flows use and the report reads (record ``contract_revenue_musd``):

- per H100e-hour: ``sum_{s in S_c} w[c,s,j,p] alloc[s,j,p]``, ``w`` the contract's part of the
  value of 1 kH100e served (:func:`twin.plan.values.tenant_values`: ``c[p] x price x 8.76 x dt``
  for a single contract);
- per MW-month: ``m[c,p] IT[s_c,p]``, ``m`` the month price x 12 x dt x ``c[p]`` per MW of IT load.

The rest of an allocation's value (the tenant's market value over the uncovered share) stays in
the tenant's flow in :mod:`twin.plan.objective`.
"""

from __future__ import annotations

import math

import pyomo.environ as pyo

from twin.plan import elastic
from twin.plan.cash import CashTerms
from twin.plan.data import PlanData
from twin.plan.expressions import compute_capacity, total_it_load
from twin.plan.linear import term_sum


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


def define_contract_revenue(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``contract_revenue[c,p]`` [$M] for every period a contract covers (module docstring)."""
    terms: dict[tuple[str, int], list] = {cp: [] for cp in d.contract_cover}
    for (c, s, j, p), coef in d.contract_value_musd_per_k.items():
        terms[c, p].append(coef * m.alloc[s, j, p])
    for (c, p), coef in d.mw_month_revenue.items():
        site = d.contracts[c].site
        assert site is not None
        terms[c, p].append(coef * total_it_load(m, d, site, p))
    m.contract_revenue = pyo.Expression(list(terms), rule=lambda m, c, p: term_sum(terms[c, p]))


def uncontracted_value(d: PlanData) -> dict[tuple[str, str, int], float]:
    """``v[s,j,p] - sum_c w[c,s,j,p]``: the value of 1 kH100e served that no contract's revenue
    holds [$M]; 0 where the contracts hold all of it (module docstring)."""
    value = dict(d.alloc_value_musd_per_k)
    for (_, s, j, p), part in d.contract_value_musd_per_k.items():
        value[s, j, p] = 0.0 if math.isclose(value[s, j, p], part) else value[s, j, p] - part
    return value


def contract_cash(m: pyo.ConcreteModel, d: PlanData) -> CashTerms:
    """Each contract's revenue in its tenant's flow: ``internal_value`` for an internal tenant
    paying per H100e-hour (the value its allocations had before), ``revenue`` otherwise."""
    out = CashTerms(d.n_periods)
    for c, p in m.contract_revenue:
        terms = d.contracts[c]
        internal = terms.tenant in d.internal and (c, p) not in d.mw_month_revenue
        out.add("internal_value" if internal else "revenue", p, m.contract_revenue[c, p])
    return out
