"""Faults a fuzzing pass of the command line found: each ended in an internal error (exit 70),
was accepted silently, or overwrote an input. Each test runs the real entry point and asserts
exit 2 (or a clean success), no traceback, a message naming the file or option and the key, and
no partial output."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

from pathlib import Path

import pytest
import xarray as xr
import yaml

from tests.cli.runner import twin_main  # noqa: F401 - the fixture; tests take it as a parameter
from tests.conftest import tiny_model


def _refused(res, *needles: str) -> None:
    """Exit 2, no traceback, no internal error, every needle in the message."""
    assert res.code == 2, (res.code, res.err)
    assert "Traceback" not in res.err and "internal error" not in res.err
    text = " ".join(res.err.split())  # rich wraps long lines
    for needle in needles:
        assert needle in text, (needle, res.err)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A one-site model over three years (solves in well under a second)."""
    model = tmp_path / "tiny.yaml"
    model.write_text(yaml.safe_dump(tiny_model(horizon={"years": 3})))
    return model


@pytest.fixture
def report(tiny: Path, twin_main) -> Path:
    """A valid report of the tiny model."""
    path = tiny.parent / "a.nc"
    res = twin_main("solve", tiny, "--out", path)
    assert res.code == 0, res.err
    return path


# --- fault 2: a sweep over words ended in exit 70 after writing sweep.nc ----------------------


def test_a_one_path_sweep_over_words_ends_without_a_break_even(tiny: Path, twin_main) -> None:
    out = tiny.parent / "sw"
    res = twin_main("sweep", tiny, "--vary", "solver.tie_break=none,compute_early",
                    "--workers", "0", "--out-dir", out)  # fmt: skip
    assert res.code == 0, res.err
    assert "swept over words" in " ".join(res.out.split())
    ds = xr.load_dataset(out / "sweep.nc")
    assert sorted(ds["solver_tie_break"].values) == ["compute_early", "none"]


def test_break_even_of_a_word_path_is_bad_input(tiny: Path) -> None:
    from twin.errors import BadInput
    from twin.sweep import break_even, grid, run_sweep

    members = grid([None], {"solver.tie_break": ["none", "compute_early"]})
    ds = run_sweep(tiny, members, tiny.parent / "sw", n_workers=0)
    with pytest.raises(BadInput, match=r"solver\.tie_break: swept over words"):
        break_even(ds, "solver.tie_break")


# --- fault 3: an attribute or variable of the wrong type in a report ---------------------------


def _tampered(report: Path, name: str, **change: object) -> Path:
    """A copy of ``report`` with global attributes or a variable (``var=...``) changed."""
    ds = xr.load_dataset(report)
    var = change.pop("var", None)
    if var is not None:
        ds[str(var)] = ds[str(var)].astype(str)
    ds.attrs.update(change)
    out = report.parent / name
    ds.to_netcdf(out)
    return out


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"npv_musd": "lots"}, "attribute npv_musd: expected a number"),
        ({"n_rows": "many"}, "attribute n_rows: expected a number"),
        ({"overrides": "[oops"}, "attribute overrides: expected JSON text"),
        ({"horizon_end": "someday"}, "attribute horizon_end: expected an ISO date"),
        ({"var": "capacity_mw"}, "variable capacity_mw: expected numbers"),
    ],
)
def test_a_report_attribute_of_the_wrong_type_is_named(
    report: Path, twin_main, change: dict[str, object], key: str
) -> None:
    bad = _tampered(report, "bad.nc", **change)
    _refused(twin_main("show", bad), "bad.nc", key)
    _refused(twin_main("compare", report, bad), "bad.nc", key)
    png = report.parent / "w.png"
    _refused(twin_main("plot", bad, "--kind", "waterfall", "--out", png), "bad.nc", key)
    _refused(twin_main("plot", report, bad, "--kind", "compare", "--out", png), "bad.nc", key)
    assert not png.exists()


# --- fault 18: --vary values compared as written: 1,1.0 solved twice; 1,,2 dropped a value -----


@pytest.mark.parametrize(
    ("values", "needle"),
    [
        ("1,1.0", "'1' and '1.0' (the same value) given twice"),
        ("1e0,1", "'1e0' and '1' (the same value) given twice"),
        ("1,,2", "value 2 is empty"),
        ("1,2,", "value 3 is empty"),
    ],
)
def test_vary_values_are_distinct_numbers_and_none_empty(
    tiny: Path, twin_main, values: str, needle: str
) -> None:
    out = tiny.parent / "sw"
    res = twin_main("sweep", tiny, "--vary", f"vendor.markup={values}", "--workers", "0",
                    "--out-dir", out)  # fmt: skip
    _refused(res, "--vary", f"vendor.markup={values}", needle)
    assert not out.exists()


