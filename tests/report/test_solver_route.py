"""The report says which solver route ran (issue 22: it said "HiGHS via Pyomo" whatever ran)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PERIOD_FORM
from twin.plan import plan
from twin.report import to_dataset
from twin.spec import load_model

MODEL = Path(__file__).resolve().parents[2] / "models" / "baseline.yaml"


def test_the_report_names_the_hand_off_that_ran() -> None:
    spec = load_model(MODEL, overrides=[("horizon.years", 3), *PERIOD_FORM])
    matrix = to_dataset(plan(spec)).attrs["solver"]
    pyomo = to_dataset(plan(spec, handoff="pyomo")).attrs["solver"]
    assert "matrix hand-off" in matrix and "Pyomo" not in matrix
    rule = "; tie-break compute_early (eps 0.0001)"  # the baseline's stated tie-break
    assert matrix == "HiGHS (highspy) via twin's matrix hand-off" + rule
    assert pyomo == "HiGHS via Pyomo" + rule
