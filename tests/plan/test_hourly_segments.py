"""Representative days cut into segments of unequal length (``horizon.hours.segments``): every
energy sum and storage balance weighs a step by its hours (twin.plan.hourly, twin.plan.storage).

The model of tests/plan/test_hourly.py (one site, 100 MW of IT at PUE 1, 200 MW of solar, a
50 MW / 200 MWh battery at 81% round trip, gas at $50/MWh; day 0 stands for 200 days with sun
at full nameplate 06:00-18:00, day 1 for 165 days at half nameplate), its two days written as
three segments each: night 00-06 (6 h), day 06-18 (12 h), night 18-24 (6 h). The profiles are
constant inside each segment, so the segmented LP has the hourly LP's optimum.
"""

from __future__ import annotations

import math

import numpy as np
import pyomo.environ as pyo
import pytest
from hourly_days import LOAD_MW, RepresentativeDays, hourly_plan, model, source

from twin.report.dataset import to_dataset
from twin.spec import load_dict

TAU = np.array([[6.0, 12.0, 6.0], [6.0, 12.0, 6.0]])
SOLAR = np.array([[0.0, 1.0, 0.0], [0.0, 0.5, 0.0]])
WEIGHTS = np.array([200.0, 165.0])
REL = 1e-6


def _plan():
    data = model({
        "pv": source("solar", 200.0),
        "bat": source("battery", 50.0, energy_mwh=200.0, round_trip_efficiency=0.81),
        "gas": source("turbine", 1000.0, cost_usd_per_mwh=50.0),
    })  # fmt: skip
    days = RepresentativeDays(WEIGHTS, {("s1", "solar"): SOLAR}, step_hours=TAU)
    return hourly_plan(load_dict(data), days)


def _values(var: pyo.Var, name: str) -> np.ndarray:
    return np.array([[pyo.value(var[name, k, h, 0]) for h in range(3)] for k in range(2)])


def test_three_segments_cost_what_24_hours_do():
    """Hand-computed as for the 24 hours: day 0, the battery fills to its 200 MWh in the 12-h
    day segment and returns 0.9 x 200 = 180 MWh over the two night segments, gas the other
    12 x 100 - 180 = 1,020 MWh; day 1, gas all 1,200 MWh of the night. Gas a year 200 x 1,020
    + 165 x 1,200 = 402,000 MWh, $20.1M at $50/MWh; its average 402,000 / 8,760 MW."""
    m = _plan().model
    assert pyo.value(m.cash["energy", 0]) == pytest.approx(20.1, rel=REL)
    gas = _values(m.dispatch, "gas")
    assert (TAU * gas).sum(axis=1) == pytest.approx([1020.0, 1200.0], rel=REL)
    assert gas[:, 1] == pytest.approx([0.0, 0.0], abs=1e-6)
    assert pyo.value(m.power["gas", 0]) == pytest.approx(402_000 / 8760, rel=REL)
    dis = _values(m.discharge, "bat")
    assert (TAU[0] * dis[0])[[0, 2]].sum() == pytest.approx(180.0, rel=REL)


def test_segment_storage_balance_weighs_its_hours():
    """soc(j) = soc(j-1) + tau_j (0.9 charge - discharge / 0.9), cyclic; soc <= 200 MWh; a
    charge of 50 MW for 12 h would be 540 MWh stored, so the energy cap binds, not the power."""
    m = _plan().model
    ch, dis, soc = (_values(v, "bat") for v in (m.charge, m.discharge, m.soc))
    eta = math.sqrt(0.81)
    for k in range(2):
        before = np.roll(soc[k], 1)
        np.testing.assert_allclose(soc[k], before + TAU[k] * (eta * ch[k] - dis[k] / eta),
                                   atol=1e-6)  # fmt: skip
        assert (TAU[k] * (dis[k] - ch[k])).sum() <= 1e-9
    assert soc.max() == pytest.approx(200.0, rel=REL)
    supply = _values(m.dispatch, "pv") + _values(m.dispatch, "gas") + dis - ch
    np.testing.assert_allclose(supply, LOAD_MW, rtol=REL)


def test_report_carries_the_step_hours():
    """``step_hours`` (day, hour) is the segments' length; ``hour`` has 3 steps; energy by
    source is the step-hour weighted sum (402 GWh of gas)."""
    ds = to_dataset(_plan())
    assert ds.sizes["hour"] == 3
    np.testing.assert_array_equal(ds["step_hours"].values, TAU)
    gas = ds.power_dispatch_mw.sel(source="gas").isel(period=0)
    weighted = float((gas * ds.step_hours).sum("hour") @ ds.day_weight) / 1e3
    assert weighted == pytest.approx(402.0, rel=REL)
    assert float(ds.source_energy_gwh.sel(source="gas").isel(period=0)) == pytest.approx(
        402.0, rel=REL
    )


def test_dispatch_chart_draws_segments_at_their_hours():
    """The chart's steps start at 0, 6 and 18 h and end at 24 (the segments' hours)."""
    from twin.report.plot_dispatch import plot_dispatch

    fig = plot_dispatch(to_dataset(_plan()), "2030", 0)
    load = fig.axes[0].patches[-1]  # the load line's stairs
    np.testing.assert_allclose(load.get_data().edges, [0.0, 6.0, 18.0, 24.0])
    np.testing.assert_allclose(load.get_data().values, LOAD_MW, rtol=REL)


@pytest.mark.parametrize(("cfe", "solar_mw"), [(0.4, 40.0), (0.5, 50.0)])
def test_hourly_cfe_weighs_segments_by_their_hours(cfe: float, solar_mw: float) -> None:
    """tests/plan/test_clean_power.py's sunny day (sun 06-18 at full nameplate, 100 MW load,
    grid beside) written as 3 segments of 6, 12 and 6 h: the CFE share counts each segment by
    its hours, so 0.4 and 0.5 take 40 and 50 MW of solar as on 24 hours (the 12-h day segment
    is half the day; counted as one step in three it would be a third), and the matched
    energy is cfe x 24 h x 100 MW a day."""
    from plan.test_clean_power import sun_and_grid

    days = RepresentativeDays(np.array([365.0]), {("s1", "solar"): np.array([[0.0, 1.0, 0.0]])},
                              step_hours=np.array([[6.0, 12.0, 6.0]]))  # fmt: skip
    m = hourly_plan(load_dict(sun_and_grid(cfe)), days).model
    assert pyo.value(m.power["pv", 0]) == pytest.approx(solar_mw, rel=REL)
    assert pyo.value(m.power["grid", 0]) == pytest.approx(LOAD_MW - solar_mw, rel=REL)
    matched = sum(TAU[0, h] * pyo.value(m.cfe_matched["s1", 0, h, 0]) for h in range(3))
    assert matched == pytest.approx(cfe * 24 * LOAD_MW, rel=REL)
