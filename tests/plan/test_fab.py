"""Make vs buy: a fab is built when its unit cost beats the vendor's price, never otherwise.

Tiny model (tests/conftest.py) with free capacity and power, two identical chips (1 kW, 1 H100e,
1-year life): ``c1`` from the vendor at price P, ``own`` only from the fab. Demand is 12,000 H100e
every year, worth far more than either route costs, so every year 12,000 chips must be installed.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import TEST_SOURCE, tiny_model

from twin.plan import plan
from twin.report import to_dataset
from twin.spec import SpecError, load_dict

YEARS = 6
DEMAND_K = 12.0


def fab_model(vendor_price: float, **fab: object) -> dict:
    base_fab = {
        "chip": "own",
        "capex_musd_per_kwspm": 72.0,
        "max_kwspm": 100.0,
        "lead_months": 0,
        "earliest": "2030-01-01",
        "ramp": [1.0],
        "yield_curve": [1.0],
        "dies_per_wafer": 1.0,
        "variable_usd_per_chip": 500.0,
        "opex_musd_per_kwspm_year": 0.0,
        "life_years": YEARS,
        "source": TEST_SOURCE,
    }
    return tiny_model(
        horizon={"years": YEARS},
        economics={"discount_rate": 0.0, "salvage": False},
        sites={"s1": {"capex_musd_per_mw": 0.0, "lead_months": 0}},
        chips={
            "c1": {"life_years": 1, "price_usd": vendor_price},
            "own": {
                "h100e": 1.0,
                "kw": 1.0,
                "price_usd": 0.0,
                "available_from": "2020-01-01",
                "life_years": 1,
                "vendor_alloc_k_per_year": 0.0,
                "source": TEST_SOURCE,
            },
        },
        tenants={"own": {"demand_k_h100e": DEMAND_K, "value_usd_per_h100e_hour": 5.0}},
        fabs={"f": {**base_fab, **fab}},
    )


def break_even_price() -> float:
    """Vendor price [$ per chip] at which the fab just pays: 1 kwspm makes 12,000 chips a year
    (1000 wafers x 12 months x 1 die), 72,000 over the horizon, for capex $72M plus $500 each:
    P* = 72e6 / 72,000 + 500 = $1,500."""
    chips = 1000 * 12 * 1 * YEARS
    return 72.0e6 / chips + 500.0


def test_with_no_fab_allowed_every_chip_is_bought() -> None:
    model = fab_model(2000.0, enabled=False)
    ds = to_dataset(plan(load_dict(model)))
    np.testing.assert_allclose(ds["chips_made"].values, 0.0)
    installed = ds["chips_installed"].sum("site")
    np.testing.assert_allclose(ds["chips_bought"].values, installed.values, atol=1e-6)
    np.testing.assert_allclose(ds["chips_bought"].sel(chip="c1").values, DEMAND_K * 1e3, rtol=1e-9)


@pytest.mark.parametrize("factor", [0.75, 1.25])
def test_fab_is_built_below_break_even_and_not_above(factor: float) -> None:
    """At a vendor price 25% above P* the fab (1 kwspm, from the start) makes every chip; 25%
    below, nothing is made and every chip is bought."""
    price = factor * break_even_price()
    ds = to_dataset(plan(load_dict(fab_model(price))))
    made = ds["chips_made"].sel(chip="own").values
    bought = ds["chips_bought"].sel(chip="c1").values
    if factor > 1:
        assert float(ds["fab_build_kwspm"].sel(fab="f").isel(period=0)) == pytest.approx(1.0)
        np.testing.assert_allclose(made, DEMAND_K * 1e3, rtol=1e-9)
        np.testing.assert_allclose(bought, 0.0, atol=1e-6)
        # the report's unit cost (capex annuity over the fab's 6-year life + variable) is P*
        np.testing.assert_allclose(
            ds["fab_unit_cost_usd"].sel(fab="f").values, break_even_price(), rtol=1e-9
        )
    else:
        np.testing.assert_allclose(made, 0.0, atol=1e-6)
        np.testing.assert_allclose(bought, DEMAND_K * 1e3, rtol=1e-9)


def test_ramp_and_yield_cap_output_period_by_period() -> None:
    """A cheap fab of at most 1 kwspm, first wafer one year after construction starts, with ramp
    (0.25, 0.5, 1) and yield (0.4, 0.8, 1) by year: good chips are capped at 12,000 x ramp x
    yield = 0, 1,200, 4,800, 12,000, 12,000, 12,000; the vendor, dearer but still worth buying
    from ($10,000 a chip against $43,800 of value a year), covers the rest."""
    model = fab_model(
        10_000.0,
        max_kwspm=1.0,
        lead_months=12,
        capex_musd_per_kwspm=1.0,
        ramp=[0.25, 0.5, 1.0],
        yield_curve=[0.4, 0.8, 1.0],
    )
    ds = to_dataset(plan(load_dict(model)))
    expected = np.array([0, 1200, 4800, 12000, 12000, 12000], dtype=float)
    np.testing.assert_allclose(
        ds["fab_max_output_chips"].sel(fab="f").values, expected, rtol=1e-9, atol=1e-6
    )
    np.testing.assert_allclose(
        ds["chips_made"].sel(chip="own").values, expected, rtol=1e-9, atol=1e-6
    )
    # the vendor covers the rest of each year's 12,000 chips
    np.testing.assert_allclose(
        ds["chips_bought"].sel(chip="c1").values, 12000 - expected, rtol=1e-9, atol=1e-6
    )


def test_integer_fab_modules_solve_with_a_gap_and_duals_from_the_fixed_lp() -> None:
    """Modules of 0.4 kwspm (the minimum economic scale) cannot make exactly 12,000 chips a
    year; the MILP builds whole modules, reports its gap, and still reports duals."""
    model = fab_model(3000.0, module_kwspm=0.4)
    model["solver"] = {"integer_modules": True, "mip_gap": 1e-6}
    p = plan(load_dict(model))
    ds = to_dataset(p)
    built = float(ds["fab_build_kwspm"].sel(fab="f").sum())
    assert p.result.is_mip and ds.attrs["is_mip"] == 1
    assert built / 0.4 == pytest.approx(round(built / 0.4), abs=1e-9) and built > 0
    assert 0 <= ds.attrs["mip_gap"] <= 1e-6
    assert np.isfinite(ds["marginal_value_compute"].sel(site="s1").values).all()


@pytest.mark.parametrize(
    ("fab", "needle"),
    [
        ({"yield_curve": [-0.1, 0.5]}, "between 0 and 1, got -0.1"),
        ({"ramp": [0.5, 1.2]}, "between 0 and 1, got 1.2"),
        ({"chip": "ownn"}, "did you mean 'own'"),
        ({"dies_per_wafer": 0}, "greater than 0"),
    ],
)
def test_bad_fab_input_is_named(fab: dict, needle: str) -> None:
    with pytest.raises(SpecError) as info:
        load_dict(fab_model(1000.0, **fab))
    assert needle in str(info.value) and "fabs.f" in str(info.value)


def test_unknown_tenant_in_contract_is_named() -> None:
    model = fab_model(1000.0)
    model["contracts"] = {
        "c": {
            "tenant": "onw",
            "site": "s1",
            "form": "whole_site",
            "start": "2030-01-01",
            "term_months": 6,
            "price_usd_per_h100e_hour": 1.0,
            "source": TEST_SOURCE,
        }
    }
    with pytest.raises(SpecError, match="unknown tenant 'onw' \\(did you mean 'own'\\?\\)"):
        load_dict(model)


def test_fab_capacity_counts_a_build_from_its_first_wafer() -> None:
    """A 12-month lead at a vendor price twice P*: 1 kwspm started in 2030 makes its first wafer
    in 2031 and is capacity from then on, [0, 1, 1, 1, 1, 1] kwspm (``fab.in_service``, the
    periods its fixed opex is paid in too); the vendor supplies 2030's chips."""
    ds = to_dataset(plan(load_dict(fab_model(2 * break_even_price(), lead_months=12))))
    want = [0.0] + [1.0] * (YEARS - 1)
    np.testing.assert_allclose(ds["fab_capacity_kwspm"].sel(fab="f").values, want, atol=1e-9)
    np.testing.assert_allclose(ds["fab_build_kwspm"].sel(fab="f").values, [1.0] + [0.0] * 5)
