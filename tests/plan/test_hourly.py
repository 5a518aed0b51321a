"""The physics of power in hours on representative days (twin.plan.hourly, twin.plan.storage).

The model: one site s1 with 100 MW of chips from 2029 (100,000 chips of 1 kW), valued at
$1/H100e-hour ($1,000/MWh of IT load, far above any power cost here), PUE 1, one yearly period
(2030), no reserve margin. Two representative days built by hand (tests/hourly_days.py):
day 0 stands for 200 days (solar at full nameplate 06:00-18:00), day 1 for 165 days (solar at
half nameplate 06:00-18:00); no sun at night.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import pytest
from hourly_days import LOAD_MW, RepresentativeDays, hourly_plan, model, solar_day, source

from tests.cli.runner import twin_main  # noqa: F401 - the fixture
from twin.plan import plan
from twin.report.dataset import to_dataset
from twin.spec import load_dict

WEIGHTS = np.array([200.0, 165.0])
SOLAR = np.stack([solar_day(1.0), solar_day(0.5)])
REL = 1e-6


def solar_gas_battery() -> dict:
    """200 MW of solar, a 50 MW / 200 MWh battery at 81% round trip, 1 GW of gas at $50/MWh."""
    return model({
        "pv": source("solar", 200.0),
        "bat": source("battery", 50.0, energy_mwh=200.0, round_trip_efficiency=0.81),
        "gas": source("turbine", 1000.0, cost_usd_per_mwh=50.0),
    })  # fmt: skip


def days(weight: np.ndarray = WEIGHTS, **over: object) -> RepresentativeDays:
    return RepresentativeDays(weight=weight, availability={("s1", "solar"): SOLAR}, **over)


def values(var: pyo.Var, name: str) -> np.ndarray:
    """(D, 24) values of ``var[name, d, h, 0]``."""
    return np.array([[pyo.value(var[name, k, h, 0]) for h in range(24)] for k in range(2)])


def test_hand_computed_cost_of_solar_battery_and_gas():
    """Load 100 MW. Day 0 (200 days): solar 200 MW from 06 to 18 covers the load and leaves
    100 MW spare; the battery stores at most 200 MWh once a day (its energy, cyclic per day)
    and returns 0.9 x 200 = 180 MWh at night; gas covers the other 12 x 100 - 180 = 1,020 MWh.
    Day 1 (165 days): solar 100 MW covers the daytime load exactly, nothing to store; gas the
    1,200 MWh of the night. Gas a year: 200 x 1,020 + 165 x 1,200 = 402,000 MWh x $50/MWh =
    $20.1M, the whole power cost (solar and storage cost nothing)."""
    p = hourly_plan(load_dict(solar_gas_battery()), days())
    m = p.model
    assert pyo.value(m.cash["energy", 0]) == pytest.approx(20.1, rel=REL)
    gas = values(m.dispatch, "gas")
    assert (gas[:, 6:18] == pytest.approx(0.0, abs=1e-6))
    assert gas.sum(axis=1) == pytest.approx([1020.0, 1200.0], rel=REL)
    assert pyo.value(m.power["gas", 0]) == pytest.approx(402_000 / 8760, rel=REL)
    assert pyo.value(m.source_energy_gwh["gas", 0]) == pytest.approx(402.0, rel=REL)
    # at night (no sun) the load is gas + discharge, so the battery gives exactly 180 MWh there;
    # by day, with free surplus sun, charging and discharging at once is a tie (any HiGHS vertex)
    night = np.r_[0:6, 18:24]
    assert values(m.discharge, "bat")[0, night].sum() == pytest.approx(180.0, rel=REL)
    assert pyo.value(m.peak_load_mw["s1", 0]) == pytest.approx(LOAD_MW, rel=REL)


def test_no_source_above_its_hourly_availability():
    """Every hour: solar within its profile x 200 MW, the battery within 50 MW and 200 MWh,
    and each site's balance met exactly (load 100 MW, PUE 1)."""
    m = hourly_plan(load_dict(solar_gas_battery()), days()).model
    pv = values(m.dispatch, "pv")
    assert np.all(pv <= SOLAR * 200.0 + 1e-6)
    assert np.all(pv[:, :6] <= 1e-9) and np.all(pv[:, 18:] <= 1e-9)
    ch, dis, soc = (values(v, "bat") for v in (m.charge, m.discharge, m.soc))
    assert np.all(ch <= 50 + 1e-6) and np.all(dis <= 50 + 1e-6) and np.all(soc <= 200 + 1e-6)
    supply = pv + values(m.dispatch, "gas") + dis - ch
    np.testing.assert_allclose(supply, LOAD_MW, rtol=REL)


