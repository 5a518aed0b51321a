"""The report: schema, CF attributes, provenance, atomic netCDF round trip."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from tests.conftest import PERIOD_FORM
from twin.plan import plan
from twin.report import VARIABLES, ReportError, open, to_dataset, write
from twin.spec import load_model


@pytest.fixture(scope="module")
def neocloud() -> xr.Dataset:
    spec = load_model("models/baseline.yaml", scenario="neocloud", overrides=PERIOD_FORM)
    return to_dataset(plan(spec))


def test_report_has_the_schema_and_cf_attributes(neocloud: xr.Dataset) -> None:
    ds = neocloud
    assert set(ds.dims) >= {"period", "site", "chip", "tenant"}
    for name in (
        "capacity_mw",
        "chips_active",
        "compute_h100e",
        "allocation_h100e",
        "unmet_h100e",
        "capex_musd",
        "opex_musd",
        "revenue_musd",
        "marginal_value_compute",
        "marginal_value_power",
    ):
        assert name in ds
    assert ds["chips_active"].dims == ("site", "chip", "period")
    assert ds["allocation_h100e"].dims == ("site", "tenant", "period")
    for name in set(ds.data_vars) - {"period_bounds"}:  # CF bounds: units are the period's
        assert ds[name].attrs["units"] and ds[name].attrs["long_name"], name
        assert name in VARIABLES
    for key in (
        "npv_musd",
        "solver_status",
        "termination_condition",
        "mip_gap",
        "build_s",
        "handoff_s",
        "solve_s",
        "report_s",
        "model_sha256",
        "package_versions",
    ):
        assert key in ds.attrs
    assert ds.attrs["termination_condition"] == "optimal"
    assert "pyomo" in json.loads(ds.attrs["package_versions"])


def test_allocation_never_exceeds_compute_and_demand(neocloud: xr.Dataset) -> None:
    ds = neocloud
    assert (ds["allocation_h100e"].sum("tenant") <= ds["compute_h100e"] + 1e-3).all()
    assert (ds["allocation_h100e"].sum("site") <= ds["demand_h100e"] + 1e-3).all()
    assert (ds["it_load_mw"] <= ds["capacity_mw"] + 1e-6).all()


def test_colossus1_goes_to_anthropic_while_the_lease_runs(neocloud: xr.Dataset) -> None:
    c1 = neocloud["allocation_h100e"].sel(site="colossus1")
    total = c1.sum("tenant")
    # atol: another tenant's allocation may be -2e-10 H100e of the solver's feasibility tolerance
    np.testing.assert_allclose(c1.sel(tenant="anthropic"), total, rtol=1e-9, atol=1e-3)


def test_round_trip_through_netcdf_is_identical(neocloud: xr.Dataset, tmp_path: Path) -> None:
    path = write(neocloud, tmp_path / "r.nc")
    back = open(path)
    xr.testing.assert_identical(neocloud, back)
    assert [p.name for p in tmp_path.iterdir()] == ["r.nc"]


def test_failed_write_leaves_nothing_and_keeps_the_old_file(
    neocloud: xr.Dataset, tmp_path: Path
) -> None:
    path = tmp_path / "r.nc"
    path.write_bytes(b"old report")
    bad = neocloud.copy()
    bad.attrs["unwritable"] = {"a": 1}  # netCDF cannot store a dict attribute
    with pytest.raises(TypeError):
        write(bad, path)
    assert path.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.nc"]


def test_open_rejects_a_file_that_is_not_a_report(tmp_path: Path) -> None:
    path = tmp_path / "x.nc"
    xr.Dataset({"a": ("x", [1.0])}).to_netcdf(path)
    with pytest.raises(ReportError, match="schema_version"):
        open(path)
    with pytest.raises(ReportError, match="no such file"):
        open(tmp_path / "missing.nc")


def test_report_file_has_ordinary_permissions(neocloud: xr.Dataset, tmp_path: Path) -> None:
    import os

    umask = os.umask(0)
    os.umask(umask)
    path = write(neocloud, tmp_path / "r.nc")
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_report_names_the_money_year_and_each_tenants_workload(neocloud: xr.Dataset) -> None:
    """models/baseline.yaml states money in 2026 dollars; datasets/tenants.csv makes xai_inference
    an inference tenant and xai_training a training one."""
    assert neocloud.attrs["money_base_year"] == 2026
    workload = dict(zip(neocloud["tenant"].values, neocloud["tenant_workload"].values, strict=True))
    assert workload["xai_inference"] == "inference"
    assert workload["xai_training"] == "training"
