"""Orbit geometry of shells over a sampling window: sunlight, eclipses, ground contact, latency.

Positions come from SGP4 (``sgp4.api.SatrecArray``, vectorised over satellites x times) in TEME.
The Sun (DE421) and the ground stations are rotated into TEME once per sampled time (see
:mod:`twin.orbit.frames`), so no satellite position is ever rotated. Shadow: conical (umbra and
penumbra) Earth shadow, see :mod:`twin.orbit.sunlight`. Contact: elevation above each station's
``min_elevation_deg``, see :mod:`twin.orbit.visibility`.

:func:`shell_geometry` does two passes per shell, both bounded in cost:

1. *Sunlight pass*, at every sample of the window: up to ``window.sunlight_satellites``
   satellites per shell, spread over the planes (in a circular Walker shell all satellites of
   one plane see the same Sun geometry over a day, so a per-plane sample gives the shell's
   sunlight statistics). These satellites form the ``satellite`` dimension: sunlit fraction,
   eclipse durations, and their contact statistics with every station.
2. *Coverage pass*, over every satellite of the shell, at every ``stride``-th sample, where
   ``stride = ceil(max_shell_size * n_time / window.coverage_evaluations)`` (one stride for all
   shells so that they share the ``time`` axis). Coverage needs the whole constellation: the
   fraction of time at least one satellite is in contact with a station, the best (lowest)
   one-way latency, and the +grid inter-satellite link lengths. Striding keeps time averages
   unbiased (uniform sampling of the same blocks) at a coarser resolution.

Everything runs in a single process; memory is bounded by evaluating chunks of times.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray
from sgp4.api import Satrec, SatrecArray
from skyfield.timelib import Time

from twin.constants import SPEED_OF_LIGHT_KM_S
from twin.orbit.frames import sgp4_time, stations_teme_km, sun_teme_km, teme_from_gcrs
from twin.orbit.geometry_dataset import geometry_dataset
from twin.orbit.intervals import positive_intervals
from twin.orbit.sampling import Samples, sample_times
from twin.orbit.shells import grid_isl_pairs, satellite_node, shell_satrecs
from twin.orbit.sunlight import shadow
from twin.orbit.visibility import look_angles
from twin.orbit.year_sample import yearly_sunlit_fraction
from twin.progress import phase
from twin.spec.orbit import GroundStation, OrbitWindow, Shell

__all__ = [
    "look_series",
    "positions_gcrs_km",
    "propagate_teme_km",
    "shell_geometry",
    "sunlight_sample",
]

#: Largest satellite x time block evaluated at once (bounds memory to ~100 MB).
CHUNK_EVALUATIONS = 200_000


def propagate_teme_km(
    satrecs: Sequence[Satrec] | SatrecArray, t: Time | tuple[NDArray, NDArray]
) -> NDArray[np.float64]:
    """TEME positions (km) of satellites at times ``t``, shape ``(n_sat, n_time, 3)``, from
    ``SatrecArray.sgp4``; samples where SGP4 reports an error (e.g. decayed) are NaN."""
    arr = satrecs if isinstance(satrecs, SatrecArray) else SatrecArray(list(satrecs))
    jd, fr = sgp4_time(t) if isinstance(t, Time) else t
    err, r, _ = arr.sgp4(np.ascontiguousarray(jd), np.ascontiguousarray(fr))
    r[err != 0] = np.nan
    return r


def positions_gcrs_km(satrecs: Sequence[Satrec], t: Time) -> NDArray[np.float64]:
    """Geocentric GCRS positions (km), shape ``(n_sat, n_time, 3)``: SGP4's TEME rotated by
    Skyfield's TEME frame, as ``EarthSatellite.at(t)`` does."""
    r = propagate_teme_km(satrecs, t)
    return np.einsum("tji,stj->sti", teme_from_gcrs(t), r)  # transpose: TEME -> GCRS


