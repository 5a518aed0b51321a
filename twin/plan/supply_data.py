"""Data of the supply-side families: power projects, emissions and water, candidate regions.

Computed once in :func:`twin.plan.data.plan_data` and carried in ``PlanData.power_build``,
``PlanData.emissions`` and ``PlanData.regions``; the families in :mod:`twin.plan.power_build`,
:mod:`twin.plan.emissions` and :mod:`twin.plan.regions` read nothing else.

Power projects (index domain): builds ``(s, g, q)`` for terrestrial site s, enabled project g
allowed at s (its ``sites`` name s or s's region, or are empty) and periods q whose end is after
g's ``earliest`` date and whose build comes online before the horizon end. A build started in q
starts at ``start_q = max(period start, earliest_g)`` and is online from ``start_q + lead_g``
(months) until ``life_g`` years later, the end of its life or of a contract's term: in period p it
counts for the share ``a[q,p]`` of p it is online, in [0, 1] (``online``: ``(q, a)`` pairs), so
nothing delivers energy or firm capacity before earliest + lead, in any period length, and a
contract (a PPA, take-or-pay) neither delivers nor is paid after its term. Draws ``(s, g, p)``
exist where something can be online and g is not storage. Energy drawn costs ``(variable_g +
heat_rate_g x gas (1 + phi) ** t_mid) x 8.76e-3`` $M per MW-year: one gas price path for every
gas unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TypedDict

from twin.dates import add_months, months_between
from twin.plan import economics as econ
from twin.plan.calendar import Calendar, rate_caps
from twin.plan.coefficients import gas_musd_per_mmbtu_year
from twin.spec.power import STORAGE_TECHNOLOGIES, PowerProject
from twin.spec.regions import region_build_rate
from twin.spec.schema import Model


@dataclass(frozen=True)
class PowerBuildData:
    """Sets and coefficients of the power-project family (module docstring; MW, $M)."""

    projects: tuple[str, ...] = ()
    technology: dict[str, str] = field(default_factory=dict)
    build_idx: tuple[tuple[str, str, int], ...] = ()
    draw_idx: tuple[tuple[str, str, int], ...] = ()
    #: draws of take-or-pay contracts: ``(s, g, p)`` in draw_idx with ``tau_g > 0``
    top_idx: tuple[tuple[str, str, int], ...] = ()
    #: build periods q of (s, g) online in p, with the share ``a[q,p]`` of p they are online
    online: dict[tuple[str, str, int], tuple[tuple[int, float], ...]] = field(
        default_factory=dict
    )
    #: first period a build of (s, g) started in q is online
    first_online: dict[tuple[str, str, int], int] = field(default_factory=dict)
    #: projects with a draw at (s, p) (storage has none)
    draws_at: dict[tuple[str, int], tuple[str, ...]] = field(default_factory=dict)
    #: projects that can be online at (s, p), storage included (the firm-capacity row)
    firm_at: dict[tuple[str, int], tuple[str, ...]] = field(default_factory=dict)
    #: build periods of (s, g)
    builds_of: dict[tuple[str, str], tuple[int, ...]] = field(default_factory=dict)
    capex_musd_per_mw: dict[str, float] = field(default_factory=dict)
    fixed_musd_per_mw_year: dict[str, float] = field(default_factory=dict)
    energy_musd_per_mw_year: dict[tuple[str, int], float] = field(default_factory=dict)
    max_mw_per_site: dict[str, float] = field(default_factory=dict)
    credit: dict[str, float] = field(default_factory=dict)
    capacity_factor: dict[str, float] = field(default_factory=dict)
    take_or_pay: dict[str, float] = field(default_factory=dict)
    capacity_charge_musd_per_mw_year: dict[str, float] = field(default_factory=dict)
    life_years: dict[str, float] = field(default_factory=dict)
    co2_t_per_mwh: dict[str, float] = field(default_factory=dict)
    nox_kg_per_mwh: dict[str, float] = field(default_factory=dict)
    water_l_per_mwh: dict[str, float] = field(default_factory=dict)
    #: market-wide limits (:mod:`twin.plan.power_markets`): the builds each covers, by period
    market_builds: dict[tuple[str, int], tuple[tuple[str, str], ...]] = field(
        default_factory=dict
    )
    market_cap_mw: dict[tuple[str, int], float] = field(default_factory=dict)
    market_total_mw: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class EmissionRates:
    """Rates of today's sources (CO2 t/MWh, NOx kg/MWh, water L/MWh), WUE per site (L per IT
    kWh), the carbon price ($/t) and the CO2 cap (kt/yr, or None)."""

    co2: dict[str, float] = field(default_factory=dict)
    nox: dict[str, float] = field(default_factory=dict)
    water: dict[str, float] = field(default_factory=dict)
    wue: dict[str, float] = field(default_factory=dict)
    carbon_usd_per_t: float = 0.0
    co2_cap_kt_per_year: float | None = None


@dataclass(frozen=True)
class RegionData:
    """Tranche sites of each region and the MW it may start per period."""

    sites: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: most MW started in each period (:func:`twin.plan.calendar.rate_caps`) [MW]
    cap_mw: dict[tuple[str, int], float] = field(default_factory=dict)


def _allowed(m: Model, sites_or_regions: list[str], s: str) -> bool:
    region = m.sites[s].region
    return not sites_or_regions or s in sites_or_regions or (region in sites_or_regions)


def online_shares(
    cal: Calendar, earliest: dt.date, lead_months: int, life_years: float = 1e3
) -> dict[int, tuple[tuple[int, float], ...]]:
    """``{q: ((p, a[q,p]), ...)}`` for every build period q whose build is online before the
    horizon end, from ``earliest + lead`` for ``life_years`` (module docstring): ``a[q,p]`` in
    (0, 1] is the share of p inside ``[on, on + life)``."""
    step, b = round(cal.dt * 12), cal.bounds
    life_months = round(life_years * 12)
    out = {}
    for q in range(len(cal.starts)):
        if b[q + 1] <= earliest:
            continue
        on = add_months(max(b[q], earliest), lead_months)
        off = add_months(on, life_months)
        shares = [
            (p, _overlap_months(on, off, b[p], b[p + 1]) / step)
            for p in range(q, len(cal.starts))
        ]
        shares = [(p, a) for p, a in shares if a > 1e-9]
        if shares:
            out[q] = tuple(shares)
    return out


def _overlap_months(on: dt.date, off: dt.date, start: dt.date, end: dt.date) -> float:
    """Months of ``[start, end)`` inside ``[on, off)`` [months] (0 if they do not meet)."""
    lo, hi = max(on, start), min(off, end)
    return max(0.0, months_between(lo, hi)) if lo < hi else 0.0


def power_build_data(
    m: Model, sites: list[str], orbital: list[str], cal: Calendar
) -> PowerBuildData:
    """The power-project family's data (module docstring)."""
    n, gas = len(cal.starts), gas_musd_per_mmbtu_year(m, cal)
    pps = {g: pp for g, pp in m.power_projects.items() if pp.enabled}
    build_idx, draw_idx, energy = [], [], {}
    online: dict[tuple[str, str, int], list[tuple[int, float]]] = {}
    first: dict[tuple[str, str, int], int] = {}
    draws_at: dict[tuple[str, int], list[str]] = {}
    firm_at: dict[tuple[str, int], list[str]] = {}
    builds_of: dict[tuple[str, str], tuple[int, ...]] = {}
    for g, pp in pps.items():
        shares = online_shares(cal, pp.earliest, pp.lead_months, pp.life_years)
        for p in range(n):
            energy[g, p] = (
                econ.energy_musd_per_mw_year(pp.variable_usd_per_mwh)
                + pp.heat_rate_mmbtu_per_mwh * gas[p]
            )
        for s in sites:
            if s in orbital or not shares or not _allowed(m, pp.sites, s):
                continue
            builds_of[s, g] = tuple(shares)
            build_idx += [(s, g, q) for q in shares]
            for q, pa in shares.items():
                first[s, g, q] = pa[0][0]
                for p, a in pa:
                    online.setdefault((s, g, p), []).append((q, a))
            for p in sorted({p for pa in shares.values() for p, _ in pa}):
                firm_at.setdefault((s, p), []).append(g)
                if pp.technology not in STORAGE_TECHNOLOGIES:
                    draw_idx.append((s, g, p))
                    draws_at.setdefault((s, p), []).append(g)
    return PowerBuildData(
        **market_limits(m, pps, build_idx, cal),
        projects=tuple(pps),
        technology={g: pp.technology for g, pp in pps.items()},
        build_idx=tuple(build_idx),
        draw_idx=tuple(draw_idx),
        top_idx=tuple(x for x in draw_idx if pps[x[1]].take_or_pay_share > 0),
        online={k: tuple(v) for k, v in online.items()},
        first_online=first,
        draws_at={k: tuple(v) for k, v in draws_at.items()},
        firm_at={k: tuple(v) for k, v in firm_at.items()},
        builds_of=builds_of,
        capex_musd_per_mw={g: pp.capex_musd_per_mw for g, pp in pps.items()},
        fixed_musd_per_mw_year={g: pp.fixed_musd_per_mw_year for g, pp in pps.items()},
        energy_musd_per_mw_year=energy,
        max_mw_per_site={g: pp.max_mw_per_site for g, pp in pps.items()},
        credit={g: pp.capacity_credit for g, pp in pps.items()},
        capacity_factor={g: pp.capacity_factor for g, pp in pps.items()},
        take_or_pay={g: pp.take_or_pay_share for g, pp in pps.items()},
        capacity_charge_musd_per_mw_year={
            g: pp.capacity_charge_musd_per_mw_year for g, pp in pps.items()
        },
        life_years={g: pp.life_years for g, pp in pps.items()},
        co2_t_per_mwh={g: pp.co2_t_per_mwh for g, pp in pps.items()},
        nox_kg_per_mwh={g: pp.nox_kg_per_mwh for g, pp in pps.items()},
        water_l_per_mwh={g: pp.water_l_per_mwh for g, pp in pps.items()},
    )


