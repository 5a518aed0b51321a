"""Orbital geometry and launch data the plan's orbit family reads (computed before the build).

Latency from tenant j to orbital site s is the best, over ground stations, of fiber from the
tenant to the station plus the shell's mean one-way latency to that station. The downlink of a
site is ``sum_stations contact_fraction x min(link rate, satellite downlink)`` [Gbit/s]. The
inter-satellite link cut of a site (:mod:`twin.plan.isl`) needs its shell's satellite count N and
the ISL capacity leaving one satellite, ``d R`` [Gbit/s]: d the mean +grid degree ``2 |E| / N``
(:func:`twin.orbit.shells.grid_isl_pairs`), R the rate of one link.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from twin.constants import DAYS_PER_YEAR
from twin.graph import fiber_latency_ms, great_circle_km
from twin.spec.schema import Model


@dataclass(frozen=True)
class OrbitGeometry:
    """Per orbital site: sunlit fraction [-], downlink [Gbit/s], latency to tenants [ms]; per
    (orbital site, station): usable downlink ``contact fraction x rate`` [Gbit/s] and the shell's
    mean one-way latency to the station [ms] (the traffic network's downlinks)."""

    sunlit: dict[str, float] = field(default_factory=dict)
    downlink_gbps: dict[str, float] = field(default_factory=dict)
    latency_ms: dict[tuple[str, str], float] = field(default_factory=dict)
    station_gbps: dict[tuple[str, str], float] = field(default_factory=dict)
    station_latency_ms: dict[tuple[str, str], float] = field(default_factory=dict)
    link_rate_gbps: dict[str, float] = field(default_factory=dict)  # r_s, one link in contact
    isl_out_gbps: dict[str, float] = field(default_factory=dict)  # d R, ISLs leaving a satellite
    satellites: dict[str, int] = field(default_factory=dict)  # N, the shell's satellites
    geometry: xr.Dataset | None = None


def orbit_geometry(model: Model) -> OrbitGeometry:
    """Geometry of the shells that enabled orbital sites use (empty when there are none)."""
    sites = {n: s for n, s in model.sites.items() if s.enabled and s.kind == "orbital"}
    if not sites:
        return OrbitGeometry()
    from twin.orbit.memo import remembered_shell_geometry  # Skyfield: only with orbital sites
    from twin.orbit.shells import grid_isl_pairs

    shells = {str(s.shell): model.orbit.shells[str(s.shell)] for s in sites.values()}
    stations = model.orbit.ground_stations
    ds = remembered_shell_geometry(shells, stations, model.orbit.window)
    out = OrbitGeometry(geometry=ds)
    for name, site in sites.items():
        sh = ds.sel(shell=site.shell)
        out.sunlit[name] = float(sh["sunlit_fraction"])
        rate = min(model.orbit.link_gbps_per_contact, shells[str(site.shell)].downlink_gbps_per_sat)
        out.downlink_gbps[name] = float(sh["contact_fraction"].sum()) * rate
        out.link_rate_gbps[name] = rate
        shell = shells[str(site.shell)]
        edges = sum(len(x) for x in grid_isl_pairs(shell))
        out.satellites[name] = shell.size
        out.isl_out_gbps[name] = 2 * edges / shell.size * shell.isl_gbps_per_link
        for st_name in stations:
            out.station_gbps[name, st_name] = (
                float(sh["contact_fraction"].sel(station=st_name)) * rate
            )
            out.station_latency_ms[name, st_name] = float(
                sh["mean_latency_ms"].sel(station=st_name)
            )
        for tname, t in model.tenants.items():
            best = math.inf
            for st_name, st in stations.items():
                space = float(sh["mean_latency_ms"].sel(station=st_name))
                if not np.isfinite(space):
                    continue
                ground = fiber_latency_ms(
                    great_circle_km(t.lat_deg, t.lon_deg, st.lat_deg, st.lon_deg)
                )
                best = min(best, ground + space)
            out.latency_ms[name, tname] = best
    return out


def launch_price_usd_per_kg(path: dict[int, float], year: float) -> float:
    """Launch price at ``year`` from a path {year: $/kg}: linear between points, flat beyond."""
    if not path:
        return 0.0
    years = sorted(path)
    return float(np.interp(year, years, [path[y] for y in years]))


def launch_price_path(model: Model, starts: list[dt.date], dt_years: float) -> list[float]:
    """Launch price at each period's mid-point [$/kg]."""
    return [
        launch_price_usd_per_kg(
            model.orbit.launch_usd_per_kg,
            s.year + (s.timetuple().tm_yday - 1) / DAYS_PER_YEAR + dt_years / 2,
        )
        for s in starts
    ]
