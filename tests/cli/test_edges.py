"""Every mistake at the command line's edge ends in one clear line (issue 21): usage errors,
bounds, repeated and contradicting options, global options anywhere, TLE files, project layouts,
outputs written as a set. All in process through the real entry point, none solves a plan: this
file is also CI's check at the lowest allowed dependency versions (.ci/run)."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.cli.runner import twin_main  # noqa: F401 - the fixture; tests take it as a parameter

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "baseline.yaml"
ISS = (ROOT / "datasets" / "satellites.tle").read_text().splitlines()  # name, line 1, line 2


def _clean(res, option: str) -> None:
    """Exit 2, the option named, no traceback, and nothing called a bug."""
    assert res.code == 2, (res.code, res.err)
    assert option in res.err, res.err
    assert "Traceback" not in res.err and "internal error" not in res.err, res.err


# -- usage errors: exit 2 naming the option, whichever Typer/Click the install has --------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("solve", MODEL), "--out"),
        (("solv", MODEL), "solv"),
        (("solve", MODEL, "--out", "x.nc", "--bogus"), "--bogus"),
        (("sweep", MODEL, "--out-dir", "d", "--samples", "2.5"), "--samples"),
        (("alternatives", MODEL, "--out-dir", "d", "--spores", "many"), "--spores"),
        (("state", MODEL), "--at"),
        (("orbit-cost", "--lifetime", "long"), "--lifetime"),
        (("plot", "r.nc", "--out", "x.png"), "--kind"),
        (("show",), "FILE"),
        (("compare", "a.nc"), "B"),
    ],
)  # fmt: skip
def test_usage_errors_exit_2_naming_the_option(twin_main, args, needle, tmp_path) -> None:
    args = tuple(str(tmp_path / a) if a in ("x.nc", "d", "r.nc", "x.png", "a.nc") else a
                 for a in args)  # fmt: skip
    res = twin_main(*args)
    assert res.code == 2, (res.code, res.err)
    assert needle.lower() in res.err.lower() and "internal error" not in res.err, res.err


def test_global_options_work_after_the_command(twin_main) -> None:
    res = twin_main("validate", MODEL, "--quiet", "-s", "neocloud")
    assert res.code == 0 and "ok" in res.out, res.err
    res = twin_main("validate", MODEL, "--data-root", ROOT / "datasets", "-v")
    assert res.code == 0, res.err


def test_a_global_option_before_sweep_leaves_dask_importable() -> None:
    """``twin --quiet sweep`` ran without Dask (the block keyed on argv[1]) and exited 70."""
    from twin.cli.startup import command_name, global_options_first, needs_dask

    assert needs_dask(["--quiet", "sweep", "m.yaml"])
    assert needs_dask(["--data-root", "sweep", "-v", "sweep", "m.yaml"])  # a root named sweep
    assert not needs_dask(["--data-root", "sweep", "solve", "m.yaml"])
    assert command_name(["-q", "--", "validate"]) == "validate"
    argv = ["solve", "m.yaml", "--out", "-q", "-v", "--data-root=/d"]
    assert global_options_first(argv, frozenset({"--out"})) == [
        "-v", "--data-root=/d", "solve", "m.yaml", "--out", "-q",
    ]  # fmt: skip


# -- repeats and contradictions: refused, never "the last wins" ----------------------------------


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("validate", MODEL, "-s", "neocloud", "-s", "quarterly"), "--scenario"),
        (("validate", MODEL, "--scenario=neocloud", "-s", "neocloud"), "--scenario"),
        (("solve", MODEL, "--out", "x.nc", "--out", "y.nc"), "--out"),
        (("solve", MODEL, "--out", "x.nc", "--handoff", "matrix", "--handoff", "pyomo"),
         "--handoff"),
        (("sweep", MODEL, "--out-dir", "d", "--workers", "1", "--workers", "2"), "--workers"),
        (("sweep", MODEL, "--out-dir", "d", "--reports", "--no-reports"), "--reports"),
        (("alternatives", MODEL, "--out-dir", "d", "--slack", "0.1", "--slack", "0.2"), "--slack"),
        (("alternatives", MODEL, "--out-dir", "d", "--metric", "capex", "--metric", "capex"),
         "--metric"),
        (("state", MODEL, "--at", "2027-01-01", "--at", "2028-01-01"), "--at"),
        (("orbit-cost", "--sunlit", "0.5", "--sunlit", "0.9"), "--sunlit"),
        (("validate", MODEL, "--set", "economics.discount_rate=0.1", "--set",
          "economics.discount_rate=0.2"), "--set"),
        (("validate", MODEL, "--set", "economics={}", "--set", "economics.discount_rate=0.2"),
         "--set"),
        (("sweep", MODEL, "--out-dir", "d", "--vary", "economics.discount_rate=0.1,0.1"), "--vary"),
        (("sweep", MODEL, "--out-dir", "d", "--vary", "economics.discount_rate="), "--vary"),
        (("sweep", MODEL, "--out-dir", "d", "--seed", "3"), "--seed"),
        (("sweep", MODEL, "--out-dir", "d", "--method", "lhs"), "--method"),
        (("validate", MODEL, "--set", "contracts.colossus1_anthropic.renew=decide", "--set",
          "contracts.colossus1_anthropic.notice_given=2027-01-01"), "renew: 'decide' contradicts"),
        (("solve", MODEL, "--out", "x.nc", "--engine", "bogus"), "--engine"),
    ],
)  # fmt: skip
def test_repeats_and_contradictions_exit_2(twin_main, args, option, tmp_path) -> None:
    args = tuple(str(tmp_path / a) if a in ("x.nc", "y.nc", "d") else a for a in args)
    _clean(twin_main(*args), option)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written, no folder made


def test_a_bad_vary_value_is_blamed_on_vary(twin_main, tmp_path) -> None:
    res = twin_main("sweep", MODEL, "--out-dir", tmp_path / "d", "--workers", "0",
                    "--vary", "economics.discount_rate=0.08,nan")  # fmt: skip
    _clean(res, "--vary: economics.discount_rate")
    assert "--set" not in res.err


# -- bounds: checked before any work --------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("alternatives", MODEL, "--out-dir", "d", "--spores", "1000000000"), "--spores"),
        (("alternatives", MODEL, "--out-dir", "d", "--spores", "-1"), "--spores"),
        (("sweep", MODEL, "-s", "sampled_market", "--out-dir", "d", "--samples", "1000000000"),
         "1 to 10000"),
        (("sweep", MODEL, "-s", "sampled_market", "--out-dir", "d", "--samples", "30", "--seed",
          "-1"), "--seed"),
        (("sweep", MODEL, "-s", "sampled_market", "--out-dir", "d", "--samples", "10000",
          "--sensitivity", "sobol"), "at most 10,000"),
        (("sweep", MODEL, "--out-dir", "d", "--vary", "economics.discount_rate="
          + ",".join(f"0.{i:03d}" for i in range(1, 200)), "--vary", "vendor.markup="
          + ",".join(f"1.{i:03d}" for i in range(1, 100))), "at most 10,000"),
        (("sweep", MODEL, "--out-dir", "d", "--workers", "100000"), "--workers"),
    ],
)  # fmt: skip
def test_counts_past_their_bound_exit_2_before_any_work(twin_main, args, needle, tmp_path):
    args = tuple(str(tmp_path / a) if a == "d" else a for a in args)
    res = twin_main(*args)
    _clean(res, needle)
    assert not (tmp_path / "d").exists()


# -- TLE files: the one reader, line numbers, checksums, epochs ----------------------------------


def _tle_model(tmp_path: Path, tle_text: str | None = None) -> Path:
    """A copy of the repository's models and datasets whose Iridium shell reads ``tle.tle``."""
    shutil.copytree(ROOT / "models", tmp_path / "models")
    shutil.copytree(ROOT / "datasets", tmp_path / "datasets")
    model = tmp_path / "models" / "baseline.yaml"
    text = model.read_text().replace("../datasets/iridium_next_plane4.tle", "../datasets/tle.tle")
    model.write_text(text)
    if tle_text is not None:
        (tmp_path / "datasets" / "tle.tle").write_bytes(tle_text.encode("latin-1"))
    return model


