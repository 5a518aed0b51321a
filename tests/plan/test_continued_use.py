"""End effects ``continued_use``: what each site leaves at the end is credited what it would earn
after it, its last period's margin carried forward at the stated value decline, capped at its own
book value (``W_s = min(S_s, A_s G_s)``, twin/plan/end_effects.py); an idle site gets nothing.

The tiny model over 3 years from 2030 (5% discount): site s1 builds a 10 MW hall in 2030
(lead 0, 14-year life, capex c $M per MW, no opex) for 10 kH100e of free 1 kW chips serving one
internal tenant worth ``0.5 ** t`` $/H100e-hour ``t`` years after the start (decline 50%/yr,
floor 0). Power is free. By hand:

- book value at the end: ``S = 10 c (1 - 3/14)``;
- the margin of the last period (2032, mid-period ``t = 2.5``): ``M = 10 x 8.76 x 0.5 ** 2.5 =
  15.4856`` $M a year;
- ``A = sum_{y=1..14} 0.5 ** y x 1.05 ** -(y - 1/2)``;
- the credit ``W = min(S, A M)``: with c = 1 the book binds (S = 7.857 < A M), with c = 3 the
  earnings do (S = 23.57 > A M = 0.931520 x 15.4856 = 14.425).
"""

from __future__ import annotations

import pyomo.environ as pyo
import pytest
from conftest import tiny_model

from twin.plan import plan, solver_options
from twin.plan.data import plan_data
from twin.plan.model import build_model
from twin.plan.solve import solve as solve_lp
from twin.spec import load_dict

A = sum(0.5**y * 1.05 ** -(y - 0.5) for y in range(1, 15))
M = 10 * 8.76 * 0.5**2.5


def solve(capex: float, end_effects: str = "continued_use"):
    data = tiny_model(
        horizon={"years": 3, "end_effects": end_effects},
        economics={"salvage": True},
        sites={"s1": {"lead_months": 0, "capex_musd_per_mw": capex}},
        tenants={"own": {"value_decline_per_year": 0.5, "value_floor_usd_per_h100e_hour": 0.0}},
    )
    return plan(load_dict(data))


def test_hand_figures():
    assert M == pytest.approx(15.4856, rel=1e-5)
    assert A == pytest.approx(0.931520, rel=1e-5)
    assert A * M == pytest.approx(14.4251, rel=1e-5)


@pytest.mark.parametrize(("capex", "credit"), [(1.0, 10 * (1 - 3 / 14)), (3.0, A * M)])
def test_the_credit_is_the_smaller_of_book_value_and_continued_earnings(
    capex: float, credit: float
) -> None:
    p = solve(capex)
    m = p.model
    built = sum(pyo.value(x) for x in m.build.values())
    assert pyo.value(m.build["s1", 0]) == pytest.approx(10.0, abs=1e-6)
    assert built == pytest.approx(10.0, abs=1e-6)
    assert pyo.value(m.salvage_value) == pytest.approx(credit, rel=1e-6)
    if capex == 3.0:  # the book value straight-line would credit, and what continued use does
        line = solve(capex, "straight_line")
        assert pyo.value(line.model.salvage_value) == pytest.approx(30 * (1 - 3 / 14), rel=1e-6)
        gap = line.result.objective - p.result.objective
        assert gap == pytest.approx(1.05**-3 * (30 * (1 - 3 / 14) - A * M), rel=1e-6)


# Per site: three 14-year halls over the same 3 years, power free, chips free (no chip book).
# s1 (10 MW, c = 3) and s2 (10 MW, c = 1) each serve 10 kH100e (demand 20, max_mw 10 each),
# G = 15.4856 $M/yr; s3 (5 MW, c = 2) is built in 2030 (fixed) with a 0 MW grid connection: idle.
#   s1: S = 30 x 11/14 = 23.571 > A G = 14.425 -> W = 14.425 (its earnings bind)
#   s2: S = 10 x 11/14 =  7.857 < A G          -> W =  7.857 (its book binds)
#   s3: S = 10 x 11/14 =  7.857, G = 0         -> W =  0     (idle: nothing)
# Straight-line would credit 39.286.
PER_SITE = {"s1": A * M, "s2": 10 * (1 - 3 / 14), "s3": 0.0}


