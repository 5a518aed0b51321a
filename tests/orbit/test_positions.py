"""Positions: the vectorised path vs Skyfield vs raw sgp4, and the ISS against JPL HORIZONS."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sgp4.api import WGS72, Satrec
from skyfield.sgp4lib import TEME

from twin.orbit.almanac import timescale
from twin.orbit.examples import walker_shell
from twin.orbit.geometry import positions_gcrs_km, propagate_teme_km
from twin.orbit.shells import SGP4_EPOCH_JD, load_elements, shell_satellites, shell_satrecs

DATASETS = Path(__file__).resolve().parents[2] / "datasets"
ONE_METRE_KM = 1e-3
#: Skyfield's own tolerance against HORIZONS for this element set (its test_earth_satellites).
TWO_METRES_KM = 2e-3
AU_KM = 149597870.700


def test_skyfield_teme_agrees_with_raw_sgp4_to_a_metre():
    shell = walker_shell(4, 4)
    sats = shell_satellites("w", shell)
    ts = timescale()
    t = ts.utc(2026, 1, 1, 0, np.arange(0, 1440, 7.0))
    for sat in sats[:5]:
        rec: Satrec = sat.model
        # Raw sgp4 with a UTC Julian date built by hand from calendar minutes:
        jd = np.full(len(t), 2461041.5)  # 2026-01-01 00:00 UTC
        fr = np.arange(0, 1440, 7.0) / 1440.0
        e, r_raw, _ = rec.sgp4_array(jd, fr)
        assert not e.any()
        r_sky = sat.at(t).frame_xyz(TEME).km.T
        assert np.abs(r_sky - r_raw).max() < ONE_METRE_KM


def test_vectorised_gcrs_agrees_with_skyfield_at():
    shell = walker_shell(3, 5)
    sats = shell_satellites("w", shell)
    t = timescale().utc(2026, 6, 1, 0, np.arange(0, 600, 3.0))
    r_vec = positions_gcrs_km(shell_satrecs(shell), t)
    for i, sat in enumerate(sats):
        assert np.abs(r_vec[i] - sat.at(t).position.km.T).max() < ONE_METRE_KM


def test_iss_from_dataset_matches_jpl_horizons():
    """HORIZONS geocentric ISS positions for 2018-07-04 and -05 00:00 TDB (quoted in Skyfield's
    test_earth_satellites.py for this same element set), au."""
    horizons_au = np.array(
        [
            [2.633404251158200e-05, 1.015087620439817e-05, 3.544778677556393e-05],
            [-2.136440257814821e-05, -2.084170814514480e-05, -3.415494123796893e-05],
        ]
    )
    (iss,) = load_elements(DATASETS / "satellites.tle")
    assert iss.model.satnum == 25544
    t = timescale().tdb(2018, 7, [4, 5])
    r = positions_gcrs_km([iss.model], t)[0]
    assert np.abs(r - horizons_au * AU_KM).max() < TWO_METRES_KM


def test_sgp4_error_gives_nan():
    """A heavy-drag orbit at ~200 km decays within days: SGP4 flags it, positions become NaN."""
    rec = Satrec()
    epoch = 27393.0  # days since 1949-12-31: 2024-12-31
    rec.sgp4init(WGS72, "i", 1, epoch, 0.5, 0.0, 0.0, 0.0, 0.0, 0.9, 0.0, 2 * np.pi / 88.5, 0.0)
    jd = np.full(3, SGP4_EPOCH_JD + epoch)
    r = propagate_teme_km([rec], (jd, np.array([0.0, 10.0, 60.0])))[0]
    assert np.isfinite(r[0]).all()
    assert np.isnan(r[1:]).all()