def _iridium() -> list[str]:
    return (ROOT / "datasets" / "iridium_next_plane4.tle").read_text().splitlines()


def test_a_tle_fifo_is_refused_without_opening_it(twin_main, tmp_path) -> None:
    model = _tle_model(tmp_path)
    os.mkfifo(tmp_path / "datasets" / "tle.tle")
    _clean(twin_main("validate", model), "found a FIFO")


def test_a_non_utf8_satellite_name_names_the_file_and_line(twin_main, tmp_path) -> None:
    lines = _iridium()
    name_at = next(i for i, t in enumerate(lines) if t.strip() and t[:2] not in ("1 ", "2 "))
    lines[name_at] = lines[name_at] + " Ærø"  # Latin-1 bytes, not UTF-8
    model = _tle_model(tmp_path, "\n".join(lines) + "\n")
    res = twin_main("validate", model)
    _clean(res, f"tle.tle: line {name_at + 1}, column")


def test_a_tle_epoch_decades_from_the_horizon_is_refused(twin_main, tmp_path) -> None:
    """The elements of 2025 relabelled 1975 (day and checksum kept valid): refused naming the
    line and the setting that allows it."""
    from twin.spec.tle import checksum

    lines = _iridium()
    at = next(i for i, t in enumerate(lines) if t.startswith("1 "))
    old = lines[at][:18] + "75" + lines[at][20:68]
    lines[at] = old + str(checksum(old))
    res = twin_main("validate", _tle_model(tmp_path, "\n".join(lines) + "\n"))
    _clean(res, f"line {at + 1}")
    assert "1975" in res.err and "tle_epoch_years" in res.err


