"""Faults a sixth fuzzing pass found in loading a model (from Python and so from every
command): empty or blank text where a path, a name or a source is expected was read as the
model's folder or silently meant the default; and the decision that ``1_000`` reads as 1000
in a model file as in a CSV cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import tiny_model
from fuzz_helpers import raises_bad_input as _refused

import twin


def _model(folder: Path, data: dict[str, Any] | None = None, extra: str = "") -> Path:
    """``data`` (the tiny model over three years) and ``extra`` YAML as a model file in
    ``folder``, a project."""
    (folder / ".twin-project").touch()
    model = folder / "m.yaml"
    text = yaml.safe_dump(data or tiny_model(horizon={"years": 3}), allow_unicode=True)
    model.write_text(text + extra)
    return model


SHELL = "orbit:\n  shells:\n    a:\n      tle_file: {value}\n"


@pytest.mark.parametrize(
    ("data", "extra", "key", "expected"),
    [
        (None, SHELL.format(value="''"), "orbit.shells.a.tle_file",
         "expected a non-empty path (relative to the model file) to a file of two-line element "
         "sets, got ''"),
        (None, SHELL.format(value="' '"), "orbit.shells.a.tle_file", "got ' '"),
        (tiny_model(horizon={"years": 3, "hours": {"profiles": ""}}), "",
         "horizon.hours.profiles", "expected a non-empty path (relative to the model file), "
         "got ''"),
        (tiny_model(horizon={"years": 3}, solver={"name": " "}), "", "solver.name",
         "expected a non-empty name, got ' '"),
        (tiny_model(horizon={"years": 3}, sites={"s1": {"source": "   "}}), "",
         "sites.s1.source", "expected a non-empty source"),
        (tiny_model(horizon={"years": 3}, name=""), "", "name", "expected a non-empty name"),
        (tiny_model(horizon={"years": 3}, sites={"s1": {"region": " "}}), "",
         "sites.s1.region", "expected a non-empty name, got ' '"),
    ],
    ids=["tle-empty", "tle-blank", "profiles", "solver", "source", "model-name", "region"],
)  # fmt: skip
def test_empty_or_blank_text_for_a_path_or_a_name_is_refused(
    tmp_path: Path, data: dict[str, Any] | None, extra: str, key: str, expected: str
) -> None:
    """``tle_file: ''`` read the model's folder ('found a directory', under a garbled key),
    ``horizon.hours.profiles: ''`` silently meant the default folder, ``solver.name: ' '`` and
    a source of three blanks were accepted. Now every text field that holds a path, a name or
    a source (every schema's, by one rule of twin.spec.base.Frozen) refuses empty or blank
    text naming the file and key; a description may be empty."""
    model = _model(tmp_path, data, extra)
    msg = _refused(lambda: twin.load_model(model), f"{model}: {key}: expected", expected)
    assert "\n" not in msg  # the one fault, not the shell's fields it hid


def test_a_digit_separator_reads_alike_in_yaml_and_in_a_csv_cell(tmp_path: Path) -> None:
    """Decided: ``1_000`` is accepted, as 1000, not refused. YAML 1.1 reads ``max_mw: 1_000``
    as 1000 and a CSV cell ``1_000`` reads as 1000 too (Python's ``float`` and pydantic take
    the separator), so a site's capacity is one number whichever file holds it; ``'1_000'``
    quoted in YAML is text and refused where a number is expected (a number quoted as text)."""
    data = tiny_model(horizon={"years": 3})
    site = data.pop("sites")["s1"]
    columns = ["name", *site]
    row = ["s1", *("1_000" if k == "max_mw" else str(v) for k, v in site.items())]
    (tmp_path / "sites.csv").write_text(",".join(columns) + "\n" + ",".join(row) + "\n")
    from_csv = _model(tmp_path, {**data, "datasets": {"sites": "sites.csv"}})
    assert twin.load_model(from_csv).model.sites["s1"].max_mw == 1000.0
    from_yaml = _model(tmp_path, tiny_model(horizon={"years": 3}))
    from_yaml.write_text(from_yaml.read_text().replace("max_mw: 1000.0", "max_mw: 1_000"))
    assert twin.load_model(from_yaml).model.sites["s1"].max_mw == 1000.0
    from_yaml.write_text(from_yaml.read_text().replace("max_mw: 1_000", "max_mw: '1_000'"))
    _refused(lambda: twin.load_model(from_yaml), "sites.s1.max_mw: expected a number")
