"""Satellites of a shell: Walker elements -> SGP4 ``Satrec`` -> Skyfield ``EarthSatellite``.

Each satellite is a circular orbit (eccentricity 0, no drag: ``bstar = 0``, i.e. the station-kept
design orbit, not a decaying one) handed to SGP4 through ``sgp4init`` with WGS72 constants. Its mean
motion is Kepler's ``n = sqrt(mu / a**3)`` for ``a = R_e + altitude`` (as LEO network simulators
such as Hypatia do); SGP4 then adds the J2 secular drifts (nodal precession, apsidal and mean-motion
terms), so the propagated period differs from Kepler's by ~0.1 %.

The right ascension of the ascending node of plane 0 comes from the local time of the ascending
node (LTAN): the node's hour angle from the Sun is ``15 deg/h * (LTAN - 12 h)``, so
``RAAN_0 = RA_sun + 15 * (LTAN - 12)`` deg, with the Sun's right ascension taken in SGP4's TEME
frame at the epoch from DE421. This is *apparent* solar time; it differs from mean solar time by
the equation of time (at most ~16 min, i.e. 4 deg of RAAN).

Satellite ``index = plane * sats_per_plane + slot``; see :class:`twin.spec.orbit.Shell` for the
Walker pattern.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sgp4.api import WGS72, Satrec
from skyfield.sgp4lib import EarthSatellite
from skyfield.timelib import Time

from twin.orbit.almanac import timescale
from twin.orbit.frames import sgp4_time, sun_teme_km
from twin.orbit.kepler import mean_motion_rad_s
from twin.spec.errors import SpecError
from twin.spec.orbit import Shell
from twin.spec.tle import epoch_gap_years, read_tle

__all__ = [
    "SGP4_EPOCH_JD",
    "epoch_time",
    "grid_isl_pairs",
    "load_elements",
    "raan0_deg",
    "satellite_node",
    "shell_satellites",
    "shell_satrecs",
    "walker_elements",
]

#: SGP4 counts epochs in days from 1949-12-31 00:00 UTC (JD 2433281.5).
SGP4_EPOCH_JD = 2433281.5


def epoch_time(shell: Shell) -> Time:
    """The shell's element epoch as a Skyfield ``Time``."""
    return timescale().from_datetime(shell.epoch)


def raan0_deg(shell: Shell) -> float:
    """RAAN (deg, TEME, in [0, 360)) of the LTAN-defined reference plane at the shell's epoch;
    0 when the shell has no ``ltan_hours``."""
    if shell.ltan_hours is None:
        return 0.0
    sun = sun_teme_km(epoch_time(shell))[0]
    ra_sun = np.degrees(np.arctan2(sun[1], sun[0]))
    return float((ra_sun + 15.0 * (shell.ltan_hours - 12.0)) % 360.0)


def walker_elements(shell: Shell) -> dict[str, NDArray[np.float64] | NDArray[np.int64]]:
    """Per-satellite Walker elements of a shell, arrays of length ``shell.size``:
    ``plane``, ``slot`` (ints), ``raan_deg`` and ``arg_lat_deg`` (argument of latitude at epoch).
    """
    p, s = shell.planes, shell.sats_per_plane
    plane = np.repeat(np.arange(p), s)
    slot = np.tile(np.arange(s), p)
    raan = raan0_deg(shell) + (plane - (p - 1) / 2.0) * shell.raan_spread_deg / p
    arg_lat = 360.0 * slot / s + 360.0 * shell.phasing * plane / (p * s)
    return {
        "plane": plane,
        "slot": slot,
        "raan_deg": raan % 360.0,
        "arg_lat_deg": arg_lat % 360.0,
    }


def shell_satrecs(
    shell: Shell, indices: Sequence[int] | NDArray[np.int64] | None = None
) -> list[Satrec]:
    """SGP4 records of the shell's satellites (all, or those at ``indices``): from the shell's
    real element sets at their own epochs if it has a ``tle_file``, else the Walker pattern."""
    idx = np.arange(shell.size) if indices is None else np.asarray(indices, dtype=int)
    if shell.tle_file is not None:
        sets = read_tle(shell.tle_file)
        return [Satrec.twoline2rv(sets[i].line1, sets[i].line2, WGS72) for i in idx]
    el = walker_elements(shell)
    whole, frac = sgp4_time(epoch_time(shell))
    epoch_days = float(whole[0] - SGP4_EPOCH_JD + frac[0])
    no_kozai = float(mean_motion_rad_s(shell.altitude_km)) * 60.0  # rad/min
    incl = np.radians(shell.inclination)
    recs = []
    for i in idx:
        rec = Satrec()
        rec.sgp4init(
            WGS72,
            "i",
            int(i) % 99999 + 1,  # catalogue number: irrelevant to propagation
            epoch_days,
            0.0,  # bstar: no drag
            0.0,  # ndot
            0.0,  # nddot
            0.0,  # eccentricity
            0.0,  # argument of perigee
            incl,
            np.radians(el["arg_lat_deg"][i]),  # mean anomaly = argument of latitude (e = 0)
            no_kozai,
            np.radians(el["raan_deg"][i]),
        )
        recs.append(rec)
    return recs


