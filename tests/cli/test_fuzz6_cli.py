"""Faults a sixth fuzzing pass found on the command line: ``-s base`` (the name ``twin
validate`` gives the model without a scenario) was an unknown scenario to solve and sweep; a
number quoted as text in YAML was read as the number; a date with a time of day lost the time
without a word, and a date as a year-table's key gave a garbled key; show, compare and plot
each said something else of a directory, an empty or a non-netCDF file ('is a
alternatives'); ``--samples`` on a model without an ``uncertainty:`` section complained of
the sample count first; ``uncertainty.hedging`` was ignored by the ef engine without a word."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import xarray as xr
import yaml

from tests.cli.runner import Run, twin_main  # noqa: F401 - the fixture; tests take it as a parameter
from tests.cli.runner import bad_input as _bad_input
from tests.conftest import tiny_model

#: Attributes of a report that differ between two runs of one input (times, dates).
RUN_ATTRS = {"build_s", "handoff_s", "solve_s", "report_s", "created", "history"}


def _write(folder: Path, data: dict[str, Any], name: str = "m.yaml") -> Path:
    """``data`` written as YAML into ``folder`` (a project: it holds a marker)."""
    (folder / ".twin-project").touch()
    model = folder / name
    model.write_text(yaml.safe_dump(data, allow_unicode=True))
    return model


def _tiny(**over: Any) -> dict[str, Any]:
    """The tiny model over two years, with ``over`` merged in."""
    return tiny_model(horizon={"years": 2}, **over)


def _attrs(path: Path) -> dict[str, str]:
    """A report's attributes but those of the run itself (times), as text."""
    with xr.open_dataset(path) as ds:
        return {k: str(v) for k, v in ds.attrs.items() if k not in RUN_ATTRS}


def test_base_names_the_model_without_a_scenario_everywhere(twin_main, tmp_path: Path) -> None:
    """``twin validate`` listed 'base' among the scenarios it checked, but ``twin solve -s
    base`` and ``twin sweep -s base -s high`` refused it as an unknown scenario (exit 2), so a
    sweep could not put the base model beside a named scenario. Now ``-s base`` is the model
    without a scenario: its report is the report of no ``-s`` (the same attributes: scenario
    empty, the same title), a sweep's member 'base' is that model, and ``load_model(...,
    scenario='base')`` loads it; 'Base' is unknown (did you mean 'base'), and a model file
    that defines a scenario 'base' (any case) is refused as ambiguous."""
    import twin

    scenarios = {"high": {"set": {"sites.s1.max_mw": 2000.0}}}
    model = _write(tmp_path, _tiny(scenarios=scenarios))
    named, plain = tmp_path / "named.nc", tmp_path / "plain.nc"
    assert twin_main("solve", model, "-s", "base", "--out", named).code == 0
    assert twin_main("solve", model, "--out", plain).code == 0
    assert _attrs(named) == _attrs(plain) and _attrs(named)["scenario"] == ""
    assert twin.load_model(model, scenario="base").scenario is None
    res = twin_main("validate", model, "--scenario", "base")
    assert res.code == 0 and "scenarios checked: base" in " ".join(res.out.split()), res.out
    sweep = tmp_path / "sweep"
    res = twin_main("sweep", model, "-s", "base", "-s", "high", "--out-dir", sweep, "--workers", 0)
    assert res.code == 0, res.err
    with xr.open_dataset(sweep / "sweep.nc") as ds:
        assert [str(v) for v in ds["member_label"].values] == ["base", "high"]
        assert [str(v) for v in ds["scenario"].values] == ["", "high"]  # base: no scenario
    _bad_input(
        twin_main("solve", model, "-s", "Base", "--out", tmp_path / "x.nc"),
        f"{model}: scenarios.Base: unknown scenario (did you mean 'base'?); expected 'base' "
        "(the model without a scenario) or one of ['high']",
    )
    for name in ("base", "BASE"):
        bad = _write(tmp_path, _tiny(scenarios={name: {"set": {}}}), "bad.yaml")
        _bad_input(
            twin_main("solve", bad, "-s", "base", "--out", tmp_path / "x.nc"),
            f"{bad}: scenarios.{name}: '{name}'", "expected another scenario name",
        )  # fmt: skip
    assert not (tmp_path / "x.nc").exists()