# --- fault 20: contradicting options accepted -------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "solve"])
@pytest.mark.parametrize("flags", [("--quiet", "--verbose"), ("-q", "-v")])
def test_quiet_and_verbose_contradict(tiny: Path, twin_main, command: str, flags) -> None:
    out = tiny.parent / "r.nc"
    extra = ("--out", out) if command == "solve" else ()
    _refused(twin_main(command, tiny, *extra, *flags), "--quiet", "--verbose", "contradicting")
    assert not out.exists()


@pytest.mark.parametrize("engine", ["ph", "ef"])
def test_engine_needs_a_model_with_uncertainty(tiny: Path, twin_main, engine: str) -> None:
    out = tiny.parent / "r.nc"
    res = twin_main("solve", tiny, "--engine", engine, "--out", out)
    _refused(res, "--engine", engine, "tiny.yaml", "uncertainty: section")
    assert not out.exists()


def test_handoff_is_refused_for_a_stochastic_program(tmp_path: Path, twin_main) -> None:
    from tests.newsvendor import newsvendor

    model = tmp_path / "nv.yaml"
    model.write_text(yaml.safe_dump(newsvendor([{"value": 20.0, "probability": 1.0}])))
    out = tmp_path / "r.nc"
    res = twin_main("solve", model, "--handoff", "pyomo", "--out", out)
    _refused(res, "--handoff", "pyomo", "nv.yaml", "uncertainty: section")
    assert not out.exists()


# --- fault 21: dates outside the range the input files enforce --------------------------------


@pytest.mark.parametrize("day", ["1900-01-01", "2300-01-01", "1949-12-31", "2201-01-01"])
def test_state_refuses_a_date_outside_1950_to_2200(tiny: Path, twin_main, day: str) -> None:
    _refused(twin_main("state", tiny, "--at", day), "--at", day, "1950-01-01 to 2200-12-31")


def test_state_takes_the_ends_of_the_range(tiny: Path, twin_main) -> None:
    for day in ("1950-01-01", "2200-12-31"):
        assert twin_main("state", tiny, "--at", day).code == 0


# --- fault 23: show printed a netCDF file twin did not write ----------------------------------


def test_show_refuses_a_foreign_netcdf_as_compare_and_plot_do(tmp_path: Path, twin_main) -> None:
    foreign = tmp_path / "foreign.nc"
    xr.Dataset({"t": ("x", [1.0, 2.0])}, attrs={"title": "not twin"}).to_netcdf(foreign)
    _refused(twin_main("show", foreign), "foreign.nc", "expected a file twin writes")
    _refused(twin_main("compare", foreign, foreign), "foreign.nc")
    png = tmp_path / "f.png"
    res = twin_main("plot", foreign, "--kind", "capacity", "--out", png)
    _refused(res, "foreign.nc", "twin did not write")
    assert not png.exists()


# --- fault 25: --scheduler not named; a bad address waited 30 s -------------------------------


@pytest.mark.parametrize(
    ("address", "needle"),
    [
        ("bogus:1", "cannot connect"),  # no such host: at once, not after Dask's 30 s
        ("127.0.0.1:1", "cannot connect"),  # nothing listens
        ("bogus", "expected HOST:PORT"),
        ("tcp://127.0.0.1:99999", "expected HOST:PORT"),
        ("ucx://host:1", "expected HOST:PORT"),
        (" ", "expected a non-empty value"),
    ],
)
def test_a_bad_scheduler_address_is_refused_before_work(
    tiny: Path, twin_main, address: str, needle: str
) -> None:
    import time

    out = tiny.parent / "sw"
    t0 = time.perf_counter()
    res = twin_main("sweep", tiny, "--vary", "economics.discount_rate=0.05,0.1",
                    "--scheduler", address, "--out-dir", out)  # fmt: skip
    _refused(res, "--scheduler", address.strip(), needle)
    assert time.perf_counter() - t0 < 15 and not out.exists()


def test_a_listener_that_is_no_dask_scheduler_is_refused_not_waited_on(tiny: Path, twin_main):
    """A server that accepts and never sends a Dask frame (an HTTP server waits for a request
    line) hung the sweep for good: Dask's own timeout does not cover its handshake's read."""
    import socket
    import time

    from twin.study.ensemble import HANDSHAKE_S

    server = socket.create_server(("127.0.0.1", 0))
    address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    out = tiny.parent / "sw"
    t0 = time.perf_counter()
    try:
        res = twin_main("sweep", tiny, "--vary", "economics.discount_rate=0.05,0.1",
                        "--scheduler", address, "--out-dir", out)  # fmt: skip
    finally:
        server.close()
    _refused(res, "--scheduler", address, "expected a running Dask scheduler")
    assert time.perf_counter() - t0 < HANDSHAKE_S + 30 and not out.exists()


