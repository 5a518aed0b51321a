"""Reference frames at an array of times: TEME (SGP4's output frame), GCRS and ITRS.

All work here is per *time*, never per satellite: the Sun's direction and the ground stations are
rotated into TEME once per time step, so that satellites' TEME positions from SGP4 can be used as
they are (no per-satellite rotation). The rotations are Skyfield's: ``TEME.rotation_at`` (GCRS ->
TEME: precession-nutation, then the GMST-1982 vs GAST angle) and ``itrs.rotation_at`` (GCRS -> ITRS;
polar motion only if the time scale carries a polar-motion table, which the built-in one does not:
an error of ~10 m on the ground).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray
from skyfield.api import wgs84
from skyfield.framelib import itrs
from skyfield.sgp4lib import TEME
from skyfield.timelib import Time

from twin.orbit.almanac import ephemeris
from twin.spec.orbit import GroundStation

__all__ = [
    "sgp4_time",
    "stations_itrs_km",
    "stations_teme_km",
    "sun_teme_km",
    "teme_from_gcrs",
    "teme_from_itrs",
]

DAY_S = 86400.0


def sgp4_time(t: Time) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Julian date split ``(whole, fraction)`` on the UTC scale, as SGP4 expects (AIAA 2006-6753),
    exactly as Skyfield's ``EarthSatellite`` computes it."""
    whole = np.atleast_1d(np.asarray(t.whole, dtype=float))
    frac = np.atleast_1d(np.asarray(t.tai_fraction - t._leap_seconds() / DAY_S, dtype=float))
    return np.ascontiguousarray(whole), np.ascontiguousarray(frac)


def teme_from_gcrs(t: Time) -> NDArray[np.float64]:
    """Rotation matrices GCRS -> TEME, shape ``(n_time, 3, 3)``."""
    return np.moveaxis(np.atleast_3d(TEME.rotation_at(t)), -1, 0)


def teme_from_itrs(t: Time) -> NDArray[np.float64]:
    """Rotation matrices ITRS (Earth-fixed) -> TEME, shape ``(n_time, 3, 3)``."""
    gcrs_from_itrs = np.swapaxes(np.moveaxis(np.atleast_3d(itrs.rotation_at(t)), -1, 0), 1, 2)
    return teme_from_gcrs(t) @ gcrs_from_itrs


def sun_teme_km(t: Time) -> NDArray[np.float64]:
    """Geocentric position of the Sun in TEME, km, shape ``(n_time, 3)``.

    From DE421, as the Sun was when the light now reaching the Earth left it (light-time
    corrected, astrometric): the direction the Earth's shadow points away from.
    """
    eph = ephemeris()
    gcrs = np.atleast_2d(eph["earth"].at(t).observe(eph["sun"]).position.km.T)
    return np.einsum("tij,tj->ti", teme_from_gcrs(t), gcrs)


def stations_itrs_km(
    stations: Mapping[str, GroundStation],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Earth-fixed (ITRS) positions (km) of the stations on the WGS84 ellipsoid and their local
    geodetic 'up' unit vectors; each of shape ``(n_station, 3)``."""
    pos = np.empty((len(stations), 3))
    up = np.empty((len(stations), 3))
    for i, st in enumerate(stations.values()):
        pos[i] = wgs84.latlon(st.lat_deg, st.lon_deg, elevation_m=st.elevation_m).itrs_xyz.km
        lat, lon = np.radians(st.lat_deg), np.radians(st.lon_deg)
        up[i] = (np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat))
    return pos, up


def stations_teme_km(
    stations: Mapping[str, GroundStation], t: Time
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Station positions (km) and local 'up' unit vectors in TEME at each time,
    shapes ``(n_station, n_time, 3)``."""
    pos, up = stations_itrs_km(stations)
    rot = teme_from_itrs(t)
    return np.einsum("tij,sj->sti", rot, pos), np.einsum("tij,sj->sti", rot, up)
