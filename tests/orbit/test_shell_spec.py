"""Shell / GroundStation / OrbitWindow schemas: bad input is rejected with the field named."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from twin.orbit.examples import PLAN_FIELDS
from twin.spec.errors import SpecError
from twin.spec.orbit import (
    GroundStation,
    OrbitWindow,
    Shell,
    read_ground_stations,
    sun_synchronous_inclination_deg,
)

GOOD = {"altitude_km": 550.0, "inclination_deg": 53.0, "planes": 4, "sats_per_plane": 5}


def shell(**kw):
    return Shell(**(GOOD | PLAN_FIELDS | kw))


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"altitude_km": 150.0}, "altitude_km", "160"),
        ({"inclination_deg": 181.0}, "inclination_deg", "[0, 180]"),
        ({"inclination_deg": -1.0}, "inclination_deg", "[0, 180]"),
        ({"sats_per_plane": 0}, "sats_per_plane", ">= 1"),
        ({"planes": 0}, "planes", ">= 1"),
        ({"phasing": 4}, "phasing", "planes - 1"),
        ({"ltan_hours": 25.0}, "ltan_hours", "[0, 24]"),
        ({"sun_synchronous": True, "ltan_hours": 6.0}, "sun_synchronous", "not both"),
        ({"sun_synchronous": True, "inclination_deg": None}, "ltan_hours", "required"),
        ({"specific_mass_t_per_mw": 0.0}, "specific_mass_t_per_mw", "> 0"),
        ({"lifetime_years": -5.0}, "lifetime_years", "> 0"),
        ({"downlink_gbps_per_sat": 0.0}, "downlink_gbps_per_sat", "> 0"),
        (
            {
                "altitude_km": 7000.0,
                "sun_synchronous": True,
                "inclination_deg": None,
                "ltan_hours": 6.0,
            },
            "altitude_km",
            "5,970",
        ),
    ],
)
def test_bad_shell_raises_naming_the_field(overrides, field, text):
    with pytest.raises(ValidationError) as err:
        shell(**overrides)
    msg = str(err.value)
    assert field in msg
    assert text in msg


def test_unknown_key_is_an_error():
    with pytest.raises(ValidationError, match="altitude"):
        shell(altitude=550.0)


def test_shell_is_frozen_and_epoch_is_utc():
    s = Shell(**(GOOD | PLAN_FIELDS | {"epoch": "2026-03-01T12:00:00"}))
    assert s.epoch.utcoffset().total_seconds() == 0
    with pytest.raises(ValidationError):
        s.altitude_km = 600.0  # type: ignore[misc]


def test_sun_synchronous_inclination_at_650_km():
    """Published sun-synchronous inclination for 650 km: 97.9-98.0 deg (e.g. Wertz, *Space
    Mission Analysis and Design*, table of SSO inclinations: ~97.8 at 600 km, ~98.2 at 700 km)."""
    assert 97.9 <= sun_synchronous_inclination_deg(650.0) <= 98.0
    s = Shell(
        **(
            GOOD
            | PLAN_FIELDS
            | {
                "inclination_deg": None,
                "sun_synchronous": True,
                "ltan_hours": 6.0,
                "altitude_km": 650.0,
            }
        )
    )
    assert s.inclination == pytest.approx(sun_synchronous_inclination_deg(650.0))


def test_ground_station_bounds_and_default_elevation():
    st = GroundStation(name="x", lat_deg=10, lon_deg=20, source="assumption: test")
    assert st.min_elevation_deg == 25.0
    with pytest.raises(ValidationError, match="lat_deg"):
        GroundStation(name="x", lat_deg=91, lon_deg=0, source="s")
    with pytest.raises(ValidationError, match="source"):
        GroundStation(name="x", lat_deg=0, lon_deg=0)  # type: ignore[call-arg]


def test_window_defaults_are_one_day_a_month_at_60_s():
    w = OrbitWindow()
    assert (w.months, w.days_per_sample, w.step_s) == (12, 1, 60.0)
    with pytest.raises(ValidationError, match="start"):
        OrbitWindow(start="2026-01-30")


def test_read_ground_stations_names_row_and_column(tmp_path):
    bad = tmp_path / "gs.csv"
    bad.write_text(
        "name,lat_deg,lon_deg,elevation_m,min_elevation_deg,source\n"
        "a,10,20,0,25,assumption: test\n"
        "b,100,20,0,25,assumption: test\n"
    )
    with pytest.raises(SpecError) as err:
        read_ground_stations(bad)
    assert "row 3.lat_deg" in str(err.value)
    assert str(bad) in str(err.value)
