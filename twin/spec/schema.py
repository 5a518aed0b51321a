"""Frozen pydantic schemas of a model file and its dataset tables.

Every field says its unit in brackets at the end of its description; the README's schema table and
the dataset column checks are generated from these descriptions, so units live in one place.
Unknown keys are errors (``extra='forbid'``), and the loader turns pydantic's messages into
:class:`~twin.spec.errors.SpecError` naming the file and key.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from twin.spec.base import Frozen, Source
from twin.spec.horizon import Horizon
from twin.spec.leases import Contract, LeaseTerms, Offer
from twin.spec.orbit import GroundStation, Orbit
from twin.spec.policy import Policy
from twin.spec.power import PowerMarket, PowerProject, PowerSource
from twin.spec.regions import RegionTranche
from twin.spec.roadmap import Roadmap
from twin.spec.row_checks import tenant_bounds, whole_chips
from twin.spec.traffic import Link, Traffic, UserRegion
from twin.spec.uncertainty import Uncertainty

# lease schemas live in twin.spec.leases, power schemas in twin.spec.power
__all__ = ["Contract", "LeaseTerms", "Offer", "PowerSource", "Source"]


class Economics(Frozen):
    """Discounting: every cash flow in period p is multiplied by ``(1 + r) ** -t_p``."""

    discount_rate: float = Field(0.08, ge=0.0, lt=1.0, description="Real discount rate [1/year]")
    base_year: int = Field(2026, description="Year of the money's real value [year]")
    salvage: bool = Field(
        True, description="Credit straight-line remaining value of assets at the horizon end [-]"
    )
    chip_resale_share: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Chips may be retired early and sold at this share of their straight-line "
        "book value (0: retired for power and space alone); empty: chips serve their whole "
        "life (0 to 1) [-]",
    )
    gas_usd_per_mmbtu: float = Field(
        3.5, ge=0, le=100, description="Gas price in the base year, every gas unit [$/MMBtu]"
    )
    gas_change_per_year: float = Field(
        0.0, ge=-0.5, le=0.5, description="Compound change of the gas price [1/year]"
    )


#: Which of the plans within ``tie_break_eps`` of the best NPV to report (twin.plan.tie_break):
#: ``compute_early`` the one that buys the most compute, discounted; ``none`` the solver's.
TieBreak = Literal["none", "compute_early"]


class SolverOptions(Frozen):
    """Options handed to the solver (HiGHS unless ``name`` says otherwise)."""

    name: str = Field("highs", min_length=1, description="highs, or a Pyomo SolverFactory name [-]")
    integer_modules: bool = Field(False, description="Build sites in whole modules (MILP) [-]")
    integer_leases: bool | None = Field(
        None,
        description="Lease decisions (renew or give notice, take an offer) as binaries; "
        "false: their LP relaxation (fractions of a lease); empty: as integer_modules [-]",
    )
    mip_gap: float = Field(1e-3, ge=0.0, le=1.0, description="Relative MIP gap [-]")
    time_limit_s: float = Field(600.0, gt=0.0, description="Solver time limit [s]")
    threads: int = Field(1, ge=1, le=64, description="Solver threads [-]")
    method: Literal["choose", "simplex", "ipm", "pdlp"] = Field(
        "choose",
        description="HiGHS LP method; 'choose' takes interior point above 100k nonzeros "
        "(4-7x faster than simplex at 0.5-1M, benchmarks/README.md), dual simplex on the "
        "hourly form (horizon.hours; README 'Power in hours') [-]",
    )
    tie_break: TieBreak = Field(
        "none",
        description="Of the plans within tie_break_eps of the best NPV, report: 'compute_early' "
        "the one buying the most compute, discounted (a second LP solve; MIPs skip it), "
        "'none' the solver's own [-]",
    )
    tie_break_eps: float = Field(
        1e-4,
        gt=0.0,
        le=0.01,
        description="Share of the best NPV a tie-break may give up, in (0, 0.01] [-]",
    )
    foresight: Literal["perfect", "myopic"] = Field(
        "perfect",
        description="'perfect' sees the whole horizon; 'myopic' solves window by window, "
        "earlier decisions fixed (twin.study.foresight) [-]",
    )
    window_years: int = Field(
        5, ge=1, le=40, description="Myopic foresight: years each window sees [years]"
    )
    step_years: int = Field(
        1, ge=1, le=40, description="Myopic foresight: years committed per window [years]"
    )


class Vendor(Frozen):
    """The chip vendor's pricing power and allocation, applied to every generation it sells."""

    markup: float = Field(
        1.0, gt=0, le=10, description="Multiplier on every chip's vendor price [-]"
    )
    allocation_scale: float = Field(
        1.0, ge=0, le=10, description="Multiplier on every chip's vendor allocation [-]"
    )


