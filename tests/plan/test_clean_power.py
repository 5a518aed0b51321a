"""Clean-power shares on one site (period form): ``policy.renewable_share`` (annual energy from
solar and wind) and ``policy.cfe_share`` (carbon-free energy; the period form matches the year).

The tiny model's site s1 holds 10 MW of chips from 2029 (PUE 1: a 10 MW load, worth far more than
any power here). Three projects, no capex, no fixed cost, lead 0: gas at $30/MWh (0.5 t CO2/MWh,
credit 1: it alone covers the firm row), a solar PPA at $50/MWh (capacity factor 0.25, permit
16 MW) and a nuclear PPA at $70/MWh (capacity factor 0.9, no take-or-pay). Every draw's cost is
linear in MW, so each share is met exactly and by the cheapest clean energy first:

- no share: 10 MW of gas, nothing else;
- renewable 0.3: solar 0.3 x 10 = 3 MW average (12 MW nameplate), gas 7;
- CFE 0.6: carbon-free 6 MW: solar to its permit, 0.25 x 16 = 4 MW, then nuclear 2 MW
  (2 / 0.9 = 2.2222 MW nameplate), gas 4;
- renewable 0.3 and CFE 0.6 together: the same as CFE 0.6 (its 4 MW of solar covers 0.3).
"""

from __future__ import annotations

import pyomo.environ as pyo
import pytest
from conftest import FULL_SITE_EVENTS, TEST_SOURCE, tiny_model

from twin.plan import plan
from twin.spec import SpecError, load_dict

LOAD_MW = 10.0


def project(technology: str, usd_per_mwh: float, cf: float, **over: object) -> dict:
    return {
        "technology": technology, "capex_musd_per_mw": 0.0, "fixed_musd_per_mw_year": 0.0,
        "variable_usd_per_mwh": usd_per_mwh, "lead_months": 0, "earliest": "2020-01-01",
        "max_mw_per_site": 1000.0, "capacity_credit": 0.01, "capacity_factor": cf,
        "source": TEST_SOURCE, **over,
    }  # fmt: skip


PROJECTS = {
    "gas": project("gas_simple_cycle", 30.0, 1.0, capacity_credit=1.0, co2_t_per_mwh=0.5),
    "pv": project("solar_storage_ppa", 50.0, 0.25, max_mw_per_site=16.0),
    "nuke": project("nuclear_ppa", 70.0, 0.9),
}


def draws(policy: dict) -> dict[str, list[float]]:
    """Average MW drawn from each project in every period."""
    data = tiny_model(
        power_sources=None,
        events=FULL_SITE_EVENTS,
        power_projects=PROJECTS,
        policy={"reserve_margin": 0.0, **policy},
    )
    p = plan(load_dict(data))
    m, n = p.model, p.data.n_periods
    return {g: [pyo.value(m.power_draw["s1", g, q]) for q in range(n)] for g in PROJECTS}


@pytest.mark.parametrize(
    ("policy", "gas", "pv", "nuke"),
    [
        ({}, 10.0, 0.0, 0.0),
        ({"renewable_share": 0.3}, 7.0, 3.0, 0.0),
        ({"cfe_share": 0.6}, 4.0, 4.0, 2.0),
        ({"renewable_share": 0.3, "cfe_share": 0.6}, 4.0, 4.0, 2.0),
    ],
)
def test_each_share_is_met_by_the_cheapest_clean_energy(
    policy: dict, gas: float, pv: float, nuke: float
) -> None:
    got = draws(policy)
    for g, mw in (("gas", gas), ("pv", pv), ("nuke", nuke)):
        assert got[g] == pytest.approx([mw] * len(got[g]), abs=1e-6), (g, got[g])
    total = [sum(x) for x in zip(*got.values(), strict=True)]
    assert total == pytest.approx([LOAD_MW] * len(total), abs=1e-6)


@pytest.mark.parametrize(("clean_from", "first"), [("2033-01-01", 3), ("2033-06-01", 4)])
def test_a_goal_applies_from_its_date(clean_from: str, first: int) -> None:
    """``policy.clean_from``: CFE 0.6 binds in the periods starting on or after the date (the
    yearly periods start on January 1 from 2030) and no earlier, where gas alone serves."""
    got = draws({"cfe_share": 0.6, "clean_from": clean_from})
    n = len(got["gas"])
    assert got["gas"] == pytest.approx([10.0] * first + [4.0] * (n - first), abs=1e-6)
    assert got["pv"] == pytest.approx([0.0] * first + [4.0] * (n - first), abs=1e-6)
    assert got["nuke"] == pytest.approx([0.0] * first + [2.0] * (n - first), abs=1e-6)


