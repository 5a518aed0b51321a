"""Risk and the value of information: CVaR by hand, EVPI and VSS signs, regret, the CVaR row."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import PERIOD_FORM
from newsvendor import newsvendor, npv

from twin.spec import load_dict, load_model
from twin.study.cvar import RiskTerms, cvar
from twin.study.risk import analyse, expected_npv, quantile
from twin.study.stochastic import solve_extensive_form

OUTCOMES = [
    {"value": 20.0, "probability": 0.1},
    {"value": 50.0, "probability": 0.1},
    {"value": 80.0, "probability": 0.6},
    {"value": 100.0, "probability": 0.2},
]


def test_cvar_by_hand() -> None:
    v, p = np.array([30.0, 0.0, 20.0, 10.0]), np.full(4, 0.25)
    assert cvar(v, p, 0.5) == pytest.approx(5.0)  # mean of {0, 10}
    assert cvar(v, p, 0.6) == pytest.approx((0.25 * 0 + 0.15 * 10) / 0.4)
    assert cvar(v, p, 0.0) == pytest.approx(15.0)  # the mean
    assert cvar(v, p, 1 - 1e-9) == pytest.approx(0.0)  # the worst leaf
    assert quantile(v, p, 0.5) == 10.0 and quantile(v, p, 0.95) == 30.0


def test_cvar_near_level_one_in_the_program_is_the_worst_leaf() -> None:
    """With all weight on CVaR at level 0.999 the plan maximises the worst leaf: build 20 MW
    (the least demand), and the program's CVaR term equals that leaf's NPV."""
    spec = load_dict(newsvendor(OUTCOMES))
    risk = RiskTerms(level=0.999, weight=100.0)
    ef = solve_extensive_form(spec, risk=risk)
    assert ef.decisions(1)[("build", ("s1", 0))] == pytest.approx(20.0, rel=1e-6)
    worst = npv(20.0, 20.0)
    leaf = ef.npv()
    assert min(leaf.values()) == pytest.approx(worst, rel=1e-9)
    first = ef.blocks["scen0"].risk
    assert first.eta.value - first.shortfall.value / 0.001 == pytest.approx(worst, rel=1e-6)
    probs = np.array([s.probability for s in ef.tree.scenarios])
    assert cvar(np.array(list(leaf.values())), probs, 0.999) == pytest.approx(worst, rel=1e-9)


def test_a_cvar_floor_holds_and_costs_expected_npv() -> None:
    spec = load_dict(newsvendor(OUTCOMES))
    neutral = solve_extensive_form(spec)
    probs = np.array([s.probability for s in neutral.tree.scenarios])
    base_cvar = cvar(np.array(list(neutral.npv().values())), probs, 0.8)
    floor = base_cvar + 5.0
    capped = solve_extensive_form(spec, risk=RiskTerms(level=0.8, floor=floor))
    got = cvar(np.array(list(capped.npv().values())), probs, 0.8)
    assert got >= floor - 1e-6
    assert capped.result.objective < neutral.result.objective


def test_newsvendor_evpi_and_vss_by_hand() -> None:
    """WS builds exactly D in each leaf; EV builds the mean demand E[D] = 75; EEV fixes it."""
    spec = load_dict(newsvendor(OUTCOMES))
    _, f = analyse(spec)
    ws = sum(o["probability"] * npv(o["value"], o["value"]) for o in OUTCOMES)
    rp = sum(o["probability"] * npv(80.0, o["value"]) for o in OUTCOMES)
    eev = sum(o["probability"] * npv(75.0, o["value"]) for o in OUTCOMES)
    assert f.ws == pytest.approx(ws, rel=1e-9)
    assert f.evpi == pytest.approx(ws - rp, rel=1e-6)
    assert f.vss == pytest.approx(rp - eev, rel=1e-6)
    assert f.ev_npv == pytest.approx(npv(75.0, 75.0), rel=1e-9)
    assert f.regret == pytest.approx([npv(d, d) - npv(80.0, d) for d in (20, 50, 80, 100)])


def _even(a: float, b: float) -> list[dict]:
    return [{"value": a, "probability": 0.5}, {"value": b, "probability": 0.5}]


def test_evpi_and_vss_are_nonnegative_on_a_small_baseline_tree() -> None:
    section = {
        "inputs": {
            "growth": {
                "path": "tenants.xai_training.demand_growth_per_year",
                "known": "2027-07-01",
                "outcomes": _even(0.3, 0.9),
            },
            "price": {
                "path": "tenants.anthropic.value_usd_per_h100e_hour",
                "known": "2027-07-01",
                "outcomes": _even(1.6, 3.2),
            },
        }
    }
    small = [("horizon.years", 4), ("horizon.end_effects", "none"), ("traffic.enabled", False)]
    small += PERIOD_FORM
    spec = load_model("models/baseline.yaml", overrides=[("uncertainty", section), *small])
    _, f = analyse(spec)
    tol = 1e-6 * abs(f.objective)
    assert f.evpi >= -tol and f.vss >= -tol
    assert (f.regret >= -tol).all()
    assert f.evpi > 1.0  # the growth matters: knowing it is worth something here


def test_value_of_an_expansion_option_by_hand() -> None:
    """A second site s2 that can be built only once demand is known (from 2031, online at once,
    $3M/MW) is an option: with it, demand above the 80 MW built now is served at a margin of
    8.76 v df_1 - 3 df_start per MW, the capex paid at the 2031 period's start (df_start =
    (1+r)^-1, df_1 = (1+r)^-1.5 at its middle). P(D > 80) = 0.2 < 1/(3 df_start) = (1+r)/3 = 0.35
    <= P(D > 50), so s1 stays at 80 MW and the option is worth
    sum_s p_s (8.76 v df_1 - 3 df_start) max(D_s - 80, 0) = 4.855 $M."""
    s2 = {
        "lat_deg": 35.0,
        "lon_deg": -90.0,
        "max_mw": 1000.0,
        "lead_months": 0,
        "capex_musd_per_mw": 3.0,
        "opex_musd_per_mw_year": 0.0,
        "pue": 1.0,
        "availability": 1.0,
        "earliest": "2031-01-01",
        "source": "assumption: test value",
    }
    grid = {"site": "s2", "kind": "grid", "limit_mw": 1e4, "cost_usd_per_mwh": 0.0}
    data = newsvendor(OUTCOMES)
    data["sites"]["s2"] = s2
    data["power_sources"]["g2"] = {**grid, "source": "assumption: test value"}
    bare = expected_npv(load_dict(data, overrides=[("sites.s2.enabled", False)]))
    value = expected_npv(load_dict(data)) - bare
    df1, df_start = 1.05**-1.5, 1.05**-1.0
    margin = 8.76 * 0.5 * df1 - 3.0 * df_start
    expected = sum(o["probability"] * margin * max(o["value"] - 80.0, 0) for o in OUTCOMES)
    assert value == pytest.approx(expected, rel=1e-6)
    assert bare == pytest.approx(sum(o["probability"] * npv(80.0, o["value"]) for o in OUTCOMES))
