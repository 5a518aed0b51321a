"""Faults a fifth fuzzing pass found on the command line: an outcome of probability 0 in an
``uncertainty:`` section ended a finished solve in an internal error (exit 70); the
environment variables twin reads (``TWIN_DEBUG``, ``TWIN_MAX_INPUT_MB``, ``TWIN_DATA_ROOT``)
took any value, a nonsense one silently replaced by the default; names (table rows, scenarios,
uncertain inputs, outcome labels) could be empty, padded, hold invisible characters or print
alike in two Unicode forms; a scenario tree's option its method does not read was ignored."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli.runner import Run, twin_main  # noqa: F401 - the fixture; tests take it as a parameter
from tests.cli.runner import bad_input as _bad_input
from tests.conftest import tiny_model

#: an uncertain input of the tiny model, known after its first year
VALUE = "tenants.own.value_usd_per_h100e_hour"


def _write(folder: Path, data: dict[str, Any], name: str = "m.yaml") -> Path:
    """``data`` written as YAML into ``folder`` (a project: it holds a marker)."""
    (folder / ".twin-project").touch()
    model = folder / name
    model.write_text(yaml.safe_dump(data, allow_unicode=True))
    return model


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


#: the tiny model's chip as a CSV row
CHIP = "c1,1.0,1.0,0,2020-01-01,15,assumption: test value"
NFC, NFD = "caf\u00e9", "cafe\u0301"  # é as one character, and as e with a combining accent


def _chips_csv(folder: Path, *names: str) -> dict[str, Any]:
    """The tiny model reading its chips from ``datasets/chips.csv``: ``c1`` and one row per
    name of ``names`` (a copy of c1)."""
    (folder / "datasets").mkdir()
    rows = [CHIP, *(CHIP.replace("c1", n, 1) for n in names)]
    header = "name,h100e,kw,price_usd,available_from,life_years,source"
    (folder / "datasets" / "chips.csv").write_text("\n".join([header, *rows]) + "\n")
    data = tiny_model(horizon={"years": 3})
    del data["chips"]
    data["datasets"] = {"chips": "datasets/chips.csv"}
    return data


def _chip() -> dict[str, Any]:
    """The tiny model's chip row."""
    return dict(tiny_model()["chips"]["c1"])


def _with(**over: Any) -> dict[str, Any]:
    """The tiny model over three years with ``over``'s top-level keys replaced."""
    return {**tiny_model(horizon={"years": 3}), **over}


def _outcomes(label: str) -> dict[str, Any]:
    """An uncertainty section of one input whose first outcome has ``label``."""
    outcomes = [
        {"value": 1.0, "probability": 0.5, "label": label},
        {"value": 2.0, "probability": 0.5},
    ]
    return {"inputs": {"v": {"path": VALUE, "known": "2031-01-01", "outcomes": outcomes}}}


def _input(name: str) -> dict[str, Any]:
    """An uncertainty section of one input named ``name``."""
    section = _outcomes("low")
    return {"inputs": {name: section["inputs"]["v"]}}


@pytest.mark.parametrize(
    ("make", "needles"),
    [
        (
            lambda d: _chips_csv(d, NFC, NFD),
            [f"chips.csv: rows 3 and 4, column 'name': '{NFC}' and '{NFD}' print alike",
             "('caf\\xe9' and 'cafe\\u0301'"],
        ),
        (
            lambda d: _chips_csv(d, "c\u200b2"),
            ["chips.csv: row 3, column 'name': 'c\\u200b2' holds the invisible character "
             "U+200B (ZERO WIDTH SPACE); expected visible characters only"],
        ),
        (
            lambda d: _chips_csv(d, "\u202ec2"),
            ["row 3, column 'name'", "U+202E (RIGHT-TO-LEFT OVERRIDE)"],
        ),
        (
            lambda d: _with(chips={"": _chip()}),
            ["m.yaml: chips.: '': expected a non-empty name"],
        ),
        (
            lambda d: _with(chips={"c1 ": _chip()}),
            ["m.yaml: chips.c1 : 'c1 ' has white space at an end; expected the name without it"],
        ),
        (
            lambda d: _with(chips={NFC: _chip(), NFD: _chip()}),
            [f"m.yaml: chips.{NFD} and chips.{NFC}: '{NFD}' and '{NFC}' print alike"],
        ),
        (
            lambda d: _with(scenarios={"": {"set": {}}}),
            ["m.yaml: scenarios.: '': expected a non-empty name"],
        ),
        (
            lambda d: _with(scenarios={"high": {"set": {}}, "High": {"set": {}}}),
            ["m.yaml: scenarios.High and scenarios.high: 'High' and 'high' differ only by "
             "letter case", "two scenarios"],
        ),
        (
            lambda d: _with(scenarios={"Base": {"set": {}}}),
            ["m.yaml: scenarios.Base: 'Base' prints as 'base', the model without a scenario"],
        ),
        (
            lambda d: _with(uncertainty=_input(" ")),
            ["m.yaml: uncertainty.inputs: ' ': expected a non-empty name"],
        ),
        (
            lambda d: _with(uncertainty=_outcomes("")),
            ["m.yaml: uncertainty.inputs.v.outcomes.0.label: '': expected a non-empty name"],
        ),
    ],
    ids=["nfc-nfd-csv", "zero-width", "rtl-override", "empty-row", "padded-row",
         "nfc-nfd-yaml", "empty-scenario", "case-scenario", "base-scenario", "blank-input",
         "empty-label"],
)  # fmt: skip
def test_a_name_that_is_blank_invisible_or_prints_like_another_is_refused(
    twin_main, tmp_path: Path, make: Any, needles: list[str]
) -> None:
    """Two chip rows 'café' (é one character) and 'café' (e and a combining accent) were two
    chips that print alike; a row name holding a zero-width space or a right-to-left override
    was accepted (every reference to the name as it looks then failed, naming a site that
    looked the same); a row, scenario, uncertain input or outcome label named '' or ' c1' in
    the model file was accepted (a scenario '' was listed as a second 'base'), and scenarios
    'high' and 'High' were two. Now each is refused by twin validate, exit 2, naming the
    file, the row or key and what was expected (only letter-case twins of rows were before)."""
    model = _write(tmp_path, make(tmp_path))
    res = twin_main("validate", model)
    _bad_input(res, *needles)


@pytest.mark.parametrize(
    ("tree", "expected"),
    [
        ({"method": "enumerate", "samples": 50}, "samples given with method enumerate, which "
         "does not read it; expected method sample or no samples"),
        ({"seed": 7}, "seed given with method enumerate"),
        ({"method": "sample", "points": 9}, "points given with method sample, which does not "
         "read it; expected method enumerate or no points"),
    ],
)  # fmt: skip
def test_a_tree_option_its_method_does_not_read_is_refused(
    twin_main, tmp_path: Path, tree: dict[str, Any], expected: str
) -> None:
    """``tree: {method: enumerate, samples: 50}`` (or a seed) solved the 3-point enumeration
    and ``method: sample`` with ``points`` drew the default 10 samples, the option given
    ignored without a word (as segments without representative days are refused). Now exit 2
    at load naming uncertainty.tree and the option, nothing written."""
    section = _input("v")
    section["inputs"]["v"] = {
        "path": VALUE,
        "known": "2031-01-01",
        "distribution": {"kind": "uniform", "low": 1.0, "high": 2.0},
    }
    model = _write(tmp_path, _with(uncertainty={**section, "tree": tree}))
    out = tmp_path / "r.nc"
    _bad_input(twin_main("solve", model, "--out", out), f"{model}: uncertainty.tree: {expected}")
    assert not out.exists()
