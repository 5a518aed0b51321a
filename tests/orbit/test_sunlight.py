"""Sunlight and eclipses against the textbook beta-angle eclipse formula.

Truth: for a circular orbit of radius r whose plane makes angle beta with the Sun direction, a
cylindrical Earth shadow of radius R hides the satellite for a fraction

    f = acos( sqrt(r**2 - R**2) / (r cos beta) ) / pi     if |beta| < asin(R / r), else 0

of each orbit. beta comes from inputs independent of twin.orbit's shadow code: the orbit normal
from raw sgp4 (r x v) and the Sun from the Astronomical Almanac's low-precision formula (~0.01 deg).
"""

from __future__ import annotations

from datetime import UTC

import numpy as np
import pytest

from twin.orbit.almanac import timescale
from twin.orbit.examples import dawn_dusk_shell, iss_like_shell
from twin.orbit.frames import sgp4_time, sun_teme_km
from twin.orbit.geometry import propagate_teme_km, shell_geometry
from twin.orbit.shells import shell_satrecs
from twin.orbit.sunlight import shadow
from twin.spec.orbit import EARTH_RADIUS_KM, OrbitWindow

R_SHADOW_KM = 6378.137
#: Conical vs cylindrical shadow (penumbra ~10 s, umbra cone narrowing) and 10 s sampling of the
#: eclipse edges: per-orbit sunlit fractions agree to 0.003 (~17 s per 93-min orbit).
PER_ORBIT_TOL = 0.003
#: A sampled day holds a non-integer number of orbits (~15.5), so one day's sunlit fraction
#: scatters by up to ~+-0.013 around the per-orbit value; the 12-day mean to ~0.008.
YEAR_MEAN_TOL = 0.008
#: Near |beta| = beta*, eclipses are a minute or two long and cylindrical/conical differ most.
SEASON_EDGE_DEG = 1.5

WINDOW = OrbitWindow(step_s=30.0)


@pytest.fixture(scope="module")
def geometry():
    shells = {
        "iss": iss_like_shell(),
        "dawn": dawn_dusk_shell(),
        "dusk": dawn_dusk_shell(ltan_hours=18.0),
    }
    return shells, shell_geometry(shells, {}, WINDOW)


def sun_unit(jd: np.ndarray) -> np.ndarray:
    """Astronomical Almanac low-precision Sun direction, equator and equinox of date."""
    n = jd - 2451545.0
    L = np.radians(280.460 + 0.9856474 * n)
    g = np.radians(357.528 + 0.9856003 * n)
    lam = L + np.radians(1.915) * np.sin(g) + np.radians(0.020) * np.sin(2 * g)
    eps = np.radians(23.439 - 4e-7 * n)
    return np.stack([np.cos(lam), np.cos(eps) * np.sin(lam), np.sin(eps) * np.sin(lam)], -1)


def times(stamps: np.ndarray):
    return timescale().from_datetimes(
        [d.astype("datetime64[us]").item().replace(tzinfo=UTC) for d in stamps]
    )


def eclipse_formula(beta: np.ndarray, radius: np.ndarray | float) -> np.ndarray:
    """Per-orbit sunlit fraction of a circular orbit in a cylindrical shadow (formula above)."""
    beta_star = np.arcsin(R_SHADOW_KM / radius)
    with np.errstate(invalid="ignore"):
        f = np.arccos(np.sqrt(radius**2 - R_SHADOW_KM**2) / (radius * np.cos(beta))) / np.pi
    return 1.0 - np.where(np.abs(beta) < beta_star, f, 0.0)


