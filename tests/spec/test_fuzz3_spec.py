"""Faults a third fuzzing pass found in reading tables, profiles and the ``uncertainty:``
section: each input below was accepted (two rows where one was meant, a cell read as 0, an
uncertain input that cannot be uncertain); each is now refused, naming where it is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, tiny_model
from fuzz_helpers import edit as _edit
from fuzz_helpers import refused as _refused
from newsvendor import newsvendor

from twin.spec import SpecError, load_dict
from twin.spec.profiles import read_profile


def test_csv_rows_whose_names_differ_only_by_case_are_refused(model_copy: Path) -> None:
    """``h100`` and ``H100`` loaded as two chips; now an error naming the file and both rows by
    their lines (a duplicate name too names both lines)."""
    chips = model_copy.parent.parent / "datasets" / "chips.csv"
    first = chips.read_text().splitlines()[1]
    assert first.startswith("h100,")
    with chips.open("a") as f:
        f.write("H100" + first[len("h100") :] + "\n")
    n = len(chips.read_text().splitlines())
    _refused(model_copy, str(chips), f"rows 2 and {n}, column 'name'",
             "'h100' and 'H100' differ only by letter case")  # fmt: skip
    with chips.open("a") as f:
        f.write(first + "\n")
    _edit(chips, "\nH100,", "\nh200x,")
    _refused(model_copy, str(chips), f"rows 2 and {n + 1}, column 'name'", "duplicate name 'h100'")


def test_an_inline_row_whose_name_differs_by_case_from_a_csv_row_is_refused(
    model_copy: Path,
) -> None:
    """A row added in the model file beside the table's CSV rows: ``H100`` next to the CSV's
    ``h100`` was a second chip."""
    _edit(model_copy, "\nsolver:", "\nchips:\n  H100: {h100e: 2.0}\nsolver:")
    _refused(model_copy, "baseline.yaml: row 2 ('h100') (", "chips.csv) and chips.H100",
             "differ only by letter case")  # fmt: skip


def test_dictionary_rows_whose_names_differ_only_by_case_are_refused() -> None:
    """``load_dict``: tables given inline, the same rule."""
    data = tiny_model()
    data["sites"]["S1"] = dict(data["sites"]["s1"])
    with pytest.raises(SpecError) as e:
        load_dict(data, name="m.yaml")
    assert "m.yaml: sites.s1 and sites.S1: 's1' and 'S1' differ only by letter case" in str(e.value)


@pytest.mark.parametrize(
    ("cell", "why"), [("5e-400", "would be read as 0"), ("1e-13", "got 1e-13")]
)
def test_a_profile_cell_that_reads_as_zero_or_is_below_1e_12_is_refused(
    tmp_path: Path, cell: str, why: str
) -> None:
    """A profile cell of 5e-400 read as an exact 0 (1e-13 as itself), where a table cell with
    either is refused; now the same rule, naming the file, the column and the hour."""
    lines = (ROOT / "datasets" / "profiles" / "wind.csv").read_text().splitlines()
    header = lines[0].split(",")
    row = lines[101].split(",")  # hour 100
    assert row[0] == "100"
    row[2] = cell
    lines[101] = ",".join(row)
    path = tmp_path / "wind.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SpecError) as e:
        read_profile(path, "wind")
    msg = str(e.value)
    assert f"{path}: {header[2]}, hour 100: expected 0 or a number at least 1e-12" in msg, msg
    assert why in msg and "(1 such hours)" in msg, msg
    lines[1] = lines[1].replace("0,", "5e-400,", 1)  # the hour column: read as hour 0
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SpecError, match="hour, hour 0: expected 0 or a number at least 1e-12"):
        read_profile(path, "wind")


@pytest.mark.parametrize(
    "path",
    ["horizon.years", "horizon.start", "horizon.period", "horizon.buffer_years",
     "horizon.hours.segments", "economics.base_year", "solver.mip_gap", "datasets.sites"],
)  # fmt: skip
def test_an_uncertain_input_on_a_structural_key_is_refused_at_load(path: str) -> None:
    """``twin validate`` passed an uncertain horizon (a tree refused it only when its plan data
    were built; a sampled sweep solved members over horizons of different lengths), and
    ``horizon.buffer_years`` without a buffer or ``economics.base_year`` solved leaves that
    differ in nothing (EVPI 0): each is now refused at load, naming the input's path key and
    the kinds of path allowed."""
    data = newsvendor([{"value": 2, "probability": 0.5}, {"value": 3, "probability": 0.5}])
    data["uncertainty"]["inputs"]["demand"]["path"] = path
    with pytest.raises(SpecError) as e:
        load_dict(data, name="m.yaml")
    msg = str(e.value)
    assert msg.startswith(f"m.yaml: uncertainty.inputs.demand.path: '{path}' is "), msg
    assert "not an input whose value can become known" in msg, msg
    assert "expected a path to a value of the model's data: a table row's field" in msg, msg


def test_an_uncertain_input_on_a_value_of_the_data_still_loads() -> None:
    """The rule leaves data alone: a rate of economics and a row's field."""
    for path, values in (("economics.discount_rate", (0.05, 0.06)),
                         ("tenants.own.demand_k_h100e", (20.0, 80.0))):  # fmt: skip
        data = newsvendor([{"value": v, "probability": 0.5} for v in values])
        data["uncertainty"]["inputs"]["demand"]["path"] = path
        assert load_dict(data, name="m.yaml").model.uncertainty is not None
