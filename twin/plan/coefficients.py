"""Coefficient groups of :class:`~twin.plan.data.PlanData` read straight off the spec: sites,
launch, power sources and tenants (units in :mod:`twin.plan.data`)."""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from twin.plan import economics as econ
from twin.plan.calendar import Calendar
from twin.plan.orbit_data import launch_price_path
from twin.spec.orbit import Shell
from twin.spec.schema import Model
from twin.state import State


def shell(m: Model, s: str) -> Shell:
    """The shell an orbital site flies in."""
    name = m.sites[s].shell
    assert name is not None, f"orbital site {s} has no shell"  # the schema requires one
    return m.orbit.shells[name]


class SiteCoefficients(TypedDict):
    """Per-site terms keyed by site: max and capex per MW [M$/MW], opex [M$/MW/year], PUE,
    availability (fraction), module size [MW], site life [years] and the share of opex a
    mothballed MW keeps (sites that may mothball)."""

    max_mw: dict[str, float]
    capex_mw: dict[str, float]
    opex_mw_year: dict[str, float]
    pue: dict[str, float]
    availability: dict[str, float]
    module_mw: dict[str, float]
    site_life_years: dict[str, float]
    mothball_keep: dict[str, float]


class Launch(TypedDict):
    """Launch terms: specific mass per orbital site [t/MW], launch price per period [$/kg] and
    the yearly launch capacity [t/year] (None: unbounded)."""

    specific_mass_t_per_mw: dict[str, float]
    launch_price_usd_per_kg: list[float]
    launch_capacity_t_per_year: float | None


class PowerSources(TypedDict):
    """Power sources: the site each feeds; per (source, period) the energy limit ``limit x
    capacity factor`` [MW average; none for a battery], the firm capacity ``limit x credit``
    [MW] and the energy cost [M$/MW/year] (gas at the one path); the sources with energy
    (``power_idx``), the reserve margin and the peak-to-average ratio of facility load [-]."""

    source_site: dict[str, str]
    source_energy_mw: dict[tuple[str, int], float]
    source_firm_mw: dict[tuple[str, int], float]
    energy_musd_per_mw_year: dict[tuple[str, int], float]
    power_idx: list[tuple[str, int]]
    reserve_margin: float
    peak_to_average: float
    renewable_share: float
    cfe_share: float
    clean_from: date | None


class ChipTerms(TypedDict):
    """Per-chip terms keyed by chip: power [kW per chip], compute [H100-equivalents per chip]
    and life [years]."""

    kw: dict[str, float]
    h100e: dict[str, float]
    chip_life_years: dict[str, float]


class TenantTerms(TypedDict):
    """Tenant terms: internal and firm tenants, the penalty for unmet demand
    [M$ per kH100e-year] and network bandwidth per unit of compute [Gbit/s per kH100e]."""

    internal: set[str]
    firm: set[str]
    penalty_musd_per_k_year: dict[str, float]
    bandwidth_gbps_per_k: dict[str, float]


def site_coefficients(m: Model, sites: list[str], orbital: list[str]) -> SiteCoefficients:
    """Ceilings, costs, PUE, availability, modules and asset lives of the sites."""
    return {
        "max_mw": {s: m.sites[s].max_mw for s in sites},
        "capex_mw": {s: m.sites[s].capex_musd_per_mw for s in sites},
        "opex_mw_year": {s: m.sites[s].opex_musd_per_mw_year for s in sites},
        "pue": {s: m.sites[s].pue for s in sites},
        "availability": {s: m.sites[s].availability for s in sites},
        "module_mw": {s: float(m.sites[s].module_mw or 0.0) for s in sites if m.sites[s].module_mw},
        "site_life_years": {
            s: shell(m, s).lifetime_years if s in orbital else m.sites[s].life_years for s in sites
        },
        "mothball_keep": {s: k for s in sites if (k := m.sites[s].mothball_keep_share) is not None},
    }


def launch(m: Model, orbital: list[str], cal: Calendar) -> Launch:
    """Launched mass per MW of each orbital site, the launch price path and capacity."""
    return {
        "specific_mass_t_per_mw": {s: shell(m, s).specific_mass_t_per_mw for s in orbital},
        "launch_price_usd_per_kg": launch_price_path(m, cal.starts, cal.dt),
        "launch_capacity_t_per_year": m.orbit.launch_capacity_t_per_year,
    }


def gas_musd_per_mmbtu_year(m: Model, cal: Calendar) -> list[float]:
    """The one gas price path ``gas x (1 + phi) ** t_mid`` per period, as $M per MW-year drawn
    at a heat rate of 1 MMBtu/MWh."""
    e = m.economics
    return [
        econ.energy_musd_per_mw_year(e.gas_usd_per_mmbtu * econ.compound(e.gas_change_per_year, t))
        for t in cal.mid
    ]


def power_sources(
    m: Model, sources: list[str], states: list[State], cal: Calendar
) -> PowerSources:
    """Site, energy limit (limit x capacity factor; a battery makes none), firm capacity
    (limit x capacity credit) [MW] and energy cost [$M/(MW yr)] of today's sources."""
    ps, gas = m.power_sources, gas_musd_per_mmbtu_year(m, cal)
    energetic = [g for g in sources if ps[g].kind != "battery"]
    return {
        "source_site": {g: ps[g].site for g in sources},
        "source_energy_mw": {
            (g, p): st.power_limit_mw[g] * ps[g].capacity_factor
            for g in energetic
            for p, st in enumerate(states)
        },
        "source_firm_mw": {
            (g, p): st.power_limit_mw[g] * ps[g].capacity_credit
            for g in sources
            for p, st in enumerate(states)
        },
        "energy_musd_per_mw_year": {
            (g, p): econ.energy_musd_per_mw_year(ps[g].cost_usd_per_mwh)
            + ps[g].heat_rate_mmbtu_per_mwh * gas[p]
            for g in energetic
            for p in range(len(states))
        },
        "power_idx": [(g, p) for g in energetic for p in range(len(states))],
        "reserve_margin": m.policy.reserve_margin,
        "peak_to_average": m.policy.peak_to_average,
        "renewable_share": m.policy.renewable_share,
        "cfe_share": m.policy.cfe_share,
        "clean_from": m.policy.clean_from,
    }


def tenant_terms(m: Model, tenants: list[str]) -> TenantTerms:
    """Internal and firm tenants, unmet-demand penalties [$M/(kH100e yr)], bandwidth needs."""
    t = m.tenants
    return {
        "internal": {j for j in tenants if t[j].kind == "internal"},
        "firm": {j for j in tenants if t[j].firm},
        "penalty_musd_per_k_year": {
            j: econ.compute_value_musd(t[j].unmet_penalty_usd_per_h100e_hour, 1.0) for j in tenants
        },
        "bandwidth_gbps_per_k": {j: t[j].bandwidth_gbps_per_k_h100e for j in tenants},
    }


def chip_terms(m: Model, chips: list[str]) -> ChipTerms:
    """Power [kW], compute [H100e] and life [years] of one chip of each generation."""
    c = m.chips
    return {
        "kw": {k: c[k].kw for k in chips},
        "h100e": {k: c[k].h100e for k in chips},
        "chip_life_years": {k: c[k].life_years for k in chips},
    }
