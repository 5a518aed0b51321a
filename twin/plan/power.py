"""IT power within capacity, and site power from its sources with PUE."""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan.chips import active_terms
from twin.plan.data import PlanData
from twin.plan.facility import capacity_terms
from twin.plan.rows import sparse_rule
from twin.plan.terms import shared


def it_load_expr(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> pyo.Expression:
    """IT load ``sum_k kW_k * active[s,k,p]`` [MW] (kchips x kW = MW), new vintages only."""
    return shared(
        m,
        ("it_load", s, p),
        lambda: sum(d.kw[k] * x for k in d.chips for x in active_terms(m, d, s, k, p)),
    )


def existing_it_mw(d: PlanData, s: str, p: int) -> float:
    """IT load of chips already installed or committed [MW]."""
    return sum(d.kw[k] * d.existing_chips_k.get((s, k, p), 0.0) for k in d.chips)


def define_power_variables(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``power[g,p]`` in ``[0, limit[g,p] x capacity_credit_g]`` [MW average supplied], and
    ``idle[s,p]`` in ``[0, IT_existing[s,p]]`` [MW of already-installed chips left switched off,
    e.g. when a permit cut leaves too little power for them]."""
    m.power = pyo.Var(
        pyo.Set(initialize=d.power_idx, dimen=2),
        within=pyo.NonNegativeReals,
        bounds=lambda m, g, p: (0, d.source_firm_mw[g, p]),
    )
    idx = [(s, p) for s in d.sites for p in range(d.n_periods) if existing_it_mw(d, s, p) > 0]
    m.idle = pyo.Var(
        pyo.Set(initialize=idx, dimen=2),
        within=pyo.NonNegativeReals,
        bounds=lambda m, s, p: (0, existing_it_mw(d, s, p)),
    )


def idle_term(m: pyo.ConcreteModel, s: str, p: int) -> pyo.Expression | float:
    """``idle[s,p]`` where it exists, else 0 [MW]."""
    return m.idle[s, p] if (s, p) in m.idle else 0.0


def define_it_power_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """IT load fits the facility: ``sum_k kW_k active[s,k,p] <= cap[s,p]``, written as

    ``IT_new[s,p] - idle[s,p] - sum(build online by p) <= existing_mw[s,p] - IT_existing[s,p]``.

    Its dual is the marginal value of one MW of IT capacity at s in p.
    """
    idx = [(s, p) for s in d.sites if s not in d.orbital_sites for p in range(d.n_periods)]
    m.it_power = pyo.Constraint(
        idx,
        rule=sparse_rule(
            "it_power",
            lambda m, s, p: (
                it_load_expr(m, d, s, p) - idle_term(m, s, p) - sum(capacity_terms(m, d, s, p))
                <= d.existing_mw[s, p] - existing_it_mw(d, s, p)
            ),
        ),
    )


def define_site_power_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Site power covers IT load times PUE: ``PUE_s * IT[s,p] <= sum_{g at s} power[g,p]``,
    with ``IT = IT_existing - idle + IT_new``.

    Its dual is the marginal value of one MW of firm power supply at s in p.
    """
    at = {}
    for g in d.sources:
        at.setdefault(d.source_site[g], []).append(g)
    idx = [(s, p) for s in d.sites if s not in d.orbital_sites for p in range(d.n_periods)]
    m.site_power = pyo.Constraint(
        idx,
        rule=sparse_rule(
            "site_power",
            lambda m, s, p: (
                d.pue[s] * (it_load_expr(m, d, s, p) - idle_term(m, s, p))
                - sum(m.power[g, p] for g in at.get(s, ()))
                <= -d.pue[s] * existing_it_mw(d, s, p)
            ),
        ),
    )