class Site(Frozen):
    """A data-center site: terrestrial (grid, turbines, batteries) or orbital (a shell's share)."""

    kind: Literal["terrestrial", "orbital"] = Field("terrestrial", description="Site kind [-]")
    lat_deg: float | None = Field(None, ge=-90, le=90, description="Latitude [deg]")
    lon_deg: float | None = Field(None, ge=-180, le=180, description="Longitude [deg]")
    max_mw: float = Field(ge=0, description="Largest IT capacity the site can hold [MW]")
    lead_months: int = Field(ge=0, le=120, description="Build start to online [months]")
    capex_musd_per_mw: float = Field(ge=0, description="Facility capex per IT MW [$M/MW]")
    opex_musd_per_mw_year: float = Field(ge=0, description="Fixed facility opex [$M/MW-year]")
    mothball_keep_share: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Share of fixed opex a mothballed MW still costs; empty: halls cannot be "
        "mothballed [-]",
    )
    pue: float = Field(1.3, ge=1.0, le=3.0, description="Power usage effectiveness [-]")
    availability: float = Field(0.97, gt=0, le=1, description="Share of compute usable [-]")
    earliest: dt.date | None = Field(None, description="Earliest build start [date]")
    module_mw: float | None = Field(None, gt=0, description="Build module size for MILP [MW]")
    life_years: float = Field(14.0, gt=0, description="Facility life, for salvage [years]")
    shell: str | None = Field(None, description="Orbital shell of an orbital site [-]")
    wue_l_per_kwh: float = Field(0.0, ge=0, description="Site water use per IT kWh [L/kWh]")
    region: str | None = Field(None, description="Region of a candidate tranche site [-]")
    enabled: bool = Field(True, description="Whether the site takes part [-]")
    source: str = Source

    @model_validator(mode="after")
    def _kind_fields(self) -> Site:
        if self.kind == "terrestrial" and (self.lat_deg is None or self.lon_deg is None):
            raise ValueError("a terrestrial site needs lat_deg and lon_deg")
        if self.kind == "orbital" and not self.shell:
            raise ValueError("an orbital site needs 'shell', the name of an orbit shell")
        return self


class Chip(Frozen):
    """An accelerator generation as bought from the vendor (or made in a fab)."""

    h100e: float = Field(gt=0, le=1000, description="Compute per chip [H100e]")
    kw: float = Field(gt=0, le=20, description="IT power per chip incl. server share [kW]")
    price_usd: float = Field(ge=0, description="Installed price per chip incl. server share [$]")
    price_decline_per_year: float = Field(
        0.0, ge=0, lt=1, description="Price falls by this share a year after launch [1/year]"
    )
    vendor_markup: float = Field(
        1.0, gt=0, le=10, description="Multiplier on price_usd: the vendor's pricing power [-]"
    )
    available_from: dt.date = Field(description="First date the vendor ships it [date]")
    available_until: dt.date | None = Field(None, description="Last date it is sold [date]")
    life_years: float = Field(gt=0, le=15, description="Useful life after install [years]")
    vendor_alloc_k_per_year: float | None = Field(
        None, ge=0, description="Vendor allocation to us; empty is unlimited [1000 chips/year]"
    )
    extrapolated: bool = Field(False, description="Generated from the roadmap's trend [-]")
    source: str = Source


