"""Orbital capacity in the plan: it wins when ground power is capped and launch is cheap, loses at
today's launch price, with the break-even launch price computed analytically here."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import TEST_SOURCE, merge, tiny_model

from twin.plan import plan
from twin.report import to_dataset
from twin.spec import load_dict

HOURS_K = 8.76  # $M per 1000 H100e-years at $1/H100e-hour
V = 2.0  # $/H100e-hour, the value of compute
CAPEX = 5.0  # $M per MW of orbital hardware
MASS = 10.0  # t per MW (100 kW per tonne, FACTS)
LIFE = 5  # years
R = 0.02  # a little discounting makes "build as early as it pays" the unique optimum


def orbit_model(launch_usd_per_kg: float, **over: object) -> dict:
    """Ground site s1 has no power to grow; orbital site o1 (dawn-dusk, 650 km) can be built.

    Chips: 1 kW and 1 H100e each, free; no salvage. 1 MW in orbit built in period 0 earns
    8.76 V sunlit df_t in each of its LIFE years and costs CAPEX + MASS x price/1000, paid at
    the start of period 0 (t = 0, undiscounted).
    """
    base = tiny_model(
        horizon={"start": "2035-01-01", "years": LIFE + 1},
        economics={"discount_rate": R, "salvage": False},
        sites={
            "s1": {"max_mw": 0.0},
            "o1": {
                "kind": "orbital",
                "shell": "dd",
                "max_mw": 100.0,
                "lead_months": 0,
                "capex_musd_per_mw": CAPEX,
                "opex_musd_per_mw_year": 0.0,
                "pue": 1.0,
                "availability": 1.0,
                "source": TEST_SOURCE,
            },
        },
        tenants={"own": {"demand_k_h100e": 50.0, "value_usd_per_h100e_hour": V}},
        orbit={
            "shells": {
                "dd": {
                    "altitude_km": 650.0,
                    "sun_synchronous": True,
                    "ltan_hours": 6.0,
                    "planes": 1,
                    "sats_per_plane": 4,
                    "specific_mass_t_per_mw": MASS,
                    "lifetime_years": LIFE,
                    "downlink_gbps_per_sat": 10.0,
                }
            },
            "ground_stations": {
                "svalsat": {
                    "name": "svalsat",
                    "lat_deg": 78.23,
                    "lon_deg": 15.41,
                    "elevation_m": 500,
                    "min_elevation_deg": 10,
                    "source": TEST_SOURCE,
                }
            },
            "window": {"start": "2035-01-01", "months": 12, "step_s": 120},
            "launch_usd_per_kg": {2030: launch_usd_per_kg, 2050: launch_usd_per_kg},
            "link_gbps_per_contact": 10.0,
        },
    )
    return merge(base, over)


def break_even_price(sunlit: float) -> float:
    """Launch price [$/kg] at which a MW in orbit built in period 0 just pays:
    sum_{t<LIFE} 8.76 V sunlit df_t = CAPEX + MASS x price / 1000, df_t = (1+R)^-(t+1/2), the
    purchase paid at the start (t = 0, undiscounted)."""
    df = (1 + R) ** -(np.arange(LIFE) + 0.5)
    value = HOURS_K * V * sunlit * df.sum()
    return (value - CAPEX) * 1e3 / MASS


def test_dawn_dusk_sunlight_feeds_the_plan() -> None:
    ds = to_dataset(plan(load_dict(orbit_model(100.0))))
    assert ds["sunlit_fraction"].sel(site="o1") > 0.95  # dawn-dusk SSO at 650 km (physics tests)


@pytest.mark.parametrize("factor", [0.5, 2.0])
def test_orbit_wins_below_break_even_and_loses_above(factor: float) -> None:
    probe = to_dataset(plan(load_dict(orbit_model(100.0))))
    sunlit = float(probe["sunlit_fraction"].sel(site="o1"))
    price = factor * break_even_price(sunlit)
    ds = to_dataset(plan(load_dict(orbit_model(price))))
    built = float(ds["build_mw"].sel(site="o1").isel(period=0))
    if factor < 1:
        # ground power is capped: all 50 kH100e of demand come from orbit, IT = sunlit x capacity
        assert built == pytest.approx(50.0 / sunlit, rel=1e-6)
        assert float(ds["launch_mass_t"].isel(period=0)) == pytest.approx(MASS * built, rel=1e-9)
        spend = float(ds["launch_musd"].isel(period=0))  # paid at the start, mid-period money
        assert spend == pytest.approx(MASS * built * price / 1e3 * (1 + R) ** 0.5, rel=1e-9)
    else:
        assert built == pytest.approx(0.0, abs=1e-9)


def test_todays_launch_price_loses() -> None:
    """Compute worth only $0.40/H100e-hour: its break-even launch price (computed here, ~$1,100/kg)
    is far below Falcon 9's ~$3,600/kg today (FACTS), so nothing goes to orbit at today's price;
    at half the break-even, orbit is built."""
    cheap = {"own": {"value_usd_per_h100e_hour": 0.4}}
    ds = to_dataset(plan(load_dict(orbit_model(3600.0, tenants=cheap))))
    assert float(ds["build_mw"].sel(site="o1").sum()) == pytest.approx(0.0, abs=1e-9)
    sunlit = float(ds["sunlit_fraction"].sel(site="o1"))
    df = (1 + R) ** -(np.arange(LIFE) + 0.5)
    be = (HOURS_K * 0.4 * sunlit * df.sum() - CAPEX) * 1e3 / MASS  # paid at the start
    assert 500.0 < be < 3600.0
    won = to_dataset(plan(load_dict(orbit_model(0.5 * be, tenants=cheap))))
    assert float(won["build_mw"].sel(site="o1").isel(period=0)) > 1.0


def test_orbital_capacity_retires_after_the_satellite_life() -> None:
    ds = to_dataset(plan(load_dict(orbit_model(100.0))))
    cap = ds["capacity_mw"].sel(site="o1").values
    assert cap[0] > 0 and np.allclose(cap[:LIFE], cap[0])
    # in the last year the first satellites are gone; the plan must rebuild to keep serving
    assert float(ds["build_mw"].sel(site="o1").isel(period=LIFE)) == pytest.approx(cap[0], rel=1e-6)


def test_downlink_binds_for_inference_not_training() -> None:
    """Inference needs 1 Gbit/s per 1000 H100e; the shell's downlink is the contact fraction with
    one station x 10 Gbit/s, so inference served from orbit is capped at that / 1, while training
    (no bandwidth need) is not."""
    inference = {"own": {"workload": "inference", "bandwidth_gbps_per_k_h100e": 1.0}}
    ds = to_dataset(plan(load_dict(orbit_model(100.0, tenants=inference))))
    downlink = float(ds["downlink_gbps"].sel(site="o1"))
    served = ds["allocation_h100e"].sel(site="o1", tenant="own").values / 1e3
    assert 0 < downlink < 50
    np.testing.assert_allclose(served, downlink, rtol=1e-6)
    training = to_dataset(plan(load_dict(orbit_model(100.0))))
    np.testing.assert_allclose(
        training["allocation_h100e"].sel(site="o1", tenant="own").values / 1e3, 50.0, rtol=1e-6
    )


def test_report_cost_of_orbital_power_is_the_annualised_cost_per_delivered_kw() -> None:
    """$/kW-yr of continuous orbital power, by hand: a kW of array costs CAPEX x 1000 $ of hardware
    plus MASS kg x 500 $/kg of launch, delivers ``sunlit`` kW on average, and is repaid over LIFE
    years at R: (5000 + 5000) / sunlit x R / (1 - (1 + R)^-LIFE)."""
    ds = to_dataset(plan(load_dict(orbit_model(500.0))))
    sunlit = float(ds["sunlit_fraction"].sel(site="o1"))
    per_kw = CAPEX * 1e3 + MASS * 500.0  # $ per kW of array: 5,000 hardware + 5,000 launch
    expected = per_kw / sunlit * R / (1 - (1 + R) ** -LIFE)
    got = ds["orbital_power_cost_usd_per_kw_year"].sel(site="o1").values
    np.testing.assert_allclose(got, expected, rtol=1e-9)
