"""Numbers the planning model needs, computed once from a :class:`~twin.spec.load.Spec`.

Everything the Pyomo families read lives here as plain Python: periods and discount factors, sparse
index sets (only where a decision means something), and coefficients in the model's units:
power MW, compute thousands of H100e (kH100e), chips thousands (kchips), money $M.

Conventions (stated once, used by every family):
- Period p covers ``[start_p, start_p + dt)`` with ``dt`` 1 or 0.25 years; ``t_p`` is years from
  the horizon start to its start. Cash flows in p fall at mid-period and are discounted by
  ``df_p = (1 + r) ** -(t_p + dt/2)``; salvage by ``df_T = (1 + r) ** -T`` at the horizon end.
  Demand growth and value decline are also taken at mid-period, so results hardly depend on the
  period length.
- A site build started in p is online from period ``p + L_s``, ``L_s = ceil(lead / period)``.
  A build (site or fab) may start in the period that contains its ``earliest`` date, so with
  yearly periods it can come online up to one period before ``earliest + lead``.
- A chip is for sale in p if it is on the market by the middle of the period.
- A chip vintage installed in p is active in periods ``p .. p + n_k - 1``, ``n_k = round(life/dt)``.
- 1 kH100e for one year at $1/H100e-hour is worth ``8.76`` $M (1000 x 8760 h / 1e6).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass, field

from twin.spec.load import Spec
from twin.spec.schema import Contract
from twin.state import add_months, contract_end, replay

HOURS_PER_YEAR = 8760.0
MUSD_PER_KH100E_YEAR_AT_1USD_HOUR = HOURS_PER_YEAR * 1e3 / 1e6  # 8.76
MUSD_PER_MW_YEAR_AT_1USD_MWH = HOURS_PER_YEAR / 1e6  # 0.00876


@dataclass
class PlanData:
    """Index sets and coefficients of one planning problem (see module docstring for units)."""

    periods: list[dt.date]
    dt: float
    t: list[float]
    df: list[float]
    df_end: float
    horizon_end: dt.date
    sites: list[str]
    orbital_sites: list[str]
    chips: list[str]
    tenants: list[str]
    internal: set[str]
    sources: list[str]
    lead: dict[str, int]
    life: dict[str, int]
    build_idx: list[tuple[str, int]]
    install_idx: list[tuple[str, str, int]]
    buy_idx: list[tuple[str, int]]
    alloc_idx: list[tuple[str, str, int]]
    power_idx: list[tuple[str, int]]
    existing_mw: dict[tuple[str, int], float]
    existing_chips_k: dict[tuple[str, str, int], float]
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
    chip_life_years: dict[str, float]
    source_site: dict[str, str]
    source_firm_mw: dict[tuple[str, int], float]
    energy_musd_per_mw_year: dict[str, float]
    demand_k: dict[tuple[str, int], float]
    firm: set[str]
    alloc_value_musd_per_k: dict[tuple[str, str, int], float]
    penalty_musd_per_k_year: dict[str, float]
    contract_cover: dict[tuple[str, int], float]
    mw_month_revenue: dict[tuple[str, int], float]
    internal_share_min: float
    integer_modules: bool
    salvage: bool
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def n_periods(self) -> int:
        """Number of periods P."""
        return len(self.periods)

    def online_period(self, site: str, p: int) -> int:
        """Period from which a build started in ``p`` at ``site`` is online."""
        return p + self.lead[site]

    def remaining_share(self, start_period: int, life_years: float) -> float:
        """Straight-line share of an asset's value left at the horizon end [-].

        An asset in service from the start of ``start_period`` for ``life_years`` keeps
        ``max(0, 1 - (T - t_start) / life)`` of its cost, where T is the horizon length in years.
        """
        if not self.salvage:
            return 0.0
        age = self.n_periods * self.dt - self.t[start_period]
        return max(0.0, 1.0 - age / life_years)


def overlap_share(a0: dt.date, a1: dt.date, b0: dt.date, b1: dt.date) -> float:
    """Share of ``[a0, a1)`` covered by ``[b0, b1)`` [-]."""
    lo, hi = max(a0, b0), min(a1, b1)
    return max(0.0, (hi - lo).days) / (a1 - a0).days


def contract_price_factor(c: Contract, period_start: dt.date, dt_years: float) -> float:
    """``(1 + price_change_per_year) ** years`` from the contract start to mid-period [-]."""
    years = max(0.0, (period_start - c.start).days / 365.25 + dt_years / 2)
    return (1 + c.price_change_per_year) ** years


def plan_data(spec: Spec) -> PlanData:
    """Compute sets and coefficients for ``spec`` (see module docstring for conventions)."""
    m = spec.model
    h = m.horizon
    step = h.months_per_period
    n = h.years * 12 // step
    dt_years = step / 12
    periods = [add_months(h.start, step * p) for p in range(n + 1)]
    starts, horizon_end = periods[:-1], periods[-1]
    t = [p * dt_years for p in range(n)]
    r = m.economics.discount_rate
    mid = [tp + dt_years / 2 for tp in t]
    df = [(1 + r) ** -tm for tm in mid]
    df_end = (1 + r) ** -(n * dt_years)

    sites = [s for s, v in m.sites.items() if v.enabled]
    tenants = [j for j, v in m.tenants.items() if v.enabled]
    chips = list(m.chips)
    states = [replay(m, d, horizon_end) for d in starts]

    lead = {s: math.ceil(m.sites[s].lead_months / step) for s in sites}
    life = {k: max(1, round(m.chips[k].life_years / dt_years)) for k in chips}

    existing_mw = {(s, p): states[p].online_mw.get(s, 0.0) for s in sites for p in range(n)}
    existing_chips_k = {}
    for p, st in enumerate(states):
        for v in st.vintages:
            if v.site in sites:
                key = (v.site, v.chip, p)
                existing_chips_k[key] = existing_chips_k.get(key, 0.0) + v.chips / 1e3

    build_idx = []
    first_capacity = {}
    for s in sites:
        site = m.sites[s]
        firsts = [p for p in range(n) if existing_mw[s, p] > 0]
        for p in range(n):
            end = periods[p + 1]
            if site.earliest is not None and end <= site.earliest:
                continue
            if p + lead[s] >= n or site.max_mw <= 0:
                continue
            build_idx.append((s, p))
            firsts.append(p + lead[s])
        first_capacity[s] = min(firsts) if firsts else n

    def chip_available(k: str, p: int) -> bool:
        """Sold in p if on the market by the middle of the period and not withdrawn before it."""
        c = m.chips[k]
        mid = starts[p] + (periods[p + 1] - starts[p]) / 2
        if c.available_from > mid:
            return False
        return c.available_until is None or c.available_until >= mid

    install_idx = [
        (s, k, p)
        for s in sites
        for k in chips
        for p in range(n)
        if p >= first_capacity[s] and chip_available(k, p)
    ]
    buy_idx = sorted(
        {(k, p) for (_, k, p) in install_idx}, key=lambda kp: (chips.index(kp[0]), kp[1])
    )
    price, cap = {}, {}
    for k, p in buy_idx:
        c = m.chips[k]
        years_on_market = max(0.0, (starts[p] - c.available_from).days / 365.25 + dt_years / 2)
        price[k, p] = (
            c.price_usd
            * c.vendor_markup
            * m.vendor.markup
            * (1 - c.price_decline_per_year) ** (years_on_market)
            / 1e3
        )
        cap[k, p] = (
            c.vendor_alloc_k_per_year * m.vendor.allocation_scale * dt_years
            if c.vendor_alloc_k_per_year is not None
            else math.inf
        )

    sources = [g for g, ps in m.power_sources.items() if ps.site in sites]
    source_firm = {
        (g, p): states[p].power_limit_mw[g] * m.power_sources[g].capacity_credit
        for g in sources
        for p in range(n)
    }
    power_idx = [(g, p) for g in sources for p in range(n)]

    from twin.graph import eligible_pairs
    from twin.plan.orbit import orbit_geometry

    t_geo = time.perf_counter()
    geo = orbit_geometry(m)
    geometry_s = time.perf_counter() - t_geo if geo.geometry is not None else 0.0
    pairs = eligible_pairs(m, geo.latency_ms)

    demand = {}
    for j in tenants:
        tn = m.tenants[j]
        for p in range(n):
            d = tn.demand_k_h100e * (1 + tn.demand_growth_per_year) ** mid[p]
            if tn.demand_max_k_h100e is not None:
                d = min(d, tn.demand_max_k_h100e)
            demand[j, p] = d

    # contract cover: share of period p that contract terms cover, per (contract, p)
    cover: dict[tuple[str, int], float] = {}
    for c_name, c in m.contracts.items():
        if c.tenant not in tenants or (c.site is not None and c.site not in sites):
            continue
        end = contract_end(m, c_name, horizon_end)
        for p in range(n):
            share = overlap_share(starts[p], periods[p + 1], c.start, end)
            if share > 0:
                cover[c_name, p] = share

    value = {}
    mw_month: dict[tuple[str, int], float] = {}
    for s, j in pairs:
        tn = m.tenants[j]
        for p in range(n):
            if s not in first_capacity or p < first_capacity[s]:
                continue
            market = tn.value_usd_per_h100e_hour * (1 - tn.value_decline_per_year) ** mid[p]
            v = market if (m.policy.allow_external or tn.kind == "internal") else 0.0
            contracted = False
            for c_name, c in m.contracts.items():
                share = cover.get((c_name, p), 0.0)
                if share == 0 or c.tenant != j or (c.site is not None and c.site != s):
                    continue
                contracted = True
                if c.price_usd_per_h100e_hour is not None:
                    c_price = c.price_usd_per_h100e_hour * contract_price_factor(
                        c, starts[p], dt_years
                    )
                    v = share * c_price + (1 - share) * v
                else:
                    v = (1 - share) * v
            if not m.policy.allow_external and tn.kind == "external" and not contracted:
                continue  # no external leasing: only contracts already signed are served
            value[s, j, p] = v * MUSD_PER_KH100E_YEAR_AT_1USD_HOUR * dt_years
    for c_name, c in m.contracts.items():
        if c.price_usd_per_mw_month is not None:
            for p in range(n):
                share = cover.get((c_name, p), 0.0)
                if share > 0:
                    c_price = c.price_usd_per_mw_month * contract_price_factor(
                        c, starts[p], dt_years
                    )
                    mw_month[c_name, p] = c_price * 12 * dt_years * share / 1e6

    alloc_idx = sorted(value, key=lambda sjp: (sites.index(sjp[0]), tenants.index(sjp[1]), sjp[2]))
    return PlanData(
        periods=starts,
        dt=dt_years,
        t=t,
        df=df,
        df_end=df_end,
        horizon_end=horizon_end,
        sites=sites,
        orbital_sites=[s for s in sites if m.sites[s].kind == "orbital"],
        chips=chips,
        tenants=tenants,
        internal={j for j in tenants if m.tenants[j].kind == "internal"},
        sources=sources,
        lead=lead,
        life=life,
        build_idx=build_idx,
        install_idx=install_idx,
        buy_idx=buy_idx,
        alloc_idx=alloc_idx,
        power_idx=power_idx,
        existing_mw=existing_mw,
        existing_chips_k=existing_chips_k,
        max_mw={s: m.sites[s].max_mw for s in sites},
        capex_mw={s: m.sites[s].capex_musd_per_mw for s in sites},
        opex_mw_year={s: m.sites[s].opex_musd_per_mw_year for s in sites},
        pue={s: m.sites[s].pue for s in sites},
        availability={s: m.sites[s].availability for s in sites},
        module_mw={s: m.sites[s].module_mw for s in sites if m.sites[s].module_mw},
        site_life_years={
            s: (
                m.orbit.shells[m.sites[s].shell].lifetime_years
                if m.sites[s].kind == "orbital"
                else m.sites[s].life_years
            )
            for s in sites
        },
        capacity_life={
            s: max(1, round(m.orbit.shells[m.sites[s].shell].lifetime_years / dt_years))
            for s in sites
            if m.sites[s].kind == "orbital"
        },
        kw={k: m.chips[k].kw for k in chips},
        h100e={k: m.chips[k].h100e for k in chips},
        chip_price_musd_per_k=price,
        vendor_cap_k=cap,
        chip_life_years={k: m.chips[k].life_years for k in chips},
        source_site={g: m.power_sources[g].site for g in sources},
        source_firm_mw=source_firm,
        energy_musd_per_mw_year={
            g: m.power_sources[g].cost_usd_per_mwh * MUSD_PER_MW_YEAR_AT_1USD_MWH for g in sources
        },
        demand_k=demand,
        firm={j for j in tenants if m.tenants[j].firm},
        alloc_value_musd_per_k=value,
        penalty_musd_per_k_year={
            j: m.tenants[j].unmet_penalty_usd_per_h100e_hour * MUSD_PER_KH100E_YEAR_AT_1USD_HOUR
            for j in tenants
        },
        contract_cover=cover,
        mw_month_revenue=mw_month,
        internal_share_min=m.policy.internal_share_min,
        integer_modules=m.solver.integer_modules,
        salvage=m.economics.salvage,
        extra={"orbit": geo, "geometry_s": geometry_s},
    )
