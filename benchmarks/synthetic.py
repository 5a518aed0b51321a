"""Synthetic planning specs of any size, built in code (no files), for benchmarks and tests.

>>> from benchmarks.synthetic import synthetic_spec
>>> spec = synthetic_spec(4, 5, 3, 4)
>>> len(spec.model.sites), len(spec.model.chips), len(spec.model.tenants)
(4, 3, 4)

The numbers follow ``models/baseline.yaml`` and ``datasets/*.csv`` (assumption: scaled and
jittered copies of those rows, not a real fleet):

- sites: terrestrial, at US data-center hubs (Ashburn, Dallas, Phoenix, Memphis, Abilene, ...),
  jittered by up to ~1 degree when there are more sites than hubs; 200-1,500 MW each, 18-30 month
  builds, $10-12M/MW, PUE 1.2-1.35. About one site in ten (at least two) is already built
  (site_online and chips_installed events, as Colossus 1 in the baseline).
- power sources: a grid connection at every site, gas turbines at about half of them, batteries
  (capacity credit 0.25) at a third and solar (credit 0.3) at a quarter.
- chips: an H100-like generation (the installed fleet) and then generations staggered so that
  two or three are on sale at any time across the horizon, each ~1.45x the compute of the last,
  with more kW and a higher price; later generations have a vendor allocation.
- tenants: about a third internal, the rest external (spot training markets, inference tenants),
  at US metros; inference tenants have an 8-30 ms one-way latency SLA (raised to 1.2x the
  nearest site's fiber latency where no site is in reach), so eligibility is sparse.
- policy: at least 20% of allocated compute kept internal (with one site only: none, since the
  whole-site lease would leave no compute for internal work).
- one whole-site contract: the first external tenant (no SLA) leases the first built site (term
  12 months, renewed, 3 months' notice, $2.6/H100e-hour), as Anthropic and Colossus 1; its demand
  is raised to hold the whole site, and the other built sites are sized to leave room for the
  internal share.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

from twin.dates import add_months
from twin.graph import fiber_latency_ms, great_circle_km
from twin.spec.checks import run_checks
from twin.spec.schema import (
    Chip,
    Contract,
    Economics,
    Event,
    Horizon,
    Model,
    Policy,
    PowerSource,
    Site,
    SolverOptions,
    Tenant,
)
from twin.spec.spec import Spec

SOURCE = "assumption: synthetic benchmark row (benchmarks/synthetic.py), scaled from datasets/"

#: (name, lat, lon) of US data-center and energy hubs (city-centre coordinates, rounded).
HUBS: list[tuple[str, float, float]] = [
    ("ashburn", 39.04, -77.49),
    ("dallas", 32.78, -96.80),
    ("phoenix", 33.45, -112.07),
    ("memphis", 35.15, -90.05),
    ("abilene", 32.45, -99.73),
    ("atlanta", 33.75, -84.39),
    ("chicago", 41.88, -87.63),
    ("columbus", 39.96, -83.00),
    ("des_moines", 41.59, -93.62),
    ("reno", 39.53, -119.81),
    ("salt_lake", 40.76, -111.89),
    ("hillsboro", 45.52, -122.99),
    ("omaha", 41.26, -95.93),
    ("council_bluffs", 41.26, -95.86),
    ("san_antonio", 29.42, -98.49),
    ("richmond", 37.54, -77.44),
    ("charlotte", 35.23, -80.84),
    ("quincy_wa", 47.23, -119.85),
    ("the_dalles", 45.59, -121.18),
    ("cheyenne", 41.14, -104.82),
    ("denver", 39.74, -104.99),
    ("kansas_city", 39.10, -94.58),
    ("minneapolis", 44.98, -93.27),
    ("houston", 29.76, -95.37),
    ("las_vegas", 36.17, -115.14),
    ("lancaster_pa", 40.04, -76.31),
    ("mount_pleasant", 42.71, -87.88),
    ("new_albany", 40.08, -82.81),
    ("sioux_falls", 43.54, -96.73),
    ("amarillo", 35.22, -101.83),
]

#: (name, lat, lon) of US user populations for tenants (metro centres).
METROS: list[tuple[str, float, float]] = [
    ("nyc", 40.71, -74.01),
    ("sf", 37.77, -122.42),
    ("la", 34.05, -118.24),
    ("seattle", 47.61, -122.33),
    ("chicago", 41.88, -87.63),
    ("dallas", 32.78, -96.80),
    ("ashburn", 39.04, -77.49),
    ("atlanta", 33.75, -84.39),
    ("miami", 25.76, -80.19),
    ("boston", 42.36, -71.06),
    ("denver", 39.74, -104.99),
    ("us_centroid", 39.83, -98.58),
]

#: The first generations as in datasets/chips.csv: (name, h100e, kW, price $, life years).
CHIP_GENERATIONS: list[tuple[str, float, float, float, float]] = [
    ("h100", 1.0, 1.275, 30_000, 5),
    ("gb200", 2.3, 1.67, 45_600, 5),
    ("gb300", 2.5, 1.97, 50_000, 5),
]


def _chips(
    rng: random.Random, n_chips: int, start: dt.date, end: dt.date, n_sites: int
) -> dict[str, Chip]:
    """``n_chips`` generations: the installed fleet's H100 first, the rest staggered to the end."""
    chips: dict[str, Chip] = {}
    first_new = dt.date(2025, 1, 1)
    span_days = max(365, (end - first_new).days - 365)
    cadence = span_days / max(1, n_chips - 1)
    h100e, kw, price = 1.0, 1.275, 30_000.0
    for i in range(n_chips):
        if i < len(CHIP_GENERATIONS):
            name, h100e, kw, price, life = CHIP_GENERATIONS[i]
        else:
            name = f"gen{i}"
            h100e, kw, price, life = h100e * 1.45, min(20.0, kw * 1.12), price * 1.18, 5.0
        if i == 0:
            available_from, available_until = dt.date(2023, 1, 1), dt.date(2025, 12, 31)
        else:
            available_from = first_new + dt.timedelta(days=round((i - 1) * cadence))
            sold_days = max(3 * 365, round(2.5 * cadence))
            available_until = available_from + dt.timedelta(days=sold_days)
        alloc = None if i < 2 else round(60.0 * n_sites * rng.uniform(0.8, 1.2), 1)
        chips[name] = Chip(
            h100e=round(h100e, 3),
            kw=round(kw, 3),
            price_usd=round(price),
            price_decline_per_year=0.15,
            vendor_markup=1.0,
            available_from=available_from,
            available_until=available_until,
            life_years=life,
            vendor_alloc_k_per_year=alloc,
            source=SOURCE,
        )
    return chips


