"""The power block of ``twin show``: IT against facility MW, new power online, energy by source,
firm capacity and reserve margin per site, take-or-pay paid for energy not drawn, emissions and
the clean-power scores."""

from __future__ import annotations

import xarray as xr

from twin.report.period_tables import _table
from twin.report.tables import Grid


def power_tables(ds: xr.Dataset) -> list[Grid]:
    """IT vs facility MW, power online by technology and by site, energy by source, reserve
    margin by site, take-or-pay paid unused, emissions and water."""
    if "facility_mw" not in ds:
        return []
    mw = xr.concat(
        [ds["capacity_mw"].sum("site"), ds["facility_mw"].sum("site")], dim="basis"
    ).assign_coords(basis=["IT", "facility (x PUE)"])
    out = [_table("Capacity online, IT and facility [MW]", mw, "basis")]
    if ds.sizes.get("project"):
        online = ds["power_online_mw"]
        by_tech = online.groupby(ds["project_technology"]).sum().sum("site")
        out.append(_table("New power online by technology [MW nameplate]", by_tech,
                          "project_technology"))  # fmt: skip
        by_site = online.sum("project")
        keep = by_site.sum("period") > 1e-3
        if bool(keep.any()):
            out.append(_table("New power online by site [MW nameplate]", by_site.sel(site=keep),
                              "site"))  # fmt: skip
    out += energy_tables(ds)
    env = xr.concat(
        [ds["co2_kt"].sum("site"), ds["nox_t"].sum("site"), ds["water_ml"].sum("site")],
        dim="what",
    ).assign_coords(what=["CO2 [kt]", "NOx [t]", "water [1000 m3]"])
    out.append(_table("Emissions and water", env, "what"))
    if "cfe_score" in ds:  # reports before the scores have none
        clean = xr.concat([ds["renewable_score"], ds["cfe_score"]], dim="what")
        cfe = "24/7 CFE" if ds.sizes.get("day") else "CFE (year)"  # hourly, or the year's match
        clean = clean.assign_coords(what=["renewable", cfe]) * 100
        out.append(_table("Clean-power scores [%]", clean, "what", fmt="{:,.1f}"))
    return out


def energy_tables(ds: xr.Dataset) -> list[Grid]:
    """Energy by source (today's sources by kind, projects by technology) [GWh], the reserve
    margin of firm capacity over peak load per site [%], and take-or-pay paid for energy not
    drawn per project [$M]; none for a report without them (older files)."""
    if "reserve_margin" not in ds:
        return []
    parts = [ds["source_energy_gwh"].groupby(ds["source_kind"]).sum().rename(source_kind="what")]
    if ds.sizes.get("project"):
        built = ds["project_energy_gwh"].sum("site").groupby(ds["project_technology"]).sum()
        parts.append(built.rename(project_technology="what"))
    energy = xr.concat(parts, dim="what")
    energy = energy.groupby("what").sum()
    out = [_table("Energy by source [GWh]", energy.sel(what=energy.sum("period") > 1e-3), "what")]
    margin = ds["reserve_margin"].sel(site=ds["reserve_margin"].notnull().any("period"))
    if margin.sizes["site"]:
        out.append(_table("Reserve margin: firm capacity over peak load - 1 [%]", margin * 100,
                          "site", fmt="{:,.1f}"))  # fmt: skip
        out.append(_table("Marginal value of a MW of firm capacity [$M/MW-year]",
                          ds["marginal_value_firm"].sel(site=margin["site"]), "site",
                          fmt="{:,.2f}"))  # fmt: skip
    if "take_or_pay_unused_musd" in ds:
        unused = ds["take_or_pay_unused_musd"].sum("site")
        unused = unused.sel(project=unused.sum("period") > 1e-3)
        if unused.sizes["project"]:
            out.append(_table("Take-or-pay paid for energy not drawn [$M]", unused, "project",
                              fmt="{:,.1f}"))  # fmt: skip
    return out
