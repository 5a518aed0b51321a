"""The plan's data contract: everything the Pyomo families read, computed once from a
:class:`~twin.spec.load.Spec` into one typed, frozen :class:`PlanData`.

Families take ``(m, d)`` and read their sets and coefficients from ``d`` only. Units: power MW,
compute thousands of H100e (kH100e), chips thousands (kchips), money $M (formulas in
:mod:`twin.plan.economics`).

Conventions (stated once, used by every family):
- Period p covers ``[start_p, start_p + dt)`` with ``dt`` 1 or 0.25 years; ``t_p`` is years from
  the horizon start to its start. Cash flows in p fall at mid-period and are discounted by
  ``df_p = (1 + r) ** -(t_p + dt/2)``; salvage by ``df_T = (1 + r) ** -T`` at the horizon end.
  Demand growth and value decline are also taken at mid-period, so results hardly depend on the
  period length.
- Purchases (site, chip, power-project and fab capex, launches) serve from the period's start and
  are paid then, at that date's prices: their flow carries ``(1 + r) ** (dt/2)`` into
  mid-period money (:func:`twin.plan.economics.carry`).
- A terrestrial site build started in p starts at ``max(start_p, earliest)`` and counts from the
  first period it is online throughout, never before ``earliest + lead`` (a hall online for
  part of a period does not count for that part: :mod:`twin.plan.site_timing`); orbital capacity
  is online from period ``p + L_s``, ``L_s = ceil(lead / period)``; a fab may start in the period
  that contains its ``earliest`` date. Today's fleet in p is its mean over p's months
  (:mod:`twin.plan.site_timing`).
- A chip is for sale in p if it is on the market during p; in the period its sale starts, an
  install serves (compute and power) for the share of the period from ``available_from``.
- A chip vintage installed in p is active in periods ``p .. p + n_k - 1``, ``n_k = round(life/dt)``
  (in orbit at most the satellites' life: chips die with their satellite). A vintage bought in
  its chip's first, partial period on sale (share w) serves ``(n_k - 1 + w) dt`` years, not
  ``n_k dt``: its life is not extended into a trailing period (known; yearly plans lose up to
  half a year of such a vintage's life, quarterly ones up to a quarter).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from twin.graph import eligible_pairs
from twin.hours import representative_days
from twin.network import Network
from twin.plan import economics as econ
from twin.plan.calendar import Calendar, calendar
from twin.plan.chip_market import chip_market
from twin.plan.coefficients import (
    chip_terms,
    launch,
    power_sources,
    shell,
    site_coefficients,
    tenant_terms,
)
from twin.plan.demand_terms import curve_terms
from twin.plan.end_data import end_fields, solved_model
from twin.plan.fab_data import FabData, fab_data
from twin.plan.groups import Groups, group
from twin.plan.hourly_data import Days, UnitTerms, unit_terms
from twin.plan.lease_terms import LeaseData, lease_data
from twin.plan.orbit_data import OrbitGeometry, orbit_geometry
from twin.plan.site_timing import SiteShares, builds, period_leads, period_states, site_shares
from twin.plan.supply_data import EmissionRates, PowerBuildData, RegionData, supply_terms
from twin.plan.traffic_data import TrafficData, traffic_data, traffic_pairs
from twin.plan.values import ContractTerms, contract_cover, contract_terms, tenant_values
from twin.spec.schema import Model
from twin.spec.spec import Spec
from twin.state import State

__all__ = ["ContractTerms", "FabData", "Groups", "OrbitGeometry", "PlanData", "plan_data"]


@dataclass(frozen=True)
class PlanData:
    """Index sets and coefficients of one planning problem (units in the module docstring)."""

    name: str
    periods: list[date]
    dt: float
    t: list[float]
    df: list[float]
    df_end: float
    horizon_end: date
    discount_rate: float
    sites: list[str]
    orbital_sites: list[str]
    chips: list[str]
    tenants: list[str]
    internal: set[str]
    sources: list[str]
    lead: dict[str, int]
    site_shares: SiteShares
    life: dict[str, int]
    build_idx: list[tuple[str, int]]
    install_idx: list[tuple[str, str, int]]
    buy_idx: list[tuple[str, int]]
    alloc_idx: list[tuple[str, str, int]]
    power_idx: list[tuple[str, int]]
    existing_mw: dict[tuple[str, int], float]
    existing_chips_k: dict[tuple[str, str, int], float]
    existing_it_mw: dict[tuple[str, int], float]
    existing_k_h100e: dict[tuple[str, int], float]
    max_mw: dict[str, float]
    capex_mw: dict[str, float]
    opex_mw_year: dict[str, float]
    pue: dict[str, float]
    availability: dict[str, float]
    module_mw: dict[str, float]
    site_life_years: dict[str, float]
    capacity_life: dict[str, int]
    kw: dict[str, float]
    h100e: dict[str, float]
    chip_price_musd_per_k: dict[tuple[str, int], float]
    vendor_cap_k: dict[tuple[str, int], float]
    #: share of period p chip k is on sale in, where below 1 (its first period): an install
    #: there serves that share of p (:mod:`twin.plan.expressions`)
    on_sale_share: dict[tuple[str, int], float]
    chip_life_years: dict[str, float]
    source_site: dict[str, str]
    source_energy_mw: dict[tuple[str, int], float]
    source_firm_mw: dict[tuple[str, int], float]
    energy_musd_per_mw_year: dict[tuple[str, int], float]
    reserve_margin: float
    peak_to_average: float
    renewable_share: float
    cfe_share: float
    #: the shares apply in periods starting on or after this date (None: every period)
    clean_from: date | None
    demand_k: dict[tuple[str, int], float]
    firm: set[str]
    alloc_value_musd_per_k: dict[tuple[str, str, int], float]
    contract_value_musd_per_k: dict[tuple[str, str, str, int], float]
    penalty_musd_per_k_year: dict[str, float]
    contracts: dict[str, ContractTerms]
    contract_cover: dict[tuple[str, int], float]
    mw_month_revenue: dict[tuple[str, int], float]
    internal_share_min: float
    integer_modules: bool
    salvage: bool
    chip_resale_share: float | None
    fab: FabData
    orbit: OrbitGeometry
    geometry_s: float
    specific_mass_t_per_mw: dict[str, float]
    launch_price_usd_per_kg: list[float]
    launch_capacity_t_per_year: float | None
    bandwidth_gbps_per_k: dict[str, float]
    groups: Groups
    leases: LeaseData
    elastic: bool = False
    mothball_keep: dict[str, float] = field(default_factory=dict)
    curve: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    curve_value_musd: dict[tuple[str, int], float] = field(default_factory=dict)
    end_effects: str = "straight_line"
    buffer_end: str = "none"
    value_decline: float = 0.0
    reported_periods: int = -1
    power_build: PowerBuildData = field(default_factory=PowerBuildData)
    emissions: EmissionRates = field(default_factory=EmissionRates)
    regions: RegionData = field(default_factory=RegionData)
    traffic: TrafficData = field(default_factory=TrafficData)
    units: UnitTerms = field(default_factory=UnitTerms)  # hourly form (twin.plan.hourly_data)
    hours: Days | None = None  # representative days; None: the period form

    @property
    def n_periods(self) -> int:
        """Number of periods P."""
        return len(self.periods)

    @property
    def n_blocks(self) -> int:
        """Most blocks of any tenant's demand curve (at least 1: a demand without a curve)."""
        return max((len(v) for v in self.curve.values()), default=1)

    @property
    def n_reported(self) -> int:
        """Periods of the horizon asked for (the first ones; the rest are the end buffer)."""
        return self.n_periods if self.reported_periods < 0 else self.reported_periods

    @property
    def ground_periods(self) -> list[tuple[str, int]]:
        """``(s, p)`` for every terrestrial site and period: the rows of its power families."""
        ground = [s for s in self.sites if s not in self.orbital_sites]
        return [(s, p) for s in ground for p in range(self.n_periods)]

    def hourly(self, p: int) -> bool:
        """True if period p's energy rows are hourly (:mod:`twin.plan.hourly`): representative
        days are set and p is reported. The end buffer's periods keep the period form: they
        are there to value the end, and their hourly rows were ~30% of the baseline's LP."""
        return self.hours is not None and p < self.n_reported

    def online_period(self, site: str, p: int) -> int:
        """First period in which a build started in ``p`` at ``site`` is online (a terrestrial
        one possibly for a share of it: :mod:`twin.plan.site_timing`)."""
        shares = self.site_shares.get((site, p))
        return shares[0][0] if shares else p + self.lead[site]

    def remaining_share(self, start_period: int, life_years: float) -> float:
        """Share of an asset's cost left at the horizon end [-] (0 without salvage): an asset in
        service from the start of ``start_period`` is ``T - t_start`` years old at the end."""
        rule = self.buffer_end if self.end_effects == "buffer" else self.end_effects
        if not self.salvage or rule == "none":
            return 0.0
        return econ.remaining_share(self.n_periods * self.dt - self.t[start_period], life_years)