def _with_checksum(line: str) -> str:
    from twin.spec.tle import checksum

    return line[:68] + str(checksum(line))


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (lambda ls: [*ls, ls[0], ls[1], ls[2][:68] + str((int(ls[2][68]) + 1) % 10)],
         "line 6: checksum"),
        (lambda ls: [ls[0], ls[1], _with_checksum(ls[2][:2] + "99999" + ls[2][7:])],
         "line 3: expected catalogue number 25544"),
        (lambda ls: [ls[0], ls[1][:40], ls[2]], "line 2: expected 69 characters"),
        (lambda ls: [ls[0], ls[2], ls[1]], "line 2: expected TLE line 1"),
        (lambda ls: [ls[0], ls[1]], "line 2: expected TLE lines 1 and 2 after it"),
    ],
)  # fmt: skip
def test_load_elements_shares_the_validated_reader(tmp_path, edit, needle) -> None:
    from twin.orbit import load_elements
    from twin.spec.errors import SpecError

    path = tmp_path / "s.tle"
    path.write_text("\n".join(edit(ISS)) + "\n")
    with pytest.raises(SpecError, match=needle):
        load_elements(path)


def test_load_elements_checks_epochs_against_a_horizon(tmp_path) -> None:
    import datetime as dt

    from twin.orbit import load_elements
    from twin.spec.errors import SpecError

    path = ROOT / "datasets" / "satellites.tle"  # ISS elements of 2018-07-03
    assert len(load_elements(path, horizon=(dt.date(2020, 1, 1), dt.date(2030, 1, 1)))) == 1
    with pytest.raises(SpecError, match=r"line 2: epoch 2018-07-03 .* 7\.5 years outside"):
        load_elements(path, horizon=(dt.date(2026, 1, 1), dt.date(2030, 1, 1)), max_years=5)
    os.mkfifo(tmp_path / "fifo.tle")
    with pytest.raises(SpecError, match="found a FIFO"):
        load_elements(tmp_path / "fifo.tle")


# -- project layouts: confinement by a project marker, not a folder's name ------------------------


@pytest.mark.parametrize("folder", ["scenarios", "mödels v2"])
def test_the_repository_layout_under_another_name_validates(twin_main, tmp_path, folder) -> None:
    shutil.copytree(ROOT / "models", tmp_path / folder)
    shutil.copytree(ROOT / "datasets", tmp_path / "datasets")
    res = twin_main("validate", tmp_path / folder / "baseline.yaml", "-s", "neocloud")
    assert res.code == 0, res.err


def test_a_project_marker_allows_a_deeper_layout_and_the_refusal_says_how(twin_main, tmp_path):
    """models two levels below the project: ../../datasets is allowed once the project's top
    folder holds .twin-project; without it the refusal names the key and both ways to allow."""
    deep = tmp_path / "plans" / "2026"
    shutil.copytree(ROOT / "models", deep)
    shutil.copytree(ROOT / "datasets", tmp_path / "datasets")
    model = deep / "baseline.yaml"
    model.write_text(model.read_text().replace("../datasets/", "../../datasets/"))
    res = twin_main("validate", model)
    _clean(res, "datasets.")
    assert ".twin-project" in res.err and "--data-root" in res.err
    (tmp_path / ".twin-project").write_text("")
    assert twin_main("validate", model).code == 0


# -- outputs as a set -----------------------------------------------------------------------------


