"""Training data-set and checkpoint transfer on the links, answers by hand.

tests/plan/test_traffic.py's tiny network (its docstring), with the inference tenant ``edge``
held to s1 by a 5 ms SLA (10 Gbit/s on r1-s1: 5 kH100e served) and a training tenant ``train``
wanting 10 kH100e worth $1/H100e-hour (8.76 $M per kH100e-year). At 0.45 GB per H100e-hour a
kH100e of training moves 0.45 x 1000 x 8 / 3600 = 1 Gbit/s into its site. On r1-s1 a Gbit/s
earns 43.8 $M a year as inference (0.5 kH100e at $10/H100e-hour) against 8.76 as training, so
training goes to s2, where power costs 0.876 $M more per kH100e-year, over r2-s2.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from conftest import TEST_SOURCE
from traffic_model import GBPS_YEAR_AT_S2, traffic_model

from twin.plan import plan
from twin.plan.traffic_data import transfer_gbps_per_k
from twin.report import to_dataset
from twin.spec import load_dict

TRAIN_VALUE = 8760 * 1.0 / 1e6 * 1e3  # $M per kH100e-year at $1/H100e-hour
S2_POWER = 2 * GBPS_YEAR_AT_S2  # $M per kH100e-year of power at s2 ($100/MWh, 1 kW per H100e)


def _solve(**over: Any) -> Any:
    train = {
        "kind": "internal",
        "workload": "training",
        "lat_deg": 35.0,
        "lon_deg": -90.0,
        "demand_k_h100e": 10.0,
        "value_usd_per_h100e_hour": 1.0,
        "source": TEST_SOURCE,
    }
    model = traffic_model(
        sla_ms=5.0, tenants={"train": train}, traffic={"training_gb_per_h100e_hour": 0.45}, **over
    )
    return to_dataset(plan(load_dict(model)))


def test_transfer_rate_is_gb_per_h100e_hour_in_gbit_per_s() -> None:
    """0.45 GB per H100e-hour = 450 GB per kH100e-hour = 3,600 Gbit per 3,600 s = 1 Gbit/s."""
    assert transfer_gbps_per_k(0.45) == 1.0
    assert transfer_gbps_per_k(0.01) == 0.01 * 8000 / 3600


def test_training_transfer_loads_the_link_into_its_site() -> None:
    """All 10 kH100e of training at s2 (inference keeps r1-s1): 10 Gbit/s enter s2 over r2-s2,
    which carries nothing else; r1-s1 carries the 10 Gbit/s of inference at s1."""
    ds = _solve()
    alloc = ds["allocation_h100e"] / 1e3
    np.testing.assert_allclose(alloc.sel(site="s2", tenant="train").values, 10.0, atol=1e-6)
    np.testing.assert_allclose(alloc.sel(site="s1", tenant="edge").values, 5.0, atol=1e-6)
    np.testing.assert_allclose(ds["transfer_gbps"].sel(link="r2_s2").values, 10.0, atol=1e-6)
    np.testing.assert_allclose(ds["link_load_gbps"].sel(link="r2_s2").values, 10.0, atol=1e-6)
    np.testing.assert_allclose(ds["transfer_gbps"].sel(link="r1_s1").values, 0.0, atol=1e-6)
    np.testing.assert_allclose(ds["link_load_gbps"].sel(link="r1_s1").values, 10.0, atol=1e-6)


def test_a_full_link_caps_training_and_its_dual_is_the_training_margin() -> None:
    """r2-s2 cut to 4 Gbit/s: 4 kH100e of training at s2, none at s1 (a Gbit/s there is worth
    more as inference), 6 unserved; one more Gbit/s on r2-s2 would serve one more kH100e of
    training: 8.76 - 0.876 = 7.884 $M per Gbit/s-year."""
    ds = _solve(links={"r2_s2": {"capacity_gbps": 4.0}})
    alloc = ds["allocation_h100e"] / 1e3
    np.testing.assert_allclose(alloc.sel(site="s2", tenant="train").values, 4.0, atol=1e-6)
    np.testing.assert_allclose(alloc.sel(site="s1", tenant="train").values, 0.0, atol=1e-6)
    np.testing.assert_allclose(
        ds["marginal_value_link"].sel(link="r2_s2").values, TRAIN_VALUE - S2_POWER, rtol=1e-6
    )
