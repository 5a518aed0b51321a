"""Other solvers and the LP itself: ``solver.name`` through Pyomo's SolverFactory, and
``twin export`` read back by HiGHS.

Both routes solve the same LP, so their optimum is the same number: the baseline ``neocloud``
plan's NPV (6 years) through ``appsi_highs`` (Pyomo's own HiGHS interface, a file-free hand-off
Pyomo writes) equals twin's matrix hand-off to 1e-6 relative. The exported MPS holds the objective
with its constant (Pyomo's fixed column ``ONE_VAR_CONSTANT``) and ``OBJSENSE MAX``: HiGHS reading it
back finds the optimum twin reports as ``objective_musd``, to 1e-6 relative.
"""

from __future__ import annotations

from pathlib import Path

import highspy
import numpy as np
import pytest

import twin
from tests.cli.runner import twin_main  # noqa: F401 - the fixture; tests take it as a parameter
from tests.conftest import PERIOD_FORM
from twin.spec.errors import SpecError

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "baseline.yaml"
REL = 1e-6  # two solves of the same LP by HiGHS through different hand-offs
#: the routes, not the hours or the horizon: the period form over 6 years without the end buffer
#: (with the tie-break's second solve), three plans in a tenth of the full horizon's time
FORM = {**dict(PERIOD_FORM), "horizon.years": 6, "horizon.end_effects": "none"}
FORM_ARGS = [a for k, v in FORM.items() for a in ("--set", f"{k}={v}")]


@pytest.fixture(scope="module")
def default() -> twin.Solution:
    """The baseline neocloud plan through twin's own matrix hand-off (solver.name: highs)."""
    return twin.solve(MODEL, scenario="neocloud", overrides=FORM)


def test_pyomo_route_gives_the_default_routes_npv(default: twin.Solution) -> None:
    other = twin.solve(MODEL, scenario="neocloud", overrides={"solver.name": "appsi_highs", **FORM})
    assert other.dataset.attrs["termination_condition"] == "optimal"
    assert other.summary["npv_musd"] == pytest.approx(default.summary["npv_musd"], rel=REL)
    assert other.summary["objective_musd"] == pytest.approx(
        default.summary["objective_musd"], rel=REL
    )
    # HiGHS's process-wide thread scheduler, started by appsi_highs with its own thread count,
    # must not break a later solve that asks for solver.threads (it ended 'unknown' before)
    after = twin.solve(MODEL, scenario="neocloud", overrides=FORM, handoff="pyomo")
    assert after.summary["termination_condition"] == "optimal"
    assert after.summary["npv_musd"] == pytest.approx(default.summary["npv_musd"], rel=REL)
    # the duals read back through the 'dual' suffix keep twin's convention (d NPV / d rhs): the
    # same marginal values as Pyomo's persistent HiGHS hand-off (both solve through Pyomo's
    # HiGHS; the matrix hand-off may pick another dual of a degenerate LP at a few entries)
    for name in ("marginal_value_compute", "marginal_value_capacity", "marginal_value_power"):
        np.testing.assert_allclose(other.dataset[name], after.dataset[name], atol=1e-6)


def test_a_solver_that_is_not_installed_exits_2_naming_solver_name(
    tmp_path: Path,
    twin_main,  # noqa: F811
) -> None:
    out = tmp_path / "g.nc"
    res = twin_main("solve", MODEL, "-s", "neocloud", "--set", "solver.name=nosuch", "--out", out)
    assert res.code == 2
    msg = " ".join(res.err.split())
    assert "solver.name: nosuch" in msg and "installed: " in msg and "appsi_highs" in msg
    assert "Traceback" not in res.err and not out.exists()
    with pytest.raises(SpecError, match=r"^solver\.name: nosuch"):
        twin.solve(MODEL, scenario="neocloud", overrides={"solver.name": "nosuch"})


def test_exported_mps_read_back_by_highs_gives_twins_optimum(
    default: twin.Solution,
    tmp_path: Path,
    twin_main,  # noqa: F811
) -> None:
    path = tmp_path / "plan.mps"
    res = twin_main("export", MODEL, "-s", "neocloud", *FORM_ARGS, "--out", path)
    assert res.code == 0, res.err
    text = path.read_text()
    assert "OBJSENSE" in text and " MAX" in text  # the sense travels with the file
    assert "build(abilene_" in text and "c_u_facility_max(abilene)_" in text  # readable names
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    assert h.readModel(str(path)) == highspy.HighsStatus.kOk
    h.run()
    assert h.modelStatusToString(h.getModelStatus()) == "Optimal"
    objective = h.getInfo().objective_function_value  # with the constant (ONE_VAR_CONSTANT)
    # the file is the plan's LP: its optimum is the best NPV, which the report keeps as its bound
    # (the baseline's tie-break reports a plan eps = 1e-4 below it, twin.plan.tie_break)
    best = default.dataset.attrs["objective_bound_musd"]
    assert objective == pytest.approx(best, rel=REL)
    assert default.summary["objective_musd"] == pytest.approx(best * (1 - 1e-4), rel=1e-9)


def test_export_writes_the_lp_format_too(
    tmp_path: Path,
    twin_main,  # noqa: F811
) -> None:
    path = tmp_path / "plan.lp"
    assert twin_main("export", MODEL, "-s", "neocloud", *FORM_ARGS, "--out", path).code == 0
    lines = path.read_text().splitlines()
    assert [line.strip() for line in lines[2:4]] == ["max", "npv:"]  # CPLEX LP: sense, objective
    assert any(line.endswith(" build(abilene_0)") for line in lines)  # column: variable(index)


def test_export_refuses_other_suffixes(
    tmp_path: Path,
    twin_main,  # noqa: F811
) -> None:
    res = twin_main("export", MODEL, "--out", tmp_path / "plan.nc")
    assert res.code == 2 and "--out" in res.err and ".mps or .lp" in " ".join(res.err.split())
