"""Every scenario of the shipped model solves to optimality, round-trips, and keeps its results.

``golden/scenarios.json`` pins each scenario's NPV and the totals of its main decisions; a change
of results must be on purpose (regenerate with ``tests/golden/regenerate.py`` and say why).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xarray as xr
from golden.regenerate import MIP_RTOL, fingerprint

from twin.plan import plan
from twin.report import open, to_dataset, write
from twin.spec import load_model

MODEL = "models/baseline.yaml"
SCENARIOS = [None, *load_model(MODEL).model.scenarios]
GOLDEN = json.loads((Path(__file__).parent / "golden" / "scenarios.json").read_text())
RTOL = 1e-6


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s or "base" for s in SCENARIOS])
def test_scenario_solves_keeps_results_and_round_trips(
    scenario: str | None, tmp_path: Path
) -> None:
    spec = load_model(MODEL, scenario=scenario)
    p = plan(spec)
    assert p.result.optimal
    ds = to_dataset(p)
    assert ds.attrs["termination_condition"] == "optimal"
    got, want = fingerprint(ds), GOLDEN[scenario or "base"]
    assert set(got) == set(want)
    assert got["is_mip"] == want["is_mip"]
    # an LP's optimum is pinned to 1e-6; a MIP's NPV to the gap both solves were allowed (each is
    # within mip_gap of the true optimum) and its totals to MIP_RTOL (see golden/regenerate.py)
    gap = 2 * spec.model.solver.mip_gap if want["is_mip"] else RTOL
    for key, value in want.items():
        rel = max(gap, RTOL) if key == "npv_musd" else (MIP_RTOL if want["is_mip"] else RTOL)
        assert got[key] == pytest.approx(value, rel=rel, abs=1e-6), key
    xr.testing.assert_identical(ds, open(write(ds, tmp_path / "r.nc")))