class Tenant(Frozen):
    """Who uses compute: internal work (opportunity value) or an external tenant (price paid)."""

    kind: Literal["internal", "external"] = Field(description="Internal work or paying tenant [-]")
    workload: Literal["training", "inference"] = Field(description="Kind of work [-]")
    lat_deg: float = Field(ge=-90, le=90, description="Latitude of its users/PoP [deg]")
    lon_deg: float = Field(ge=-180, le=180, description="Longitude of its users/PoP [deg]")
    latency_sla_ms: float | None = Field(
        None, gt=0, description="Largest one-way latency to a serving site; empty: none [ms]"
    )
    demand_k_h100e: float = Field(ge=0, description="Demand in the first period [1000 H100e]")
    demand_growth_per_year: float = Field(
        0.0, ge=-1, le=5, description="Compound demand growth [1/year]"
    )
    demand_max_k_h100e: float | None = Field(
        None, ge=0, description="Cap on demand growth [1000 H100e]"
    )
    demand_blocks: list[float] | None = Field(
        None,
        description="Demand curve: size of each block as a share of the demand path; "
        "empty: one block of the whole demand [-]",
    )
    demand_block_values: list[float] | None = Field(
        None,
        description="Value of each block as a share of the tenant's value, falling "
        "from block to block [-]",
    )
    value_usd_per_h100e_hour: float = Field(
        ge=0, le=100, description="Internal value or market price of compute [$/H100e-hour]"
    )
    value_decline_per_year: float = Field(
        0.0, ge=0, lt=1, description="Value/price falls by this share a year [1/year]"
    )
    value_floor_usd_per_h100e_hour: float = Field(
        0.0, ge=0, le=100, description="Long-run level the value falls toward [$/H100e-hour]"
    )
    value_ref: str | None = Field(
        None, description="Valued at this tenant's price path (displaced compute) [-]"
    )
    value_ref_factor: float = Field(
        1.0, gt=0, le=10, description="Multiplier on the value_ref tenant's price [-]"
    )
    firm: bool = Field(False, description="Demand must be met or pay the unmet penalty [-]")
    unmet_penalty_usd_per_h100e_hour: float = Field(
        0.0, ge=0, le=100, description="Penalty on unmet firm demand [$/H100e-hour]"
    )
    bandwidth_gbps_per_k_h100e: float = Field(
        0.0, ge=0, description="Downlink its work needs per 1000 H100e (orbit) [Gbit/s]"
    )
    inference_share: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Share of its compute that is inference routed from user regions when "
        "traffic is enabled; empty: not routed [-]",
    )
    enabled: bool = Field(True, description="Whether the tenant takes part [-]")
    source: str = Source

    @field_validator("demand_blocks")
    @classmethod
    def _block_sizes(cls, v: list[float] | None) -> list[float] | None:
        if v is not None and (not v or any(not 0 < x <= 100 for x in v)):
            raise ValueError("expected block sizes above 0 and at most 100 (shares of demand)")
        return v

    @field_validator("demand_block_values")
    @classmethod
    def _block_values(cls, v: list[float] | None, info: ValidationInfo) -> list[float] | None:
        if v is None:
            return v
        if any(not 0 <= x <= 1 for x in v):
            raise ValueError("expected block values from 0 to 1 (shares of the tenant's value)")
        if any(b > a for a, b in itertools.pairwise(v)):
            raise ValueError(f"expected values that do not rise from block to block, got {v}")
        sizes = info.data.get("demand_blocks")
        if sizes is None or len(sizes) != len(v):
            raise ValueError("expected one value per block of demand_blocks")
        return v

    @model_validator(mode="after")
    def _curve_not_firm(self) -> Tenant:
        if self.demand_blocks is not None and self.demand_block_values is None:
            raise ValueError("demand_blocks needs demand_block_values, one per block")
        if self.demand_blocks is not None and self.firm:
            raise ValueError("a firm tenant's demand must be met: it takes no demand curve")
        tenant_bounds(self)
        return self


EventKind = Literal[
    "site_online", "chips_installed", "chips_retired", "power_limit", "contract_signed", "note"
]


