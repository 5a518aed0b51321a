"""Inter-satellite links cap what enters an orbital shell (twin.plan.isl), answers by hand.

tests/plan/test_traffic.py's orbital inference: a single-plane ring of N = 4 satellites (mean
+grid degree d = 2) behind one station at Svalbard, ground links of r = 10 Gbit/s, users in
Longyearbyen at 1 Gbit/s per 1000 H100e wanting 50 kH100e worth V = $2/H100e-hour. With
R = 1 Gbit/s per ISL the cut leaving the entry satellite is d R = 2 Gbit/s per link in contact
against its 10 Gbit/s downlink; of what enters, (N-1)/N = 3/4 crosses the cut, so the traffic
served is ``T = (N/(N-1)) (d R / r) D = (4/3)(2/10) D = 4 D / 15`` with D the site's downlink
(contact fraction x 10): the ISL binds, not the downlink (4/15 < 1). With orbital hardware and
launch free, one more Gbit/s of cut serves 4/3 kH100e more, worth ``(4/3) x 8.76 x V =
23.36 $M`` a year: the row's marginal value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from conftest import merge
from test_traffic import _orbital_inference

from twin.plan import plan
from twin.report import to_dataset
from twin.spec import load_dict

N, D_DEG, R_ISL, RATE, V = 4, 2, 1.0, 10.0, 2.0


def solve_isl(isl_gbps: float) -> Any:
    free = {
        "sites": {"o1": {"capex_musd_per_mw": 0.0}},
        "orbit": {
            "shells": {"dd": {"isl_gbps_per_link": isl_gbps}},
            "launch_usd_per_kg": {2030: 0.0, 2050: 0.0},
        },
    }
    return to_dataset(plan(load_dict(merge(_orbital_inference(0), free))))


def test_isl_cut_caps_orbital_inference_below_the_downlink() -> None:
    ds = solve_isl(R_ISL)
    downlink = float(ds["downlink_gbps"].sel(site="o1"))
    served = ds["allocation_h100e"].sel(site="o1", tenant="own").values / 1e3
    hand = N / (N - 1) * D_DEG * R_ISL / RATE * downlink  # 4 D / 15 [Gbit/s] = kH100e at 1/k
    assert 0 < hand < downlink < 50
    np.testing.assert_allclose(served, hand, rtol=1e-6)
    cut = ds["isl_capacity_gbps"].sel(site="o1").values
    np.testing.assert_allclose(cut, D_DEG * R_ISL / RATE * downlink, rtol=1e-9)
    mv = ds["marginal_value_isl"].sel(site="o1").values
    np.testing.assert_allclose(mv, N / (N - 1) * 8.76 * V, rtol=1e-6)  # 23.36 $M/Gbit/s-year


def test_fast_isls_leave_the_downlink_binding_and_no_isl_row() -> None:
    """At the default 100 Gbit/s per ISL, d R = 200 > (3/4) x 10: no ISL row (it cannot bind),
    the downlink caps what is served, and the ISL's marginal value is NaN (no row)."""
    ds = solve_isl(100.0)
    downlink = float(ds["downlink_gbps"].sel(site="o1"))
    served = ds["allocation_h100e"].sel(site="o1", tenant="own").values / 1e3
    np.testing.assert_allclose(served, downlink, rtol=1e-6)
    assert np.isnan(ds["marginal_value_isl"].sel(site="o1").values).all()
    assert float(ds["isl_capacity_gbps"].sel(site="o1").isel(period=0)) == pytest.approx(
        2 * 100.0 / RATE * downlink, rel=1e-9
    )
