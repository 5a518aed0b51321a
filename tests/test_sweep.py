"""Ensembles on Dask: members solved in worker processes give the same answers as in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PERIOD_FORM
from twin.plan import plan
from twin.progress import Progress, reporting
from twin.report import open as open_report
from twin.spec import SpecError, load_model
from twin.sweep import grid, run_sweep, swept

MODEL = "models/baseline.yaml"
FORM = {k: [v] for k, v in PERIOD_FORM}


class Seen(Progress):
    """Records the sweep's progress reports."""

    def __init__(self) -> None:
        self.counts: list[tuple[int, int, int, float]] = []
        self.notes: list[str] = []

    def members(self, done, failed, total, elapsed_s) -> None:
        self.counts.append((done, failed, total, elapsed_s))

    def note(self, text: str) -> None:
        self.notes.append(text)


def test_grid_is_the_full_factorial() -> None:
    members = grid(["a", "b"], {"x.y": [1, 2, 3]})
    assert [m.name for m in members][:3] == ["a_y=1", "a_y=2", "a_y=3"]
    assert len(members) == 6


@pytest.mark.slow
def test_sweep_on_a_local_cluster_matches_serial_solves(tmp_path: Path) -> None:
    # six years without the buffer (CI time): the cluster's bookkeeping does not depend on it
    short = {"horizon.years": [6], "horizon.end_effects": ["none"], **FORM}
    members = grid(["neocloud"], {"economics.discount_rate": [0.06, 0.14], **short})
    seen = Seen()
    with reporting(seen):
        ds = run_sweep(MODEL, members, tmp_path, n_workers=2)
    assert seen.counts[0][:3] == (0, 0, 2) and seen.counts[-1][:3] == (2, 0, 2)
    assert any(n.startswith("Dask dashboard: http") for n in seen.notes)
    for m, npv in zip(members, ds["npv_musd"].values, strict=True):
        serial = plan(load_model(MODEL, scenario=m.scenario, overrides=list(m.overrides)))
        assert npv == pytest.approx(serial.result.objective, rel=1e-7)
    assert list(swept(ds, "economics.discount_rate").values) == [0.06, 0.14]
    assert "economics_discount_rate" in ds.coords  # a CF-legal name; the path in its attrs
    assert ds["npv_musd"].values[0] > ds["npv_musd"].values[1]  # dearer money, lower NPV
    for f in ds["file"].values:
        assert open_report(tmp_path / f).attrs["termination_condition"] == "optimal"


def test_bad_member_fails_before_any_worker_starts(tmp_path: Path) -> None:
    members = grid(["neocloud"], {"economics.discount_rat": [0.1]})
    with pytest.raises(SpecError, match="discount_rat"):
        run_sweep(MODEL, members, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_break_even_is_the_first_swept_value_where_the_fab_is_built() -> None:
    from twin.sweep import break_even, summary

    members = grid(["terafab"], {"vendor.markup": [2.0, 1.0, 1.5]})
    rows = [
        {
            "member": m.name,
            "status": "optimal",
            "npv_musd": 1.0,
            "file": "",
            "message": "",
            "fab_kwspm": k,
        }
        for m, k in zip(members, [3.0, 0.0, 0.5], strict=True)
    ]
    ds = summary(rows, members)
    assert break_even(ds, "vendor.markup") == 1.5
    ds["fab_kwspm"][:] = 0.0
    assert break_even(ds, "vendor.markup") is None
