"""A map of sites, ground stations (with their contact footprints) and satellite ground tracks.

Equirectangular (plate carree) longitude/latitude axes in degrees; no basemap is downloaded.
A station's footprint is the circle of central angle
``lambda = acos(R cos(e) / (R + h)) - e`` around it (``e`` its minimum elevation, ``h`` the
shell's altitude, ``R`` = 6378.135 km): a satellite at ``h`` above that circle is seen at
elevation ``>= e``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from twin.spec.orbit import Shell
    from twin.spec.spec import Spec

EARTH_RADIUS_KM = 6378.135  # WGS72, as SGP4


@dataclass(frozen=True)
class Track:
    """A ground track: longitude and latitude [deg] and whether the satellite is sunlit."""

    lon_deg: np.ndarray
    lat_deg: np.ndarray
    sunlit: np.ndarray


def footprint_deg(altitude_km: float, min_elevation_deg: float) -> float:
    """Central angle [deg] of the circle from which a satellite at ``altitude_km`` is seen at
    ``min_elevation_deg`` or more (see the module docstring)."""
    e = np.radians(min_elevation_deg)
    return float(
        np.degrees(np.arccos(EARTH_RADIUS_KM * np.cos(e) / (EARTH_RADIUS_KM + altitude_km)) - e)
    )


def ground_track(shell: Shell, start: dt.datetime, revolutions: float = 3.0) -> Track:
    """Ground track of satellite 0 of ``shell`` (a :class:`twin.spec.orbit.Shell`) from ``start``
    (UTC) for ``revolutions`` orbits, every 15 s, with sunlight from the JPL DE421 Sun."""
    from skyfield.api import wgs84

    from twin.orbit import ephemeris, period_s, shell_satellites, timescale

    (sat,) = shell_satellites("track", shell, indices=[0])
    minutes = np.arange(0.0, revolutions * float(period_s(shell.altitude_km)) / 60, 0.25)
    s = start.replace(tzinfo=dt.UTC) if start.tzinfo is None else start
    t = timescale().utc(s.year, s.month, s.day, s.hour, s.minute + minutes)
    pos = sat.at(t)
    lat, lon = (a.degrees for a in wgs84.latlon_of(pos))
    return Track(lon, lat, pos.is_sunlit(ephemeris()))


def _broken(lon: np.ndarray, *ys: np.ndarray) -> list[np.ndarray]:
    """NaN where the longitude wraps at +-180 deg, so that lines do not cross the map."""
    cut = np.flatnonzero(np.abs(np.diff(lon)) > 180) + 1
    return [np.insert(np.asarray(v, float), cut, np.nan) for v in (lon, *ys)]


def _circle(lat0: float, lon0: float, radius_deg: float) -> tuple[np.ndarray, np.ndarray]:
    p, r = np.radians(lat0), np.radians(radius_deg)
    b = np.linspace(0, 2 * np.pi, 181)
    la = np.arcsin(np.sin(p) * np.cos(r) + np.cos(p) * np.sin(r) * np.cos(b))
    lo = np.radians(lon0) + np.arctan2(
        np.sin(b) * np.sin(r) * np.cos(p), np.cos(r) - np.sin(p) * np.sin(la)
    )
    return (np.degrees(lo) + 180) % 360 - 180, np.degrees(la)


def plot_map(
    sites: dict[str, tuple[float, float]] | None = None,
    stations: dict[str, tuple[float, float, float]] | None = None,
    tracks: dict[str, Track] | None = None,
    altitude_km: float | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Sites ``name -> (lat, lon)`` [deg] as squares, stations ``name -> (lat, lon, min
    elevation)`` [deg] as triangles (with footprints if ``altitude_km`` is given), and ground
    tracks (sunlit stretches coloured, eclipses black)."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(12, 6.4), layout="constrained")
    fig = cast(Figure, ax.figure)  # stubs say Figure | SubFigure; the map draws on a Figure
    for name, (lat, lon) in (sites or {}).items():
        ax.plot(lon, lat, "s", color="tab:blue", ms=8)
        ax.annotate(name, (lon, lat), textcoords="offset points", xytext=(5, -12), fontsize=9)
    if sites:
        ax.plot([], [], "s", color="tab:blue", label="site")
    for name, (lat, lon, el) in (stations or {}).items():
        ax.plot(lon, lat, "^", color="tab:green", ms=8)
        ax.annotate(name, (lon, lat), textcoords="offset points", xytext=(5, 4), fontsize=9)
        if altitude_km is not None:
            fx, fy = _broken(*_circle(lat, lon, footprint_deg(altitude_km, el)))
            ax.plot(fx, fy, color="tab:green", lw=0.8)
    if stations:
        ax.plot([], [], "^", color="tab:green", label="ground station (footprint)")
    for name, tr in (tracks or {}).items():
        x, y, lit = _broken(tr.lon_deg, tr.lat_deg, tr.sunlit)
        ax.plot(x, y, lw=2, label=f"{name}: ground track, sunlit")
        ax.plot(x, np.where(lit == 0, y, np.nan), color="k", lw=3)
    if tracks:
        ax.plot([], [], color="k", lw=3, label="in eclipse")
    ax.set(
        xlim=(-180, 180),
        ylim=(-90, 90),
        xlabel="longitude [deg]",
        ylabel="latitude [deg]",
        xticks=np.arange(-180, 181, 30),
        yticks=np.arange(-90, 91, 30),
        aspect="equal",
        title="Sites, ground stations and ground tracks",
    )
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize="small", framealpha=0.9)
    return fig


def map_of_report(ds: xr.Dataset) -> Figure:
    """The terrestrial sites of a report (coordinates ``site_lat_deg``, ``site_lon_deg``)."""
    lat, lon = ds["site_lat_deg"].values, ds["site_lon_deg"].values
    sites = {
        str(s): (float(a), float(o))
        for s, a, o in zip(ds["site"].values, lat, lon, strict=True)
        if np.isfinite(a)
    }
    return plot_map(sites=sites)


def map_of_model(spec: Spec, revolutions: float = 3.0) -> Figure:
    """A model's terrestrial sites, ground stations and, for each shell, the ground track of
    satellite 0 over ``revolutions`` orbits from the start of the orbit window."""
    m = spec.model
    sites = {
        n: (s.lat_deg, s.lon_deg)
        for n, s in m.sites.items()
        if s.lat_deg is not None and s.lon_deg is not None and s.enabled
    }
    stations = {
        n: (g.lat_deg, g.lon_deg, g.min_elevation_deg) for n, g in m.orbit.ground_stations.items()
    }
    start = dt.datetime.combine(m.orbit.window.start, dt.time())
    tracks = {n: ground_track(sh, start, revolutions) for n, sh in m.orbit.shells.items()}
    alt = min((sh.altitude_km for sh in m.orbit.shells.values()), default=None)
    return plot_map(sites, stations, tracks, altitude_km=alt)