class MarketLimits(TypedDict):
    """PowerBuildData's market-limit fields."""

    market_builds: dict[tuple[str, int], tuple[tuple[str, str], ...]]
    market_cap_mw: dict[tuple[str, int], float]
    market_total_mw: dict[str, float]


def market_limits(
    m: Model, pps: dict[str, PowerProject], build_idx: list[tuple[str, str, int]], cal: Calendar
) -> MarketLimits:
    """The enabled market-wide limits with the builds ``(s, g)`` each covers in each build
    period q (a project of one of its technologies at one of its sites or regions), the MW a
    rate lets start in q (accrued from its projects' earliest date,
    :func:`twin.plan.calendar.rate_caps`) and the totals."""
    builds: dict[tuple[str, int], list[tuple[str, str]]] = {}
    cap, total = {}, {}
    for name, pm in m.power_markets.items():
        if not pm.enabled:
            continue
        covered = [g for g, pp in pps.items() if pp.technology in pm.technologies]
        for s, g, q in build_idx:
            if g in covered and _allowed(m, pm.sites, s):
                builds.setdefault((name, q), []).append((s, g))
        if pm.mw_per_year is not None and covered:
            since = min(pps[g].earliest for g in covered)
            cap.update({(name, q): c for q, c in enumerate(rate_caps(cal, pm.mw_per_year, since))})
        if pm.total_mw is not None:
            total[name] = pm.total_mw
    return {
        "market_builds": {k: tuple(v) for k, v in builds.items()},
        "market_cap_mw": cap,
        "market_total_mw": total,
    }