def satellite_node(shell_name: str, index: int) -> str:
    """Graph/xarray name of a satellite: ``sat:<shell>:<index>``."""
    return f"sat:{shell_name}:{index}"


def shell_satellites(
    name: str, shell: Shell, indices: Sequence[int] | None = None
) -> list[EarthSatellite]:
    """The shell's satellites as Skyfield ``EarthSatellite`` objects named ``sat:<name>:<i>``."""
    ts = timescale()
    idx = range(shell.size) if indices is None else indices
    out = []
    for i, rec in zip(idx, shell_satrecs(shell, idx), strict=True):
        sat = EarthSatellite.from_satrec(rec, ts)
        sat.name = satellite_node(name, int(i))
        out.append(sat)
    return out


def load_elements(
    path: str | Path,
    horizon: tuple[dt.date, dt.date] | None = None,
    max_years: float = 5.0,
) -> list[EarthSatellite]:
    """Read a file of two-line or three-line (name + two lines) element sets.

    The same validated reader as a model's ``tle_file`` (:func:`twin.spec.tle.read_tle`): a
    regular UTF-8 file within the size limit, line numbers, checksums, matching catalogue
    numbers on both lines, each satellite once. With ``horizon`` (first and last day) every
    epoch must lie within ``max_years`` of it. Blank lines and lines starting with ``#`` are
    skipped. Elements stay accurate for days to weeks around their epoch; SGP4 positions degrade
    by ~1-3 km per day away from it in LEO. Raises :class:`twin.spec.errors.SpecError` (a
    ``ValueError``) naming the file and line.
    """
    sets = read_tle(str(Path(path)))
    if horizon is not None:
        start, end = horizon
        for es in sets:
            gap = epoch_gap_years(es, start, end)
            if gap > max_years:
                raise SpecError(
                    path,
                    f"line {es.line_no}",
                    f"epoch {es.epoch.date()} of {es.name} is {gap:.1f} years outside "
                    f"{start} to {end}; expected within {max_years:g} years (or a larger "
                    "max_years)",
                )
    ts = timescale()
    return [EarthSatellite(es.line1, es.line2, es.name, ts) for es in sets]


def grid_isl_pairs(shell: Shell) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """+grid inter-satellite links of a shell as satellite index pairs, ``(in_plane, cross_plane)``
    each of shape ``(n_links, 2)``.

    In-plane: slot ``s`` to slot ``s + 1`` of the same plane (a ring; none if one satellite per
    plane). Cross-plane: slot ``s`` of plane ``k`` to slot ``s`` of plane ``k + 1``; across the
    seam from the last plane back to plane 0 only for a Walker delta (``raan_spread_deg`` = 360),
    where the same-phase neighbour is slot ``s + F`` (phasing ``F``). Each pair appears once.
    """
    p, s = shell.planes, shell.sats_per_plane
    plane = np.repeat(np.arange(p), s)
    slot = np.tile(np.arange(s), p)
    idx = plane * s + slot
    in_plane = np.stack([idx, plane * s + (slot + 1) % s], axis=1) if s > 1 else np.empty((0, 2))
    cross = [np.stack([idx[plane < p - 1], idx[plane < p - 1] + s], axis=1)] if p > 1 else []
    if p > 1 and shell.raan_spread_deg == 360.0:
        last = idx[plane == p - 1]
        cross.append(np.stack([last, (slot[plane == p - 1] + shell.phasing) % s], axis=1))
    cross_plane = np.concatenate(cross) if cross else np.empty((0, 2))

    def unique(pairs: NDArray[Any]) -> NDArray[np.int64]:
        pairs = np.sort(np.asarray(pairs, dtype=np.int64).reshape(-1, 2), axis=1)
        pairs = pairs[pairs[:, 0] != pairs[:, 1]]
        return np.unique(pairs, axis=0)

    return unique(in_plane), unique(cross_plane)
