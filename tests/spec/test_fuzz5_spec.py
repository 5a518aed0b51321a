"""Faults a fifth fuzzing pass found in loading a model from Python (notebooks): an environment
variable of the wrong form (``TWIN_DATA_ROOT``, ``TWIN_MAX_INPUT_MB``) was silently replaced
by its default; two YAML keys that read as one (``2026`` and ``'2026'``) kept the later."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import tiny_model
from fuzz_helpers import raises_bad_input as _refused

import twin


def _model(folder: Path, data: dict[str, Any] | None = None) -> Path:
    """``data`` (the tiny model over three years) as a model file in ``folder``, a project."""
    (folder / ".twin-project").touch()
    model = folder / "m.yaml"
    model.write_text(yaml.safe_dump(data or tiny_model(horizon={"years": 3}), allow_unicode=True))
    return model


@pytest.mark.parametrize(
    ("variable", "value"),
    [("TWIN_DATA_ROOT", "{tmp}/nowhere"), ("TWIN_MAX_INPUT_MB", "32 MB")],
)
def test_load_model_refuses_an_environment_variable_of_the_wrong_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    """A root that does not exist allowed nothing, and a size that is no number left 32 MiB:
    ``load_model`` now raises a BadInput naming the variable and its value."""
    value = value.format(tmp=tmp_path)
    monkeypatch.setenv(variable, value)
    _refused(lambda: twin.load_model(_model(tmp_path)), f"{variable}: {value}: expected")


@pytest.mark.parametrize(
    ("first", "second"), [("2026", "'2026'"), ("'2026'", "2026"), ("2030", "2030.0")]
)
def test_keys_that_read_as_one_key_are_duplicates(tmp_path: Path, first: str, second: str) -> None:
    """``2026: 3600`` and ``'2026': 3000`` in the launch price table (a table by year) are two
    YAML keys, the number and the text, but one year once the schema reads them: the later
    silently won. Now a duplicate key naming both lines, as two equal keys are."""
    model = _model(tmp_path)
    table = f"orbit:\n  launch_usd_per_kg:\n    {first}: 3600\n    {second}: 3000\n"
    model.write_text(table + model.read_text())
    msg = _refused(lambda: twin.load_model(model), f"{model}: line 4, column 5", "at lines 3 and 4")
    assert "are one key once read" in msg, msg
