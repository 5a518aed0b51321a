"""Data of the supply-side families: power projects, emissions and water, candidate regions.

Computed once in :func:`twin.plan.data.plan_data` and carried in ``PlanData.power_build``,
``PlanData.emissions`` and ``PlanData.regions``; the families in :mod:`twin.plan.power_build`,
:mod:`twin.plan.emissions` and :mod:`twin.plan.regions` read nothing else.

Power projects (index domain): ``(s, g, p)`` for terrestrial site s, enabled project g allowed
at s (its ``sites`` name s or s's region, or are empty) and periods p whose end is after g's
``earliest`` date with ``p + L_g < P``, ``L_g = ceil(lead_months / period months)``. Energy drawn
costs ``(variable_g + fuel_g (1 + phi_g) ** t_mid) x 8.76e-3`` $M per MW-year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TypedDict

from twin.plan import economics as econ
from twin.plan.calendar import Calendar
from twin.spec.regions import region_build_rate
from twin.spec.schema import Model


@dataclass(frozen=True)
class PowerBuildData:
    """Sets and coefficients of the power-project family (module docstring; MW, $M)."""

    projects: tuple[str, ...] = ()
    technology: dict[str, str] = field(default_factory=dict)
    lead: dict[str, int] = field(default_factory=dict)
    build_idx: tuple[tuple[str, str, int], ...] = ()
    draw_idx: tuple[tuple[str, str, int], ...] = ()
    #: build periods q of (s, g) online in p: ``q + L_g <= p``
    online: dict[tuple[str, str, int], tuple[int, ...]] = field(default_factory=dict)
    #: projects with a draw at (s, p)
    draws_at: dict[tuple[str, int], tuple[str, ...]] = field(default_factory=dict)
    #: build periods of (s, g)
    builds_of: dict[tuple[str, str], tuple[int, ...]] = field(default_factory=dict)
    capex_musd_per_mw: dict[str, float] = field(default_factory=dict)
    fixed_musd_per_mw_year: dict[str, float] = field(default_factory=dict)
    energy_musd_per_mw_year: dict[tuple[str, int], float] = field(default_factory=dict)
    max_mw_per_site: dict[str, float] = field(default_factory=dict)
    credit: dict[str, float] = field(default_factory=dict)
    life_years: dict[str, float] = field(default_factory=dict)
    co2_t_per_mwh: dict[str, float] = field(default_factory=dict)
    nox_kg_per_mwh: dict[str, float] = field(default_factory=dict)
    water_l_per_mwh: dict[str, float] = field(default_factory=dict)


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
    """Tranche sites of each region and its construction rate [MW/yr]."""

    sites: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rate_mw_per_year: dict[str, float] = field(default_factory=dict)


def _allowed(m: Model, sites_or_regions: list[str], s: str) -> bool:
    region = m.sites[s].region
    return not sites_or_regions or s in sites_or_regions or (region in sites_or_regions)


def power_build_data(
    m: Model, sites: list[str], orbital: list[str], cal: Calendar
) -> PowerBuildData:
    """The power-project family's data (module docstring)."""
    n, step = len(cal.starts), round(cal.dt * 12)
    pps = {g: pp for g, pp in m.power_projects.items() if pp.enabled}
    build_idx, draw_idx, lead, energy = [], [], {}, {}
    online: dict[tuple[str, str, int], tuple[int, ...]] = {}
    draws_at: dict[tuple[str, int], list[str]] = {}
    builds_of: dict[tuple[str, str], tuple[int, ...]] = {}
    for g, pp in pps.items():
        lead[g] = math.ceil(pp.lead_months / step)
        starts = [p for p in range(n) if cal.bounds[p + 1] > pp.earliest and p + lead[g] < n]
        for p, mid in enumerate(cal.mid):
            fuel = pp.fuel_usd_per_mwh * econ.compound(pp.fuel_change_per_year, mid)
            energy[g, p] = econ.energy_musd_per_mw_year(pp.variable_usd_per_mwh + fuel)
        for s in sites:
            if s in orbital or not starts or not _allowed(m, pp.sites, s):
                continue
            builds_of[s, g] = tuple(starts)
            build_idx += [(s, g, q) for q in starts]
            for p in range(starts[0] + lead[g], n):
                draw_idx.append((s, g, p))
                online[s, g, p] = tuple(q for q in starts if q + lead[g] <= p)
                draws_at.setdefault((s, p), []).append(g)
    return PowerBuildData(
        projects=tuple(pps),
        technology={g: pp.technology for g, pp in pps.items()},
        lead=lead,
        build_idx=tuple(build_idx),
        draw_idx=tuple(draw_idx),
        online=online,
        draws_at={k: tuple(v) for k, v in draws_at.items()},
        builds_of=builds_of,
        capex_musd_per_mw={g: pp.capex_musd_per_mw for g, pp in pps.items()},
        fixed_musd_per_mw_year={g: pp.fixed_musd_per_mw_year for g, pp in pps.items()},
        energy_musd_per_mw_year=energy,
        max_mw_per_site={g: pp.max_mw_per_site for g, pp in pps.items()},
        credit={g: pp.capacity_credit for g, pp in pps.items()},
        life_years={g: pp.life_years for g, pp in pps.items()},
        co2_t_per_mwh={g: pp.co2_t_per_mwh for g, pp in pps.items()},
        nox_kg_per_mwh={g: pp.nox_kg_per_mwh for g, pp in pps.items()},
        water_l_per_mwh={g: pp.water_l_per_mwh for g, pp in pps.items()},
    )


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


def region_data(m: Model, sites: list[str]) -> RegionData:
    """Regions of ``m`` with their enabled tranche sites (in site order)."""
    rate = region_build_rate(m.regions)
    by_region = {r: tuple(s for s in sites if m.sites[s].region == r) for r in sorted(rate)}
    return RegionData(
        sites={r: v for r, v in by_region.items() if v},
        rate_mw_per_year=rate,
    )


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
        "regions": region_data(m, sites),
    }
