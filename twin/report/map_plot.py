"""A map of sites, ground stations (with their contact footprints) and satellite ground tracks.

Equirectangular (plate carree) longitude/latitude axes in degrees; nothing is downloaded: the
coastlines (Natural Earth 1:110m) and North American state lines are small files shipped in
``datasets/basemap/`` (their sources in ``make_lines.py`` there). A map of sites alone zooms to
them; labels are placed where they overlap no other label or marker (:func:`place_labels`).
A station's footprint is the circle of central angle
``lambda = acos(R cos(e) / (R + h)) - e`` around it (``e`` its minimum elevation, ``h`` the
shell's altitude, ``R`` = 6378.135 km): a satellite at ``h`` above that circle is seen at
elevation ``>= e``.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from twin.spec.orbit import Shell
    from twin.spec.spec import Spec

from twin.report.chart_style import legend_outside

EARTH_RADIUS_KM = 6378.135  # WGS72, as SGP4
#: the map's line files (coastlines_110m.csv, state_lines.csv: line, lon_deg, lat_deg)
BASEMAP = Path(__file__).resolve().parents[2] / "datasets" / "basemap"


@functools.cache
def basemap_lines(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes [deg] of ``datasets/basemap/<name>.csv``, lines separated by
    NaN (empty where the file is absent, e.g. a non-editable install)."""
    path = BASEMAP / f"{name}.csv"
    if not path.exists():
        return np.array([]), np.array([])
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    cut = np.flatnonzero(np.diff(data[:, 0])) + 1
    lon = np.insert(data[:, 1], cut, np.nan)
    lat = np.insert(data[:, 2], cut, np.nan)
    return lon, lat


#: label offsets tried in turn [points]: right, left, above, below, then the diagonals
OFFSETS = ((6, -4), (-6, -4), (0, 8), (0, -16), (6, 6), (-6, 6), (6, -14), (-6, -14))


def place_labels(
    ax: Axes,
    points: dict[str, tuple[float, float]],
    placed: list | None = None,
    avoid: np.ndarray | None = None,
    fontsize: float = 9,
    color: str = "k",
) -> list:
    """Annotate each ``name -> (lat, lon)``, trying :data:`OFFSETS` in turn and keeping the first
    whose box overlaps no label already ``placed`` (display boxes, extended and returned) and
    no marker at ``avoid`` (lon, lat rows; else the least overlapping); a label right of its
    point is left-aligned, one left right-aligned."""
    fig = cast(Figure, ax.figure)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg canvas
    placed = [] if placed is None else placed
    pts: np.ndarray = ax.transData.transform(avoid) if avoid is not None else np.empty((0, 2))
    for name, (lat, lon) in points.items():
        here = ax.transData.transform((lon, lat))
        best, best_cost = None, np.inf
        for dx, dy in OFFSETS:
            ha = "left" if dx > 0 else "right" if dx < 0 else "center"
            t = ax.annotate(name, (lon, lat), xytext=(dx, dy), textcoords="offset points",
                            ha=ha, va="center" if "\n" in name else "baseline",
                            fontsize=fontsize, color=color, zorder=6,
                            bbox={"fc": "white", "alpha": 0.75, "lw": 0, "pad": 0.5})  # fmt: skip
            box = t.get_window_extent(renderer).expanded(1.05, 1.1)
            cost = sum(box.overlaps(b) for b in placed) + sum(
                box.contains(*p) for p in pts if np.hypot(*(p - here)) > 1
            )
            if cost < best_cost:
                if best is not None:
                    best[0].remove()
                best, best_cost = (t, box), cost
            else:
                t.remove()
            if cost == 0:
                break
        assert best is not None
        placed.append(best[1])
    return placed


def _basemap(ax: Axes) -> None:
    for name, lw, c in (("coastlines_110m", 0.7, "0.45"), ("state_lines", 0.4, "0.7")):
        lon, lat = basemap_lines(name)
        if len(lon):
            ax.plot(lon, lat, color=c, lw=lw, zorder=0)


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
    title: str = "Sites, ground stations and ground tracks",
    site_mw: dict[str, float] | None = None,
) -> Figure:
    """Sites ``name -> (lat, lon)`` [deg] as squares, stations ``name -> (lat, lon, min
    elevation)`` [deg] as triangles (with footprints if ``altitude_km`` is given), and ground
    tracks (sunlit stretches coloured, eclipses black), over coastlines and state lines. With
    sites only, the map spans them (5 deg margin); else the whole Earth."""
    if ax is None:
        fig, ax = plt.subplots(figsize=_map_size(sites, not stations and not tracks),
                               layout="constrained")  # fmt: skip
    fig = cast(Figure, ax.figure)  # stubs say Figure | SubFigure; the map draws on a Figure
    _basemap(ax)
    _sites(ax, sites or {}, site_mw)
    for lat, lon, el in (stations or {}).values():
        ax.plot(lon, lat, "^", color="tab:green", ms=8)
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
    ax.set(xlabel="longitude [deg]", ylabel="latitude [deg]", aspect="equal", title=title)
    if sites and not stations and not tracks:
        lat, lon = np.array(list(sites.values())).T
        ax.set(xlim=(lon.min() - 6, lon.max() + 6), ylim=(lat.min() - 4, lat.max() + 4))
    else:
        ax.set(xlim=(-180, 180), ylim=(-90, 90), xticks=np.arange(-180, 181, 30),
               yticks=np.arange(-90, 91, 30))  # fmt: skip
    ax.grid(alpha=0.3)
    legend_outside(ax)
    fig.canvas.draw()  # lay out the axes before placing labels in display space
    marks = [(lo, la) for la, lo in (sites or {}).values()]
    marks += [(lo, la) for la, lo, _ in (stations or {}).values()]
    avoid = np.array(marks, float).reshape(-1, 2)
    zoomed = bool(sites) and not stations and not tracks
    names = close_groups(sites or {}, 0.05) if zoomed else clusters(sites or {})  # one spot: once
    placed = place_labels(ax, names, None, avoid)
    place_labels(ax, {n: (la, lo) for n, (la, lo, _) in (stations or {}).items()}, placed, avoid)
    return fig


