"""What `twin show` prints fits 80 columns and says what the plan decided."""

from __future__ import annotations

import numpy as np
import xarray as xr

from twin.report.period_tables import fit_columns
from twin.report.stochastic_summary import lease_policy


def test_a_wide_table_keeps_the_largest_columns_and_sums_the_others() -> None:
    """Eight sites of totals 1..8 MW per period: the five largest (4..8) stay in their order and
    the other three (1+2+3 = 6 MW per period) become one column."""
    da = xr.DataArray(
        np.tile(np.arange(1.0, 9.0), (3, 1)),
        dims=("period", "site"),
        coords={"site": [f"s{i}" for i in range(1, 9)], "site_kind": ("site", ["t"] * 8)},
    )
    out = fit_columns(da, "site", most=6)
    assert list(out["site"].values) == ["s4", "s5", "s6", "s7", "s8", "others (3)"]
    np.testing.assert_allclose(out.sel(site="others (3)").values, 6.0)
    np.testing.assert_allclose(out.sum("site").values, da.sum("site").values)
    assert fit_columns(da.isel(site=slice(0, 6)), "site", most=6).equals(da.isel(site=slice(0, 6)))


def test_the_lease_policy_reads_each_notice_date_across_the_futures() -> None:
    """Two futures (0.3, 0.7): both keep the lease at the first notice date (decided before the
    news); at the second only the first future keeps it (30% by probability); by the third both
    have given notice, and nothing after is listed."""
    kept = np.array([[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]])
    ds = xr.Dataset(
        {
            "lease_kept": (("scenario", "notice"), kept),
            "scenario_probability": ("scenario", [0.3, 0.7]),
        },
        coords={
            "notice_lease": ("notice", ["c1"] * 4),
            "notice_date": (
                "notice",
                np.array(["2026-07-01", "2027-07-01", "2028-07-01", "2029-07-01"], "M8[ns]"),
            ),
        },
    )
    assert lease_policy(ds) == [
        "c1 2026-07-01: keep",
        "c1 2027-07-01: keep in 30% of futures (by probability), give notice in the rest",
        "c1 2028-07-01: give notice",
    ]


def test_an_intensive_quantity_is_never_summed_into_others() -> None:
    """Eight sites' marginal values 1..8 $/H100e-h: 'others' of the three smallest is their mean
    (2), not their sum (6); an extensive quantity (IT MW) sums them; --all keeps every column."""
    from twin.report.tables import table_options

    values = np.tile(np.arange(1.0, 9.0), (3, 1))
    sites = {"site": [f"s{i}" for i in range(1, 9)]}
    mv = xr.DataArray(values, dims=("period", "site"), coords=sites, name="marginal_value_compute")
    out = fit_columns(mv, "site", most=6)
    np.testing.assert_allclose(out.sel(site="others (3, mean)").values, 2.0)
    cap = mv.rename("capacity_mw")
    np.testing.assert_allclose(fit_columns(cap, "site", most=6).sel(site="others (3)").values, 6.0)
    with table_options(all_columns=True):
        assert fit_columns(mv, "site", most=6).sizes["site"] == 8