def test_an_output_set_replaces_the_previous_set_only_when_complete(tmp_path) -> None:
    from twin.cli.outputs import output_set
    from twin.errors import Interrupted

    out = tmp_path / "alt"
    out.mkdir()
    for name in ("optimum.nc", "spores_5.nc", "alternatives.nc", "notes.txt"):
        (out / name).write_text("old")
    with pytest.raises(Interrupted), output_set(out, r"(optimum|spores_\d+|alternatives)\.nc") as s:
        (s / "optimum.nc").write_text("new")
        raise Interrupted(15)
    assert {p.name: p.read_text() for p in out.iterdir()} == dict.fromkeys(
        ("optimum.nc", "spores_5.nc", "alternatives.nc", "notes.txt"), "old"
    )
    with output_set(out, r"(optimum|spores_\d+|alternatives)\.nc") as s:
        for name in ("optimum.nc", "spores_1.nc", "alternatives.nc"):
            (s / name).write_text("new")
    assert {p.name: p.read_text() for p in out.iterdir()} == {
        "optimum.nc": "new", "spores_1.nc": "new", "alternatives.nc": "new", "notes.txt": "old",
    }  # fmt: skip
    assert [p.name for p in tmp_path.iterdir()] == ["alt"]  # no staging folder left


def test_an_empty_chips_table_is_named_not_a_chip_it_lacks(twin_main, model_copy) -> None:
    """It was reported as "roadmap.after: unknown chip 'feynman'"."""
    chips = model_copy.parent.parent / "datasets" / "chips.csv"
    chips.write_text(chips.read_text().splitlines()[0] + "\n")
    res = twin_main("validate", model_copy)
    _clean(res, "datasets.chips: expected at least one chip; the table '../datasets/chips.csv'")
    assert "roadmap" not in res.err


@pytest.mark.parametrize("bad", [3, None, ""])
def test_load_model_names_a_bad_argument(bad) -> None:
    import twin

    with pytest.raises(twin.SpecError, match=r"^model: .*expected a YAML model file"):
        twin.load_model(bad)
    with pytest.raises(twin.SpecError, match=r"^scenario: 3: expected a scenario name"):
        twin.load_model(MODEL, scenario=3)


def test_more_mpi_ranks_than_leaves_exit_2(tmp_path) -> None:
    """``mpiexec -n 3`` on a 2-leaf tree ended as an internal error (exit 70)."""
    import subprocess
    import sys

    import yaml
    from newsvendor import newsvendor

    mpiexec = Path(sys.executable).parent / "mpiexec"
    if not mpiexec.exists():
        pytest.skip(
            "needs mpiexec from the test extra's mpich wheel: CI's lowest-versions venv installs "
            "pyproject's dependencies without it, and the main suite (test extra) runs this test"
        )
    data = newsvendor([{"value": 20.0, "probability": 0.8}, {"value": 100.0, "probability": 0.2}])
    model = tmp_path / "nv.yaml"
    model.write_text(yaml.safe_dump(data))
    cmd = [str(mpiexec), "-n", "3", sys.executable, "-m", "twin", "solve", str(model),
           "--engine", "ph", "--out", str(tmp_path / "ph.nc")]  # fmt: skip
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2, res.stderr[-2000:]
    assert "mpiexec -n: 3: expected at most 2 ranks" in res.stderr
    assert "Traceback" not in res.stderr and not (tmp_path / "ph.nc").exists()


# -- an eighth fuzzing pass: empty values, repeated global flags, keys and dates as written ------


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["show", "r.nc", "--csv", ""], "--csv"),  # wrote ~20 CSVs into the working folder
        (
            ["sweep", str(MODEL), "-s", "neocloud", "--vary", "vendor.markup=1", "--out-dir", " "],
            "--out-dir",
        ),
        (["solve", str(MODEL), "--handoff", "", "--out", "x.nc"], "--handoff"),  # the default
        (["-q", "-q", "validate", str(MODEL)], "--quiet"),
        (["-q", "validate", str(MODEL), "--quiet"], "--quiet"),
        (["validate", str(MODEL), "--set", "vendor.markup =2"], "white space at an end"),
        (["state", str(MODEL), "--at", "20260601"], "YYYY-MM-DD"),
        (["state", str(MODEL), "--at", "2026-W23-1"], "YYYY-MM-DD"),
        (["plot", "r.nc", "--kind", "capacity", "--out", "a.jpg"], "ending in .png, .svg, .pdf"),
        (["validate", str(MODEL), "--set", "description="], "write '' for empty text"),
    ],
)
def test_empty_values_repeated_flags_and_loose_forms_exit_2(
    twin_main, args, option, tmp_path, monkeypatch
) -> None:
    """Each was taken (exit 0): an empty value as the default or the working folder, a global
    flag twice, a --set key with a space at its end stripped, a date in ISO's other forms."""
    monkeypatch.chdir(tmp_path)
    res = twin_main(*args)
    _clean(res, option)
    assert not list(tmp_path.iterdir())  # nothing written
