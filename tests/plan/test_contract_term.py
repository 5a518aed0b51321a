"""Power contracts end at their term: no draw and no payment after it, and a take-or-pay term
that outlasts the solved horizon is charged at its end (issue 18, "Leaving things").

The tiny model's site s1 holds 10 MW of chips (1 kW, 1 H100e each) in 2030-2032 only (installed
2029-01-01 with a 4-year life, gone on 2033-01-01; chips at $1M each are never bought again),
valued far above any power cost; its only power is a 10 MW PPA at $50/MWh, capacity factor 1,
take-or-pay 0.5, built in 2030 with lead 0.
Eight yearly periods from 2030, 5% discount rate.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest
from conftest import FULL_SITE_EVENTS, TEST_SOURCE, tiny_model

from twin.plan import plan
from twin.plan.power_build import owed_after_end_musd_per_mw
from twin.report import to_dataset
from twin.report.idle import idle_runs
from twin.spec import load_dict

PRICE_MUSD_PER_MW_YEAR = 50 * 8.76e-3  # $50/MWh x 8,760 h = 0.438 $M per MW-year
TAU = 0.5
MW = 10.0


def solve(term_years: float, salvage: bool = False):
    ppa = {
        "technology": "nuclear_ppa",
        "capex_musd_per_mw": 0.0,
        "fixed_musd_per_mw_year": 0.0,
        "variable_usd_per_mwh": 50.0,
        "take_or_pay_share": TAU,
        "capacity_factor": 1.0,
        "lead_months": 0,
        "earliest": "2020-01-01",
        "max_mw_per_site": MW,
        "capacity_credit": 1.0,
        "life_years": term_years,
        "source": TEST_SOURCE,
    }
    data = tiny_model(
        power_sources=None,
        events=FULL_SITE_EVENTS,
        power_projects={"ppa": ppa},
        policy={"reserve_margin": 0.0},
        chips={"c1": {"life_years": 4.0, "price_usd": 1e6}},
    )
    if salvage:
        data["economics"] = {**data["economics"], "salvage": True}
        data["horizon"] = {**data["horizon"], "end_effects": "straight_line"}
    return plan(load_dict(data))


def energy(p, q: int) -> float:
    return pyo.value(p.model.cash["energy", q])


def test_a_ppa_ends_at_its_term_and_pays_nothing_after_it():
    """Term 3 years: 10 MW drawn and paid 10 x 0.438 = 4.38 $M a year in 2030-32, then nothing
    online, drawn or paid. Term 20 years: the same PPA sits idle from 2033 and pays its minimum
    0.5 x 10 x 0.438 = 2.19 $M a year: ending at the term saves 2.19 $M a year for 5 years."""
    short, long = solve(3.0), solve(20.0)
    for q in range(3):
        assert energy(short, q) == pytest.approx(MW * PRICE_MUSD_PER_MW_YEAR, rel=1e-9)
        assert energy(long, q) == pytest.approx(MW * PRICE_MUSD_PER_MW_YEAR, rel=1e-9)
    for q in range(3, 8):
        assert pyo.value(short.model.power_online["s1", "ppa", q]) == pytest.approx(0, abs=1e-9)
        assert energy(short, q) == pytest.approx(0.0, abs=1e-9)
        assert energy(long, q) == pytest.approx(TAU * MW * PRICE_MUSD_PER_MW_YEAR, rel=1e-9)
    saved = sum(1.05 ** -(q + 0.5) * 2.19 for q in range(3, 8))  # mid-period discounting
    assert short.result.objective - long.result.objective == pytest.approx(saved, rel=1e-6)


def test_take_or_pay_left_after_the_horizon_is_charged_at_its_end():
    """Term 10 years from 2030 against a horizon ending 2038: 2 years of minimum payments are
    still owed, 0.5 x 1 x 0.438 x A(5%, 2) = 0.219 x 1.859410 = 0.407211 $M per MW, i.e.
    4.07211 $M for 10 MW at the end, df_T = 1.05 ** -8. A term of exactly 8 years owes nothing
    after the end; everything before it is the same, so the objectives differ by df_T x 4.07211."""
    annuity = (1 - 1.05**-2) / 0.05
    assert annuity == pytest.approx(1.859410, rel=1e-6)
    ten, eight = solve(10.0, salvage=True), solve(8.0, salvage=True)
    owed = owed_after_end_musd_per_mw(ten.data, "s1", "ppa", 0)
    assert owed == pytest.approx(TAU * PRICE_MUSD_PER_MW_YEAR * annuity, rel=1e-9)
    assert owed_after_end_musd_per_mw(eight.data, "s1", "ppa", 0) == 0.0
    assert pyo.value(ten.model.salvage_value) == pytest.approx(-MW * owed, rel=1e-6)
    gap = eight.result.objective - ten.result.objective
    assert gap == pytest.approx(1.05**-8 * 4.07211, rel=1e-5)


def test_the_report_names_a_contract_idle_more_than_two_years():
    """The 20-year PPA draws nothing from 2033 to 2037 (5 years): the report names it, and the
    hall its chips left (no mothballing in the tiny model); the 3-year PPA has ended by then and
    is not named; runs of 2 years or less are not named."""
    long = to_dataset(solve(20.0))
    hall = "hall s1 idle 2033-2037"
    assert long.attrs["idle_assets"] == f"{hall}; power project ppa at s1 idle 2033-2037"
    assert to_dataset(solve(3.0)).attrs["idle_assets"] == hall
    assert idle_runs(np.array([1, 1, 0, 1, 1, 1, 0], bool), 1.0) == [(3, 5)]
    assert idle_runs(np.array([1] * 9 + [0], bool), 0.25) == [(0, 8)]  # 2.25 years
    assert idle_runs(np.array([1] * 8, bool), 0.25) == []  # exactly 2 years