def _existing(
    states: list[State], sites: list[str], n: int
) -> tuple[dict[tuple[str, int], float], dict[tuple[str, str, int], float]]:
    """Capacity online [MW] and chips installed [kchips] before any decision, per period."""
    mw = {(s, p): states[p].online_mw.get(s, 0.0) for s in sites for p in range(n)}
    chips: dict[tuple[str, str, int], float] = {}
    for p, st in enumerate(states):
        for v in st.vintages:
            if v.site in sites:
                key = (v.site, v.chip, p)
                chips[key] = chips.get(key, 0.0) + v.chips / 1e3
    return mw, chips


def _demand(m: Model, tenants: list[str], cal: Calendar) -> dict[tuple[str, int], float]:
    """Tenant demand at mid-period, capped at its ceiling [kH100e]; with a demand curve, the
    whole curve: the sum of its blocks' shares times that path (:mod:`twin.plan.demand_curve`)."""
    out = {}
    for j in tenants:
        tn = m.tenants[j]
        blocks = sum(tn.demand_blocks) if tn.demand_blocks is not None else 1.0
        for p, mid in enumerate(cal.mid):
            d = tn.demand_k_h100e * (1 + tn.demand_growth_per_year) ** mid
            d = d if tn.demand_max_k_h100e is None else min(d, tn.demand_max_k_h100e)
            out[j, p] = blocks * d
    return out