class Event(Frozen):
    """A dated fact about the fleet; replayed in date order into the as-built state."""

    date: dt.date = Field(description="When it happened or is committed to happen [date]")
    kind: EventKind = Field(description="What happened [-]")
    site: str | None = Field(None, description="Site concerned [-]")
    chip: str | None = Field(None, description="Chip generation concerned [-]")
    power_source: str | None = Field(None, description="Power source concerned [-]")
    contract: str | None = Field(None, description="Contract concerned [-]")
    mw: float | None = Field(None, ge=0, description="IT MW added, or the new power limit [MW]")
    chips: float | None = Field(None, ge=0, description="Chips installed or retired [chips]")
    description: str = Field("", description="What it was [text]")
    source: str = Source

    @model_validator(mode="after")
    def _kind_fields(self) -> Event:
        need = {
            "site_online": ("site", "mw"),
            "chips_installed": ("site", "chip", "chips"),
            "chips_retired": ("site", "chip", "chips"),
            "power_limit": ("power_source", "mw"),
            "contract_signed": ("contract",),
            "note": (),
        }[self.kind]
        missing = [f for f in need if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a '{self.kind}' event needs {', '.join(missing)}")
        whole_chips(self.chips)
        return self


class Fab(Frozen):
    """A chip fab (Terafab-style): built once, ramps, learns yield, makes one chip generation.

    Good chips per period = wafer starts x ramp(years since first wafer) x yield(...) x dies per
    wafer; unit cost = (capex annuity + fixed opex) / good chips + variable cost per chip.
    """

    chip: str = Field(description="Chip generation it makes [-]")
    capex_musd_per_kwspm: float = Field(
        gt=0, description="Construction capex per 1000 wafer starts/month [$M]"
    )
    max_kwspm: float = Field(gt=0, description="Largest size [1000 wafer starts/month]")
    module_kwspm: float | None = Field(
        None, gt=0, description="Module size for MILP (minimum economic scale) [1000 wspm]"
    )
    lead_months: int = Field(ge=0, le=120, description="Build start to first wafer [months]")
    earliest: dt.date = Field(description="Earliest construction start [date]")
    ramp: list[float] = Field(
        min_length=1, description="Output share by year since first wafer, last holds [-]"
    )
    yield_curve: list[float] = Field(
        min_length=1, description="Die yield by year since first wafer, last holds [-]"
    )
    dies_per_wafer: float = Field(gt=0, description="Candidate dies per wafer [dies]")
    variable_usd_per_chip: float = Field(
        ge=0, description="Wafer, packaging and HBM cost per good chip [$]"
    )
    opex_musd_per_kwspm_year: float = Field(ge=0, description="Fixed opex [$M/(1000 wspm)/yr]")
    life_years: float = Field(20.0, gt=0, description="Fab life, for salvage [years]")
    enabled: bool = Field(True, description="Whether a fab may be built [-]")
    source: str = Source

    @field_validator("ramp", "yield_curve")
    @classmethod
    def _shares(cls, v: list[float]) -> list[float]:
        bad = [x for x in v if not 0.0 <= x <= 1.0]
        if bad:
            raise ValueError(f"expected shares between 0 and 1, got {bad[0]}")
        return v


class Scenario(Frozen):
    """A named set of overrides: dotted paths into the model and their new values."""

    description: str = Field("", description="What the scenario asks [text]")
    set: dict[str, object] = Field(default_factory=dict, description="Path -> value [-]")


class Model(Frozen):
    """A whole model: horizon, economics, tables, orbit, and named scenarios."""

    name: str
    description: str = ""
    datasets: dict[str, str] = Field(default_factory=dict)
    horizon: Horizon
    economics: Economics = Field(default_factory=Economics)
    policy: Policy = Field(default_factory=Policy)
    solver: SolverOptions = Field(default_factory=SolverOptions)
    vendor: Vendor = Field(default_factory=Vendor)
    sites: dict[str, Site] = Field(default_factory=dict)
    chips: dict[str, Chip] = Field(default_factory=dict)
    tenants: dict[str, Tenant] = Field(default_factory=dict)
    power_sources: dict[str, PowerSource] = Field(default_factory=dict)
    contracts: dict[str, Contract] = Field(default_factory=dict)
    offers: dict[str, Offer] = Field(default_factory=dict)
    events: dict[str, Event] = Field(default_factory=dict)
    fabs: dict[str, Fab] = Field(default_factory=dict)
    power_projects: dict[str, PowerProject] = Field(default_factory=dict)
    power_markets: dict[str, PowerMarket] = Field(default_factory=dict)
    regions: dict[str, RegionTranche] = Field(default_factory=dict)
    user_regions: dict[str, UserRegion] = Field(default_factory=dict)
    links: dict[str, Link] = Field(default_factory=dict)
    traffic: Traffic = Field(default_factory=Traffic)
    roadmap: Roadmap = Field(default_factory=Roadmap)
    orbit: Orbit = Field(default_factory=Orbit)
    scenarios: dict[str, Scenario] = Field(default_factory=dict)
    uncertainty: Uncertainty | None = Field(
        None, description="Uncertain inputs, scenario tree and risk measure [-]"
    )


#: The tables a model may load from CSV, and the schema of one row of each.
TABLES: dict[str, type[Frozen]] = {
    "sites": Site,
    "chips": Chip,
    "tenants": Tenant,
    "power_sources": PowerSource,
    "contracts": Contract,
    "offers": Offer,
    "events": Event,
    "fabs": Fab,
    "ground_stations": GroundStation,
    "power_projects": PowerProject,
    "power_markets": PowerMarket,
    "regions": RegionTranche,
    "user_regions": UserRegion,
    "links": Link,
}