def test_storage_net_energy_is_not_positive_and_soc_cyclic():
    """Per day: soc(h) = soc(h-1) + 0.9 charge - discharge / 0.9 with soc(-1) = soc(23), so
    the energy out is 0.81 of the energy in: sum (discharge - charge) <= 0."""
    m = hourly_plan(load_dict(solar_gas_battery()), days()).model
    ch, dis, soc = (values(v, "bat") for v in (m.charge, m.discharge, m.soc))
    eta = math.sqrt(0.81)
    for k in range(2):
        before = np.roll(soc[k], 1)  # soc of hour h-1, hour 23 before hour 0
        np.testing.assert_allclose(soc[k], before + eta * ch[k] - dis[k] / eta, atol=1e-6)
        assert dis[k].sum() - ch[k].sum() <= 1e-9
        assert dis[k].sum() == pytest.approx(0.81 * ch[k].sum(), abs=1e-6)


def test_peak_is_the_largest_hourly_facility_load():
    """PUE 1.1 by night and 1.3 from 12 to 16 (same profile both days): firm capacity must cover
    1.3 x IT, not an average. Gas with credit 0.5 (solar none): 300 MW firm 150 MW covers the
    130 MW peak of the 100 MW load; 200 MW firms only 100 MW, so the plan runs at most
    100 / 1.3 = 76.923 MW of IT (the rest idle) although the energy is there."""
    pue = np.full((2, 24), 1.1)
    pue[:, 12:16] = 1.3
    for limit, it in ((300.0, LOAD_MW), (200.0, 100.0 / 1.3)):
        data = model({
            "pv": source("solar", 200.0, capacity_credit=0.0),
            "gas": source("turbine", limit, cost_usd_per_mwh=50.0, capacity_credit=0.5),
        })  # fmt: skip
        m = hourly_plan(load_dict(data), days(pue={"s1": pue})).model
        assert pyo.value(m.peak_load_mw["s1", 0]) == pytest.approx(1.3 * it, rel=REL)
        assert pyo.value(m.firm_capacity_mw["s1", 0]) == pytest.approx(limit / 2, rel=REL)
        load = values(m.dispatch, "pv") + values(m.dispatch, "gas")
        np.testing.assert_allclose(load, pue * it, rtol=REL)


def test_report_holds_hourly_dispatch_and_state_of_charge():
    """The report carries the solved hourly dispatch, charge and state of charge with dims
    (day, hour, period), the day weights (200 and 165 days), and energy by source as the
    weighted sum: gas 402,000 MWh = 402 GWh; the site's power balances in every hour."""
    ds = to_dataset(hourly_plan(load_dict(solar_gas_battery()), days()))
    np.testing.assert_allclose(ds.day_weight, WEIGHTS)
    gas = ds.power_dispatch_mw.sel(source="gas").isel(period=0)
    assert gas.dims == ("day", "hour")
    np.testing.assert_allclose(gas.sum("hour"), [1020.0, 1200.0], rtol=REL)
    weighted = float((gas.sum("hour") * ds.day_weight).sum()) / 1e3
    assert weighted == pytest.approx(402.0, rel=REL)
    assert float(ds.source_energy_gwh.sel(source="gas").isel(period=0)) == pytest.approx(
        402.0, rel=REL
    )
    assert float(ds.soc_mwh.sel(storage="bat").max()) == pytest.approx(200.0, rel=REL)
    supply = ds.power_dispatch_mw.sum("source") + (
        ds.storage_discharge_mw - ds.storage_charge_mw
    ).sum("storage")
    np.testing.assert_allclose(supply.isel(period=0), LOAD_MW, rtol=REL)
    # the marginal value of power: gas at $50/MWh sets it in the hours it runs
    assert np.isfinite(ds.marginal_value_power.sel(site="s1").isel(period=0))


