"""Schema of a power project the plan may build at a site: a technology with its costs and limits.

A project row is a technology offered at every terrestrial site it names (``sites``: site or region
names; empty: every terrestrial site). Built nameplate ``B`` MW contributes ``credit x B`` MW of
firm power to the site-power balance from ``lead_months`` after construction starts; energy drawn
costs ``variable + fuel x (1 + fuel_change)**years`` $/MWh (a PPA's price is its variable cost).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from twin.spec.base import Frozen

Technology = Literal[
    "gas_combined_cycle", "gas_simple_cycle", "grid", "solar_storage_ppa", "wind_storage_ppa",
    "nuclear_ppa",
]  # fmt: skip


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
    variable_usd_per_mwh: float = Field(
        ge=0, le=10_000, description="Variable cost, or a PPA's price [$/MWh]"
    )
    fuel_usd_per_mwh: float = Field(0.0, ge=0, description="Fuel cost in the base year [$/MWh]")
    fuel_change_per_year: float = Field(
        0.0, ge=-0.5, le=0.5, description="Compound change of the fuel price path [1/year]"
    )
    lead_months: int = Field(ge=0, le=180, description="Construction start to power [months]")
    earliest: dt.date = Field(description="Earliest construction start or order [date]")
    max_mw_per_site: float = Field(ge=0, description="Permit: largest nameplate per site [MW]")
    capacity_credit: float = Field(gt=0, le=1, description="Firm MW per MW of nameplate [-]")
    co2_t_per_mwh: float = Field(0.0, ge=0, description="CO2 emitted per MWh drawn [t/MWh]")
    nox_kg_per_mwh: float = Field(
        0.0, ge=0, description="NOx emitted on site per MWh drawn [kg/MWh]"
    )
    water_l_per_mwh: float = Field(0.0, ge=0, description="Water consumed per MWh [L/MWh]")
    life_years: float = Field(25.0, gt=0, description="Asset or contract life, for salvage [years]")
    enabled: bool = Field(True, description="Whether the plan may build it [-]")
    source: str = Field(
        min_length=3, description="Publisher and date, or 'assumption: <why>' [text]"
    )
