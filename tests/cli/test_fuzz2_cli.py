"""Faults a second fuzzing pass found, as the command line meets them: each input was accepted
(read as something else); each now ends in exit 2 naming the option or file and the key, with
no traceback and the existing report left as it was."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PERIOD_FORM_ARGS

from tests.cli.runner import twin_main  # noqa: F401 - the fixture; tests take it as a parameter

OLD = b"an earlier report"


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("horizon.start=0", "expected a date YYYY-MM-DD, got the number 0"),
        ("economics.discount_rate=1e-400", "would be read as 0"),
        ("orbit.launch_usd_per_kg={2026: true, 2040: 100}", "got true or false (value of 2026)"),
    ],
)
def test_solve_refuses_a_value_read_as_something_else(
    twin_main, model_copy: Path, tmp_path: Path, assignment: str, expected: str
) -> None:
    """Each --set solved (or, for horizon.start=0, blamed the contracts and events): now exit 2
    naming --set and the key, the report already there untouched."""
    out = tmp_path / "r.nc"
    out.write_bytes(OLD)
    res = twin_main("solve", model_copy, "--out", out, "--set", assignment, *PERIOD_FORM_ARGS,
                    "--set", "horizon.years=2")  # fmt: skip
    key = assignment.split("=", maxsplit=1)[0]
    assert res.code == 2, (res.code, res.err)
    assert "Traceback" not in res.err
    assert f"--set: {key}: " in res.err and expected in res.err, res.err
    assert out.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["datasets", "models", "r.nc"]


def test_validate_names_the_line_of_a_row_below_comments(twin_main, model_copy: Path) -> None:
    """The row was named by its count among the rows (row 2), not its line in the file."""
    chips = model_copy.parent.parent / "datasets" / "chips.csv"
    chips.write_text("# note\n" + chips.read_text().replace("h100,1.0,", "h100,x,", 1))
    res = twin_main("validate", model_copy)
    assert res.code == 2, res.err
    assert f"{chips}: row 3 ('h100'), column 'h100e'" in res.err, res.err
