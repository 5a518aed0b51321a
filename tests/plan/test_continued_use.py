"""End effects ``continued_use``: what is left at the end is credited what it would earn after
it, the last period's margin carried forward at the stated value decline, capped at book value.

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

from twin.plan import plan
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
