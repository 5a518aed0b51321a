"""Contact windows from the vectorised elevation path vs Skyfield's find_events."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from skyfield.api import wgs84

from twin.orbit.almanac import timescale
from twin.orbit.examples import walker_shell
from twin.orbit.geometry import look_series
from twin.orbit.shells import shell_satellites, shell_satrecs
from twin.orbit.visibility import contact_windows
from twin.spec.orbit import read_ground_stations

DATASETS = Path(__file__).resolve().parents[2] / "datasets"
#: find_events locates rise/set to half a second; the cubic crossing of a 10 s elevation series
#: is far finer (observed max difference 0.25 s). Allow 1 s.
RISE_SET_TOL_S = 1.0
STEP_S = 10.0


@pytest.fixture(scope="module")
def stations():
    return read_ground_stations(DATASETS / "ground_stations.csv")


@pytest.mark.parametrize("station", ["memphis", "svalsat", "awarua"])
def test_contact_windows_match_find_events(stations, station):
    shell = walker_shell(6, 4, inclination_deg=70.0)
    idx = [0, 5, 10, 15, 20]
    sats = shell_satellites("w", shell, idx)
    ts = timescale()
    seconds = np.arange(0.0, 86400.0, STEP_S)
    t = ts.utc(2026, 3, 1, 0, 0, seconds)
    st = stations[station]
    look = look_series(shell_satrecs(shell, idx), {station: st}, t)
    topos = wgs84.latlon(st.lat_deg, st.lon_deg, elevation_m=st.elevation_m)
    t0, t1 = ts.utc(2026, 3, 1), ts.utc(2026, 3, 1, 0, 0, seconds[-1])
    n_compared = 0
    for k, sat in enumerate(sats):
        ours = contact_windows(look.elevation_deg.values[k, 0], seconds, st.min_elevation_deg)
        times, events = sat.find_events(topos, t0, t1, altitude_degrees=st.min_elevation_deg)
        ev_s = (times.tt - t0.tt) * 86400.0
        rises, sets = ev_s[events == 0], ev_s[events == 2]
        assert len(rises) == int(ours.start_crossed.sum())
        assert len(sets) == int(ours.end_crossed.sum())
        np.testing.assert_allclose(ours.start[ours.start_crossed], rises, atol=RISE_SET_TOL_S)
        np.testing.assert_allclose(ours.end[ours.end_crossed], sets, atol=RISE_SET_TOL_S)
        n_compared += len(rises) + len(sets)
    assert n_compared > 0


def test_elevation_and_range_agree_with_skyfield_altaz(stations):
    shell = walker_shell(2, 3)
    sats = shell_satellites("w", shell)
    t = timescale().utc(2026, 5, 1, 0, np.arange(0.0, 1440.0, 2.0))
    look = look_series(shell_satrecs(shell), stations, t)
    for j, st in enumerate(stations.values()):
        topos = wgs84.latlon(st.lat_deg, st.lon_deg, elevation_m=st.elevation_m)
        for i, sat in enumerate(sats):
            alt, _, dist = (sat - topos).at(t).altaz()
            np.testing.assert_allclose(look.elevation_deg.values[i, j], alt.degrees, atol=1e-4)
            np.testing.assert_allclose(look.range_km.values[i, j], dist.km, atol=1e-3)
    np.testing.assert_allclose(
        look.latency_ms.values, look.range_km.values / 299792.458 * 1e3, rtol=1e-12
    )