# --- orbit-cost: numbers past the model's bounds, prices given twice --------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--discount-rate", "1"), "--discount-rate: 1.0: expected < 1"),
        (("--discount-rate", "-0.01"), "--discount-rate: -0.01: expected >= 0"),
        (("--discount-rate", "nan"), "--discount-rate: nan"),
        (("--launch", "100", "--launch", "100"), "--launch: 100: given twice"),
        (("--launch", "100", "--launch", "100.0"), "--launch: 100: given twice"),
    ],
)
def test_orbit_cost_numbers_follow_the_model(twin_main, args, needle: str) -> None:
    _refused(twin_main("orbit-cost", *args), needle)


# --- fault 22: an output that is one of the model's inputs was overwritten ---------------------


def _renamed_input(model: Path, table: str, name: str) -> Path:
    """The model's ``table`` read from a copy named ``name`` in datasets/; that file's path."""
    data = model.parent.parent / "datasets"
    (data / name).write_bytes((data / f"{table}.csv").read_bytes())
    text = model.read_text()
    model.write_text(text.replace(f"../datasets/{table}.csv", f"../datasets/{name}", 1))
    return data / name


@pytest.mark.parametrize(
    "command",
    [
        ("solve",),
        ("orbit",),
        ("clause", "--contract", "colossus1_anthropic", "--clause", "notice"),
    ],
)
def test_out_may_not_be_an_input_of_the_model(model_copy: Path, twin_main, command) -> None:
    table = _renamed_input(model_copy, "ground_stations", "gs.nc")
    before = table.read_bytes()
    res = twin_main(*command, model_copy, "--out", table)
    _refused(res, "--out", "gs.nc", "is the input")
    assert table.read_bytes() == before


def test_export_may_not_write_over_an_input(model_copy: Path, twin_main) -> None:
    table = _renamed_input(model_copy, "links", "links.lp")
    before = table.read_bytes()
    _refused(twin_main("export", model_copy, "--out", table), "--out", "links.lp", "is the input")
    assert table.read_bytes() == before


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (("sweep", "--vary", "vendor.markup=1,2", "--workers", "0"), "gs.nc"),
        (("alternatives", "--metric", "capex", "--spores", "0"), "optimum.nc"),
    ],
)
def test_out_dir_may_not_hold_an_input_it_would_replace(
    model_copy: Path,
    twin_main,
    command: tuple[str, ...],
    name: str,
) -> None:
    table = _renamed_input(model_copy, "ground_stations", name)
    before = table.read_bytes()
    res = twin_main(command[0], model_copy, *command[1:], "--out-dir", table.parent)
    _refused(res, "--out-dir", name, "is the input")
    assert table.read_bytes() == before


def test_plot_may_not_draw_over_its_input(model_copy: Path, twin_main, report: Path) -> None:
    png = report.with_suffix(".png")
    png.write_bytes(report.read_bytes())  # a report under an image's name
    res = twin_main("plot", png, "--kind", "waterfall", "--out", png)
    _refused(res, "--out", "a.png", "is the input")
    table = _renamed_input(model_copy, "sites", "sites.png")
    before = table.read_bytes()
    res = twin_main("plot", model_copy, "--kind", "map", "--out", table)
    _refused(res, "--out", "sites.png", "is the input")
    assert table.read_bytes() == before


# --- fault 3, in a sweep: a member report's stored row of the wrong type ----------------------


def test_a_member_row_of_the_wrong_type_is_solved_again(tiny: Path, twin_main) -> None:
    """A re-run keeps members solved for the same inputs by reading their stored rows: a row
    whose NPV is text (ended the summary in exit 70) is no resume point, so it is solved again."""
    import json

    import netCDF4

    out = tiny.parent / "sw"
    args = ("sweep", tiny, "--vary", "economics.discount_rate=0.05,0.1", "--workers", "0",
            "--out-dir", out)  # fmt: skip
    assert twin_main(*args).code == 0
    with netCDF4.Dataset(out / "base_discount_rate=0.05.nc", "a") as nc:
        row = json.loads(nc.member_row)
        nc.member_row = json.dumps({**row, "npv_musd": "lots"})
    res = twin_main(*args)
    assert res.code == 0, res.err
    assert "1 kept from an earlier run" in " ".join(res.out.split())
    from twin.report import read

    npv = read(out / "sweep.nc")["npv_musd"].sel(member="base_discount_rate=0.05")
    assert float(npv) == pytest.approx(row["npv_musd"], rel=1e-9)


# --- fault 20's class in plot: an option the chart kind does not read --------------------------


