"""Candidate sites by region: tranches of a regional supply curve, expanded into sites.

A region offers land, water and a utility territory in tranches: tranche 1 is the cheapest and
quickest (an existing industrial plot, a substation nearby); each later tranche costs more per MW
and takes longer (new transmission, a new substation, a longer permit). Each tranche becomes a
terrestrial site named ``<region>_<tranche>`` (``Site.region`` set), so every family treats it
as any other site; :mod:`twin.plan.regions` adds the regional construction-rate limit.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from twin.spec.base import Frozen


class RegionTranche(Frozen):
    """One tranche of a region's supply curve of data-center sites."""

    region: str = Field(description="Region the tranche belongs to [-]")
    tranche: int = Field(ge=1, le=20, description="Position on the supply curve, 1 first [-]")
    lat_deg: float = Field(ge=-90, le=90, description="Latitude of the region's centre [deg]")
    lon_deg: float = Field(ge=-180, le=180, description="Longitude of the region's centre [deg]")
    max_mw: float = Field(ge=0, description="IT capacity the tranche can hold [MW]")
    capex_musd_per_mw: float = Field(ge=0, description="Facility capex per IT MW [$M/MW]")
    opex_musd_per_mw_year: float = Field(ge=0, description="Fixed facility opex [$M/MW-year]")
    lead_months: int = Field(ge=0, le=120, description="Build start to online [months]")
    earliest: dt.date = Field(description="Earliest build start [date]")
    pue: float = Field(1.25, ge=1.0, le=3.0, description="Power usage effectiveness [-]")
    wue_l_per_kwh: float = Field(0.0, ge=0, description="Site water use per IT kWh [L/kWh]")
    build_rate_mw_per_year: float = Field(
        gt=0, description="Most IT MW the region can start building a year (all tranches) [MW/yr]"
    )
    enabled: bool = Field(True, description="Whether the tranche takes part [-]")
    source: str = Field(
        min_length=3, description="Publisher and date, or 'assumption: <why>' [text]"
    )


def region_build_rate(regions: dict[str, RegionTranche]) -> dict[str, float]:
    """Construction rate of each region [MW/yr]: the smallest stated by its tranches."""
    out: dict[str, float] = {}
    for r in regions.values():
        out[r.region] = min(out.get(r.region, r.build_rate_mw_per_year), r.build_rate_mw_per_year)
    return out
