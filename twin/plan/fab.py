"""Chip fabs (Terafab-style): build once, ramp up, learn yield, make one chip generation.

A fab build of ``x`` thousand wafer starts per month (kwspm) started in p' makes its first wafer
``L_f`` periods later; in period p, ``a`` years after its first wafer, it can make

    ``x * 12 dt * dies_per_wafer * ramp(a) * yield(a)``  thousand good chips,

with ramp and yield read by whole years since first wafer (the last value holds). Output feeds the
chip balance of :mod:`twin.plan.chips` next to vendor purchases.

Costs: ``capex_f x`` when construction starts; fixed opex ``o_f dt`` per kwspm in service;
``variable`` $ per good chip. The MILP form builds in whole modules of ``module_kwspm`` (the
minimum economic scale).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pyomo.environ as pyo

from twin.plan import elastic
from twin.plan.data import PlanData
from twin.spec.schema import Fab


@dataclass
class FabData:
    """Sets and coefficients of the fab family (units in the module docstring)."""

    fabs: list[str] = field(default_factory=list)
    chip: dict[str, str] = field(default_factory=dict)
    lead: dict[str, int] = field(default_factory=dict)
    build_idx: list[tuple[str, int]] = field(default_factory=list)
    make_idx: list[tuple[str, int]] = field(default_factory=list)
    output: dict[tuple[str, int, int], float] = field(default_factory=dict)
    capex: dict[str, float] = field(default_factory=dict)
    opex_year: dict[str, float] = field(default_factory=dict)
    variable_musd_per_k: dict[str, float] = field(default_factory=dict)
    max_kwspm: dict[str, float] = field(default_factory=dict)
    module: dict[str, float] = field(default_factory=dict)
    life_years: dict[str, float] = field(default_factory=dict)


def _curve(values: list[float], years: float) -> float:
    return values[min(len(values) - 1, max(0, math.floor(years + 1e-9)))]


def fab_data(d: PlanData, fabs: dict[str, Fab]) -> FabData:
    """Index sets and output coefficients of the enabled fabs."""
    out = FabData()
    step_months = round(d.dt * 12)
    for name, f in fabs.items():
        if not f.enabled or f.chip not in d.chips:
            continue
        out.fabs.append(name)
        out.chip[name] = f.chip
        lead = math.ceil(f.lead_months / step_months)
        out.lead[name] = lead
        out.capex[name] = f.capex_musd_per_kwspm
        out.opex_year[name] = f.opex_musd_per_kwspm_year
        out.variable_musd_per_k[name] = f.variable_usd_per_chip / 1e3
        out.max_kwspm[name] = f.max_kwspm
        out.life_years[name] = f.life_years
        if f.module_kwspm:
            out.module[name] = f.module_kwspm
        for p in range(d.n_periods):
            end = d.periods[p + 1] if p + 1 < d.n_periods else d.horizon_end
            if end <= f.earliest or p + lead >= d.n_periods:
                continue
            out.build_idx.append((name, p))
            for q in range(p + lead, d.n_periods):
                age = d.t[q] - d.t[p + lead]
                coef = (
                    12 * d.dt * f.dies_per_wafer * _curve(f.ramp, age) * _curve(f.yield_curve, age)
                )
                if coef > 0:
                    out.output[name, p, q] = coef
        firsts = sorted({q for (n, _, q) in out.output if n == name})
        out.make_idx += [(name, q) for q in firsts]
    return out


def define_fab_variables(m: pyo.ConcreteModel, d: PlanData, fd: FabData) -> None:
    """``fab_build[f,p] >= 0`` [kwspm started in p], ``make[f,p] >= 0`` [kchips made in p];
    ``fab_modules[f,p]`` integer with ``fab_build = module x fab_modules`` in the MILP form.
    Registers made chips in ``m.made_of[(k, p)]`` for the chip balance."""
    m.fab_build = pyo.Var(pyo.Set(initialize=fd.build_idx, dimen=2), within=pyo.NonNegativeReals)
    m.make = pyo.Var(pyo.Set(initialize=fd.make_idx, dimen=2), within=pyo.NonNegativeReals)
    m.made_of = {}
    for f, p in fd.make_idx:
        m.made_of.setdefault((fd.chip[f], p), []).append(m.make[f, p])
    if d.integer_modules:
        idx = [(f, p) for (f, p) in fd.build_idx if f in fd.module]
        m.fab_modules = pyo.Var(pyo.Set(initialize=idx, dimen=2), within=pyo.NonNegativeIntegers)
        m.fab_module_link = pyo.Constraint(
            m.fab_modules.index_set(),
            rule=lambda m, f, p: m.fab_build[f, p] - fd.module[f] * m.fab_modules[f, p] == 0,
        )


def define_fab_constraints(m: pyo.ConcreteModel, d: PlanData, fd: FabData) -> None:
    """Output within ramped, yielded capacity, and the fab size limit:

    - ``make[f,p] <= sum_{p'} fab_build[f,p'] x 12 dt x dies x ramp(a) x yield(a)``;
    - ``sum_p fab_build[f,p] <= max_kwspm[f]``.
    """
    terms: dict[tuple[str, int], list] = {}
    for (f, pb, q), coef in fd.output.items():
        terms.setdefault((f, q), []).append(coef * m.fab_build[f, pb])
    m.fab_output = pyo.Constraint(
        fd.make_idx, rule=lambda m, f, q: m.make[f, q] - sum(terms[f, q]) <= 0
    )
    fabs = [f for f in fd.fabs if any(b == f for (b, _) in fd.build_idx)]
    m.fab_max = pyo.Constraint(
        fabs,
        rule=lambda m, f: (
            sum(x for (b, _), x in m.fab_build.items() if b == f)
            <= fd.max_kwspm[f] + elastic.slack(m, "fab_max", f, "*")
        ),
    )


def add_fab_flows(m: pyo.ConcreteModel, d: PlanData, fd: FabData) -> None:
    """Fab capex, fixed opex on kwspm in service, variable cost per chip, and salvage."""
    fl = m.flow_terms
    for (f, p), x in m.fab_build.items():
        fl["capex"][p].append(fd.capex[f] * x)
        for q in range(p + fd.lead[f], d.n_periods):
            fl["opex"][q].append(fd.opex_year[f] * d.dt * x)
        share = d.remaining_share(p, fd.life_years[f])
        if share > 0:
            m.salvage_terms.append(share * fd.capex[f] * x)
    for (f, p), x in m.make.items():
        fl["capex"][p].append(fd.variable_musd_per_k[f] * x)
        share = d.remaining_share(p, d.chip_life_years[fd.chip[f]])
        if share > 0:  # made chips are salvaged at their variable cost, not a market price
            m.salvage_terms.append(share * fd.variable_musd_per_k[f] * x)