def _existing_sum(
    chips_k: dict[tuple[str, str, int], float], per_chip: dict[str, float], sites: list[str], n: int
) -> dict[tuple[str, int], float]:
    """``sum_k per_chip[k] x existing_chips[s,k,p]`` per site and period (MW or kH100e)."""
    out = dict.fromkeys(((s, p) for s in sites for p in range(n)), 0.0)
    for (s, k, p), x in chips_k.items():
        out[s, p] += per_chip[k] * x
    return out


def _mw_month_revenue(
    m: Model, cover: dict[tuple[str, int], float], cal: Calendar
) -> dict[tuple[str, int], float]:
    """Revenue per MW of IT load of each MW-month contract while it runs [$M/MW]."""
    out = {}
    for (c, p), share in cover.items():
        con = m.contracts[c]
        if con.price_usd_per_mw_month is None:
            continue
        factor = econ.price_factor(con.price_change_per_year, con.start, cal.starts[p], cal.dt)
        out[c, p] = econ.mw_month_revenue_musd(con.price_usd_per_mw_month * factor, cal.dt, share)
    return out


def _capacity_life(m: Model, orbital: list[str], dt_years: float) -> dict[str, int]:
    """Periods that capacity wearing out (satellites) serves, per orbital site."""
    return {s: max(1, round(shell(m, s).lifetime_years / dt_years)) for s in orbital}


def _timed_geometry(m: Model) -> tuple[OrbitGeometry, float]:
    """The orbit geometry and the seconds it took (0 without orbital sites)."""
    t0 = time.perf_counter()
    geo = orbit_geometry(m)
    return geo, time.perf_counter() - t0 if geo.geometry is not None else 0.0


def _served_pairs(
    m: Model, tenants: list[str]
) -> tuple[OrbitGeometry, float, tuple[set[tuple[str, str]], Network | None, dict[str, float]]]:
    """The orbit geometry, the seconds it took, and the (site, tenant) pairs that meet the SLA
    with the traffic network and routed tenants (:func:`twin.plan.traffic_data.traffic_pairs`)."""
    geo, seconds = _timed_geometry(m)
    return geo, seconds, traffic_pairs(m, geo, tenants, eligible_pairs(m, geo.latency_ms))


