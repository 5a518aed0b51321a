"""Sunlight on satellites: a conical Earth shadow (umbra and penumbra) from a spherical Earth.

Seen from a satellite at geocentric position ``r``, the Earth is a disk of angular radius
``a_e = asin(R_e / |r|)`` centred on the nadir, and the Sun a disk of angular radius
``a_s = asin(R_sun / |s - r|)``, their centres ``c`` apart (``s`` the Sun's geocentric position).
That is exactly the conical shadow model (Montenbruck & Gill, *Satellite Orbits*, 2000, sec. 3.4.2):

* ``c >= a_e + a_s``: full sunlight, illuminated fraction ``nu = 1``;
* ``c <= a_e - a_s``: umbra, ``nu = 0``;
* otherwise penumbra: ``nu = 1 - A / (pi a_s**2)`` with ``A`` the overlap area of the two disks.

A satellite is *in eclipse* when the Sun's centre is hidden (``c < a_e``): halfway through the
penumbra, which in LEO lasts ~8-10 s. The Earth is a sphere of the WGS84 equatorial radius
(6378.137 km) with no atmosphere: ignoring oblateness and refraction shifts eclipse edges by a few
seconds. ``sunlit_fraction`` is the time mean of ``nu``: the fraction of full solar power a
Sun-pointing array collects.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from twin.constants import EARTH_EQUATORIAL_RADIUS_KM

__all__ = ["SHADOW_EARTH_RADIUS_KM", "SUN_RADIUS_KM", "shadow"]

#: Radius of the spherical Earth that casts the shadow: WGS84 equatorial radius, km.
SHADOW_EARTH_RADIUS_KM = EARTH_EQUATORIAL_RADIUS_KM
#: Nominal solar radius (IAU 2015 Resolution B3), km.
SUN_RADIUS_KM = 695700.0


def shadow(
    r_km: NDArray[np.float64], sun_km: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Illuminated fraction and eclipse margin of satellites.

    ``r_km``: satellite positions, shape ``(n_sat, n_time, 3)``; ``sun_km``: the Sun's geocentric
    position at each time in the same frame, shape ``(n_time, 3)``.

    Returns ``(nu, margin)``, each ``(n_sat, n_time)``: ``nu`` the visible fraction of the solar
    disk (0..1), ``margin = c - a_e`` in radians (negative: the Sun's centre is behind the Earth).
    NaN positions give NaN.
    """
    rr = np.einsum("stk,stk->st", r_km, r_km)
    rs = np.einsum("stk,tk->st", r_km, sun_km)
    ss = np.einsum("tk,tk->t", sun_km, sun_km)
    rn = np.sqrt(rr)
    dn = np.sqrt(ss[None, :] - 2.0 * rs + rr)  # |s - r|
    c = np.arccos(np.clip((rr - rs) / (rn * dn), -1.0, 1.0))  # angle between -r and s - r
    a_e = np.arcsin(np.clip(SHADOW_EARTH_RADIUS_KM / rn, -1.0, 1.0))
    a_s = np.arcsin(SUN_RADIUS_KM / dn)
    margin = c - a_e
    nu = np.where(c >= a_e + a_s, 1.0, 0.0)
    part = (c < a_e + a_s) & (c > np.abs(a_e - a_s))
    if part.any():
        cp, ap, bp = c[part], a_s[part], a_e[part]
        x = (cp**2 + ap**2 - bp**2) / (2.0 * cp)
        y = np.sqrt(np.clip(ap**2 - x**2, 0.0, None))
        area = (
            ap**2 * np.arccos(np.clip(x / ap, -1.0, 1.0))
            + bp**2 * np.arccos(np.clip((cp - x) / bp, -1.0, 1.0))
            - cp * y
        )
        nu[part] = 1.0 - area / (np.pi * ap**2)
    # Sun disk larger than the Earth's and inside it (far orbits): annular, partly lit.
    annular = (c <= a_s - a_e) & (a_s > a_e)
    nu[annular] = 1.0 - (a_e[annular] / a_s[annular]) ** 2
    nu[np.isnan(rn)] = np.nan
    return nu, margin
