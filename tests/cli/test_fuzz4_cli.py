"""Faults a fourth fuzzing pass found on the command line: a path or name holding rich markup
(``x[/]z.nc``) ended a finished run in an internal error (exit 70, the output already written),
``[bold]`` vanished from printed paths and ``:x:`` became an emoji; ``twin export`` accepted
``.MPS`` and then failed (exit 70); ``twin plot`` drew reports that show and compare refuse and
blamed a variable a report lacks on options that were not given."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.cli.runner import twin_main  # noqa: F401 - the fixture; tests take it as a parameter
from tests.conftest import tiny_model, write_tiny


@pytest.mark.parametrize(
    ("command", "name"),
    [
        ("validate", "]m.yaml"),
        ("solve", "]r.nc"),
        ("export", "]r.lp"),
        ("solve", "[bold]r.nc"),
    ],
)
def test_a_path_holding_markup_is_printed_as_given(
    twin_main, tmp_path: Path, command: str, name: str
) -> None:
    """``x[/]r.nc`` (a folder ``x[`` holding ``]r.nc``): the file was written, then printing
    'wrote x[/]r.nc' raised MarkupError: exit 70, 'internal error'. ``[bold]r.nc`` was printed
    as ``r.nc``. Now exit 0 and the path printed as given."""
    folder = tmp_path / "x["
    model = write_tiny(folder, "]m.yaml" if command == "validate" else "m.yaml")
    target = folder / name
    args = [command, model] if command == "validate" else [command, model, "--out", target]
    res = twin_main(*args)
    assert res.code == 0, (res.code, res.out, res.err)
    assert "internal error" not in res.err
    printed = (" ".join(res.out.split()), res.out.replace("\n", ""))  # wrapped at a space or not
    assert any(str(target) in p for p in printed), res.out
    assert target.exists()


def test_an_emoji_code_in_a_value_is_printed_as_typed(twin_main, tmp_path: Path) -> None:
    """``--at :x:`` was printed as '--at: ❌: expected an ISO date'."""
    res = twin_main("state", write_tiny(tmp_path), "--at", ":x:")
    assert res.code == 2, (res.code, res.err)
    assert "error: --at: :x:: expected an ISO date YYYY-MM-DD" in " ".join(res.err.split())


def test_a_site_name_holding_markup_is_printed_in_tables(twin_main, tmp_path: Path) -> None:
    """A site ``a[/]b`` (a CSV cell or a model key) made ``twin state`` raise MarkupError while
    printing its table (exit 70)."""
    data = tiny_model(horizon={"years": 3})
    data["sites"] = {"a[/]b": data["sites"]["s1"]}
    data["power_sources"]["g1"]["site"] = "a[/]b"
    model = tmp_path / "m.yaml"
    model.write_text(yaml.safe_dump(data))
    res = twin_main("state", model, "--at", "2031-01-01")
    assert res.code == 0, (res.code, res.out, res.err)
    assert "a[/]b" in res.out


@pytest.mark.parametrize("suffix", [".MPS", ".Lp", ".LP"])
def test_export_writes_an_upper_case_suffix_it_accepts(
    twin_main, tmp_path: Path, suffix: str
) -> None:
    """The suffix check took ``.MPS`` (it lower-cases), Pyomo then refused it: exit 70 'Could
    not infer file format'. Now the file is written in the format of the suffix, no temporary
    file left beside it."""
    model = write_tiny(tmp_path)
    out = tmp_path / f"plan{suffix}"
    res = twin_main("export", model, "--out", out)
    assert res.code == 0, (res.code, res.err)
    text = out.read_text()
    assert ("ROWS" in text) if suffix == ".MPS" else ("subject to" in text or "s.t." in text)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.yaml", out.name]


@pytest.fixture
def tiny_report(twin_main, tmp_path: Path) -> Path:
    """A solved report of the three-year tiny model."""
    report = tmp_path / "r.nc"
    res = twin_main("solve", write_tiny(tmp_path / "model"), "--out", report)
    assert res.code == 0, res.err
    return report


@pytest.mark.parametrize(
    ("change", "kind", "expected"),
    [
        ({"schema_version": "99"}, "capacity", "expected a twin report (schema_version"),
        ({"drop": "capacity_mw"}, "map", "expected a complete twin report; missing capacity_mw"),
        (
            {"drop": "discount_factor"},
            "waterfall",
            "expected a complete twin file; missing variable discount_factor",
        ),
    ],
)
def test_plot_refuses_a_report_show_refuses_and_names_the_file(
    twin_main, tiny_report: Path, change: dict, kind: str, expected: str
) -> None:
    """A report of another schema version, or one without a variable show reads, was drawn
    (exit 0); one without the variable a chart reads was blamed on '--variable/--path', options
    not given. Now exit 2 naming the report file and what it lacks, no image written."""
    import twin

    ds = twin.open(tiny_report)
    ds = ds.drop_vars(change["drop"]) if "drop" in change else ds
    ds.attrs.update({k: v for k, v in change.items() if k != "drop"})
    bad = tiny_report.with_name("bad.nc")
    twin.write(ds, bad)
    image = tiny_report.with_name("o.png")
    res = twin_main("plot", bad, "--kind", kind, "--out", image)
    assert res.code == 2, (res.code, res.out, res.err)
    err = " ".join(res.err.split())
    assert f"error: {bad}: {expected}" in err, err
    assert "--variable" not in err and "Traceback" not in err
    assert not image.exists()


def test_a_metric_with_an_empty_argument_is_refused(twin_main, tmp_path: Path) -> None:
    """``--metric capex:`` was taken as ``capex`` (the alternatives solved, exit 0), while
    ``capex:x`` and ``power_mw:`` were refused; now exit 2 naming the option, nothing written."""
    out = tmp_path / "alt"
    res = twin_main("alternatives", write_tiny(tmp_path), "--out-dir", out, "--metric", "capex:")
    assert res.code == 2, (res.code, res.out, res.err)
    err = " ".join(res.err.split())
    assert "error: --metric: capex:: metric 'capex' takes no ':argument'; expected 'capex'" in err
    assert not out.exists()


def test_a_varied_path_inside_another_varied_path_is_refused(twin_main, tmp_path: Path) -> None:
    """``--vary economics.discount_rate=0.1 --vary 'economics={discount_rate: 0.2}'`` solved
    each member with the later value of the rate (the first --vary silently lost), as
    ``--set`` refuses; now exit 2 naming both paths, no member solved."""
    out = tmp_path / "sw"
    res = twin_main("sweep", write_tiny(tmp_path), "--out-dir", out, "--workers", "0",
                    "--vary", "economics.discount_rate=0.1,0.2",
                    "--vary", "economics={discount_rate: 0.3}")  # fmt: skip
    assert res.code == 2, (res.code, res.out, res.err)
    err = " ".join(res.err.split())
    assert "error: --vary: economics.discount_rate, economics: sets the same key twice" in err
    assert not out.exists()


@pytest.fixture
def tiny_sweep(twin_main, tmp_path: Path) -> Path:
    """sweep.nc of two members of the tiny model (two discount rates)."""
    out = tmp_path / "sw"
    res = twin_main("sweep", write_tiny(tmp_path / "model"), "--out-dir", out, "--workers", "0",
                    "--vary", "economics.discount_rate=0.05,0.06")  # fmt: skip
    assert res.code == 0, res.err
    return out / "sweep.nc"


@pytest.mark.parametrize(
    ("kind", "variable", "expected"),
    [
        ("tornado", "status", "expected a numeric variable"),
        ("breakeven", "status", "expected a numeric variable"),
        ("fan", "npv_musd", "expected a variable over periods for --kind fan"),
    ],
)
def test_plot_variable_of_text_or_without_periods_is_refused(
    twin_main, tiny_sweep: Path, kind: str, variable: str, expected: str
) -> None:
    """``--variable status`` (the members' solver status, text) made tornado and break-even
    end in exit 70 (numpy's add.reduce on text, float('optimal')); a variable without periods
    for a fan too. Now exit 2 naming --variable and what a chart draws, no image."""
    image = tiny_sweep.with_name("o.png")
    res = twin_main("plot", tiny_sweep, "--kind", kind, "--variable", variable, "--out", image)
    assert res.code == 2, (res.code, res.out, res.err)
    assert f"error: --variable: {variable}: {expected}" in " ".join(res.err.split())
    assert not image.exists()


@pytest.mark.parametrize(
    ("args", "option", "expected"),
    [
        (["--kind", "dispatch", "--period", ""], "--period", "'': expected a non-empty value"),
        (["--kind", "waterfall", "--scenario-leaf", " "], "--scenario-leaf", "' ': expected a non"),
        (["--kind", "npv", "--scenario-leaf", "scen1"], "--scenario-leaf", "--kind npv: expected"),
        (["--kind", "compare", "--scenario-leaf", "scen1"], "--scenario-leaf", "--kind compare"),
    ],
)
def test_plot_refuses_empty_texts_and_a_leaf_its_chart_ignores(
    twin_main, tiny_report: Path, args: list[str], option: str, expected: str
) -> None:
    """``--period ''`` drew the default period (exit 0); ``--scenario-leaf`` with npv, fan,
    ranges or compare was ignored without a word (exit 0). Now exit 2 naming the option."""
    image = tiny_report.with_name("o.png")
    inputs = [tiny_report, tiny_report] if "compare" in args else [tiny_report]
    res = twin_main("plot", *inputs, *args, "--out", image)
    assert res.code == 2, (res.code, res.out, res.err)
    assert f"error: {option}: {expected}" in " ".join(res.err.split())
    assert not image.exists()


def test_plot_refuses_a_leaf_of_a_model_file(twin_main, tmp_path: Path) -> None:
    """``plot model.yaml --kind map --scenario-leaf scen1`` drew the model's map, the leaf
    ignored."""
    image = tmp_path / "o.png"
    res = twin_main("plot", write_tiny(tmp_path), "--kind", "map", "--scenario-leaf", "scen1",
                    "--out", image)  # fmt: skip
    assert res.code == 2, (res.code, res.out, res.err)
    assert "error: --scenario-leaf: scen1: " in res.err and "is a model" in res.err
    assert not image.exists()


@pytest.mark.parametrize("root", ["", "missing", "file"])
def test_a_data_root_that_is_no_folder_is_refused(twin_main, tmp_path: Path, root: str) -> None:
    """``--data-root ''`` was read as '.', allowing the working folder; a missing folder or a
    file was taken without a word. Now exit 2 naming --data-root, before the command runs."""
    model = write_tiny(tmp_path)
    value = {"": "", "missing": str(tmp_path / "nope"), "file": str(model)}[root]
    res = twin_main("--data-root", value, "validate", model)
    assert res.code == 2, (res.code, res.out, res.err)
    assert "error: --data-root: " in res.err and "expected" in res.err and "ok" not in res.out


def test_tornado_and_breakeven_take_a_variable_per_member_beside_its_percentiles(
    tmp_path: Path,
    twin_main,
    tiny_sweep: Path,
) -> None:
    """Review: a sweep holds npv_musd per member and npv_musd_pct per percentile; the check of
    --variable took the percentiles for every chart and refused the tornado's default."""
    png = tmp_path / "t.png"
    res = twin_main("plot", tiny_sweep, "-k", "tornado", "--variable", "npv_musd",
                    "-o", png, "--dpi", 30)  # fmt: skip
    assert res.code == 0, res.err
    assert png.exists()


def test_export_names_the_users_file_when_it_cannot_be_written(
    tmp_path: Path,
    twin_main,
) -> None:
    """Review: a folder as --out was blamed on the temporary file, and a name as long as the
    file system allows failed on the temporary name's longer one."""
    model = write_tiny(tmp_path)
    folder = tmp_path / "dir.mps"
    folder.mkdir()
    res = twin_main("export", model, "--out", folder)
    assert res.code == 2 and "--out" in res.err and "dir.mps" in res.err and ".tmp" not in res.err
    long = tmp_path / ("b" * 240 + ".mps")
    res = twin_main("export", model, "--out", long)
    assert res.code == 0, res.err
    assert long.exists() and [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