def emission_rates(m: Model, sites: list[str], sources: list[str]) -> EmissionRates:
    """Rates of the model's power sources and sites, and its policy's carbon price and cap."""
    ps = m.power_sources
    return EmissionRates(
        co2={g: ps[g].co2_t_per_mwh for g in sources},
        nox={g: ps[g].nox_kg_per_mwh for g in sources},
        water={g: ps[g].water_l_per_mwh for g in sources},
        wue={s: m.sites[s].wue_l_per_kwh for s in sites},
        carbon_usd_per_t=m.policy.carbon_usd_per_t,
        co2_cap_kt_per_year=m.policy.co2_cap_kt_per_year,
    )


def region_data(m: Model, sites: list[str], cal: Calendar) -> RegionData:
    """Regions of ``m`` with their enabled tranche sites (in site order) and the MW each may
    start per period, its rate accrued from its first tranche's earliest date."""
    rate = region_build_rate(m.regions)
    by_region = {r: tuple(s for s in sites if m.sites[s].region == r) for r in sorted(rate)}
    by_region = {r: v for r, v in by_region.items() if v}
    cap = {}
    for r, rs in by_region.items():
        since = min(m.sites[s].earliest or cal.starts[0] for s in rs)
        cap.update({(r, p): c for p, c in enumerate(rate_caps(cal, rate[r], since))})
    return RegionData(sites=by_region, cap_mw=cap)


class SupplyTerms(TypedDict):
    """PlanData's supply fields: power projects, emission rates and regional build limits."""

    power_build: PowerBuildData
    emissions: EmissionRates
    regions: RegionData


def supply_terms(
    m: Model, sites: list[str], orbital: list[str], sources: list[str], cal: Calendar
) -> SupplyTerms:
    """PlanData's ``power_build``, ``emissions`` and ``regions`` fields."""
    return {
        "power_build": power_build_data(m, sites, orbital, cal),
        "emissions": emission_rates(m, sites, sources),
        "regions": region_data(m, sites, cal),
    }