def analytic(shell, stamps: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(beta_deg, per-orbit sunlit fraction, beta*_deg) at ``stamps``: beta from the raw sgp4
    orbit normal and the almanac Sun, radius = semi-major axis."""
    jd, fr = sgp4_time(times(stamps))
    _, r, v = shell_satrecs(shell, [0])[0].sgp4_array(jd, fr)
    h = np.cross(r, v)
    h /= np.linalg.norm(h, axis=-1, keepdims=True)
    beta = np.arcsin(np.einsum("ij,ij->i", h, sun_unit(jd + fr)))
    radius = EARTH_RADIUS_KM + shell.altitude_km
    beta_star = np.arcsin(R_SHADOW_KM / radius)
    return np.degrees(beta), eclipse_formula(beta, radius), np.degrees(beta_star)


@pytest.mark.parametrize("name", ["iss", "dawn", "dusk"])
def test_per_orbit_sunlit_fraction_matches_beta_angle_formula(geometry, name):
    """twin's conical shadow (with its DE421 Sun) over exactly one orbit of raw sgp4 positions at
    10 s steps, on each sampled day, against the formula at that orbit's beta and at the radius
    the satellite has where it crosses the anti-Sun side (SGP4's short-period J2 terms move the
    radius by ~+-7 km around the orbit, which shifts short eclipses by tens of seconds)."""
    shells, ds = geometry
    shell = shells[name]
    period_s = 2 * np.pi * np.sqrt((EARTH_RADIUS_KM + shell.altitude_km) ** 3 / 398600.8)
    steps = np.arange(0.0, period_s, 10.0)
    for day in ds.day.values:
        stamps = day + np.timedelta64(12, "h") + (steps * 1e6).astype("timedelta64[us]")
        t = times(stamps)
        r = propagate_teme_km(shell_satrecs(shell, [0]), t)
        nu, _ = shadow(r, sun_teme_km(t))
        jd, fr = sgp4_time(t)
        s_hat = sun_unit(jd + fr)
        h = np.cross(r[0, :-1], r[0, 1:]).mean(axis=0)
        beta = np.arcsin(
            h @ s_hat.mean(axis=0) / np.linalg.norm(h) / np.linalg.norm(s_hat.mean(axis=0))
        )
        anti_sun = np.argmin(np.einsum("ij,ij->i", r[0], s_hat))
        expected = eclipse_formula(beta, np.linalg.norm(r[0, anti_sun]))
        assert nu.mean() == pytest.approx(expected, abs=PER_ORBIT_TOL)


@pytest.mark.parametrize("name", ["iss", "dawn", "dusk"])
def test_year_mean_sunlit_fraction_matches_formula(geometry, name):
    """The yearly sunlit fraction (a stratified sample over the whole year from the window start,
    twin.orbit.year_sample) against the beta-angle formula on every day of that year at noon."""
    shells, ds = geometry
    days = np.datetime64(WINDOW.start.isoformat()) + np.arange(365).astype("timedelta64[D]")
    _, expected, _ = analytic(shells[name], days + np.timedelta64(12, "h"))
    got = float(ds.sunlit_fraction.sel(shell=name))
    assert got == pytest.approx(expected.mean(), abs=YEAR_MEAN_TOL)


def test_iss_like_sunlit_fraction_over_a_year(geometry):
    """FACTS: ~0.6-1.0 by day depending on beta; the yearly mean of an ISS-like orbit is ~0.62-0.65
    for typical beta (0.61 at beta = 0, from the formula above)."""
    _, ds = geometry
    daily = ds.sunlit_fraction_daily.sel(shell="iss").values
    assert (daily >= 0.6).all() and (daily <= 1.0).all()
    assert 0.60 <= float(ds.sunlit_fraction.sel(shell="iss")) <= 0.70
    # eclipse at beta ~ 0 (the longest): 92.9 min * 0.3875 = 36.0 min
    assert float(ds.max_eclipse_min.sel(shell="iss")) == pytest.approx(36.0, abs=1.0)


@pytest.mark.parametrize(("name", "solstice"), [("dawn", "12-21"), ("dusk", "06-21")])
def test_dawn_dusk_orbit_is_sunlit_all_year_but_one_season(geometry, name, solstice):
    """A 650 km dawn-dusk SSO is sunlit > 95 % of the year. Its eclipses come only in the season
    around one solstice: the December one for LTAN 06:00 and the June one for LTAN 18:00 (with
    i ~ 98 deg the orbit normal tilts 8 deg from the equator; beta = -(i - dec) for 06:00,
    i + dec - 180 for 18:00, so |beta| drops below beta* = 65 deg only with the Sun on one side)."""
    shells, ds = geometry
    assert float(ds.sunlit_fraction.sel(shell=name)) > 0.95
    daily = ds.sunlit_fraction_daily.sel(shell=name).values
    days = ds.day.values
    beta, _, beta_star = analytic(shells[name], days + np.timedelta64(12, "h"))
    eclipsed = daily < 1.0 - 1e-9
    clear = np.abs(np.abs(beta) - beta_star) > SEASON_EDGE_DEG
    np.testing.assert_array_equal(eclipsed[clear], (np.abs(beta) < beta_star)[clear])
    year = days[0].astype("datetime64[Y]").astype(int) + 1970
    centre = np.datetime64(f"{year}-{solstice}")
    offset_days = np.abs(((days - centre) / np.timedelta64(1, "D") + 182.6) % 365.25 - 182.6)
    assert eclipsed.any()
    assert (offset_days[eclipsed] < 91).all()  # all eclipsed days within a season of it
    assert not eclipsed[offset_days > 120].any()