@pytest.mark.parametrize(
    ("old", "new", "sets", "where", "expected"),
    [
        ("years: 2", "years: '2'", [], "{model}: horizon.years",
         "expected a number, got the text '2' (quoted in YAML: write 2 without quotes)"),
        ("max_mw: 1000.0", 'max_mw: "1e3"', [], "{model}: sites.s1.max_mw",
         "got the text '1e3'"),
        ("name: tiny", "name: tiny\norbit:\n  launch_usd_per_kg:\n    2030: '3000'", [],
         "{model}: orbit.launch_usd_per_kg", "got the text '3000' (value of 2030)"),
        ("", "", ["--set", "economics.discount_rate='0.05'"], "--set: economics.discount_rate",
         "got the text '0.05'"),
    ],
    ids=["years", "max-mw", "year-table", "set"],
)  # fmt: skip
def test_a_number_quoted_as_text_in_yaml_is_refused(
    twin_main, tmp_path: Path, old: str, new: str, sets: list[str], where: str, expected: str
) -> None:
    """``years: '2'`` (a quoted text) was read as 2 by pydantic's lax mode, so a value the
    writer marked as text became a number without a word. Now a number quoted in YAML (the
    model file, a scenario's set, a ``--set`` value) is refused wherever a field takes a
    number and no text, naming the file or option, the key and the unquoted spelling, and
    nothing is written. A CSV cell is text by nature and still reads as a number.

    Decided and kept: ``1_000`` (YAML 1.1's digit separator, unquoted) reads as 1000, as
    Python's ``float('1_000')`` and pydantic read the same CSV cell, so a model file and a
    table agree (tests/spec/test_fuzz6_spec.py checks the two give one value)."""
    model = _write(tmp_path, _tiny())
    text = model.read_text()
    assert old in text
    model.write_text(text.replace(old, new, 1))
    out = tmp_path / "r.nc"
    res = twin_main("solve", model, *sets, "--out", out)
    _bad_input(res, where.format(model=model), expected)
    assert not out.exists()


def _chips_csv(folder: Path, available_from: str) -> dict[str, Any]:
    """The tiny model with its chip in ``folder/chips.csv``, available from the text given."""
    data = _tiny()
    chip = data.pop("chips")["c1"]
    chip["available_from"] = available_from
    cells = ",".join(str(v) for v in chip.values())
    (folder / "chips.csv").write_text(f"name,{','.join(chip)}\nc1,{cells}\n")
    return {**data, "datasets": {"chips": "chips.csv"}}


@pytest.mark.parametrize(
    ("make", "old", "new", "needles"),
    [
        (lambda d: _tiny(), "start: '2030-01-01'", "start: 2030-01-01T00:00:00",
         ["{model}: horizon.start: expected a date YYYY-MM-DD, got the date and time "
          "2030-01-01T00:00:00 (its time of day would be dropped)"]),
        (lambda d: _chips_csv(d, "2026-07-01T00:00"), "", "",
         ["{folder}/chips.csv: row 2 ('c1'), column 'available_from'",
          "got the date and time 2026-07-01T00:00"]),
        (lambda d: _tiny(), "name: tiny", "name: tiny\norbit:\n  launch_usd_per_kg:\n"
         "    2026-01-01: 3000", ["{model}: orbit.launch_usd_per_kg: expected a year as each key "
                                 "(e.g. 2026), got the date 2026-01-01"]),
    ],
    ids=["yaml-timestamp", "csv-cell", "year-key"],
)  # fmt: skip
def test_a_date_with_a_time_or_a_date_as_a_year_is_refused(
    twin_main, tmp_path: Path, make: Any, old: str, new: str, needles: list[str]
) -> None:
    """A date cell ``2026-07-01T00:00`` in a CSV table, or ``start: 2030-01-01T00:00:00`` in
    the model file, was read as the date, its time of day dropped without a word; a date as a
    key of a table by year (``launch_usd_per_kg: {2026-01-01: 3000}``) was refused under the
    key ``...launch_usd_per_kg.datetime.date(2026, 1, 1).[key]``. Now a date and time where a
    date is expected is refused wherever dates are read, naming the file and key (a table's
    row and column), and a key that is no year names the table and the key; nothing written."""
    model = _write(tmp_path, make(tmp_path))
    model.write_text(model.read_text().replace(old, new, 1))
    out = tmp_path / "r.nc"
    res = twin_main("solve", model, "--out", out)
    _bad_input(res, *(n.format(model=model, folder=tmp_path) for n in needles))
    assert not out.exists()


@pytest.mark.parametrize(
    ("make", "found"),
    [
        (lambda p: p.mkdir(), "found a directory"),
        (lambda p: None, "no such file"),
        (lambda p: p.write_bytes(b""), "found an empty file"),
        (lambda p: p.write_text("name,value\na,1\n"), "found a file that is not netCDF"),
    ],
    ids=["directory", "missing", "empty", "not-netcdf"],
)
def test_every_report_reader_says_alike_what_it_found(
    twin_main, tmp_path: Path, make: Any, found: str
) -> None:
    """For a directory ``twin show DIR`` said 'Unknown file format' (netCDF's own words) where
    ``twin compare`` said 'found no regular file' and ``twin plot`` something else again, and
    an empty or a text file was 'NetCDF: Unknown file format' with an errno. Now show,
    compare and plot (and twin.open) give one message: exit 2 naming the file, what was
    expected and what was found; nothing written."""
    bad = tmp_path / "bad.nc"
    make(bad)
    chart = tmp_path / "c.png"
    plot = ["plot", bad, "-k", "capacity", "-o", chart]
    for args in (["show", bad], ["compare", bad, bad], plot):
        res = twin_main(*args)
        _bad_input(
            res, f"{bad}: expected a netCDF file twin wrote (a report, sweep.nc, "
            f"alternatives.nc, ...); {found}",
        )  # fmt: skip
    assert not chart.exists()


