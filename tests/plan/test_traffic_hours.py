"""Link capacity in the peak hour with the hourly model (twin.plan.traffic), answers by hand.

tests/plan/test_traffic.py's tiny network with two user regions of equal share, r1 and r2,
whose traffic reaches s1 only over r1-s1 (10 Gbit/s; s2 has no link). The tenant wants 15 Gbit/s
(7.5 kH100e at 2 Gbit/s per kH100e), 7.5 from each region, worth $10/H100e-hour; power at s1 is
free. Each region's hourly traffic is ``sigma(h) = 1 + (P - 1) cos(2 pi (local mid-hour - 23) /
24)`` times its mean, P = 4/3. At longitude -97.5 deg (6.5 h behind UTC) the peak falls on UTC
hour 5 exactly (5.5 - 6.5 = -1 = 23 local), at 82.5 deg (5.5 h ahead) on UTC hour 17:

- 12 hours apart (-97.5 and 82.5): sigma_2 = 2 - sigma_1, so equal flows f fill the link at
  2f in every hour: 10 Gbit/s served (5 kH100e), as in the period form;
- in step (both at -97.5): the link's load peaks at P (f1 + f2) in hour 5: 10 / P = 7.5 Gbit/s
  served (3.75 kH100e), and one more Gbit/s on the link serves 1/P Gbit/s more, worth
  ``(1/P) x 8.76 x 10 / 2 = 32.85 $M`` a year.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hourly_days import RepresentativeDays, hourly_plan
from traffic_model import traffic_model

from twin.plan import plan
from twin.plan.traffic_data import diurnal_shape
from twin.report import to_dataset
from twin.spec import load_dict

P = 4 / 3
VALUE_K_YEAR = 8.76 * 10.0  # $M per kH100e-year at $10/H100e-hour


def two_regions(lon2: float) -> dict:
    region = {"lat_deg": 35.1, "population": 1.0, "share": 0.5}
    return traffic_model(
        horizon={"years": 2},
        user_regions={"r1": {**region, "lon_deg": -97.5}, "r2": {**region, "lon_deg": lon2}},
        links={"r2_s2": None, "r1_r2": {"km": 1000.0}},
    )


def solve_hourly(model: dict) -> Any:
    days = RepresentativeDays(weight=np.array([365.0]))
    return to_dataset(hourly_plan(load_dict(model), days))


def served(ds: Any) -> np.ndarray:
    return ds["allocation_h100e"].sel(site="s1", tenant="edge").values / 1e3


def test_diurnal_shape_averages_one_and_peaks_at_the_local_hour() -> None:
    shape = np.array(diurnal_shape(-97.5, P, 23.0))
    assert shape.mean() == pytest.approx(1.0, abs=1e-12)
    assert int(shape.argmax()) == 5 and shape.max() == pytest.approx(P, rel=1e-12)
    assert shape.min() == pytest.approx(2 - P, rel=1e-12)  # 11am local: half the peak
    east = np.array(diurnal_shape(82.5, P, 23.0))
    np.testing.assert_allclose(shape + east, 2.0, atol=1e-12)  # 12 hours apart


def test_regions_twelve_hours_apart_fill_the_link_at_their_means() -> None:
    ds = solve_hourly(two_regions(82.5))
    np.testing.assert_allclose(served(ds), 5.0, atol=1e-6)
    np.testing.assert_allclose(ds["link_load_gbps"].sel(link="r1_s1").values, 10.0, atol=1e-6)


def test_regions_in_step_fill_the_link_at_their_summed_peak() -> None:
    ds = solve_hourly(two_regions(-97.5))
    np.testing.assert_allclose(served(ds), 10.0 / P / 2, atol=1e-6)  # 3.75 kH100e
    mean_load = ds["link_load_gbps"].sel(link="r1_s1").values
    np.testing.assert_allclose(mean_load * P, 10.0, atol=1e-6)  # the peak hour is full
    mv = ds["marginal_value_link"].sel(link="r1_s1").values
    np.testing.assert_allclose(mv, VALUE_K_YEAR / 2 / P, rtol=1e-6)  # 32.85 $M/Gbit/s-year


def test_period_form_ignores_the_hour() -> None:
    """Without representative days the link holds the mean: 10 Gbit/s served either way."""
    ds = to_dataset(plan(load_dict(two_regions(-97.5))))
    np.testing.assert_allclose(served(ds), 5.0, atol=1e-6)
    assert math.isclose(P, 4 / 3)


@pytest.mark.parametrize(
    ("lons", "n_hours"), [((-75.0, -122.0), 5), ((-75.0, -97.5, -122.0), 5), ((170.0, -170.0), 2)]
)
def test_a_link_peaks_only_in_the_hours_between_its_regions_peaks(
    lons: tuple, n_hours: int
) -> None:
    """For any nonnegative mix of the regions' traffic (random, seeded), the busiest UTC hour
    found by brute force over all 24 is one of peak_hours (those between the regions' own peak
    hours: at -75 deg the 23:00-local peak is at 04:00 UTC, midway between the middles of hours
    3 and 4 (a tie: hour 3), at -122 deg at 07:08 UTC (hour 7, middle 07:30): 5 of 24 rows; two
    regions across the date line, 1.3 h apart, peak in UTC hours 11 and 10: 2)."""
    from twin.plan.traffic import peak_hours
    from twin.plan.traffic_data import TrafficData

    shapes = {f"r{i}": diurnal_shape(x, P, 23.0) for i, x in enumerate(lons)}
    hours = peak_hours(TrafficData(hour_shape=shapes), set(shapes) | {""})
    assert len(hours) == n_hours
    rng = np.random.default_rng(1)
    for _ in range(2000):
        w = rng.exponential(size=len(lons)) * (rng.random(len(lons)) < 0.8)
        load = sum(wi * np.array(s) for wi, s in zip(w, shapes.values(), strict=True))
        if np.ptp(load) > 1e-12:
            assert load.max() == pytest.approx(max(load[h] for h in hours), abs=1e-12)