def sunlight_sample(shell: Shell, n: int) -> NDArray[np.int64]:
    """Indices of at most ``n`` satellites spread evenly over the planes of ``shell`` (one per
    plane when ``n <= planes``, else several evenly spaced slots per plane)."""
    p, s = shell.planes, shell.sats_per_plane
    planes = np.unique(np.round(np.linspace(0, p - 1, min(p, n))).astype(np.int64))
    per_plane = max(1, min(s, n // len(planes)))
    slots = np.unique(np.floor(np.arange(per_plane) * s / per_plane).astype(np.int64))
    return (planes[:, None] * s + slots[None, :]).ravel()


def _chunks(n_sat: int, n_time: int) -> list[slice]:
    step = max(1, CHUNK_EVALUATIONS // max(n_sat, 1))
    return [slice(i, min(i + step, n_time)) for i in range(0, n_time, step)]


def look_series(
    satrecs: Sequence[Satrec],
    stations: Mapping[str, GroundStation],
    t: Time,
    names: Sequence[str] | None = None,
) -> xr.Dataset:
    """Elevation, slant range and one-way latency of every satellite from every station at
    times ``t`` (vectorised path), as a Dataset with dims ``(satellite, station, time)``."""
    r = propagate_teme_km(satrecs, t)
    pos, up = stations_teme_km(stations, t)
    sin_el, rng = look_angles(r, pos, up)
    names = list(names) if names is not None else [f"sat:{i}" for i in range(len(satrecs))]
    dims = ("satellite", "station", "time")
    return xr.Dataset(
        {
            "elevation_deg": (
                dims,
                np.degrees(np.arcsin(np.clip(sin_el, -1, 1))),
                {"units": "degree", "long_name": "elevation above the station's horizon"},
            ),
            "range_km": (dims, rng, {"units": "km", "long_name": "slant range"}),
            "latency_ms": (
                dims,
                rng / SPEED_OF_LIGHT_KM_S * 1e3,
                {"units": "ms", "long_name": "one-way free-space latency"},
            ),
        },
        coords={
            "satellite": names,
            "station": list(stations),
            "time": ("time", _stamps(t)),
        },
    )


def _stamps(t: Time) -> NDArray[np.datetime64]:
    whole, frac = sgp4_time(t)  # UTC Julian date
    ns = ((whole - 2440587.5) * 86400e9).astype(np.int64) + np.round(frac * 86400e9).astype(
        np.int64
    )
    return ns.astype("datetime64[ns]")


def _sunlight_pass(
    recs: Sequence[Satrec],
    samples: Samples,
    sun: NDArray[np.float64],
    pos: NDArray[np.float64],
    up: NDArray[np.float64],
    sin_min: NDArray[np.float64],
) -> dict[str, NDArray[np.float64]]:
    n, nt, nst = len(recs), len(samples), len(sin_min)
    arr = SatrecArray(list(recs))
    jd, fr = sgp4_time(samples.time)
    nu = np.empty((n, nt))
    margin = np.empty((n, nt))
    in_view = np.zeros((n, nst))
    range_sum = np.zeros((n, nst))
    max_sin = np.full((n, nst), -1.0)
    for c in _chunks(n, nt):
        r = propagate_teme_km(arr, (jd[c], fr[c]))
        nu[:, c], margin[:, c] = shadow(r, sun[c])
        sin_el, rng = look_angles(r, pos[:, c], up[:, c])
        vis = sin_el >= sin_min[None, :, None]
        in_view += vis.sum(-1)
        range_sum += np.where(vis, rng, 0.0).sum(-1)
        max_sin = np.fmax(max_sin, np.nan_to_num(sin_el, nan=-1.0).max(axis=-1))
    n_days = len(samples.days)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_range = range_sum / in_view
    ecl_max = np.zeros(n)
    ecl_mean = np.zeros(n)
    ecl_count = np.zeros(n)
    for i in range(n):
        iv = positive_intervals(-margin[i], samples.seconds, samples.block)
        if len(iv.start):
            ecl_max[i] = iv.duration.max()
            done = iv.duration[iv.complete]
            ecl_mean[i] = done.mean() if len(done) else np.nan
            ecl_count[i] = iv.start_crossed.sum()
    return {
        "sunlit": nu.mean(axis=1),
        "sunlit_daily": nu.reshape(n, n_days, -1).mean(axis=2),
        "eclipse_max": ecl_max / 60.0,
        "eclipse_mean": ecl_mean / 60.0,
        "eclipses_per_day": ecl_count / n_days,
        "contact": in_view / nt,
        "mean_range": mean_range,
        "max_elevation": np.degrees(np.arcsin(np.clip(max_sin, -1.0, 1.0))),
    }


def _coverage_pass(
    shell: Shell,
    samples: Samples,
    pos: NDArray[np.float64],
    up: NDArray[np.float64],
    sin_min: NDArray[np.float64],
) -> dict[str, NDArray[np.float64]]:
    recs = shell_satrecs(shell)
    arr = SatrecArray(recs)
    n, nt, nst = len(recs), len(samples), len(sin_min)
    jd, fr = sgp4_time(samples.time)
    count = np.zeros((nst, nt), dtype=np.int32)
    best = np.full((nst, nt), np.inf)
    in_plane, cross = grid_isl_pairs(shell)
    isl: dict[str, list[Any]] = {
        "in": [in_plane, 0.0, np.inf, 0.0, 0],
        "cross": [cross, 0.0, np.inf, 0.0, 0],
    }
    for c in _chunks(n, nt):
        r = propagate_teme_km(arr, (jd[c], fr[c]))
        sin_el, rng = look_angles(r, pos[:, c], up[:, c])
        vis = sin_el >= sin_min[None, :, None]
        count[:, c] = vis.sum(0)
        best[:, c] = np.where(vis, rng, np.inf).min(0)
        for acc in isl.values():
            pairs = acc[0]
            if len(pairs):
                d = np.linalg.norm(r[pairs[:, 0]] - r[pairs[:, 1]], axis=-1)
                acc[1] += np.nansum(d)
                acc[2] = min(acc[2], np.nanmin(d))
                acc[3] = max(acc[3], np.nanmax(d))
                acc[4] += np.isfinite(d).sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        latency = np.where(np.isfinite(best), best / SPEED_OF_LIGHT_KM_S * 1e3, np.nan)
        seen = count > 0
        mean_latency = np.where(seen, latency, 0.0).sum(axis=1) / seen.sum(axis=1)
    out = {
        "count": count,
        "best_latency": latency,
        "contact": (count > 0).mean(axis=1),
        "mean_visible": count.mean(axis=1),
        "mean_latency": mean_latency,
    }
    for key, acc in isl.items():
        k = acc[4]
        out[f"isl_{key}_mean"] = acc[1] / k if k else np.nan
        out[f"isl_{key}_min"] = acc[2] if k else np.nan
        out[f"isl_{key}_max"] = acc[3] if k else np.nan
    return out


def shell_geometry(
    shells: Mapping[str, Shell],
    stations: Mapping[str, GroundStation],
    window: OrbitWindow | None = None,
) -> xr.Dataset:
    """Sunlight, eclipses, ground contact, latency and link lengths of shells over a window.

    Returns a Dataset with dims ``shell``, ``station``, ``satellite`` (the sunlight sample, see
    the module docstring), ``time`` (the coverage samples) and ``day`` (sampled days); every
    variable has CF ``units`` and ``long_name``. The planner reads ``sunlit_fraction(shell)``,
    ``contact_fraction(shell, station)`` and ``mean_latency_ms(shell, station)``.
    """
    window = window or OrbitWindow()
    if not shells:
        raise ValueError("shell_geometry needs at least one shell")
    samples = sample_times(window)
    nt = len(samples)
    sun = sun_teme_km(samples.time)  # once for all shells
    pos, up = stations_teme_km(stations, samples.time)  # once for all shells
    sin_min = np.sin(np.radians([st.min_elevation_deg for st in stations.values()]))
    biggest = max(sh.size for sh in shells.values())
    stride = max(1, math.ceil(biggest * nt / window.coverage_evaluations))
    cov_idx = np.arange(0, nt, stride)
    cov = samples.subset(cov_idx)

    sat_rows: dict[str, list] = {k: [] for k in ("name", "shell", "index", "plane", "slot")}
    sat_vals: dict[str, list] = {}
    shell_vals: dict[str, list] = {}
    for i_shell, (name, shell) in enumerate(shells.items(), 1):
        with phase(f"orbit shell {i_shell}/{len(shells)} ({name})"):
            idx = sunlight_sample(shell, window.sunlight_satellites)
            recs = shell_satrecs(shell, idx)
            sun_res = _sunlight_pass(recs, samples, sun, pos, up, sin_min)
            sun_res["sunlit"] = yearly_sunlit_fraction(recs, window)  # the whole year, not blocks
            for k, v in sun_res.items():
                sat_vals.setdefault(k, []).append(v)
            sat_rows["name"] += [satellite_node(name, int(i)) for i in idx]
            sat_rows["shell"] += [name] * len(idx)
            sat_rows["index"] += [int(i) for i in idx]
            sat_rows["plane"] += [int(i) // shell.sats_per_plane for i in idx]
            sat_rows["slot"] += [int(i) % shell.sats_per_plane for i in idx]
            cov_res = _coverage_pass(shell, cov, pos[:, cov_idx], up[:, cov_idx], sin_min)
            cov_res["sunlit"] = sun_res["sunlit"].mean()
            cov_res["sunlit_daily"] = sun_res["sunlit_daily"].mean(axis=0)
            cov_res["eclipse_max"] = sun_res["eclipse_max"].max()
            cov_res["sunlit_min_daily"] = sun_res["sunlit_daily"].min()
            for k, v in cov_res.items():
                shell_vals.setdefault(k, []).append(v)

    return geometry_dataset(
        shells, stations, window, stride, samples, cov, sat_rows, sat_vals, shell_vals
    )