def test_a_file_kind_is_named_with_its_article(twin_main, tmp_path: Path) -> None:
    """``twin plot --kind capacity alternatives.nc`` said '... is a alternatives, which can be
    drawn as ...'. Now 'is a summary of alternatives (alternatives.nc)' (and 'an orbit
    geometry'), through one helper every such message uses."""
    from twin.report.plot_kinds import a_kind

    assert a_kind("alternatives") == "a summary of alternatives (alternatives.nc)"
    assert (a_kind("orbit geometry"), a_kind("sweep")) == ("an orbit geometry", "a sweep")
    model = _write(tmp_path, _tiny())
    summary = tmp_path / "alt"
    res = twin_main("alternatives", model, "--out-dir", summary, "--metric", "capex",
                    "--spores", 0)  # fmt: skip
    assert res.code == 0, res.err
    res = twin_main("plot", summary / "alternatives.nc", "-k", "capacity", "-o", tmp_path / "c.png")
    text = _bad_input(res, "is a summary of alternatives (alternatives.nc), which can be drawn")
    assert "is a alternatives" not in text and not (tmp_path / "c.png").exists()


def test_samples_on_a_model_without_uncertainty_names_the_missing_section(
    twin_main, tmp_path: Path
) -> None:
    """``twin sweep --samples 3`` on a model with no ``uncertainty:`` section first said that
    RBD-FAST needs at least 21 samples: raising the count only led to the real fault. Now the
    most basic missing thing comes first: exit 2 naming the model file and its missing
    uncertainty section (a count out of range or an unknown method is still refused before
    the model is read); no --out-dir made. With a section, 3 samples still ask for more."""
    model = _write(tmp_path, _tiny())
    out_dir = tmp_path / "s"
    res = twin_main("sweep", model, "--samples", 3, "--out-dir", out_dir, "--workers", 0)
    text = _bad_input(res, f"{model}: uncertainty: expected an uncertainty: section")
    assert "RBD-FAST" not in text and not out_dir.exists()
    _bad_input(
        twin_main("sweep", model, "--samples", 0, "--out-dir", out_dir, "--workers", 0),
        "--samples: 0: expected a number of samples 1 to",
    )
    model = _write(tmp_path, _tiny(uncertainty=_section()))
    res = twin_main("sweep", model, "--samples", 3, "--out-dir", out_dir, "--workers", 0)
    _bad_input(res, "--samples: 3: expected at least", "RBD-FAST")
    assert not out_dir.exists()


#: an uncertain input of the tiny model, known after its first year
VALUE = "tenants.own.value_usd_per_h100e_hour"


def _section(**over: Any) -> dict[str, Any]:
    """An uncertainty section of two outcomes of the tenant's value, known in 2031."""
    outcomes = [{"value": 1.0, "probability": 0.5}, {"value": 2.0, "probability": 0.5}]
    return {"inputs": {"v": {"path": VALUE, "known": "2031-01-01", "outcomes": outcomes}},
            "value_of_information": False, **over}  # fmt: skip


def test_a_hedging_section_the_ef_engine_does_not_read_gets_a_note(
    twin_main, tmp_path: Path
) -> None:
    """``uncertainty.hedging`` (progressive hedging's settings) with the default ``--engine
    ef`` was ignored without a word. The engine is chosen on the command line, so one model
    file may serve both engines and the section is not refused (unlike a tree option its own
    method does not read, which contradicts the file itself); the solve now prints a yellow
    note, as twin validate's notes, naming the file, the key and the engine that reads it.
    Without the section, no note."""
    model = _write(tmp_path, _tiny(uncertainty=_section(hedging={"iterations": 5})))
    res = twin_main("solve", model, "--out", tmp_path / "r.nc")
    text = " ".join(res.out.split())
    assert res.code == 0, res.err
    assert (f"note: {model}: uncertainty.hedging is read by --engine ph only; this solve "
            "(--engine ef, the default) does not read it") in text  # fmt: skip
    plain = _write(tmp_path, _tiny(uncertainty=_section()), "plain.yaml")
    res = twin_main("solve", plain, "--out", tmp_path / "p.nc")
    assert res.code == 0 and "uncertainty.hedging" not in res.out, res.err
