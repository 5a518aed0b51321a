"""Every scenario of the shipped model solves to optimality and its report round-trips."""

from __future__ import annotations

from pathlib import Path

import pytest
import xarray as xr

from twin.plan import plan
from twin.report import open, to_dataset, write
from twin.spec import load_model

MODEL = "models/baseline.yaml"
SCENARIOS = [None, *load_model(MODEL).model.scenarios]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s or "base" for s in SCENARIOS])
def test_scenario_solves_and_round_trips(scenario: str | None, tmp_path: Path) -> None:
    p = plan(load_model(MODEL, scenario=scenario))
    assert p.result.optimal
    ds = to_dataset(p)
    assert ds.attrs["termination_condition"] == "optimal"
    xr.testing.assert_identical(ds, open(write(ds, tmp_path / "r.nc")))