def solve_three_sites(end_effects: str):
    site = {"lat_deg": 35.0, "lon_deg": -90.0, "lead_months": 0, "opex_musd_per_mw_year": 0.0}
    site |= {"pue": 1.0, "availability": 1.0, "source": "assumption: test"}
    data = tiny_model(
        horizon={"years": 3, "end_effects": end_effects},
        economics={"salvage": True},
        sites={
            "s1": {"lead_months": 0, "capex_musd_per_mw": 3.0, "max_mw": 10.0},
            "s2": {**site, "capex_musd_per_mw": 1.0, "max_mw": 10.0},
            "s3": {**site, "capex_musd_per_mw": 2.0, "max_mw": 5.0},
        },
        tenants={
            "own": {
                "demand_k_h100e": 20.0,
                "value_decline_per_year": 0.5,
                "value_floor_usd_per_h100e_hour": 0.0,
            }
        },
        power_sources={
            "g2": {
                "site": "s2",
                "kind": "grid",
                "limit_mw": 1e4,
                "cost_usd_per_mwh": 0.0,
                "source": "assumption: test",
            },
            "g3": {  # a connection that delivers nothing: s3 cannot run
                "site": "s3",
                "kind": "grid",
                "limit_mw": 0.0,
                "cost_usd_per_mwh": 0.0,
                "source": "assumption: test",
            },
        },
    )
    spec = load_dict(data)
    d = plan_data(spec)
    m = build_model(d)
    m.build["s3", 0].fix(5.0)
    result = solve_lp(m, solver_options(spec, d))
    assert result.feasible
    return m


def test_each_site_is_credited_the_smaller_of_its_book_and_its_own_earnings() -> None:
    m = solve_three_sites("continued_use")
    for s, credit in PER_SITE.items():
        assert pyo.value(m.continued_use[s]) == pytest.approx(credit, rel=1e-6, abs=1e-6), s
    assert pyo.value(m.site_book["s3"]) == pytest.approx(10 * (1 - 3 / 14), rel=1e-6)
    assert pyo.value(m.salvage_value) == pytest.approx(sum(PER_SITE.values()), rel=1e-6)
    line = solve_three_sites("straight_line")
    assert pyo.value(line.salvage_value) == pytest.approx(50 * (1 - 3 / 14), rel=1e-6)


def solve_firm(end_effects: str = "continued_use", salvage: bool = True):
    """s1 capped at 5 MW for a firm tenant of 10 kH100e with an unmet penalty of 3 $/H100e-hour:
    half its demand goes unmet every year, so the fleet's whole last-period margin is negative
    (the penalty 5 x 8.76 x 3 = 131.4 $M/yr against the value served, 5 x 8.76 x 0.5 ** 2.5 =
    7.743 $M/yr)."""
    data = tiny_model(
        horizon={"years": 3, "end_effects": end_effects},
        economics={"salvage": salvage},
        sites={"s1": {"lead_months": 0, "capex_musd_per_mw": 1.0, "max_mw": 5.0}},
        tenants={
            "own": {
                "firm": True,
                "unmet_penalty_usd_per_h100e_hour": 3.0,
                "value_decline_per_year": 0.5,
                "value_floor_usd_per_h100e_hour": 0.0,
            }
        },
    )
    return plan(load_dict(data))


def test_a_penalty_elsewhere_in_the_fleet_is_not_charged_as_a_credit() -> None:
    """The site's own margin G = 7.743 $M/yr earns A G = 7.212 > its book S = 5 x 11/14 = 3.929:
    the book binds, W = 3.929. (A fleet row with the penalty in its margin once charged -888.)"""
    p = solve_firm()
    assert pyo.value(p.model.build["s1", 0]) == pytest.approx(5.0, abs=1e-6)
    assert A * 5 * 8.76 * 0.5**2.5 == pytest.approx(7.2125, rel=1e-4)
    assert pyo.value(p.model.salvage_value) == pytest.approx(5 * (1 - 3 / 14), rel=1e-6)


def test_without_salvage_continued_use_credits_nothing_and_solves() -> None:
    """No book values, no site credits: the plan is the one without end effects."""
    cont, none = solve_firm(salvage=False), solve_firm("none", salvage=False)
    assert cont.result.optimal
    assert cont.result.objective == pytest.approx(none.result.objective, rel=1e-9)