def _hours(spec: Spec) -> Days | None:
    """The representative days ``horizon.hours`` asks for (:mod:`twin.hours`), None: period form."""
    n = spec.model.horizon.hours.representative_days
    return None if n is None else representative_days(spec, n)


def _site_tenant_order(
    keys: Iterable[tuple[str, str, int]], sites: list[str], tenants: list[str]
) -> list[tuple[str, str, int]]:
    """``(s, j, p)`` keys in site, tenant (as listed) and period order."""
    return sorted(keys, key=lambda sjp: (sites.index(sjp[0]), tenants.index(sjp[1]), sjp[2]))


def plan_data(spec: Spec) -> PlanData:
    """Compute sets and coefficients for ``spec`` (see module docstring for conventions)."""
    m = solved_model(spec.model)
    cal = calendar(m)
    n = len(cal.starts)
    sites = [s for s, v in m.sites.items() if v.enabled]
    tenants = [j for j, v in m.tenants.items() if v.enabled]
    chips, orbital = list(m.chips), [s for s in sites if m.sites[s].kind == "orbital"]
    states = period_states(m, cal)
    lead, shares = period_leads(m, sites), site_shares(m, sites, orbital, cal)
    life = {k: max(1, round(m.chips[k].life_years / cal.dt)) for k in chips}
    existing_mw, existing_chips_k = _existing(states, sites, n)
    build_idx, first = builds(m, sites, orbital, cal, lead, shares, existing_mw)
    install_idx, buy_idx, price, vendor_cap, on_sale = chip_market(m, chips, sites, cal, first)
    sources = [g for g, ps in m.power_sources.items() if ps.site in sites]
    geo, geometry_s, (pairs, net, routed) = _served_pairs(m, tenants)
    cover = contract_cover(m, sites, tenants, cal.bounds)
    values = tenant_values(m, pairs, first, cover, cal.starts, cal.mid, cal.dt)
    alloc_idx = _site_tenant_order(values["alloc_value_musd_per_k"], sites, tenants)
    fd = fab_data(m.fabs, chips, cal.bounds, cal.dt)
    ex_it = _existing_sum(existing_chips_k, {k: m.chips[k].kw for k in chips}, sites, n)
    ex_h = _existing_sum(existing_chips_k, {k: m.chips[k].h100e for k in chips}, sites, n)
    return PlanData(
        name=m.name,
        **cal.fields(),
        discount_rate=m.economics.discount_rate,
        sites=sites,
        orbital_sites=orbital,
        chips=chips,
        tenants=tenants,
        sources=sources,
        lead=lead,
        site_shares=shares,
        life=life,
        build_idx=build_idx,
        install_idx=install_idx,
        buy_idx=buy_idx,
        alloc_idx=alloc_idx,
        existing_mw=existing_mw,
        existing_chips_k=existing_chips_k,
        existing_it_mw=ex_it,
        existing_k_h100e=ex_h,
        **site_coefficients(m, sites, orbital),
        capacity_life=(capacity_life := _capacity_life(m, orbital, cal.dt)),
        chip_price_musd_per_k=price,
        vendor_cap_k=vendor_cap,
        on_sale_share=on_sale,
        **chip_terms(m, chips),
        **power_sources(m, sources, states, cal),
        demand_k=_demand(m, tenants, cal),
        **values,
        **tenant_terms(m, tenants),
        **curve_terms(m, tenants, cal.mid, cal.dt),
        contracts=contract_terms(m, cover),
        contract_cover=cover,
        mw_month_revenue=_mw_month_revenue(m, cover, cal),
        internal_share_min=m.policy.internal_share_min,
        integer_modules=m.solver.integer_modules,
        salvage=m.economics.salvage,
        **end_fields(spec.model),
        fab=fd,
        hours=_hours(spec),
        orbit=geo,
        geometry_s=geometry_s,
        **launch(m, orbital, cal),
        **supply_terms(m, sites, orbital, sources, cal),
        groups=group(
            sites, build_idx, install_idx, alloc_idx, fd, lead, shares, life, capacity_life,
            sources, {g: m.power_sources[g].site for g in sources}, n
        ),
        leases=lease_data(m, cal.bounds, cal.mid, sites, tenants),
        traffic=traffic_data(m, net, routed, alloc_idx, cal),
        units=unit_terms(m, sources, states),
    )