def test_dispatch_chart_stacks_sources_against_load(tmp_path: Path, twin_main) -> None:  # noqa: F811
    """``twin plot --kind dispatch``: on day 0 of 2030 the stacked sources reach the 100 MW load
    in every hour the battery does not charge (solar 06-18, gas and battery discharge at night),
    the battery's charge is drawn below zero; a day the report does not hold exits 2."""
    from twin.report import write
    from twin.report.plot_dispatch import dispatch_by_technology, plot_dispatch

    ds = to_dataset(hourly_plan(load_dict(solar_gas_battery()), days()))
    series = dispatch_by_technology(ds, 0, 0)
    assert set(series) == {"existing solar", "existing battery", "existing turbine",
                           "storage discharge", "storage charge"}  # fmt: skip
    np.testing.assert_allclose(sum(series.values()), LOAD_MW, rtol=REL)
    assert series["storage charge"].min() < 0 <= series["storage discharge"].min()
    fig = plot_dispatch(ds, "2030", 0)
    assert "[MW]" in fig.axes[0].get_ylabel() and "day 0 (200 days a year)" in (
        fig.axes[0].get_title("left")
    )
    report = tmp_path / "hourly.nc"
    write(ds, report)
    png = tmp_path / "dispatch.png"
    run = twin_main("plot", report, "-k", "dispatch", "--day", 1, "-o", png, "--dpi", 30)
    assert run.code == 0, run.err
    assert png.stat().st_size > 0
    run = twin_main("plot", report, "-k", "dispatch", "--day", 5, "-o", png)
    assert run.code == 2 and "--day" in run.err and "Traceback" not in run.err
    # the period form: one "day" of the average MW, here gas only (no energy from storage)
    flat = to_dataset(plan(load_dict(solar_gas_battery())))
    series = dispatch_by_technology(flat, 0, 0)
    np.testing.assert_allclose(sum(series.values()), LOAD_MW, rtol=REL)
    assert "period form" in plot_dispatch(flat).axes[0].get_title("left")


def test_no_project_delivery_before_earliest_plus_lead_in_hours():
    """A 100 MW nuclear PPA at $30/MWh ordered 2030-01-01 with a 6-month lead is online from
    2030-07-01: half of the 2030 period, so at most 0.5 x 100 = 50 MW in any hour; gas at
    $50/MWh carries the other 50 MW. Energy cost: 8,760 h x 50 MW x ($30 + $50) = $35.04M.
    A battery project (4 h) holds only what its online nameplate allows: with flat prices it is
    not worth its O&M, none is built, and it can neither charge, discharge nor hold energy."""
    projects = {
        "nuc": {"technology": "nuclear_ppa", "capex_musd_per_mw": 0.0,
                "fixed_musd_per_mw_year": 0.0, "variable_usd_per_mwh": 30.0, "lead_months": 6,
                "earliest": "2030-01-01", "max_mw_per_site": 100.0, "capacity_credit": 1.0,
                "source": "assumption: test value"},
        "bat": {"technology": "battery", "capex_musd_per_mw": 0.0, "fixed_musd_per_mw_year": 0.01,
                "variable_usd_per_mwh": 0.0, "lead_months": 0, "earliest": "2020-01-01",
                "max_mw_per_site": 10.0, "capacity_credit": 1.0, "storage_hours": 4.0,
                "round_trip_efficiency": 0.81, "source": "assumption: test value"},
    }  # fmt: skip
    data = model({"gas": source("turbine", 1000.0, cost_usd_per_mwh=50.0)}, projects)
    p = hourly_plan(load_dict(data), days())
    m = p.model
    assert sum(a for _, a in p.data.power_build.online["s1", "nuc", 0]) == pytest.approx(0.5)
    nuc = np.array([[pyo.value(m.project_dispatch["s1", "nuc", k, h, 0]) for h in range(24)]
                    for k in range(2)])  # fmt: skip
    np.testing.assert_allclose(nuc, 50.0, rtol=REL)
    assert pyo.value(m.power_online["s1", "nuc", 0]) == pytest.approx(50.0, rel=REL)
    assert pyo.value(m.cash["energy", 0]) == pytest.approx(35.04, rel=REL)
    online = pyo.value(m.power_online["s1", "bat", 0])
    assert online == pytest.approx(0.0, abs=1e-9)
    for k in range(2):
        for h in range(24):
            for var, cap in ((m.charge, online), (m.discharge, online), (m.soc, 4 * online)):
                assert pyo.value(var["bat@s1", k, h, 0]) <= cap + 1e-9


