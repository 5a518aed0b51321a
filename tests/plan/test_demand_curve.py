"""A tenant's demand as a curve: blocks at falling values, served only while worth serving.

The tiny site s1 (tests/conftest.py) is full and built: 10 MW online with 10,000 chips of
1 H100e at 1 kW (10 kH100e), no new chips for sale, PUE 1, so serving 1 kH100e for a year
draws 1 MW and costs ``8.76 e / 1000`` $M of energy at ``e`` $/MWh; it is worth
``8.76 f v`` $M in a block valued at ``f x v`` $/H100e-hour. A block is served iff
``f v > e / 1000`` (the critical price), up to the site's 10 kH100e.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import FULL_SITE_EVENTS, tiny_model

from twin.plan import plan
from twin.report import to_dataset
from twin.spec import SpecError, load_dict


def _curve_model(demand_k: float, usd_per_mwh: float) -> dict:
    return tiny_model(
        horizon={"years": 3},
        sites={"s1": {"max_mw": 10.0}},
        chips={"c1": {"available_until": "2029-06-01"}},
        tenants={
            "own": {
                "demand_k_h100e": demand_k,
                "value_usd_per_h100e_hour": 0.1,
                "demand_blocks": [0.5, 0.5],
                "demand_block_values": [1.0, 0.5],
            }
        },
        power_sources={"g1": {"cost_usd_per_mwh": usd_per_mwh}},
        events=FULL_SITE_EVENTS,
    )


@pytest.mark.parametrize(
    ("demand_k", "usd_per_mwh", "block0", "block1"),
    [
        (8.0, 40.0, 4.0, 4.0),  # 0.1 and 0.05 $/H100e-h both beat 0.04: the whole curve
        (8.0, 70.0, 4.0, 0.0),  # 0.05 < 0.07 < 0.1: the first block only
        (8.0, 120.0, 0.0, 0.0),  # 0.12 beats both: nothing is worth serving
        (16.0, 40.0, 8.0, 2.0),  # the site's 10 kH100e bind: block 1 gets what is left
    ],
)
def test_two_block_curve_serves_the_blocks_above_the_critical_price(
    demand_k: float, usd_per_mwh: float, block0: float, block1: float
) -> None:
    ds = to_dataset(plan(load_dict(_curve_model(demand_k, usd_per_mwh))))
    served = ds["block_served_h100e"].sel(tenant="own").values / 1e3  # [kH100e] (block, period)
    np.testing.assert_allclose(served[0], block0, atol=1e-6)
    np.testing.assert_allclose(served[1], block1, atol=1e-6)
    unmet = ds["unmet_h100e"].sel(tenant="own").values / 1e3
    np.testing.assert_allclose(unmet, demand_k - block0 - block1, atol=1e-6)
    # the tenant's value is the blocks' values: 8.76 x 0.1 x (block0 + 0.5 block1) $M a year
    np.testing.assert_allclose(
        ds["internal_value_musd"].values, 8.76 * 0.1 * (block0 + 0.5 * block1), rtol=1e-9
    )


@pytest.mark.parametrize(
    ("tenant", "key"),
    [
        ({"demand_blocks": [0.5, 0.5], "demand_block_values": [0.5, 1.0]}, "demand_block_values"),
        ({"demand_blocks": [0.5, 0.5], "demand_block_values": [1.0]}, "demand_block_values"),
        ({"demand_blocks": [0.5, -0.5], "demand_block_values": [1.0, 0.5]}, "demand_blocks"),
        ({"demand_blocks": [1.0], "demand_block_values": [1.0], "firm": True}, "tenants.own"),
    ],
)
def test_bad_demand_curve_names_the_key(tenant: dict, key: str) -> None:
    """A curve whose values rise, whose lists differ in length, with a negative block, or on a
    firm tenant is refused, naming the key."""
    with pytest.raises(SpecError) as e:
        load_dict(tiny_model(tenants={"own": tenant}))
    assert key in e.value.key
