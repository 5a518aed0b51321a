"""Small planning problems whose answers follow from first principles.

Each test states its expected answer from the economics, not from running the code. Units in the
tiny model (tests/conftest.py): 1000 chips = 1 MW = 1000 H100e, so capacity in MW equals compute
in thousands of H100e. One kH100e for a year at $v/H100e-hour is worth 8.76 v $M.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import FULL_SITE_EVENTS, lessee, tiny_model

from twin.plan import plan
from twin.report import to_dataset
from twin.spec import load_dict

HOURS = 8760.0


def solve(model: dict) -> tuple:
    p = plan(load_dict(model))
    return p, to_dataset(p)


def discount(r: float, years: int) -> np.ndarray:
    """Mid-period discount factors of yearly periods."""
    return (1 + r) ** -(np.arange(years) + 0.5)


@pytest.mark.parametrize("capex", [1.0, 30.0, 1000.0])
def test_capacity_is_built_exactly_lead_time_ahead_of_need_when_worth_it(capex: float) -> None:
    """(a) Demand D_q = 10 x 1.5^(q + 1/2) (mid-period) rises every year; lead time L = 2 years.

    Capacity for period q must start in q - L. Rising demand keeps every MW busy to the end, so
    the increment needed first in q is worth V_q = sum_{t>=q} 8.76 v df_t and costs c (1+r)^-(q-L),
    paid at the start of q - L when the build starts; it is built iff V_q > c (1+r)^-(q-L), and
    with r > 0 never earlier than needed.
    """
    r, years, lead, v = 0.05, 8, 2, 1.0
    model = tiny_model(
        economics={"discount_rate": r},
        sites={"s1": {"capex_musd_per_mw": capex, "lead_months": 24}},
        tenants={"own": {"demand_growth_per_year": 0.5, "value_usd_per_h100e_hour": v}},
    )
    _, ds = solve(model)
    demand = 10.0 * 1.5 ** (np.arange(years) + 0.5)
    df = discount(r, years)
    expected = np.zeros(years)
    for q in range(lead, years):
        worth = sum(HOURS / 1e3 * v * df[t] for t in range(q, years))
        if worth > capex * (1 + r) ** -(q - lead):  # paid at the build's start
            expected[q - lead] = demand[q] - (demand[q - 1] if q > lead else 0.0)
    built = ds["build_mw"].sel(site="s1").values
    np.testing.assert_allclose(built, expected, atol=1e-6)
    if capex == 1.0:
        assert expected[: years - lead].all(), "cheap capacity: every increment is worth building"
    if capex == 1000.0:
        assert not expected.any(), "dear capacity: nothing is worth building"
    if capex == 30.0:
        assert expected[0] > 0 and expected[years - lead - 1] == 0, "late increments don't pay"


def test_chips_retire_after_their_life_and_are_replaced() -> None:
    """(b) 10,000 chips installed 2029-01-01 with a 2-year life serve 2030 and retire on
    2031-01-01. Capacity is fixed at 10 MW, demand at 10 kH100e worth $1/h (87.6 $M/yr) and a
    chip costs $1,000 (10 $M per 10,000): replacing pays, and with r > 0 it is done exactly at
    retirement: 10,000 chips installed in 2031, 2033, 2035, 2037 and none in between.
    """
    model = tiny_model(
        sites={"s1": {"max_mw": 10.0}},
        chips={"c1": {"life_years": 2, "price_usd": 1000.0}},
        events=FULL_SITE_EVENTS,
    )
    _, ds = solve(model)
    installed = ds["chips_installed"].sel(site="s1", chip="c1").values
    np.testing.assert_allclose(installed, [0, 1e4, 0, 1e4, 0, 1e4, 0, 1e4], atol=1e-3)
    np.testing.assert_allclose(ds["chips_active"].sel(site="s1", chip="c1").values, 1e4, atol=1e-3)


@pytest.mark.parametrize(("v", "q"), [(2.0, 3.0), (3.0, 2.0), (1.5, 4.25)])
def test_compute_goes_to_the_higher_value_and_its_dual_equals_it(v: float, q: float) -> None:
    """(c) A full 10 MW site (no builds, no chips for sale) and two tenants wanting more than it
    has: internal work worth v and a lease paying q per H100e-hour. All 10,000 H100e go to the
    larger of v and q, and one more H100e-hour would earn exactly max(v, q).
    """
    model = tiny_model(
        sites={"s1": {"max_mw": 10.0}},
        chips={"c1": {"available_until": "2029-06-01"}},
        tenants={
            "own": {"demand_k_h100e": 100.0, "value_usd_per_h100e_hour": v},
            "lessee": lessee(q),
        },
        events=FULL_SITE_EVENTS,
    )
    _, ds = solve(model)
    winner, loser = ("lessee", "own") if q > v else ("own", "lessee")
    alloc = ds["allocation_h100e"].sel(site="s1")
    np.testing.assert_allclose(alloc.sel(tenant=winner).values, 10_000.0, atol=1e-6)
    np.testing.assert_allclose(alloc.sel(tenant=loser).values, 0.0, atol=1e-6)
    np.testing.assert_allclose(
        ds["marginal_value_compute"].sel(site="s1").values, max(v, q), rtol=1e-9
    )


def test_binding_power_limit_caps_it_load_at_limit_over_pue() -> None:
    """(d) 13 MW of firm power and PUE 1.3 allow exactly 13 / 1.3 = 10 MW of IT load, however
    valuable compute is; capacity beyond 10 MW would be idle, so none is built."""
    model = tiny_model(
        sites={"s1": {"max_mw": 100.0, "lead_months": 0, "pue": 1.3, "capex_musd_per_mw": 0.1}},
        tenants={"own": {"demand_k_h100e": 50.0, "value_usd_per_h100e_hour": 5.0}},
        power_sources={"g1": {"limit_mw": 13.0}},
    )
    _, ds = solve(model)
    np.testing.assert_allclose(ds["it_load_mw"].sel(site="s1").values, 13.0 / 1.3, rtol=1e-9)
    np.testing.assert_allclose(ds["capacity_mw"].sel(site="s1").values, 10.0, rtol=1e-9)
    np.testing.assert_allclose(ds["power_mw"].sel(source="g1").values, 13.0, rtol=1e-9)


def test_npv_recomputed_from_report_cash_flows_equals_the_objective() -> None:
    """(e) NPV = sum_p (1+r)^-(t_p + dt/2) (inflows - outflows)_p + (1+r)^-T salvage, with t_p
    read from the period dates, equals the solver's objective."""
    model = tiny_model(
        economics={"discount_rate": 0.07, "salvage": True},
        horizon={"end_effects": "straight_line"},
        tenants={"own": {"demand_growth_per_year": 0.3}},
        chips={"c1": {"price_usd": 500.0, "life_years": 4}},
        sites={"s1": {"opex_musd_per_mw_year": 0.2}},
        power_sources={"g1": {"cost_usd_per_mwh": 50.0}},
    )
    p, ds = solve(model)
    r = 0.07
    start = ds["period"].values[0]
    t = (ds["period"].values - start) / np.timedelta64(1, "D") / 365.25
    t = np.round(t)  # yearly periods: whole years
    net = (
        ds["revenue_musd"]
        + ds["internal_value_musd"]
        - ds["capex_musd"]
        - ds["opex_musd"]
        - ds["energy_musd"]
        - ds["penalty_musd"]
    ).values
    npv = float(np.sum((1 + r) ** -(t + 0.5) * net) + (1 + r) ** -8 * ds.attrs["salvage_musd"])
    assert npv == pytest.approx(p.result.objective, rel=1e-9)
    assert ds.attrs["objective_musd"] == pytest.approx(npv, rel=1e-9)
    assert ds.attrs["salvage_musd"] > 0
