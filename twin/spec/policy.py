"""Schema of a scenario's policy: how compute is split, carbon, reserve and clean-power shares."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from twin.spec.base import Frozen

__all__ = ["Policy"]


class Policy(Frozen):
    """Scenario-set policy on how compute is split."""

    internal_share_min: float = Field(
        0.0, ge=0.0, le=1.0, description="Least share of allocated compute kept internal [-]"
    )
    allow_external: bool = Field(
        True,
        description="Serve external tenants; if false, only under contracts already "
        "signed, while they run, and at their contract price only [-]",
    )
    carbon_usd_per_t: float = Field(0.0, ge=0, le=1000, description="Carbon price [$/t CO2]")
    co2_cap_kt_per_year: float | None = Field(
        None, ge=0, description="Cap on CO2 from all sites' power; empty: none [kt/year]"
    )
    reserve_margin: float = Field(
        0.0, ge=0, le=1, description="Firm capacity above the peak facility load [-]"
    )
    peak_to_average: float = Field(
        1.0, ge=1, le=3, description="Peak over average facility load within a period [-]"
    )
    renewable_share: float = Field(0.0, ge=0, le=1, description="Least share of the ground "
        "sites' energy from solar and wind per period, in [0, 1] (annual energy) [-]")  # fmt: skip
    cfe_share: float = Field(0.0, ge=0, le=1, description="Least share of the ground sites' "
        "load met by carbon-free energy in the same hour per period, in [0, 1]; the period "
        "form matches the year (README 'Clean-power shares') [-]")  # fmt: skip
    clean_from: dt.date | None = Field(None, description="Date the renewable and carbon-free "
        "shares start to apply: every period starting on or after it (a goal's target year); "
        "empty: every period [date]")  # fmt: skip
