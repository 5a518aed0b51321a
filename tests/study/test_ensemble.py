"""Ensembles that lose nothing and resume: finished members kept, failures recorded."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PERIOD_FORM
from twin.report.member import ReportTask
from twin.study.ensemble import Member, grid, run_ensemble
from twin.study.outcomes import summary

MODEL = "models/baseline.yaml"
RATES = [0.06, 0.08, 0.10, 0.12]
#: four years without the end buffer: what an ensemble keeps, resumes and records does not depend
#: on the horizon, and each member solves in a tenth of the baseline's time
SHORT = (("horizon.years", 4), ("horizon.end_effects", "none"), *PERIOD_FORM)


def short(members: list[Member]) -> list[Member]:
    """``members`` over the short horizon (same names)."""
    return [dataclasses.replace(m, overrides=(*m.overrides, *SHORT)) for m in members]


def test_a_rerun_solves_only_the_missing_members(tmp_path: Path) -> None:
    members = short(grid([None], {"economics.discount_rate": RATES}))
    first = run_ensemble(MODEL, members[:2], tmp_path, ReportTask(), n_workers=0)
    assert [r["kept"] for r in first] == [False, False]
    stamps = {r["file"]: os.stat(tmp_path / r["file"]).st_mtime_ns for r in first}
    rows = run_ensemble(MODEL, members, tmp_path, ReportTask(), n_workers=0)
    assert [r["kept"] for r in rows] == [True, True, False, False]
    assert {f: os.stat(tmp_path / f).st_mtime_ns for f in stamps} == stamps, "not rewritten"
    assert rows[0]["npv_musd"] == first[0]["npv_musd"]
    npv = [r["npv_musd"] for r in rows]
    assert npv == sorted(npv, reverse=True), "dearer money, lower NPV"
    ds = summary(rows, members)
    assert ds.attrs["n_kept"] == 2 and ds.attrs["n_failed"] == 0
    assert float(ds["npv_musd_pct"].sel(percentile=50)) == pytest.approx(
        (npv[1] + npv[2]) / 2, rel=1e-12
    )  # the median of four is the mean of the middle two


def test_the_same_name_with_other_inputs_is_recomputed(model_copy: Path, tmp_path: Path) -> None:
    members = short(grid([None], {"economics.discount_rate": [0.1]}))
    out = tmp_path / "out"
    run_ensemble(model_copy, members, out, ReportTask(), n_workers=0)
    csv = model_copy.parent.parent / "datasets" / "sites.csv"
    csv.write_text(csv.read_text().replace(",11.5,", ",12.5,"))  # atlanta's capex changes
    (row,) = run_ensemble(model_copy, members, out, ReportTask(), n_workers=0)
    assert row["kept"] is False


def test_a_member_in_hours_is_recomputed_when_its_profiles_change(
    model_copy: Path, tmp_path: Path
) -> None:
    """The hourly profiles are not in the validated model; they are in the member's key: a
    re-run after the solar profile changed solves again (it kept the stale plan before)."""
    hours = (("horizon.years", 2), ("horizon.end_effects", "none"), ("solver.tie_break", "none"))
    members = [Member(name="m", scenario=None, overrides=hours)]
    out = tmp_path / "out"
    (first,) = run_ensemble(model_copy, members, out, ReportTask(), n_workers=0)
    (again,) = run_ensemble(model_copy, members, out, ReportTask(), n_workers=0)
    assert first["kept"] is False and again["kept"] is True
    solar = model_copy.parent.parent / "datasets" / "profiles" / "solar.csv"
    solar.write_text(solar.read_text() + "\n")  # the same numbers, other bytes
    (row,) = run_ensemble(model_copy, members, out, ReportTask(), n_workers=0)
    assert row["kept"] is False


def test_a_failed_member_is_recorded_while_the_others_go_on(tmp_path: Path) -> None:
    members = short(
        [
            Member("ok", None, (("economics.discount_rate", 0.1),)),
            Member(
                "all_internal", None, (("policy.internal_share_min", 1.0),)
            ),  # the lease forbids
        ]
    )
    rows = run_ensemble(MODEL, members, tmp_path, ReportTask(), n_workers=0)
    assert rows[0]["status"] == "optimal"
    # the elastic model names either side of the conflict (the policy row or the lease's)
    assert rows[1]["status"] == "failed"
    assert "policy" in rows[1]["message"] or "contracts [colossus1" in rows[1]["message"]
    assert not (tmp_path / "all_internal.nc").exists()
    ds = summary(rows, members)
    assert ds.attrs["n_failed"] == 1
    assert float(ds["npv_musd_pct"].sel(percentile=5)) == rows[0]["npv_musd"]  # solved only


@pytest.mark.slow
def test_a_sweep_killed_part_way_resumes_where_it_stopped(tmp_path: Path) -> None:
    """Kill a 6-member Dask sweep (the whole process group) once two reports exist; the re-run
    leaves those files untouched and solves the rest."""
    out = tmp_path / "out"
    rates = ",".join(str(r) for r in (0.05, 0.06, 0.07, 0.08, 0.09, 0.10))
    cmd = [sys.executable, "-m", "twin", "sweep", MODEL, "--out-dir", str(out),
           "--vary", f"economics.discount_rate={rates}", "--vary", "horizon.years=4",
           "--vary", "horizon.hours.representative_days=none",
           "--workers", "1"]  # fmt: skip
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob("*.nc"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    done = {p: p.stat().st_mtime_ns for p in out.glob("*.nc")}
    assert 2 <= len(done) < 6 and not (out / "sweep.nc").exists()
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert f"{len(done)} kept from an earlier run" in res.stdout
    assert {p: p.stat().st_mtime_ns for p in done} == done
    assert len(list(out.glob("base_*.nc"))) == 6


def test_without_reports_a_member_leaves_its_row_and_still_resumes(tmp_path: Path) -> None:
    members = short(grid([None], {"economics.discount_rate": RATES[:3]}))
    task = ReportTask(reports=False)
    first = run_ensemble(MODEL, members[:1], tmp_path, task, n_workers=0)
    rows = run_ensemble(MODEL, members, tmp_path, task, n_workers=0)
    assert [r["kept"] for r in rows] == [True, False, False]
    assert rows[0]["npv_musd"] == first[0]["npv_musd"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{m.name}.json" for m in members]
