"""Progressive hedging on 2 MPI ranks (real mpiexec, MPICH from its wheel) against the EF."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from newsvendor import newsvendor

from twin.report import open as open_report
from twin.spec import load_dict
from twin.study.stochastic import solve_extensive_form

MPIEXEC = Path(sys.executable).parent / "mpiexec"

#: PH's linearised proximal term stops short of exact consensus; its policy (every tied decision
#: fixed at the node mean, then each leaf re-solved) must be within these of the EF optimum.
OBJECTIVE_RTOL = 1e-3
DECISION_ATOL_MW = 0.5

OUTCOMES = [
    {"value": 20.0, "probability": 0.1},
    {"value": 50.0, "probability": 0.1},
    {"value": 80.0, "probability": 0.6},
    {"value": 100.0, "probability": 0.2},
]


@pytest.mark.slow
@pytest.mark.skipif(not MPIEXEC.exists(), reason="mpiexec of the mpich wheel not installed")
def test_ph_on_two_ranks_agrees_with_the_extensive_form(tmp_path: Path) -> None:
    data = newsvendor(OUTCOMES)
    model = tmp_path / "nv.yaml"
    model.write_text(yaml.safe_dump(data))
    report = tmp_path / "ph.nc"
    cmd = [
        str(MPIEXEC),
        "-n",
        "2",
        sys.executable,
        "-m",
        "twin",
        "solve",
        str(model),
        "--engine",
        "ph",
        "--out",
        str(report),
    ]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    ph = open_report(report)
    assert ph.attrs["mpi_ranks"] == 2
    ef = solve_extensive_form(load_dict(data))
    assert ph.attrs["objective_musd"] == pytest.approx(ef.result.objective, rel=OBJECTIVE_RTOL)
    build = float(ph["decision_value"].sel(decision="build[s1, 2030-01-01]"))
    assert build == pytest.approx(ef.decisions(1)[("build", ("s1", 0))], abs=DECISION_ATOL_MW)
    assert ph.sizes["scenario"] == 4  # rank 0 gathered every leaf
