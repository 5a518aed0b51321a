"""Every class of bad input ends with exit 2, a message naming the file and key, no traceback,
and an existing report byte-identical afterwards (issue 10)."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.cli.runner import twin_main  # noqa: F401 - the fixture; tests take it as a parameter
from tests.cli.test_cli import MODEL
from tests.conftest import PERIOD_FORM_ARGS

#: Bytes standing in for a good report from an earlier run; a failed run must leave them alone.
OLD_REPORT = b"an earlier report that must survive\n"


def _line_of(text: str, needle: str, start: int = 0) -> int:
    """1-based line number of the first ``needle`` at or after line ``start`` (1-based)."""
    lines = text.splitlines()
    return next(i for i, line in enumerate(lines, 1) if i > start and needle in line)


def _solve_fails(twin_main, model: Path, *extra: object, needles: tuple[str, ...]) -> str:
    """Run ``twin solve`` over an existing report; assert exit 2, the needles and no change."""
    out = model.parent / "old.nc"
    out.write_bytes(OLD_REPORT)
    res = twin_main("solve", model, "--out", out, *extra)
    assert res.code == 2, res.err
    for needle in needles:
        assert needle in res.err, (needle, res.err)
    assert out.read_bytes() == OLD_REPORT
    assert [p.name for p in model.parent.iterdir() if p.name.startswith(".old.nc")] == []
    return res.err


# --- 1. silent acceptance becomes an error ------------------------------------------------------


def test_duplicate_nested_key_names_both_lines(twin_main, model_copy: Path) -> None:
    text = model_copy.read_text()
    text = text.replace("horizon:\n", "horizon:\n  years: 3\n", 1)
    model_copy.write_text(text)
    first = _line_of(text, "years: 3")
    second = _line_of(text, "  years:", first)
    err = _solve_fails(twin_main, model_copy, needles=("baseline.yaml", "duplicate key 'years'"))
    assert f"lines {first} and {second}" in err


def test_duplicate_scenario_names_both_lines(twin_main, model_copy: Path) -> None:
    text = model_copy.read_text()
    text += "  hoard:\n    set: {policy.allow_external: true}\n"
    model_copy.write_text(text)
    first, second = _line_of(text, "  hoard:"), len(text.splitlines()) - 1
    err = _solve_fails(twin_main, model_copy, needles=("duplicate key 'hoard'",))
    assert f"lines {first} and {second}" in err


@pytest.mark.parametrize(
    ("assignment", "key", "needle"),
    [
        ("economics.discount_rate=.inf", "economics.discount_rate", "finite"),
        ("sites.colossus1.max_mw=.nan", "sites.colossus1.max_mw", "finite"),
        ("sites.colossus1.max_mw=1.0e+308", "sites.colossus1.max_mw", "0 to 1e+06 [MW]"),
        ("economics.base_year=" + "9" * 40, "economics.base_year", "1950 to 2200 [year]"),
        ("chips.h100.price_usd=" + "1" * 40, "chips.h100.price_usd", "0 to 1e+09 [$]"),
        (
            "power_sources.c2_grid.limit_mw=-5",
            "power_sources.c2_grid.limit_mw",
            "greater than or equal to 0",
        ),
        ("orbit.launch_usd_per_kg={20300: 100}", "orbit.launch_usd_per_kg", "1950 to 2200"),
        ("fabs.terafab.ramp=[0.5, .inf]", "fabs.terafab.ramp", "finite"),
        # a lost exponent sign: nonzero but absurdly small (the fuzz test found 5.3e-266)
        ("chips.gb200.h100e=5.3e-266", "chips.gb200.h100e", "0.001 to 1000 [H100e]"),
        ("sites.atlanta.capex_musd_per_mw=1e-200", "sites.atlanta.capex_musd_per_mw", "1e-12"),
    ],
)
def test_absurd_numbers_are_refused_with_their_range(
    twin_main,
    model_copy: Path,
    assignment: str,
    key: str,
    needle: str,
) -> None:
    _solve_fails(twin_main, model_copy, "--set", assignment, needles=("--set", key, needle))


@pytest.mark.parametrize(
    ("assignment", "key", "needle"),
    [
        ("horizon.buffer_years=-1", "horizon.buffer_years", "greater than or equal to 0"),
        ("horizon.end_effects=salvage", "horizon.end_effects", "'buffer'"),
        ("horizon.buffer_end=buffer", "horizon.buffer_end", "'continued_use'"),
        (
            "power_projects.solar_ppa.variable_usd_per_mwh=-5",
            "power_projects.solar_ppa.variable_usd_per_mwh",
            "greater than or equal to 0",
        ),
        (
            "tenants.neocloud_spot.demand_block_values=[0.3, 0.6, 1]",
            "tenants.neocloud_spot.demand_block_values",
            "do not rise",
        ),
        ("chips.rubin.price_usd=-70000", "chips.rubin.price_usd", "greater than or equal to 0"),
        (  # resale = share x book value <= the new price only while the share is <= 1
            "economics.chip_resale_share=1.5",
            "economics.chip_resale_share",
            "less than or equal to 1",
        ),
        (
            "tenants.anthropic.value_usd_per_h100e_hour=-1",
            "tenants.anthropic.value_usd_per_h100e_hour",
            "greater than or equal to 0",
        ),
    ],
)
def test_bad_boundary_inputs_exit_2_naming_the_key(
    twin_main, model_copy: Path, assignment: str, key: str, needle: str
) -> None:
    """End effects, demand curves and prices (issue 18): exit 2 naming the key."""
    _solve_fails(twin_main, model_copy, "--set", assignment, needles=("--set", key, needle))


def test_unknown_end_effect_in_the_model_file_names_file_line_and_key(
    twin_main, model_copy: Path
) -> None:
    """An end-effect name that does not exist, written in the model file (issue 18)."""
    text = model_copy.read_text().replace("end_effects: buffer ", "end_effects: salvage")
    model_copy.write_text(text)
    _solve_fails(twin_main, model_copy, needles=("baseline.yaml", "horizon.end_effects", "'none'"))


def test_absurd_number_in_a_csv_names_file_row_and_column(twin_main, model_copy: Path) -> None:
    sites = model_copy.parent.parent / "datasets" / "sites.csv"
    text = sites.read_text()
    row = _line_of(text, "colossus2,")
    sites.write_text(text.replace(",-89.9780,1400,", ",-89.9780,1e308,"))
    assert "1e308" in sites.read_text().splitlines()[row - 1]
    _solve_fails(
        twin_main,
        model_copy,
        needles=("sites.csv", f"row {row} ('colossus2')", "column 'max_mw'", "0 to 1e+06 [MW]"),
    )


def test_inf_in_yaml_names_the_key(twin_main, model_copy: Path) -> None:
    text = model_copy.read_text()
    assert "discount_rate:" in text
    model_copy.write_text(text.replace("discount_rate:", "discount_rate: .inf #", 1))
    _solve_fails(twin_main, model_copy, needles=("baseline.yaml", "economics.discount_rate"))


def test_event_after_the_horizon_is_refused(twin_main, model_copy: Path) -> None:
    _solve_fails(
        twin_main,
        model_copy,
        "--set",
        "fabs.terafab.enabled=true",
        "--set",
        "fabs.terafab.earliest=2045-01-01",
        needles=("fabs.terafab.earliest", "after the horizon", "2038-07-01"),
    )


# --- 2. no traceback, ever, on input ---------------------------------------------------


@pytest.mark.parametrize("bad", ["2026-13-01", "2026-02-30"])
def test_impossible_calendar_date_names_line_and_column(
    twin_main,
    model_copy: Path,
    bad: str,
) -> None:
    text = model_copy.read_text()
    model_copy.write_text(text.replace("start: 2026-07-01", f"start: {bad}", 1))
    line = _line_of(text, "start: 2026-07-01")
    _solve_fails(twin_main, model_copy, needles=(f"line {line}, column", bad, "calendar date"))


def test_pathological_nesting_is_refused(twin_main, model_copy: Path) -> None:
    model_copy.write_text("name: x\ndeep: " + "[" * 50_000 + "]" * 50_000 + "\n")
    _solve_fails(twin_main, model_copy, needles=("baseline.yaml", "nesting"))


def test_alias_bomb_is_refused(twin_main, model_copy: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    model_copy.write_text("\n".join(lines) + "\n")
    _solve_fails(twin_main, model_copy, needles=("baseline.yaml", "aliases"))


def test_binary_model_file_names_line_and_column(twin_main, model_copy: Path) -> None:
    model_copy.write_bytes(b"name: x\nhorizon:\n  st\xffart: 2026-01-01\n")
    _solve_fails(twin_main, model_copy, needles=("baseline.yaml", "line 3, column 5", "0xff"))


def test_latin1_csv_names_file_line_and_column(twin_main, model_copy: Path) -> None:
    sites = model_copy.parent.parent / "datasets" / "sites.csv"
    text = sites.read_text()
    line = _line_of(text, "colossus1,")
    sites.write_bytes(
        text.replace("colossus1,", "colossus1,", 1)
        .encode("utf-8")
        .replace(b"colossus1,", b"coloss\xe9us1,", 1)
    )
    _solve_fails(twin_main, model_copy, needles=("sites.csv", f"line {line}, column 7", "0xe9"))


def test_utf16_csv_is_named(twin_main, model_copy: Path) -> None:
    chips = model_copy.parent.parent / "datasets" / "chips.csv"
    chips.write_bytes(chips.read_text().encode("utf-16"))
    _solve_fails(twin_main, model_copy, needles=("chips.csv", "UTF-16", "UTF-8"))


def test_csv_with_a_byte_order_mark_is_accepted(twin_main, model_copy: Path) -> None:
    for name in ("sites.csv", "chips.csv"):
        table = model_copy.parent.parent / "datasets" / name
        table.write_bytes(b"\xef\xbb\xbf" + table.read_bytes())
    model_copy.write_bytes(b"\xef\xbb\xbf" + model_copy.read_bytes())
    res = twin_main("validate", model_copy)
    assert res.code == 0, res.err


def test_a_directory_where_a_file_is_expected(twin_main, model_copy: Path) -> None:
    res = twin_main("validate", model_copy.parent)
    assert res.code == 2 and "found a directory" in res.err and "models" in res.err
    text = model_copy.read_text().replace("../datasets/fabs.csv", "../datasets")
    model_copy.write_text(text)
    _solve_fails(twin_main, model_copy, needles=("datasets.fabs", "found a directory"))


def test_a_fifo_dataset_is_refused_without_reading(twin_main, model_copy: Path) -> None:
    fifo = model_copy.parent.parent / "datasets" / "fifo.csv"
    os.mkfifo(fifo)  # opening it would block for ever: it must not be opened
    model_copy.write_text(
        model_copy.read_text().replace("../datasets/fabs.csv", "../datasets/fifo.csv")
    )
    _solve_fails(twin_main, model_copy, needles=("fifo.csv", "datasets.fabs", "FIFO"))


def test_a_device_as_model_file_is_refused(twin_main) -> None:
    res = twin_main("validate", "/dev/zero")
    assert res.code == 2 and "/dev/zero" in res.err and "character device" in res.err


def test_a_file_over_the_size_limit_is_refused(
    twin_main,
    model_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TWIN_MAX_INPUT_MB", "0.001")  # 1 kiB; the baseline YAML is larger
    _solve_fails(twin_main, model_copy, needles=("baseline.yaml", "at most 1,048 bytes"))


# --- 3. paths stay where they belong -------------------------------------------------------------


def test_dataset_outside_the_tree_is_refused_and_never_echoed(twin_main, model_copy: Path) -> None:
    model_copy.write_text(model_copy.read_text().replace("../datasets/sites.csv", "/etc/passwd"))
    err = _solve_fails(twin_main, model_copy, needles=("datasets.sites", "/etc/passwd", "outside"))
    assert "root:" not in err


def test_symlink_out_of_the_tree_is_refused(
    twin_main,
    model_copy: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    shutil.copy(model_copy.parent.parent / "datasets" / "sites.csv", elsewhere / "sites.csv")
    shutil.copytree(model_copy.parent.parent / "datasets" / "profiles", elsewhere / "profiles")
    link = model_copy.parent.parent / "datasets" / "linked.csv"
    link.symlink_to(elsewhere / "sites.csv")
    model_copy.write_text(
        model_copy.read_text().replace("../datasets/sites.csv", "../datasets/linked.csv")
    )
    _solve_fails(twin_main, model_copy, needles=("linked.csv", str(elsewhere), "--data-root"))
    assert twin_main("--data-root", elsewhere, "validate", model_copy).code == 0
    os.environ.pop("TWIN_DATA_ROOT", None)  # --data-root passes the root on to sweep workers


def test_env_var_allows_another_root(
    twin_main,
    model_copy: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    elsewhere = tmp_path_factory.mktemp("shared")
    shutil.copy(model_copy.parent.parent / "datasets" / "sites.csv", elsewhere / "sites.csv")
    model_copy.write_text(
        model_copy.read_text().replace("../datasets/sites.csv", str(elsewhere / "sites.csv"))
    )
    assert twin_main("validate", model_copy).code == 2
    monkeypatch.setenv("TWIN_DATA_ROOT", str(elsewhere))
    # a shared sites table brings its own profiles: this project's are not taken for its sites
    res = twin_main("validate", model_copy)
    assert res.code == 2 and str(elsewhere / "profiles") in res.err
    assert "horizon.hours.profiles" in res.err and "representative_days: none" in res.err
    shutil.copytree(model_copy.parent.parent / "datasets" / "profiles", elsewhere / "profiles")
    res = twin_main("validate", model_copy)
    assert res.code == 0, res.err


# --- 4. output checks before work ----------------------------------------------------------------


def test_out_checks_come_before_loading(twin_main, tmp_path: Path) -> None:
    """A missing model would be an error too: the --out error shows the check comes first."""
    (tmp_path / "adir.nc").mkdir()
    (tmp_path / "afile").write_text("x")
    for target, needle in [
        (tmp_path / "adir.nc", "found a directory"),
        (tmp_path / "nodir" / "r.nc", "expected an existing directory"),
        (tmp_path / "afile" / "r.nc", "to be a directory"),
        (tmp_path / "r.txt", "ending in .nc"),
    ]:
        res = twin_main("solve", tmp_path / "missing.yaml", "--out", target)
        assert res.code == 2 and "--out" in res.err and needle in res.err, res.err


@pytest.mark.skipif(
    os.geteuid() == 0,
    reason="as root, directory permissions do not stop a write: no unwritable folder can be made",
)
def test_unwritable_out_dir_is_refused(twin_main, tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        res = twin_main("solve", tmp_path / "missing.yaml", "--out", ro / "r.nc")
    finally:
        ro.chmod(0o700)
    assert res.code == 2 and "writable" in res.err


def test_sweep_refuses_duplicates_and_bad_out_dir(twin_main, model_copy: Path) -> None:
    out = model_copy.parent / "sweep"
    res = twin_main("sweep", model_copy, "--out-dir", out, "-s", "hoard", "-s", "hoard")
    assert res.code == 2 and "duplicate scenario name" in res.err and "hoard" in res.err
    res = twin_main(
        "sweep",
        model_copy,
        "--out-dir",
        out,
        "--vary",
        "vendor.markup=1,2",
        "--vary",
        "vendor.markup=3",
    )
    assert res.code == 2 and "varied twice" in res.err
    (model_copy.parent / "afile").write_text("x")
    res = twin_main("sweep", model_copy, "--out-dir", model_copy.parent / "afile")
    assert res.code == 2 and "found a file" in res.err
    assert not out.exists()


def test_incomplete_report_names_what_is_missing(twin_main, tmp_path: Path) -> None:
    import xarray as xr

    good = tmp_path / "good.nc"
    res = twin_main("solve", MODEL, "--out", good, *PERIOD_FORM_ARGS)
    assert res.code == 0, res.err
    ds = xr.load_dataset(good)
    old = tmp_path / "old.nc"
    ds.drop_vars(["capacity_mw", "unmet_h100e"]).to_netcdf(old)
    for args in (("show", old), ("compare", good, old)):
        res = twin_main(*args)
        assert res.code == 2, res.err
        assert "old.nc" in res.err and "capacity_mw" in res.err and "unmet_h100e" in res.err
    del ds.attrs["npv_musd"]
    ds.to_netcdf(old)
    res = twin_main("show", old)
    assert res.code == 2 and "attribute npv_musd" in res.err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("orbit-cost", "--launch", "nan"), "--launch"),
        (("orbit-cost", "--sunlit", "inf"), "--sunlit"),
        (("sweep", MODEL, "--out-dir", "s", "--workers", "300"), "--workers"),
        (("solve", MODEL, "--out", "r.nc", "--set", "horizon.start=2026-02-30"), "calendar date"),
        (("sweep", MODEL, "--out-dir", "s", "--vary", "horizon.start=2026-13-01"), "--vary"),
    ],
)
def test_bad_options_exit_2(twin_main, args: tuple[str, ...], needle: str) -> None:
    res = twin_main(*args)
    assert res.code == 2 and needle in res.err, res.err