def test_end_buffer_keeps_the_period_form():
    """One reported year (2030) and one buffer year (2031, ``end_effects: buffer``): 2030 is
    hourly and costs the 402,000 MWh of gas of the hand-computed case above ($20.1M); 2031 is
    solved in the period form (:meth:`twin.plan.data.PlanData.hourly`), where solar gives its
    capacity factor on average, (200 x 12 x 200 + 165 x 12 x 100) / 8,760 = 77.40 MW (the
    profile's energy, 678,000 MWh), the battery no energy, and gas the rest: 876,000 - 678,000
    = 198,000 MWh = $9.9M. No hourly variable or row exists in 2031."""
    cf = (200 * 12 * 1.0 + 165 * 12 * 0.5) / 8760
    data = solar_gas_battery()
    data["power_sources"]["pv"]["capacity_factor"] = cf
    data["horizon"] |= {"end_effects": "buffer", "buffer_years": 1}
    p = hourly_plan(load_dict(data), days())
    m = p.model
    assert p.data.n_periods == 2 and p.data.n_reported == 1
    assert pyo.value(m.cash["energy", 0]) == pytest.approx(20.1, rel=REL)
    assert pyo.value(m.source_energy_gwh["gas", 1]) == pytest.approx(198.0, rel=REL)
    assert pyo.value(m.cash["energy", 1]) == pytest.approx(9.9, rel=REL)
    assert {i[-1] for i in m.dispatch} == {0} and {i[-1] for i in m.soc} == {0}
    assert [i for i in m.site_power] == [("s1", 1)]


def test_coefficients_stay_in_range_with_a_day_of_weight_one():
    """A day standing for one day of the year: an hour's share of the year is 1/8,760 = 1.1e-4,
    which times gas at $50/MWh (0.438 $M per MW-year, discounted) put the hourly costs below
    the 1e-4 the units keep. The average row (365 power = sum_d w_d / 24 sum_h dispatch) keeps
    them in range. Gas: day 0 (364 days) 1,020 MWh, day 1 (1 day) 1,200 MWh as above:
    364 x 1,020 + 1,200 = 372,480 MWh = $18.624M."""
    from twin.plan.solve import COEFFICIENT_RANGE, CoefficientRangeWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", CoefficientRangeWarning)
        p = hourly_plan(load_dict(solar_gas_battery()), days(weight=np.array([364.0, 1.0])))
    lo, hi = COEFFICIENT_RANGE
    for kind in ("matrix", "cost"):
        assert lo <= p.result.ranges[kind][0] and p.result.ranges[kind][1] <= hi
    assert pyo.value(p.model.cash["energy", 0]) == pytest.approx(18.624, rel=REL)