def _groups(
    points: dict[str, tuple[float, float]], within_deg: float
) -> list[list[tuple[str, tuple[float, float]]]]:
    """Points grouped greedily: each joins the first group whose first point is within
    ``within_deg`` in latitude and longitude, else starts its own."""
    groups: list[list[tuple[str, tuple[float, float]]]] = []
    for name, p in points.items():
        for g in groups:
            q = g[0][1]
            if abs(p[0] - q[0]) <= within_deg and abs(p[1] - q[1]) <= within_deg:
                g.append((name, p))
                break
        else:
            groups.append([(name, p)])
    return groups


def close_groups(
    points: dict[str, tuple[float, float]], within_deg: float = 0.8
) -> dict[str, tuple[float, float]]:
    """Points ``name -> (lat, lon)`` within ``within_deg`` of a group's first point labelled
    once, at their mean, with every name (two a line): four sites in one city printed four
    labels on top of each other."""
    out = {}
    for g in _groups(points, within_deg):
        names = [n for n, _ in g]
        lines = [", ".join(names[i : i + 2]) for i in range(0, len(names), 2)]
        lat, lon = np.mean([p for _, p in g], axis=0)
        out["\n".join(lines)] = (float(lat), float(lon))
    return out


def _map_size(sites: dict[str, tuple[float, float]] | None, zoomed: bool) -> tuple[float, float]:
    """A figure size whose map (equal aspect, legend right of it) fills the figure: a map
    zoomed to its sites is as tall as their extent needs, no blank bands above and below."""
    if not sites or not zoomed:
        return 13.0, 5.9  # the whole Earth: 2:1
    lat, lon = np.array(list(sites.values()), float).T
    ratio = (np.ptp(lon) + 12) / (np.ptp(lat) + 8)
    return 13.0, float(np.clip(9.0 / ratio + 1.4, 4.0, 9.0))


def _sites(
    ax: Axes, sites: dict[str, tuple[float, float]], site_mw: dict[str, float] | None
) -> None:
    """Sites as squares; with ``site_mw`` (IT MW built) sized by it, hollow where none is
    built (an unbuilt site looked like the largest)."""
    top = max((site_mw or {}).values(), default=0.0) or 1.0
    order = sorted(sites, key=lambda n: -(site_mw or {}).get(n, 0.0))  # small ones on top
    for name, (lat, lon) in ((n, sites[n]) for n in order):
        mw = None if site_mw is None else site_mw.get(name, 0.0)
        ms = 8.0 if mw is None else 5 + 11 * float(np.sqrt(max(mw, 0.0) / top))
        face = "none" if mw is not None and mw <= 0 else "tab:blue"
        ax.plot(lon, lat, "s", color="tab:blue", mfc=face, ms=ms, zorder=3)
    if sites and site_mw is None:
        ax.plot([], [], "s", color="tab:blue", label="site")
    elif sites:
        ax.plot([], [], "s", color="tab:blue", ms=12,
                label=f"site built (size: IT MW, largest {top:,.0f})")  # fmt: skip
        ax.plot([], [], "s", color="tab:blue", mfc="none", ms=6, label="site not built")


def clusters(points: dict[str, tuple[float, float]], within_deg: float = 20.0) -> dict:
    """Points ``name -> (lat, lon)`` grouped greedily: each joins the first group whose first
    point is within ``within_deg`` in latitude and longitude; a group of several is labelled
    ``N sites`` at its mean position (a whole-Earth map has no room for every name)."""
    out = {}
    for g in _groups(points, within_deg):
        if len(g) == 1:
            out[g[0][0]] = g[0][1]
        else:
            lat, lon = np.mean([p for _, p in g], axis=0)
            out[f"{len(g)} sites"] = (float(lat), float(lon))
    return out


def map_of_report(ds: xr.Dataset) -> Figure:
    """The terrestrial sites of a report (coordinates ``site_lat_deg``, ``site_lon_deg``)."""
    lat, lon = ds["site_lat_deg"].values, ds["site_lon_deg"].values
    sites = {
        str(s): (float(a), float(o))
        for s, a, o in zip(ds["site"].values, lat, lon, strict=True)
        if np.isfinite(a)
    }
    from twin.report.chart_style import scenario_label
    from twin.report.views import plan_view

    plan = plan_view(ds)[0] if "capacity_mw" in ds else None  # a stochastic one: expected
    built = None if plan is None else plan["capacity_mw"].max("period")
    mw = None if built is None else {str(k): float(v) for k, v in zip(ds["site"].values,
                                                                       built.values, strict=True)}
    view = ds if plan is None else plan
    return plot_map(sites=sites, title=f"Sites by IT capacity built -- {scenario_label(view)}",
                    site_mw=mw)  # fmt: skip


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
    what = " / ".join(x for x in (m.name, spec.scenario or "") if x)
    title = f"Sites, ground stations and ground tracks -- {what}"
    return plot_map(sites, stations, tracks, altitude_km=alt, title=title)