def test_a_goal_dated_after_the_last_period_is_refused() -> None:
    """A ``clean_from`` after the last period's start would drop the shares without a word."""
    last = r"policy\.clean_from.*2037-06-01 is after the horizon's last period start \(2037-01-01\)"
    with pytest.raises(SpecError, match=last):
        load_dict(tiny_model(policy={"cfe_share": 0.6, "clean_from": "2037-06-01"}))
    load_dict(tiny_model(policy={"cfe_share": 0.6, "clean_from": "2037-01-01"}))  # the last


@pytest.mark.parametrize("key", ["renewable_share", "cfe_share"])
def test_a_share_outside_zero_one_is_refused(key: str) -> None:
    with pytest.raises(SpecError, match=key):
        load_dict(tiny_model(policy={key: 1.5}))


# --- the hourly match, with one representative day (tests/hourly_days.py) --------------------
# Load 100 MW (PUE 1) all day; a grid (0.4 t CO2/MWh, $40/MWh) and a 200 MW solar farm (no CO2,
# $50/MWh) that gives its nameplate from 06 to 18 and nothing at night (period form: capacity
# factor 0.5, the same energy). Solar is dearer, so it runs only as far as the share asks:
# CFE 0.4 needs 0.4 x 2,400 = 960 MWh a day matched in the same hour (40 MW average); 0.5 needs
# the whole daytime load (100 MW in each of the 12 sunny hours: 50 MW average) and is the most
# an hourly match can reach without storage, so 0.6 idles every chip -- while the year's match of
# the period form reaches it with 60 MW average of the same solar energy (an upper bound).


def sun_and_grid(cfe: float) -> dict:
    from hourly_days import model, source

    data = model(
        {
            "grid": source("grid", 1000.0, cost_usd_per_mwh=40.0, co2_t_per_mwh=0.4),
            "pv": source("solar", 200.0, cost_usd_per_mwh=50.0, capacity_factor=0.5),
        }
    )
    data["policy"]["cfe_share"] = cfe
    return data


def one_day():
    from hourly_days import RepresentativeDays, solar_day

    return RepresentativeDays(weight=[365.0], availability={("s1", "solar"): [solar_day(1.0)]})


@pytest.mark.parametrize(("cfe", "solar_mw"), [(0.4, 40.0), (0.5, 50.0)])
def test_hourly_cfe_matches_load_in_the_same_hour(cfe: float, solar_mw: float) -> None:
    from hourly_days import LOAD_MW, hourly_plan

    p = hourly_plan(load_dict(sun_and_grid(cfe)), one_day())
    m = p.model
    assert pyo.value(m.power["pv", 0]) == pytest.approx(solar_mw, rel=1e-6)
    assert pyo.value(m.power["grid", 0]) == pytest.approx(LOAD_MW - solar_mw, rel=1e-6)
    matched = sum(pyo.value(m.cfe_matched["s1", 0, h, 0]) for h in range(24))
    assert matched == pytest.approx(cfe * 24 * LOAD_MW, rel=1e-6)


def test_hourly_cfe_above_the_sunny_hours_runs_no_chip_but_the_annual_match_does() -> None:
    """CFE 0.6 per hour: solar matches at most the 12 sunny hours' load, 12 L of 24 L a day for
    any flat load L, so only L = 0 meets it: every chip idles. The period form's year match
    takes 60 MW average of the same solar energy and runs the whole load."""
    from hourly_days import LOAD_MW, hourly_plan

    p = hourly_plan(load_dict(sun_and_grid(0.6)), one_day())
    assert pyo.value(p.model.idle["s1", 0]) == pytest.approx(LOAD_MW, rel=1e-6)
    assert pyo.value(p.model.it_running["s1", 0]) == pytest.approx(0.0, abs=1e-6)
    p = plan(load_dict(sun_and_grid(0.6)))  # period form: the year's match
    assert pyo.value(p.model.power["pv", 0]) == pytest.approx(60.0, rel=1e-6)
    assert pyo.value(p.model.power["grid", 0]) == pytest.approx(40.0, rel=1e-6)


