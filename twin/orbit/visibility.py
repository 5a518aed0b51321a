"""Ground contact: elevation, slant range and one-way latency between satellites and stations.

For a satellite at ``r`` and a station at ``p`` with local (geodetic) up unit vector ``u``, all
in one frame at one time, the line of sight is ``d = r - p``; the elevation above the station's
horizon plane is ``asin(d . u / |d|)``, the slant range ``|d|`` and the one-way free-space latency
``|d| / c``. A link is *in contact* while the elevation is at least the station's
``min_elevation_deg``. Computed from dot products only (``d . u = r . u - p . u``,
``|d|**2 = |r|**2 - 2 r . p + |p|**2``), so no ``(satellite, time, 3)`` temporary is made per
station. No refraction (it lifts low elevations by ~0.1 deg at 25 deg).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from twin.constants import SPEED_OF_LIGHT_KM_S
from twin.orbit.intervals import Intervals, positive_intervals

__all__ = ["SPEED_OF_LIGHT_KM_S", "contact_windows", "look_angles"]

#: Speed of light in vacuum, km/s.


def look_angles(
    r_km: NDArray[np.float64], station_km: NDArray[np.float64], station_up: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Sine of elevation and slant range (km) of satellites seen from stations.

    ``r_km``: ``(n_sat, n_time, 3)``; ``station_km`` and ``station_up``: ``(n_station, n_time, 3)``
    in the same frame. Returns ``(sin_elevation, range_km)``, each ``(n_sat, n_station, n_time)``.
    """
    rr = np.einsum("xtk,xtk->xt", r_km, r_km)
    # One batched product per time: (t, x, 3) @ (t, 3, 2 n_station)
    basis = np.concatenate([station_km, station_up], axis=0).transpose(1, 2, 0)
    dots = np.matmul(r_km.transpose(1, 0, 2), basis).transpose(1, 2, 0)  # (x, 2 n_st, t)
    n_st = station_km.shape[0]
    rp, ru = dots[:, :n_st], dots[:, n_st:]
    pp = np.einsum("stk,stk->st", station_km, station_km)
    pu = np.einsum("stk,stk->st", station_km, station_up)
    rng = np.sqrt(np.clip(rr[:, None, :] - 2.0 * rp + pp[None], 0.0, None))
    sin_el = (ru - pu[None]) / rng
    return sin_el, rng


def contact_windows(
    elevation_deg: NDArray[np.float64],
    seconds: NDArray[np.float64],
    min_elevation_deg: float,
    block: NDArray[np.int64] | None = None,
) -> Intervals:
    """Contact windows (rise and set times, s) of one satellite-station pair from its sampled
    elevation series, with crossings of ``min_elevation_deg`` interpolated between samples."""
    return positive_intervals(np.asarray(elevation_deg) - min_elevation_deg, seconds, block)
