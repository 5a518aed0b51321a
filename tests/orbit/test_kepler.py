"""Orbital period and nodal precession of the shells' SGP4 orbits against two-body/J2 theory."""

from __future__ import annotations

import numpy as np
import pytest

from twin.orbit.examples import dawn_dusk_shell, iss_like_shell, walker_shell
from twin.orbit.frames import sgp4_time
from twin.orbit.geometry import propagate_teme_km
from twin.orbit.shells import epoch_time, shell_satrecs
from twin.spec.orbit import EARTH_MU_KM3_S2, EARTH_RADIUS_KM, TROPICAL_YEAR_DAYS

#: J2 makes the nodal (draconic) period differ from Kepler's by O(1.5 J2 (R/a)^2) ~ 1.4e-3.
J2_PERIOD_REL_TOL = 3e-3
#: SGP4 adds J2^2 and J4 terms to the first-order J2 nodal rate: agree to 2 %.
PRECESSION_REL_TOL = 0.02
#: SGP4's short-period J2 terms move a circular orbit's radius by ~+-10 km around its mean.
RADIUS_TOL_KM = 15.0


def kepler_period_s(altitude_km: float) -> float:
    """Kepler's third law, written out here independently of twin.orbit.kepler."""
    a = EARTH_RADIUS_KM + altitude_km
    return 2 * np.pi * np.sqrt(a**3 / EARTH_MU_KM3_S2)


def utc_jd(shell, days):
    """SGP4's (whole, fraction) UTC Julian date at ``days`` after the shell's epoch."""
    whole, frac = sgp4_time(epoch_time(shell))
    days = np.atleast_1d(np.asarray(days, dtype=float))
    return np.full(len(days), whole[0]), frac[0] + days


def nodal_period_from_sgp4(shell) -> float:
    """Mean time between ascending-node crossings (z from - to +) over one day, 1 s steps."""
    z = propagate_teme_km(shell_satrecs(shell, [0]), utc_jd(shell, np.arange(86400) / 86400))
    z = z[0, :, 2]
    up = np.flatnonzero((z[:-1] < 0) & (z[1:] >= 0))
    t_cross = up + z[up] / (z[up] - z[up + 1])  # seconds, interpolated
    return float(np.diff(t_cross).mean())


@pytest.mark.parametrize(
    "shell", [iss_like_shell(), dawn_dusk_shell(), walker_shell(1, 1)], ids=["iss", "sso", "53deg"]
)
def test_sgp4_period_matches_kepler(shell):
    expected = kepler_period_s(shell.altitude_km)
    assert nodal_period_from_sgp4(shell) == pytest.approx(expected, rel=J2_PERIOD_REL_TOL)


def test_iss_like_period_is_about_92_7_minutes():
    """FACTS: an ISS-like orbit (~420 km, 51.6 deg) has a period of ~92.7 min."""
    assert nodal_period_from_sgp4(iss_like_shell()) / 60 == pytest.approx(92.7, abs=0.5)


def test_mean_radius_is_the_requested_altitude():
    shell = walker_shell(1, 1)
    jd = utc_jd(shell, np.arange(6000) / 86400)
    r = np.linalg.norm(propagate_teme_km(shell_satrecs(shell, [0]), jd)[0], axis=-1)
    assert r.mean() == pytest.approx(EARTH_RADIUS_KM + shell.altitude_km, abs=RADIUS_TOL_KM)


def raan_deg(shell, days: float) -> float:
    jd, fr = utc_jd(shell, days)
    rec = shell_satrecs(shell, [0])[0]
    _, r, v = rec.sgp4_array(jd, fr)
    h = np.cross(r[0], v[0])
    return float(np.degrees(np.arctan2(h[0], -h[1])))  # node vector = z x h


def test_sun_synchronous_shell_precesses_one_turn_per_year():
    """The derived inclination makes SGP4's plane turn 360 deg per tropical year (eastward)."""
    shell = dawn_dusk_shell()
    drift = (raan_deg(shell, 30.0) - raan_deg(shell, 0.0)) % 360.0
    assert drift == pytest.approx(30.0 * 360.0 / TROPICAL_YEAR_DAYS, rel=PRECESSION_REL_TOL)
