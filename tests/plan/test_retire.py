"""Leaving chips (twin.plan.retire): a power-bound site retires an old, power-hungry vintage as
soon as a better chip is on sale, and sells it at the stated share of its book value."""

from __future__ import annotations

import pytest
from conftest import FULL_SITE_EVENTS, tiny_model

from twin.plan import plan
from twin.report import to_dataset
from twin.spec import load_dict
from twin.spec.errors import SpecError

TEST_SOURCE = "test case"


def _model(resale: float | None) -> dict:
    """10 MW of power, compute worth $1/H100e-h without limit, three years. The old chip (on
    sale in 2030 only) takes 2 kW per H100e, the new one (from 2031) 0.5 kW; both cost $100 and
    live 10 years."""
    chip = {"h100e": 1.0, "price_usd": 100.0, "life_years": 10, "source": TEST_SOURCE}
    old = chip | {"kw": 2.0, "available_from": "2020-01-01", "available_until": "2030-12-31"}
    return tiny_model(
        horizon={"years": 3},
        economics={"chip_resale_share": resale},
        events={"online": FULL_SITE_EVENTS["online"]},  # 10 MW of halls, no chips
        chips={"c1": None, "old": old, "new": chip | {"kw": 0.5, "available_from": "2031-01-01"}},
        tenants={"own": {"demand_k_h100e": 1000.0}},
        power_sources={"g1": {"limit_mw": 10.0}},
    )


def test_the_old_vintage_is_sold_when_the_new_chip_fills_the_power_better() -> None:
    """By hand: 2030 fills 10 MW with 5,000 old chips (5 kH100e); from 2031 each MW is worth
    four times the compute with the new chip (8.76 $M per kH100e-year at $1/h against $0.1M per
    kchip), so all 5,000 old chips go at the start of 2031 and 20,000 new ones fill the 10 MW.
    They sell at 0.5 x $100 x (1 - 1/10) = $45 each: 0.225 $M in 2031."""
    ds = to_dataset(plan(load_dict(_model(0.5))))
    retired = ds["chips_retired"].sel(site="s1")
    assert float(retired.sel(chip="old").isel(period=1)) == pytest.approx(5000, rel=1e-9)
    assert float(retired.sum()) == pytest.approx(5000, rel=1e-9)
    active = ds["chips_active"].sel(site="s1")
    assert active.sel(chip="old").values == pytest.approx([5000, 0, 0], abs=1e-6)
    assert active.sel(chip="new").values == pytest.approx([0, 20000, 20000], rel=1e-9)
    assert ds["resale_musd"].values == pytest.approx([0, 0.225, 0], abs=1e-9)
    assert ds["it_load_mw"].sel(site="s1").values == pytest.approx([10, 10, 10], rel=1e-9)


def test_without_a_resale_share_the_plan_waits_rather_than_lock_the_power() -> None:
    """The family off (the default): an old chip would hold its 2 kW for its whole life, so
    the plan buys none and leaves 2030's 10 MW unused (5 kH100e x 3 years = 15 kH100e-years
    against 20 x 2 = 40 by waiting). With the choice to sell, 2030 is used too: the NPV gains
    at least 2030's compute, 5 kH100e x 8.76 $M x df_2030, less what the old chips cost (paid
    at 2030's start, undiscounted) net of their resale."""
    off = plan(load_dict(_model(None)))
    on = plan(load_dict(_model(0.5)))
    ds = to_dataset(off)
    assert ds["chips_active"].sel(site="s1", chip="old").values == pytest.approx([0, 0, 0])
    assert ds["chips_active"].sel(site="s1", chip="new").values == pytest.approx(
        [0, 20000, 20000], rel=1e-9
    )
    assert float(ds["chips_retired"].sum()) == 0.0
    df0 = 1.05**-0.5  # mid-period discount of 2030 at 5%
    gain = df0 * 5 * 8.76 - 5 * 0.1 + 1.05**-1.5 * 0.225
    assert on.result.objective - off.result.objective == pytest.approx(gain, rel=1e-6)


@pytest.mark.parametrize("share", [-0.1, 1.5])
def test_a_resale_share_outside_0_1_is_refused(share: float) -> None:
    with pytest.raises(SpecError, match="chip_resale_share"):
        load_dict(_model(share))
