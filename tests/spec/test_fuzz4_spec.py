"""Faults a fourth fuzzing pass found in the Python API used in notebooks: arguments of the wrong
type to ``load_model``, ``load_dict``, ``write``, ``to_dataset``, ``replay`` and
``Solution.statistics`` raised TypeError, KeyError, AttributeError or IndexError (or were read
letter by letter: a dict of overrides as its keys, a data root ``"/tmp"`` as ``/``, ``t``, ...);
each is now a :class:`twin.errors.BadInput` naming the argument and what was expected."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xarray as xr
from conftest import ROOT, tiny_model
from fuzz_helpers import raises_bad_input as _refused

import twin

MODEL = ROOT / "models" / "baseline.yaml"


@pytest.mark.parametrize(
    ("overrides", "needle"),
    [
        ([1], "overrides: 1: expected a mapping"),
        ([("economics.discount_rate",)], "overrides: ('economics.discount_rate',): expected"),
        ([(1, 2)], "overrides: 1: expected a dotted path"),
        ({1: 2}, "overrides: 1: expected a dotted path"),
        ("economics.discount_rate=0.1", "overrides: 'economics.discount_rate=0.1': expected"),
        ({"economics.discount_rate=0.1"}, "expected a mapping"),
        ([("economics.discount_rate", 0.1), ("economics.discount_rate", 0.2)], "same key twice"),
        ([("economics", {}), ("economics.discount_rate", 0.2)], "same key twice"),
    ],
)
@pytest.mark.parametrize("loader", ["load_model", "load_dict"])
def test_overrides_of_a_wrong_form_are_refused_by_both_loaders(
    loader: str, overrides: object, needle: str
) -> None:
    """Only ``twin.solve`` checked its overrides: ``load_model``/``load_dict`` raised TypeError,
    IndexError or AttributeError, read a text or a set letter by letter, and let a path set
    twice silently take the last value."""
    if loader == "load_model":
        _refused(lambda: twin.load_model(MODEL, overrides=overrides), needle)  # type: ignore[arg-type]
    else:
        _refused(lambda: twin.load_dict(tiny_model(), overrides=overrides), needle)  # type: ignore[arg-type]


def test_a_mapping_and_path_value_texts_are_overrides_of_both_loaders() -> None:
    """The forms ``twin.solve`` takes: a dict (was iterated as its keys: 'o: e: unknown key')
    and ``"PATH=VALUE"`` texts (read as ``('e', 'c')``)."""
    for over in ({"economics.discount_rate": 0.07}, ["economics.discount_rate=0.07"]):
        spec = twin.load_model(MODEL, overrides=over)  # type: ignore[arg-type]
        assert spec.model.economics.discount_rate == 0.07
        small = twin.load_dict(tiny_model(), overrides=over)  # type: ignore[arg-type]
        assert small.model.economics.discount_rate == 0.07


@pytest.mark.parametrize("data", [None, [1], "name: x", 5])
def test_load_dict_of_no_dict_is_refused(data: object) -> None:
    """TypeError/ValueError from ``dict(data)``."""
    _refused(lambda: twin.load_dict(data), "data: ", "expected a model as a dict")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        (5, "a list of folders"),
        ("/tmp", "a list of folders"),
        (Path("/"), "a list of folders"),
        ([None], "expected a folder"),
        ([""], "expected a folder"),
        (["/nonexistent-twin-root"], "expected an existing folder"),
    ],
)
def test_a_data_root_that_is_no_list_of_folders_is_refused(root: object, expected: str) -> None:
    """``data_root="/tmp"`` was read letter by letter: ``/`` became a data root, and any path
    was let in; 5 and [None] raised TypeError; a missing folder was taken without a word."""
    _refused(lambda: twin.load_model(MODEL, data_root=root), "data_root: ", expected)  # type: ignore[arg-type]


def test_write_refuses_no_dataset_no_path_and_a_directory(tmp_path: Path) -> None:
    """``twin.write`` raised AttributeError, TypeError or IsADirectoryError."""
    ds = xr.Dataset({"x": ("t", [1.0])})
    _refused(lambda: twin.write({"a": 1}, tmp_path / "r.nc"), "expected an xarray Dataset")  # type: ignore[arg-type]
    _refused(lambda: twin.write(ds, 5), "5: expected the path")  # type: ignore[arg-type]
    (tmp_path / "d.nc").mkdir()
    _refused(lambda: twin.write(ds, tmp_path / "d.nc"), "d.nc: expected a file name")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.nc"]  # no temporary file left


def test_to_dataset_of_no_plan_and_replay_at_no_date_are_refused() -> None:
    """AttributeError ('NoneType' object has no attribute 'model') and TypeError."""
    _refused(lambda: twin.to_dataset(None), "plan: None: expected a solved plan")  # type: ignore[arg-type]
    model = twin.load_model(MODEL).model
    _refused(lambda: twin.replay(model, 2026), "2026: expected an ISO date")  # type: ignore[arg-type]
    at = dt.datetime(2027, 1, 1, 12)
    _refused(lambda: twin.replay(model, at), "expected a date (datetime.date), not a time")
    assert twin.replay(model, "2027-01-01").date == dt.date(2027, 1, 1)


def test_statistics_names_an_unknown_metric_and_refuses_a_single_text() -> None:
    """A KeyError of xarray for an unknown name; ``"capacity_mw"`` was read as 'c', 'a', ...
    (KeyError "No variable named 'c'"); an empty list raised 'No objects to concatenate'."""
    ds = xr.Dataset({"capacity_mw": ("site", [1.0, 2.0])}, coords={"site": ["a", "b"]})
    sol = twin.Solution(dataset=ds, plan=None)
    _refused(lambda: sol.statistics(["capacity_m"]), "metrics: 'capacity_m'",
             "did you mean 'capacity_mw'")  # fmt: skip
    _refused(lambda: sol.statistics("capacity_mw"), "expected a list of report variable names")
    assert sol.statistics([]).empty
    assert list(sol.statistics(["capacity_mw"]).value) == [1.0, 2.0]


def test_a_tle_file_edited_in_a_session_is_read_again(model_copy: Path) -> None:
    """The element sets were cached by path alone: after the TLE file was emptied (or edited),
    ``load_model`` in the same session kept the old elements, and the model's provenance hashed
    the new file. Now the edited file is read again, and an empty one is refused naming it."""
    tle = model_copy.parent.parent / "datasets" / "iridium_next_plane4.tle"
    twin.load_model(model_copy)
    text = tle.read_text()
    tle.write_text("# emptied\n")
    _refused(lambda: twin.load_model(model_copy), str(tle), "expected at least one element set")
    tle.write_text(text)
    spec = twin.load_model(model_copy)
    assert str(tle.resolve()) in spec.files


def test_the_orbit_memo_key_changes_with_the_tle_file(model_copy: Path) -> None:
    """The per-process orbit geometry memo was keyed by the shells' fields, the TLE file by its
    name only: a file edited in a session gave the old file's geometry. The key now holds the
    element lines (here two element sets swapped: the same name, other contents)."""
    from twin.orbit.memo import geometry_key

    tle = model_copy.parent.parent / "datasets" / "iridium_next_plane4.tle"
    o = twin.load_model(model_copy).model.orbit
    before = geometry_key(o.shells, o.ground_stations, o.window)
    lines = tle.read_text().splitlines()
    tle.write_text("\n".join(lines[3:6] + lines[0:3] + lines[6:]) + "\n")
    o = twin.load_model(model_copy).model.orbit
    assert geometry_key(o.shells, o.ground_stations, o.window) != before


@pytest.mark.parametrize("bad", ["nul", "long"])
def test_a_path_the_file_system_refuses_is_a_bad_input(tmp_path: Path, bad: str) -> None:
    """A NUL byte or a name longer than the file system takes: ``load_model`` raised
    ValueError ('embedded null byte'), ``open`` and ``write`` OSError (File name too long) or
    ValueError, none a TwinError."""
    name = "r\x00.nc" if bad == "nul" else "a" * 300 + ".nc"
    path = tmp_path / name
    expected = "without a NUL byte" if bad == "nul" else "File name too long"
    _refused(lambda: twin.load_model(path.with_suffix(".yaml")), expected)
    _refused(lambda: twin.open(path), expected)
    _refused(lambda: twin.write(xr.Dataset({"x": ("t", [1.0])}), path), expected)
    # a name that fits but left no room for the temporary suffix is now written: the temporary
    # name is short (tests/test_atomic.py::test_a_name_as_long_as_the_file_system_allows...)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("entry", "key", "expected"),
    [
        ("economics.discount_rate: abc", "scenarios.zz.set.economics.discount_rate", "number"),
        ("economics.discount_rate.x: 1", "scenarios.zz.set.economics.discount_rate.x", "mapping"),
        ("economics.nosuch.x: 1", "scenarios.zz.set.economics.nosuch.x", "unknown key"),
    ],
)
def test_a_bad_scenario_entry_is_named_by_its_scenario_key(
    model_copy: Path, entry: str, key: str, expected: str
) -> None:
    """A bad value or path in a scenario's ``set`` was named by the model key alone
    ('baseline.yaml: economics.discount_rate: Input should be a valid number'), where the model
    file holds a valid 0.10: the scenario that set it was not named. Now its key as written."""
    text = model_copy.read_text().replace(
        "scenarios:\n", f"scenarios:\n  zz:\n    set:\n      {entry}\n", 1
    )
    model_copy.write_text(text)
    msg = _refused(lambda: twin.load_model(model_copy, scenario="zz"), f"{model_copy}: {key}: ")
    assert expected in msg


def test_statistics_and_data_root_take_any_collection_not_one_text(tmp_path: Path) -> None:
    """Review of the pass above: the checks had refused forms that worked before. Metrics as a
    tuple, set, dict keys, numpy array or pandas Index give the list's rows; folders as a tuple,
    set, generator or PurePath load as a list of texts does."""
    import pathlib

    import numpy as np
    import pandas as pd

    from twin.solution import statistics

    ds = xr.Dataset({"capacity_mw": (("site",), np.array([1.0, 2.0]))}, coords={"site": ["a", "b"]})
    want = statistics(ds, ["capacity_mw"])
    assert len(want) == 2
    for form in (("capacity_mw",), {"capacity_mw"}, {"capacity_mw": 1}.keys(),
                 np.array(["capacity_mw"]), pd.Index(["capacity_mw"])):  # fmt: skip
        assert statistics(ds, form).equals(want), type(form)
    root = tmp_path / "data"
    root.mkdir()
    for form in ((root,), {str(root)}, (r for r in [root]), [pathlib.PurePosixPath(root)]):
        assert twin.load_model(MODEL, data_root=form).model.name == "baseline"  # type: ignore[arg-type]
    _refused(lambda: twin.load_model(MODEL, data_root=pathlib.PurePosixPath(root)), "data_root")  # type: ignore[arg-type]