@pytest.mark.parametrize(
    ("option", "kind", "needle"),
    [
        (
            ("--day", "1"),
            "capacity",
            "--day: --kind capacity: expected it only with --kind dispatch",
        ),
        (("--period", "2027"), "waterfall", "--period: --kind waterfall"),
        (
            ("--site", "s1"),
            "capacity",
            "--site: --kind capacity: expected it only with --kind marginal",
        ),
        (("--path", "vendor.markup"), "power", "--path: --kind power"),
        (("--variable", "capacity_mw"), "capacity", "--variable: --kind capacity"),
    ],
)
def test_plot_refuses_an_option_its_kind_does_not_read(
    report: Path, twin_main, option: tuple[str, str], kind: str, needle: str
) -> None:
    png = report.parent / "p.png"
    _refused(twin_main("plot", report, "--kind", kind, *option, "--out", png), needle)
    assert not png.exists()


# --- fault 2, swept paths: a value with a slash (datasets.sites=../datasets/a.csv) -------------


def test_a_swept_value_with_a_slash_names_a_file_in_the_out_dir(tiny: Path, twin_main) -> None:
    """Every member failed: its report's name held the slash, a folder that does not exist.
    (Swept over dataset paths: ``--vary name=...``, a text label, is refused.)"""
    data = yaml.safe_load(tiny.read_text())
    row = {"name": "c1", **data.pop("chips")["c1"]}
    data["datasets"] = {"chips": "d/chips.csv"}
    tiny.write_text(yaml.safe_dump(data))
    table = ",".join(row) + "\n" + ",".join(str(v) for v in row.values()) + "\n"
    (tiny.parent / "d").mkdir()
    for name in ("d/chips.csv", "d%2Fchips.csv"):
        (tiny.parent / name).write_text(table)
    out = tiny.parent / "sw"
    res = twin_main("sweep", tiny, "--vary", "datasets.chips=d/chips.csv,d%2Fchips.csv",
                    "--workers", "0", "--out-dir", out)  # fmt: skip
    assert res.code == 0, res.err
    assert "0 failed" in " ".join(res.out.split())
    assert sorted(p.name for p in out.iterdir()) == [
        "base_chips=d%252Fchips.csv.nc", "base_chips=d%2Fchips.csv.nc", "sweep.nc",
    ]  # fmt: skip


def test_a_scenario_with_a_slash_names_a_file_in_the_out_dir(tiny: Path, twin_main) -> None:
    """A scenario ``a/b`` made its member's report ``sw/a/b.nc`` (a folder that does not exist),
    and every member failed; its name is percent-encoded as a swept value's is, and ``a%2Fb``
    (a scenario of its own) keeps a name of its own."""
    data = yaml.safe_load(tiny.read_text())
    data["scenarios"] = {
        "a/b": {"set": {"economics.discount_rate": 0.06}},
        "a%2Fb": {"set": {"economics.discount_rate": 0.07}},
    }
    tiny.write_text(yaml.safe_dump(data))
    out = tiny.parent / "sw"
    res = twin_main("sweep", tiny, "-s", "a/b", "-s", "a%2Fb", "--workers", "0", "--out-dir", out)
    assert res.code == 0, res.err
    assert "0 failed" in " ".join(res.out.split())
    assert sorted(p.name for p in out.iterdir()) == ["a%252Fb.nc", "a%2Fb.nc", "sweep.nc"]


# --- fault 22 in show --csv: partial tables, or a table over the report -----------------------


def test_show_csv_writes_all_tables_or_none(
    report: Path, twin_main, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A summary that fails after some tables (a variable a late table needs) left those tables
    in DIR; now they are written into a staging folder swapped in only when all are."""
    import twin.report.file_summary as summary

    show_file = summary.show_file

    def fails_late(ds, console) -> None:
        show_file(ds, console)  # every table written
        raise KeyError("a_late_variable")

    tables = report.parent / "tables"
    tables.mkdir()
    monkeypatch.setattr(summary, "show_file", fails_late)
    _refused(twin_main("show", report, "--csv", tables), "a.nc", "a_late_variable")
    assert list(tables.iterdir()) == []
    assert [p.name for p in report.parent.iterdir() if "staging" in p.name] == []
    monkeypatch.setattr(summary, "show_file", show_file)
    assert twin_main("show", report, "--csv", tables).code == 0
    assert len(list(tables.glob("*.csv"))) > 5


def test_show_csv_may_not_write_over_the_report(report: Path, twin_main) -> None:
    tables = report.parent / "tables"
    tables.mkdir()
    named = tables / "01_headline.csv"
    named.write_bytes(report.read_bytes())
    _refused(twin_main("show", named, "--csv", tables), "--csv", "01_headline.csv", "is the input")
    assert named.read_bytes() == report.read_bytes()


def test_plot_refuses_a_site_given_twice(report: Path, twin_main) -> None:
    png = report.parent / "m.png"
    res = twin_main("plot", report, "-k", "marginal", "--site", "s1", "--site", "s1", "-o", png)
    _refused(res, "--site", "s1", "given twice")
    assert not png.exists()
