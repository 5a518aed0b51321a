"""Two-body and J2 relations for circular orbits, with the WGS72 constants SGP4 uses.

* Kepler's third law: mean motion ``n = sqrt(mu / a**3)`` (rad/s), period ``T = 2 pi / n`` (s),
  with ``a = R_e + altitude`` (km).
* J2 nodal precession of a circular orbit: ``dRAAN/dt = -3/2 n J2 (R_e/a)**2 cos(i)`` (rad/s).

Real orbits of the Earth's oblate field differ from Kepler's period by ``O(J2 (R_e/a)**2)``, about
0.1 % in low Earth orbit.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from twin.spec.orbit import (
    EARTH_J2,
    EARTH_MU_KM3_S2,
    EARTH_RADIUS_KM,
    sun_synchronous_inclination_deg,
)

__all__ = [
    "mean_motion_rad_s",
    "nodal_period_s",
    "nodal_precession_deg_per_day",
    "period_s",
    "semi_major_axis_km",
    "sun_synchronous_inclination_deg",
]


def semi_major_axis_km(altitude_km: ArrayLike) -> NDArray[np.float64]:
    """Semi-major axis (km) of a circular orbit ``altitude_km`` above the WGS72 equator radius."""
    return EARTH_RADIUS_KM + np.asarray(altitude_km, dtype=float)


def mean_motion_rad_s(altitude_km: ArrayLike) -> NDArray[np.float64]:
    """Kepler mean motion ``sqrt(mu / a**3)`` in rad/s (WGS72 ``mu`` = 398600.8 km^3/s^2)."""
    return np.sqrt(EARTH_MU_KM3_S2 / semi_major_axis_km(altitude_km) ** 3)


def period_s(altitude_km: ArrayLike) -> NDArray[np.float64]:
    """Kepler orbital period ``2 pi sqrt(a**3 / mu)`` in seconds."""
    return 2.0 * np.pi / mean_motion_rad_s(altitude_km)


def nodal_precession_deg_per_day(
    altitude_km: ArrayLike, inclination_deg: ArrayLike
) -> NDArray[np.float64]:
    """Secular J2 drift of the right ascension of the ascending node, deg/day (eastward > 0)."""
    a = semi_major_axis_km(altitude_km)
    n = mean_motion_rad_s(altitude_km)
    rate = -1.5 * n * EARTH_J2 * (EARTH_RADIUS_KM / a) ** 2 * np.cos(np.radians(inclination_deg))
    return np.degrees(rate) * 86400.0


def nodal_period_s(altitude_km: ArrayLike, inclination_deg: ArrayLike) -> NDArray[np.float64]:
    """Nodal (draconic) period of a circular orbit under J2, node to node, in seconds.

    The argument of latitude advances at ``n (1 + 3/2 J2 (R_e/a)**2 (4 cos**2 i - 1))`` (the sum
    of the secular J2 rates of mean anomaly, ``3/4 n J2 (R_e/a)**2 (3 cos**2 i - 1)``, and of
    perigee, ``3/4 n J2 (R_e/a)**2 (5 cos**2 i - 1)``; Vallado, *Fundamentals of
    Astrodynamics*, 4th ed., sec. 9.6), so ``T_nodal = 2 pi / that``: about 10-20 s shorter than
    Kepler's at LEO inclinations below ~60 deg, longer near polar.
    """
    a = semi_major_axis_km(altitude_km)
    n = mean_motion_rad_s(altitude_km)
    c2 = np.cos(np.radians(inclination_deg)) ** 2
    rate = n * (1.0 + 1.5 * EARTH_J2 * (EARTH_RADIUS_KM / a) ** 2 * (4.0 * c2 - 1.0))
    return 2.0 * np.pi / rate
