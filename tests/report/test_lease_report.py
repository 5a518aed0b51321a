"""A report of a plan that decides leases: the decision at each notice date, covers, offers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr
from conftest import lease_offer as offer
from conftest import leased_site as lease
from conftest import leased_site_model as site_model
from rich.console import Console

from twin.plan import plan
from twin.report import open, to_dataset, write
from twin.report.summary import lease_decisions, show
from twin.spec import load_dict


def test_report_holds_the_notice_decisions_and_offers(tmp_path: Path) -> None:
    """$1 lease on the $3 site: notice on the first date, 2030-01-01, ending 2030-04-01; the $5
    offer is taken at its earliest start, 2030-07-01 (tests/plan/test_leases.py by hand)."""
    ds = to_dataset(plan(load_dict(site_model(lease(1.0, renew="decide"), offers=offer(5.0)))))
    first = ds["notice_lease"] == "lease"
    assert float(ds["lease_kept"].where(first, drop=True)[0]) == 0.0
    np.testing.assert_allclose(ds["lease_cover"].sel(lease="lease").values, [1] + [0] * 11)
    # the lease's first quarter: ($1 - $0.5 the lessee's market value) x 10 kH100e x 8.76 x 0.25
    extra = ds["lease_extra_revenue_musd"].sel(lease="lease").values
    np.testing.assert_allclose(extra, [0.5 * 10 * 8.76 * 0.25] + [0] * 11, rtol=1e-9)
    taken = ds["offer_taken"].sel(offer="q")
    assert float(taken.sum()) == 1.0 and float(taken.isel(period=2)) == 1.0
    lines = lease_decisions(ds)
    assert lines[0] == "lease 2030-01-01: give notice (ends 2030-04-01)"
    assert len([x for x in lines if x.startswith("lease ")]) == 1  # nothing after the notice
    assert lines[-1] == "offer q: taken from 2030-07-01 (100%)"
    xr.testing.assert_identical(ds, open(write(ds, tmp_path / "r.nc")))
    console = Console(record=True, width=120)
    show(ds, console)
    assert "give notice (ends 2030-04-01)" in console.export_text()


def test_a_plan_without_decided_leases_has_no_lease_variables() -> None:
    ds = to_dataset(plan(load_dict(site_model(lease(1.0)))))
    assert "lease_kept" not in ds and "notice" not in ds.dims
