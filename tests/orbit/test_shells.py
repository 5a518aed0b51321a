"""Walker pattern, LTAN -> RAAN, and element-file parsing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from twin.orbit.examples import dawn_dusk_shell, walker_shell
from twin.orbit.shells import (
    grid_isl_pairs,
    load_elements,
    raan0_deg,
    shell_satrecs,
    walker_elements,
)

DATASETS = Path(__file__).resolve().parents[2] / "datasets"
#: Almanac low-precision Sun (0.01 deg) vs DE421; TEME vs mean equator of date (nutation 0.005).
RA_TOL_DEG = 0.05


def almanac_sun_ra_deg(jd: float) -> float:
    n = jd - 2451545.0
    L = np.radians(280.460 + 0.9856474 * n)
    g = np.radians(357.528 + 0.9856003 * n)
    lam = L + np.radians(1.915) * np.sin(g) + np.radians(0.020) * np.sin(2 * g)
    eps = np.radians(23.439 - 4e-7 * n)
    return float(np.degrees(np.arctan2(np.cos(eps) * np.sin(lam), np.cos(lam))) % 360)


@pytest.mark.parametrize("ltan", [6.0, 12.0, 18.0, 22.5])
def test_ltan_sets_raan_from_the_suns_right_ascension(ltan):
    """Ascending node at local time LTAN: hour angle from the Sun = 15 deg/h * (LTAN - 12)."""
    shell = dawn_dusk_shell(ltan_hours=ltan)
    ra_sun = almanac_sun_ra_deg(2461041.5)  # 2026-01-01 00:00 UTC, the default epoch
    expected = (ra_sun + 15.0 * (ltan - 12.0)) % 360
    diff = (raan0_deg(shell) - expected + 180) % 360 - 180
    assert abs(diff) < RA_TOL_DEG
    rec = shell_satrecs(shell, [0])[0]
    assert np.degrees(rec.nodeo) == pytest.approx(raan0_deg(shell))


def test_walker_delta_pattern():
    shell = walker_shell(4, 3, phasing=1, ltan_hours=None)
    el = walker_elements(shell)
    # planes 90 deg apart, centred on RAAN_0 = 0: -135, -45, 45, 135
    np.testing.assert_allclose(np.unique(el["raan_deg"]), [45.0, 135.0, 225.0, 315.0])
    # in-plane spacing 120 deg; plane k shifted by F * 360 / T = 30 deg per plane
    np.testing.assert_allclose(el["arg_lat_deg"][:3], [0.0, 120.0, 240.0])
    np.testing.assert_allclose(el["arg_lat_deg"][3:6], [30.0, 150.0, 270.0])


def test_grid_pairs_counts():
    in_plane, cross = grid_isl_pairs(walker_shell(4, 3, phasing=1))
    assert len(in_plane) == 12  # a ring of 3 per plane
    assert len(cross) == 12  # 3 x 3 between planes + 3 across the seam (Walker delta)
    _, cross_star = grid_isl_pairs(walker_shell(4, 3, raan_spread_deg=180.0))
    assert len(cross_star) == 9  # no seam links in a Walker star
    in1, cross1 = grid_isl_pairs(walker_shell(1, 1))
    assert len(in1) == len(cross1) == 0


def test_load_two_and_three_line_files(tmp_path):
    (iss,) = load_elements(DATASETS / "satellites.tle")
    assert iss.name == "ISS (ZARYA)"
    assert iss.epoch.utc_strftime("%Y-%m-%d %H:%M:%S") == "2018-07-03 19:25:57"
    lines = (DATASETS / "satellites.tle").read_text().splitlines()
    two = tmp_path / "two.tle"
    two.write_text("# comment\n" + "\n".join(lines[1:] * 2) + "\n")
    sats = load_elements(two)
    assert len(sats) == 2 and sats[0].model.satnum == 25544
    bad = tmp_path / "bad.tle"
    bad.write_text(lines[0] + "\n" + lines[1] + "\n")
    with pytest.raises(ValueError, match=r"bad.tle: line 2: expected TLE lines 1 and 2"):
        load_elements(bad)
