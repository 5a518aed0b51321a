"""Leaving halls: a site with more halls than work mothballs the rest when that saves money.

The tiny site s1 (tests/conftest.py) is full and built: 10 MW online, 10,000 chips of 1 H100e
at 1 kW, no new chips for sale, fixed opex 1 $M/MW-year. Its one tenant wants 4 kH100e at
$1/H100e-hour (8.76 $M per kH100e-year, far above the free power), so 4 MW run and 6 MW of
halls have nothing to do. Mothballed, a MW costs ``kappa`` of its opex: the plan mothballs all
6 MW every year, and opex is ``10 - (1 - kappa) x 6`` $M a year. Without the option the 6 MW sit
idle, reported as ``idle_hall_mw``, at the full 10 $M.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import FULL_SITE_EVENTS, tiny_model

from twin.plan import plan
from twin.report import to_dataset
from twin.spec import load_dict


def _model(keep: float | None) -> dict:
    return tiny_model(
        horizon={"years": 3},
        sites={"s1": {"max_mw": 10.0, "opex_musd_per_mw_year": 1.0, "mothball_keep_share": keep}},
        chips={"c1": {"available_until": "2029-06-01"}},
        tenants={"own": {"demand_k_h100e": 4.0}},
        power_sources={"g1": {"cost_usd_per_mwh": 10.0}},
        events=FULL_SITE_EVENTS,
    )


@pytest.mark.parametrize("keep", [0.25, 1.0])
def test_halls_without_work_are_mothballed_when_it_saves(keep: float) -> None:
    ds = to_dataset(plan(load_dict(_model(keep))))
    moth = ds["mothballed_mw"].sel(site="s1").values
    opex = ds["opex_musd"].values
    if keep < 1:
        np.testing.assert_allclose(moth, 6.0, atol=1e-6)
        np.testing.assert_allclose(opex, 10.0 - (1 - keep) * 6.0, rtol=1e-9)
        np.testing.assert_allclose(ds["idle_hall_mw"].sel(site="s1").values, 0.0, atol=1e-6)
    np.testing.assert_allclose(ds["it_load_mw"].sel(site="s1").values, 4.0, atol=1e-6)
    if keep == 1.0:  # nothing saved: opex is the full 10 $M whatever is mothballed
        np.testing.assert_allclose(opex, 10.0, rtol=1e-9)


def test_without_the_option_idle_halls_are_reported() -> None:
    ds = to_dataset(plan(load_dict(_model(None))))
    np.testing.assert_allclose(ds["idle_hall_mw"].sel(site="s1").values, 6.0, atol=1e-6)
    np.testing.assert_allclose(ds["mothballed_mw"].values, 0.0)
    np.testing.assert_allclose(ds["opex_musd"].values, 10.0, rtol=1e-9)
