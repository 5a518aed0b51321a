"""Schemas of power: today's sources at a site, and the projects the plan may build or contract.

Energy and firm capacity are separate numbers (README "Power"):

- energy: a source or project delivers on average at most ``capacity_factor x nameplate`` MW
  (its energy availability: solar ~0.25, wind ~0.35, nuclear ~0.93, gas its availability);
- firm capacity: it counts ``capacity_credit x nameplate`` MW towards the site's peak load plus
  reserve margin. A credit is never energy.
- storage (a ``battery`` source, a ``battery`` project) has power MW, energy MWh and round-trip
  efficiency but no energy of its own: in the period form it adds firm capacity and zero energy.

A project row is a technology offered at every terrestrial site it names (``sites``: site or region
names; empty: every terrestrial site), online ``lead_months`` after construction starts (never
before ``earliest`` + lead; pro rata in the period it comes online). Energy drawn costs
``variable + heat_rate x gas price path`` $/MWh (one gas price for every gas unit, old and new:
``economics.gas_usd_per_mmbtu``); a PPA's price is its variable cost, and a ``take_or_pay_share``
of its contracted volume (``capacity_factor x nameplate``) is paid whether drawn or not.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from twin.spec.base import Frozen, Source

Technology = Literal[
    "gas_combined_cycle", "gas_simple_cycle", "grid", "solar_storage_ppa", "wind_storage_ppa",
    "nuclear_ppa", "battery",
]  # fmt: skip

#: the technologies that store energy and make none: firm capacity only in the period form
STORAGE_TECHNOLOGIES = ("battery",)

CapacityFactor = Field(
    1.0,
    gt=0,
    le=1,
    description="Energy availability: largest average draw per MW of nameplate, in (0, 1] "
    "(ignored for storage) [-]",
)
HeatRate = Field(
    0.0, ge=0, le=20, description="Gas burnt per MWh, priced at the one gas path; 0: no gas "
    "[MMBtu/MWh]",
)  # fmt: skip
Efficiency = Field(
    0.85, gt=0, le=1, description="Storage round-trip efficiency, in (0, 1] (storage only) [-]"
)


class PowerSource(Frozen):
    """A power supply at a site today: energy up to ``limit x capacity_factor`` (none from a
    battery), firm capacity ``limit x capacity_credit``."""

    site: str = Field(description="Site it supplies [-]")
    kind: Literal["grid", "turbine", "battery", "solar"] = Field(description="Source kind [-]")
    limit_mw: float = Field(ge=0, description="Largest power it supplies (nameplate) [MW]")
    capacity_credit: float = Field(
        1.0, ge=0, le=1, description="Firm MW at the peak per MW of limit [-]"
    )
    capacity_factor: float = CapacityFactor
    cost_usd_per_mwh: float = Field(
        ge=0, le=10_000, description="Energy cost besides gas (variable O&M, tariff) [$/MWh]"
    )
    heat_rate_mmbtu_per_mwh: float = HeatRate
    energy_mwh: float = Field(0.0, ge=0, description="Storage energy (battery only) [MWh]")
    round_trip_efficiency: float = Efficiency
    co2_t_per_mwh: float = Field(0.0, ge=0, description="CO2 emitted per MWh drawn [t/MWh]")
    nox_kg_per_mwh: float = Field(0.0, ge=0, description="NOx emitted on site per MWh [kg/MWh]")
    water_l_per_mwh: float = Field(0.0, ge=0, description="Water consumed per MWh [L/MWh]")
    source: str = Source


class PowerProject(Frozen):
    """A power technology the plan may build (or contract) at a site, with its permit limit."""

    technology: Technology = Field(description="Technology [-]")
    sites: list[str] = Field(
        default_factory=list,
        description="Sites or regions where it may be built; empty: every terrestrial site [-]",
    )
    capex_musd_per_mw: float = Field(ge=0, description="Capex per MW of nameplate [$M/MW]")
    fixed_musd_per_mw_year: float = Field(
        ge=0, description="Fixed O&M per MW nameplate [$M/MW-year]"
    )
    capacity_charge_musd_per_mw_year: float = Field(
        0.0, ge=0, le=1, description="Capacity (demand) charge per MW of nameplate online, "
        "e.g. a market's capacity price [$M/MW-year]",
    )  # fmt: skip
    variable_usd_per_mwh: float = Field(
        ge=0, le=10_000, description="Variable cost besides gas, or a PPA's price [$/MWh]"
    )
    heat_rate_mmbtu_per_mwh: float = HeatRate
    take_or_pay_share: float = Field(
        0.0, ge=0, le=1, description="Share of the contracted volume (capacity factor x "
        "nameplate online) paid at the energy price whether drawn or not, in [0, 1] [-]",
    )  # fmt: skip
    lead_months: int = Field(ge=0, le=180, description="Construction start to power [months]")
    earliest: dt.date = Field(description="Earliest construction start or order [date]")
    max_mw_per_site: float = Field(ge=0, description="Permit: largest nameplate per site [MW]")
    capacity_credit: float = Field(gt=0, le=1, description="Firm MW per MW of nameplate [-]")
    capacity_factor: float = CapacityFactor
    storage_hours: float = Field(0.0, ge=0, le=24, description="Storage MWh per MW [h]")
    round_trip_efficiency: float = Efficiency
    co2_t_per_mwh: float = Field(0.0, ge=0, description="CO2 emitted per MWh drawn [t/MWh]")
    nox_kg_per_mwh: float = Field(
        0.0, ge=0, description="NOx emitted on site per MWh drawn [kg/MWh]"
    )
    water_l_per_mwh: float = Field(0.0, ge=0, description="Water consumed per MWh [L/MWh]")
    life_years: float = Field(25.0, gt=0, description="Asset or contract life, for salvage [years]")
    enabled: bool = Field(True, description="Whether the plan may build it [-]")
    source: str = Source


class PowerMarket(Frozen):
    """A market-wide limit on power projects where supply is the bottleneck (issue 17): turbine
    slots a year, a restart pipeline's total, an interconnection queue's MW a year. It caps the
    nameplate of its technologies started (ordered) at its sites, summed over them: at most
    ``mw_per_year x dt`` per full period (the first gets what accrues by its middle:
    :func:`twin.plan.calendar.rate_caps`) and ``total_mw`` over the horizon."""

    technologies: list[Technology] = Field(min_length=1, description="Technologies it caps [-]")
    sites: list[str] = Field(
        default_factory=list,
        description="Sites or regions it covers; empty: every terrestrial site [-]",
    )
    mw_per_year: float | None = Field(
        None, ge=0, description="Most nameplate started a year, all its sites together [MW/yr]"
    )
    total_mw: float | None = Field(
        None, ge=0, description="Most nameplate started over the horizon, all its sites [MW]"
    )
    enabled: bool = Field(True, description="Whether the limit applies [-]")
    source: str = Source

    @model_validator(mode="after")
    def _a_limit(self) -> PowerMarket:
        """A market row without a limit would load and cap nothing."""
        if self.mw_per_year is None and self.total_mw is None:
            raise ValueError(
                "a power market limits nothing; expected mw_per_year [MW/yr], total_mw [MW] or both"
            )
        return self
