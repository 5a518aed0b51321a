"""Faults a fifth fuzzing pass found on the command line: an outcome of probability 0 in an
``uncertainty:`` section ended a finished solve in an internal error (exit 70); the
environment variables twin reads (``TWIN_DEBUG``, ``TWIN_MAX_INPUT_MB``, ``TWIN_DATA_ROOT``)
took any value, a nonsense one silently replaced by the default."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
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
    assert "Traceback (most recent" not in res.err and "internal error (a bug" not in res.err
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


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("TWIN_DEBUG", "true", "expected 1 (an internal error prints its traceback) or 0"),
        ("TWIN_DEBUG", "yes", "expected 1"),
        ("TWIN_MAX_INPUT_MB", "abc", "expected the largest input file in MiB"),
        (
            "TWIN_MAX_INPUT_MB",
            "0",
            "expected the largest input file in MiB: a decimal number of at least one byte",
        ),
        (
            "TWIN_MAX_INPUT_MB",
            "-5",
            "expected the largest input file in MiB: a decimal number of at least one byte",
        ),
        (
            "TWIN_MAX_INPUT_MB",
            "nan",
            "expected the largest input file in MiB: a decimal number of at least one byte",
        ),
        (
            "TWIN_MAX_INPUT_MB",
            "1e-9",
            "expected the largest input file in MiB: a decimal number of at least one byte",
        ),
        ("TWIN_MAX_INPUT_MB", "0x10", "expected the largest input file in MiB"),
        ("TWIN_DATA_ROOT", "{tmp}/nowhere", "expected existing folders of dataset files"),
        ("TWIN_DATA_ROOT", "{tmp}/m.yaml", "expected existing folders of dataset files"),
    ],
)
def test_an_environment_variable_of_the_wrong_form_is_refused(
    twin_main, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str,
    expected: str,
) -> None:  # fmt: skip
    """``TWIN_DEBUG=true`` printed no traceback; a ``TWIN_MAX_INPUT_MB`` that was no size
    (``abc``, ``0``, ``nan``) left the 32 MiB limit, and ``1e-9`` set a limit of 0 bytes; a
    ``TWIN_DATA_ROOT`` entry that does not exist or is a file allowed nothing: each without a
    word (``--data-root`` refuses the same folders). Now exit 2 naming the variable and its
    value before the command runs, nothing written."""
    model = _write(tmp_path, tiny_model(horizon={"years": 3}))
    value = value.format(tmp=tmp_path)
    monkeypatch.setenv(variable, value)
    out = tmp_path / "r.nc"
    _bad_input(twin_main("solve", model, "--out", out), f"error: {variable}: {value}: {expected}")
    assert not out.exists()


def test_environment_variables_of_the_right_form_still_work(
    twin_main, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0 and 1, a size in MiB as a decimal number, folders with an empty entry between them."""
    model = _write(tmp_path, tiny_model(horizon={"years": 3}))
    monkeypatch.setenv("TWIN_DEBUG", "0")
    monkeypatch.setenv("TWIN_MAX_INPUT_MB", "0.5")
    monkeypatch.setenv("TWIN_DATA_ROOT", f"{tmp_path}::{tmp_path}")
    res = twin_main("validate", model)
    assert res.code == 0, (res.code, res.err)
    monkeypatch.setenv("TWIN_MAX_INPUT_MB", "0.0001")  # 104 bytes: the model is larger
    _bad_input(twin_main("validate", model), "at most 104 bytes")
