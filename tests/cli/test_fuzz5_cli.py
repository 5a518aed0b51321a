"""Faults a fifth fuzzing pass found on the command line: an outcome of probability 0 in an
``uncertainty:`` section ended a finished solve in an internal error (exit 70)."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.cli.runner import Run, twin_main  # noqa: F401 - the fixture; tests take it as a parameter
from tests.conftest import tiny_model

#: an uncertain input of the tiny model, known after its first year
VALUE = "tenants.own.value_usd_per_h100e_hour"


def _write(folder: Path, data: dict[str, Any], name: str = "m.yaml") -> Path:
    """``data`` written as YAML into ``folder`` (a project: it holds a marker)."""
    (folder / ".twin-project").touch()
    model = folder / name
    model.write_text(yaml.safe_dump(data, allow_unicode=True))
    return model


def _bad_input(res: Run, *needles: str) -> str:
    """A run that ended in exit 2 with one error line holding every needle, no traceback."""
    text = " ".join(res.err.split())
    assert res.code == 2, (res.code, res.out, res.err)
    assert "Traceback" not in res.err and "internal error" not in res.err, res.err
    for needle in needles:
        assert needle in text, (needle, text)
    return text


def test_an_outcome_of_probability_zero_is_refused(twin_main, tmp_path: Path) -> None:
    """``probability: 0`` passed the schema (0 <= p <= 1); the tree then held a leaf of weight
    0 and writing its report divided by it: exit 70 'ZeroDivisionError', after the whole
    solve. Now exit 2 at load naming the outcome and the range (0, 1], no report written."""
    outcomes = [{"value": 1.0, "probability": 1.0}, {"value": 2.0, "probability": 0.0}]
    data = tiny_model(horizon={"years": 3})
    data["uncertainty"] = {
        "inputs": {"v": {"path": VALUE, "known": "2031-01-01", "outcomes": outcomes}}
    }
    model = _write(tmp_path, data)
    out = tmp_path / "r.nc"
    res = twin_main("solve", model, "--out", out)
    _bad_input(
        res,
        f"{model}: uncertainty.inputs.v.outcomes.1.probability",
        "expected a probability in (0, 1], got 0",
    )
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".twin-project", "m.yaml"]