def test_hourly_cfe_with_an_end_buffer_matches_by_the_hour_then_by_the_year() -> None:
    """The end buffer keeps the period form (``PlanData.hourly``), so its years take the
    annual match: CFE 0.6 idles every chip in the reported year (as above) and draws the whole
    100 MW load in the 2 buffer years as 60 MW of solar and 40 of grid. (Representative days with a
    buffer once failed to build: the hourly rows asked for dispatch in the buffer years.)"""
    from hourly_days import hourly_plan

    data = sun_and_grid(0.6)
    data["horizon"].update(end_effects="buffer", buffer_years=2)
    p = hourly_plan(load_dict(data), one_day())
    m = p.model
    assert p.result.optimal and p.data.n_periods == 3 and p.data.n_reported == 1
    assert pyo.value(m.it_running["s1", 0]) == pytest.approx(0.0, abs=1e-6)
    for q in (1, 2):
        assert pyo.value(m.power["pv", q]) == pytest.approx(60.0, rel=1e-6)
        assert pyo.value(m.power["grid", q]) == pytest.approx(40.0, rel=1e-6)
    assert [q for (_, _, _, q) in m.cfe_matched] == [0] * 24  # hours only where hourly


# --- the scores a report gives, asked for or not ---------------------------------------------


def test_the_report_scores_the_shares_a_plan_meets() -> None:
    """Period form: the shares met exactly above are the scores (renewable 3 of 10 MW; CFE
    4 + 2 of 10 MW), in every period."""
    from twin.report import to_dataset

    base = {"power_sources": None, "events": FULL_SITE_EVENTS, "power_projects": PROJECTS}
    cases = (({"renewable_share": 0.3}, 0.3, 0.3), ({"cfe_share": 0.6}, 0.4, 0.6))
    for policy, renew, cfe in cases:
        data = tiny_model(**base, policy={"reserve_margin": 0.0, **policy})
        ds = to_dataset(plan(load_dict(data)))
        assert ds["renewable_score"].values == pytest.approx([renew] * ds.sizes["period"], abs=1e-6)
        assert ds["cfe_score"].values == pytest.approx([cfe] * ds.sizes["period"], abs=1e-6)


def test_the_hourly_cfe_score_counts_only_the_load_in_the_same_hour() -> None:
    """Solar cheaper than the grid and no share asked: in hours it runs at the load (100 MW) in
    the 12 sunny hours and not at night, so half the load is matched (score 0.5) although the
    farm could give 200 MW; the period form's year match counts the same solar energy against
    the whole year's load (100 MW average of 200 MW x 0.5): score 1."""
    from hourly_days import hourly_plan

    from twin.report import to_dataset

    data = sun_and_grid(0.0)
    data["power_sources"]["pv"]["cost_usd_per_mwh"] = 10.0
    hourly = to_dataset(hourly_plan(load_dict(data), one_day()))
    assert float(hourly["cfe_score"][0]) == pytest.approx(0.5, rel=1e-6)
    assert float(hourly["renewable_score"][0]) == pytest.approx(0.5, rel=1e-6)
    yearly = to_dataset(plan(load_dict(data)))
    assert float(yearly["cfe_score"][0]) == pytest.approx(1.0, rel=1e-6)


def test_twin_show_prints_the_scores_by_the_hour_or_by_the_year() -> None:
    """The power block of ``twin show`` labels the score by how it was measured: "24/7 CFE"
    with representative days, "CFE (year)" in the period form (the cheap-solar case above:
    50.0 and 100.0%)."""
    from hourly_days import hourly_plan
    from rich.console import Console

    from twin.report import to_dataset
    from twin.report.power_summary import power_tables

    data = sun_and_grid(0.0)
    data["power_sources"]["pv"]["cost_usd_per_mwh"] = 10.0
    for ds, label, value in (
        (to_dataset(hourly_plan(load_dict(data), one_day())), "24/7 CFE", "50.0"),
        (to_dataset(plan(load_dict(data))), "CFE (year)", "100.0"),
    ):
        (table,) = [t for t in power_tables(ds) if str(t.title).startswith("Clean-power")]
        console = Console(record=True, width=100)
        console.print(table)
        text = console.export_text()
        assert label in text and value in text.split(label, 1)[1], text
