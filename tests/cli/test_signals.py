"""Ctrl-C and termination stop a solve promptly, and a non-optimal stop says so (issue 10).

Real processes and real signals: ``python -m twin solve`` on the baseline's quarterly scenario in
whole modules with a zero MIP gap, a MIP HiGHS needs ~15 s for on one loaded core.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.test_cli import MODEL
from tests.conftest import PERIOD_FORM_ARGS

ROOT = Path(__file__).resolve().parents[2]
LONG_MIP = (
    "-s",
    "quarterly",
    "--set",
    "solver.integer_modules=true",
    "--set",
    "solver.mip_gap=0",
    "--set",
    "horizon.end_effects=none",  # no buffer years: HiGHS finds a first plan within seconds
    *PERIOD_FORM_ARGS,
)
#: Most seconds from the signal to the end of the process (issue 10: "about 2 seconds"; the
#: solver thread gets 1 s to honour HiGHS's interrupt callback, then the process ends; measured
#: 1.1 s on a loaded machine).
STOP_S = 3.0


def _start(out: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "twin", "solve", MODEL, "--out", str(out), *LONG_MIP, *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _worker_cpu_s(pid: int) -> float:
    """Most CPU seconds used by any thread of ``pid`` other than its main thread."""
    tick = os.sysconf("SC_CLK_TCK")
    best = 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        if task.name == str(pid):
            continue
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        best = max(best, (int(fields[11]) + int(fields[12])) / tick)  # utime + stime
    return best


def _wait_for_solver(proc: subprocess.Popen[str], timeout: float = 120.0) -> None:
    """Wait until HiGHS has run for a second: the solve runs in a worker thread (highspy's),
    while the main thread sleeps waiting for it; no other thread does work."""
    start = time.monotonic()
    while time.monotonic() - start < timeout and proc.poll() is None:
        if _worker_cpu_s(proc.pid) > 1.0:
            return
        time.sleep(0.05)
    raise AssertionError("the solve never started")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_during_solve_stops_within_seconds(tmp_path: Path, sig: int, code: int) -> None:
    out = tmp_path / "r.nc"
    out.write_bytes(b"an earlier report\n")
    proc = _start(out)
    _wait_for_solver(proc)
    assert proc.poll() is None, proc.communicate()
    t0 = time.monotonic()
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=30)
    elapsed = time.monotonic() - t0
    assert proc.returncode == code, err
    assert elapsed < STOP_S, elapsed
    assert "interrupted by" in err and "Traceback" not in err
    assert out.read_bytes() == b"an earlier report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.nc"]  # no temporary file


@pytest.mark.slow
def test_time_limit_with_a_feasible_plan_writes_a_marked_report(tmp_path: Path) -> None:
    out = tmp_path / "r.nc"
    # the yearly modules MILP at a zero gap: HiGHS has a first plan at its root (~1.3 s on an idle
    # machine) and proves the optimum at ~36 s; a 12 s limit leaves room for a loaded machine
    # (the suite runs on every core) on both sides
    cmd = ["solve", MODEL, "--out", str(out), "-s", "modules", "--set", "solver.mip_gap=0"]
    cmd += PERIOD_FORM_ARGS  # the MILP's timing above was measured in the period form
    proc = subprocess.Popen(
        [sys.executable, "-m", "twin", *cmd, "--set", "solver.time_limit_s=12"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 3, err
    assert "not optimal" in err and "Time limit reached" in err and str(out) in err
    import xarray as xr

    attrs = xr.load_dataset(out).attrs
    assert attrs["optimal"] == 0 and attrs["termination_condition"] == "Time limit reached"
    assert attrs["mip_gap"] > 0  # stopped short of the zero gap asked for
    show = subprocess.run(
        [sys.executable, "-m", "twin", "show", str(out)], capture_output=True, text=True
    )
    assert show.returncode == 0 and show.stdout.lstrip().startswith("NOT OPTIMAL")