def _sites(
    rng: random.Random, n_sites: int, start: dt.date
) -> tuple[dict[str, Site], dict[str, PowerSource], list[str]]:
    """Sites at hubs (jittered after the first round) with their power sources; the built ones."""
    sites: dict[str, Site] = {}
    sources: dict[str, PowerSource] = {}
    n_built = min(n_sites, max(2, n_sites // 10))  # the lease takes one; internal work another
    built = []
    for i in range(n_sites):
        hub, lat, lon = HUBS[i % len(HUBS)]
        if i >= len(HUBS):
            lat += rng.uniform(-1.0, 1.0)
            lon += rng.uniform(-1.0, 1.0)
        name = f"s{i:03d}_{hub}"
        max_mw = round(rng.uniform(200, 1500), -1)
        pue = round(rng.uniform(1.2, 1.35), 2)
        is_built = i < n_built
        sites[name] = Site(
            kind="terrestrial",
            lat_deg=round(lat, 4),
            lon_deg=round(lon, 4),
            max_mw=max_mw,
            lead_months=rng.choice([18, 18, 24, 24, 30]),
            capex_musd_per_mw=round(rng.uniform(10.0, 12.0), 2),
            opex_musd_per_mw_year=0.35,
            pue=pue,
            availability=0.97,
            earliest=start if is_built else add_months(start, rng.choice([0, 6, 12, 24])),
            module_mw=50.0 if max_mw < 800 else 100.0,
            life_years=14.0,
            source=SOURCE,
        )
        if is_built:
            built.append(name)
        peak = max_mw * pue
        sources[f"{name}_grid"] = PowerSource(
            site=name,
            kind="grid",
            limit_mw=round(peak * rng.uniform(0.4, 0.9), -1),
            capacity_credit=1.0,
            cost_usd_per_mwh=round(rng.uniform(45, 85)),
            source=SOURCE,
        )
        if rng.random() < 0.5 or is_built:
            sources[f"{name}_turbines"] = PowerSource(
                site=name,
                kind="turbine",
                limit_mw=round(peak * rng.uniform(0.3, 0.8), -1),
                capacity_credit=1.0,
                cost_usd_per_mwh=round(rng.uniform(70, 95)),
                source=SOURCE,
            )
        if rng.random() < 0.33:
            sources[f"{name}_battery"] = PowerSource(
                site=name,
                kind="battery",
                limit_mw=round(peak * 0.2, -1),
                capacity_credit=0.25,
                cost_usd_per_mwh=0,
                source=SOURCE,
            )
        if rng.random() < 0.25:
            sources[f"{name}_solar"] = PowerSource(
                site=name,
                kind="solar",
                limit_mw=round(peak * rng.uniform(0.2, 0.5), -1),
                capacity_credit=0.3,
                capacity_factor=0.25,
                cost_usd_per_mwh=round(rng.uniform(25, 40)),
                source=SOURCE,
            )
    return sites, sources, built


def _tenants(rng: random.Random, n_tenants: int, total_mw: float) -> dict[str, Tenant]:
    """Internal and external tenants; demand starts at ~12% of the sites' ceiling and grows to
    about twice it (at today's ~1.4 kH100e/MW; later chips pack 2-3x more compute per MW)."""
    tenants: dict[str, Tenant] = {}
    n_internal = max(1, n_tenants // 3)
    ceiling = total_mw * 1.4 / max(1, n_tenants)  # kH100e per tenant at GB200 density
    for i in range(n_tenants):
        internal = i < n_internal
        workload = "training" if i % 2 == 0 else "inference"
        metro, lat, lon = METROS[i % len(METROS)]
        if i >= len(METROS):
            lat += rng.uniform(-0.5, 0.5)
            lon += rng.uniform(-0.5, 0.5)
        sla = float(rng.choice([8, 10, 15, 20, 30])) if workload == "inference" and i > 0 else None
        demand = 0.12 * ceiling * rng.uniform(0.4, 1.6)
        firm = internal and workload == "inference"
        kind = "internal" if internal else "external"
        tenants[f"t{i:03d}_{kind[:3]}_{workload[:5]}_{metro}"] = Tenant(
            kind=kind,
            workload=workload,
            lat_deg=round(lat, 4),
            lon_deg=round(lon, 4),
            latency_sla_ms=sla,
            demand_k_h100e=round(demand, 1),
            demand_growth_per_year=round(rng.uniform(0.3, 0.8), 2),
            demand_max_k_h100e=round(2.0 * ceiling * rng.uniform(0.6, 1.4), 1),
            value_usd_per_h100e_hour=round(
                rng.uniform(2.0, 3.0) if internal else rng.uniform(1.8, 2.6), 2
            ),
            value_decline_per_year=round(rng.uniform(0.15, 0.25), 2),
            firm=firm,
            unmet_penalty_usd_per_h100e_hour=6.0 if firm else 0.0,
            bandwidth_gbps_per_k_h100e=2.0 if workload == "inference" else 0.0,
            source=SOURCE,
        )
    return tenants


def synthetic_spec(
    n_sites: int,
    n_periods_years: int,
    n_chips: int,
    n_tenants: int,
    period: str = "year",
    seed: int = 0,
) -> Spec:
    """A validated :class:`~twin.spec.load.Spec` of the given size (see module docstring).

    ``n_periods_years`` is the horizon length in years; with ``period="quarter"`` the model has
    four times as many periods. The same arguments always give the same spec.
    """
    if n_sites < 1 or n_chips < 1 or n_tenants < 1 or n_periods_years < 1:
        raise ValueError("expected at least one site, chip, tenant and year")
    rng = random.Random(seed)
    start = dt.date(2026, 7, 1)
    end = add_months(start, 12 * n_periods_years)
    chips = _chips(rng, n_chips, start, end, n_sites)
    sites, sources, built = _sites(rng, n_sites, start)
    tenants = _tenants(rng, n_tenants, sum(s.max_mw for s in sites.values()))

    events: dict[str, Event] = {}
    existing_mw: dict[str, float] = {}
    first_chip = next(iter(chips))
    for s in built:
        mw = round(sites[s].max_mw * rng.uniform(0.3, 0.6), -1)
        if s != built[0]:  # room for internal work beside the lease (internal share policy)
            mw = max(mw, round(0.5 * existing_mw[built[0]], -1))
        existing_mw[s] = mw
        events[f"{s}_online"] = Event(
            date=dt.date(2024, 7, 22), kind="site_online", site=s, mw=mw, source=SOURCE
        )
        events[f"{s}_chips"] = Event(
            date=dt.date(2024, 7, 22),
            kind="chips_installed",
            site=s,
            chip=first_chip,
            chips=round(mw * 1e3 / chips[first_chip].kw * 0.9),
            source=SOURCE,
        )

    # The lessee takes all compute installed at the leased site (running or not), so its demand
    # must hold it; internal work needs a share beside it (policy). Both are set to fit.
    c0 = chips[first_chip]
    leased_k = existing_mw[built[0]] / c0.kw * 0.9 * c0.h100e
    lessee = next((j for j, t in tenants.items() if t.kind == "external"), next(iter(tenants)))
    t = tenants[lessee]
    tenants[lessee] = t.model_copy(
        update={
            "latency_sla_ms": None,
            "demand_k_h100e": round(max(t.demand_k_h100e, 1.3 * leased_k), 1),
            "demand_growth_per_year": max(t.demand_growth_per_year, 0.3),
            "demand_max_k_h100e": round(max(t.demand_max_k_h100e or 0.0, 6 * leased_k), 1),
        }
    )
    t = tenants[next(iter(tenants))]
    if t.kind == "internal":
        tenants[next(iter(tenants))] = t.model_copy(
            update={"demand_k_h100e": round(max(t.demand_k_h100e, 0.5 * leased_k), 1)}
        )
    tenants = _reachable(tenants, sites)
    contracts: dict[str, Contract] = {}
    contracts[f"{built[0]}_lease"] = Contract(
        tenant=lessee,
        site=built[0],
        form="whole_site",
        start=dt.date(2026, 5, 6),
        term_months=12,
        notice_months=3,
        renew=True,
        price_usd_per_h100e_hour=2.6,
        source=SOURCE,
    )

    model = Model(
        name=f"synthetic_{n_sites}s_{n_periods_years}y{period[0]}_{n_chips}k_{n_tenants}j",
        description="Synthetic benchmark fleet (benchmarks/synthetic.py)",
        horizon=Horizon(
            start=start, years=n_periods_years, period=period, end_effects="straight_line"
        ),
        economics=Economics(discount_rate=0.10, base_year=2026, salvage=True),
        policy=Policy(internal_share_min=0.2 if len(built) > 1 else 0.0, allow_external=True),
        solver=SolverOptions(integer_modules=False, mip_gap=1e-3, time_limit_s=3600.0),
        sites=sites,
        chips=chips,
        tenants=tenants,
        power_sources=sources,
        contracts=contracts,
        events=events,
    )
    spec = Spec(model=model, path=Path("<synthetic>"), scenario=None, overrides=(), files={})
    run_checks(spec)
    return spec


def _reachable(tenants: dict[str, Tenant], sites: dict[str, Site]) -> dict[str, Tenant]:
    """Raise an SLA no site can meet to 1.2x the fiber latency of the nearest site [ms]."""
    out = {}
    for name, t in tenants.items():
        if t.latency_sla_ms is not None:
            nearest = min(
                fiber_latency_ms(great_circle_km(s.lat_deg, s.lon_deg, t.lat_deg, t.lon_deg))
                for s in sites.values()
            )
            if nearest > t.latency_sla_ms:
                t = t.model_copy(update={"latency_sla_ms": float(math.ceil(nearest * 1.2))})
        out[name] = t
    return out
