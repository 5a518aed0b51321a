"""Faults a review of the atomic writes, names, options and progress lines found (mends)."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli.runner import (
    OUTPUTS,
    out_args,
    twin_main,  # noqa: F401 - the fixture; tests take it as a parameter
)
from tests.conftest import write_tiny


@pytest.mark.parametrize(("command", "name"), OUTPUTS)
@pytest.mark.parametrize("linked", [True, False], ids=["link", "fifo"])
def test_out_on_a_fifo_or_a_link_to_one_is_refused(
    twin_main, tmp_path: Path, command: str, name: str, linked: bool
) -> None:
    """The write followed a link at --out and renamed a regular file over what it pointed to:
    a FIFO (as root, /dev/null) became a regular file; plot and export did not look first.
    Now exit 2 before any work, naming --out and 'is not a regular file'; the FIFO stays."""
    model = write_tiny(tmp_path / "model")
    fifo = tmp_path / "store" / name
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    out = fifo
    if linked:
        out = tmp_path / name
        out.symlink_to(fifo)
    res = twin_main(*out_args(command, model, out))
    assert res.code == 2, (res.code, res.out, res.err)
    assert "--out" in res.err and "is not a regular file" in res.err, res.err
    assert "FIFO" in res.err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert out.is_symlink() == linked


def test_write_atomic_refuses_a_link_to_a_fifo(tmp_path: Path) -> None:
    """save_figure (the sweep's charts) and member rows write through write_atomic, which
    swapped the FIFO for a regular file. Now its caller's error; nothing written."""
    from twin.atomic import write_atomic

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "chart.png"
    link.symlink_to(fifo)
    with pytest.raises(ValueError, match="is not a regular file"):
        write_atomic(link, lambda tmp: tmp.write_text("x"), ValueError)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png", "pipe"]


def test_export_checks_the_folder_of_a_links_target(
    twin_main, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """export probed the link's own folder, not the folder of the file it replaces (a target in
    a read-only folder failed only after the build). Now the target's folder is probed."""
    import twin.cli.outputs as outputs

    probed: list[Path] = []
    real = outputs.writable_dir

    def record(option: str, path: Path, folder: Path) -> None:
        probed.append(Path(folder))
        real(option, path, folder)

    monkeypatch.setattr(outputs, "writable_dir", record)
    model = write_tiny(tmp_path / "model")
    store = tmp_path / "store"
    store.mkdir()
    link = tmp_path / "r.mps"
    link.symlink_to(store / "r.mps")
    res = twin_main("export", model, "--out", link)
    assert res.code == 0, res.err
    assert probed == [store]
    assert link.is_symlink() and (store / "r.mps").is_file()


@pytest.mark.parametrize(("command", "name"), OUTPUTS)
def test_a_replaced_file_keeps_its_permissions(
    twin_main, tmp_path: Path, command: str, name: str
) -> None:
    """The new file got 0666 less the umask: a ``chmod 600`` output became world-readable
    when written again. Now it keeps 0600; a new file still gets the umask's mode."""
    model = write_tiny(tmp_path / "model")
    out = tmp_path / name
    out.write_bytes(b"old")
    out.chmod(0o600)
    res = twin_main(*out_args(command, model, out))
    assert res.code == 0, res.err
    assert out.read_bytes() != b"old"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    from twin.atomic import UMASK

    new = tmp_path / f"new-{name}"
    assert twin_main(*out_args(command, model, new)).code == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~UMASK


def _even_odds(path: str, low: float, high: float) -> dict[str, Any]:
    """An uncertainty section of one input at ``path``, known 2031-01-01: ``low`` or ``high``
    with probability 1/2 each."""
    outcomes = [{"value": v, "probability": 0.5} for v in (low, high)]
    return {"inputs": {"v": {"path": path, "known": "2031-01-01", "outcomes": outcomes}}}


BASELINE = Path(__file__).parents[2] / "models" / "baseline.yaml"
LEASE = ("--scenario", "lease_under_uncertainty")


def test_switching_the_shipped_scenario_to_sampling_is_accepted(twin_main) -> None:
    """The scenario writes ``tree: {method: enumerate, points: 3}`` (the default points):
    ``--set uncertainty.tree.method=sample`` was refused for 'points given with method
    sample'. An unread option at its default changes nothing: accepted."""
    res = twin_main("validate", BASELINE, *LEASE, "--set", "uncertainty.tree.method=sample")
    assert res.code == 0, res.err


@pytest.mark.parametrize(
    ("sets", "key", "option"),
    [
        (["uncertainty.tree.method=sample", "uncertainty.tree.points=5"], "method", "points"),
        (["uncertainty.tree.seed=5"], "seed", "seed"),
    ],
)
def test_an_unread_tree_option_names_the_set_that_made_it(
    twin_main, sets: list[str], key: str, option: str
) -> None:
    """The error blamed ``scenarios.lease_under_uncertainty.set.uncertainty.tree`` when the
    method or the option came from ``--set``. Now it names --set and its key."""
    args = [a for s in sets for a in ("--set", s)]
    res = twin_main("validate", BASELINE, *LEASE, *args)
    assert res.code == 2, res.err
    assert f"error: --set: uncertainty.tree.{key}: {option} given with method" in res.err
    assert "scenarios." not in res.err


def test_an_unread_tree_option_in_a_scenario_names_the_scenario(twin_main, tmp_path: Path) -> None:
    """Without a --set the error still names where the file wrote the section."""
    uncertainty = {
        **_even_odds("economics.discount_rate", 0.04, 0.06),
        "tree": {"method": "sample", "points": 9},
    }
    model = write_tiny(tmp_path, scenarios={"u": {"set": {"uncertainty": uncertainty}}})
    res = twin_main("validate", model, "--scenario", "u")
    assert res.code == 2, res.err
    assert "scenarios.u.set.uncertainty.tree: points given with method sample" in res.err


MARKED = "[bold]x[/bold]"


def test_a_progress_line_prints_a_contract_name_as_written(twin_main, tmp_path: Path) -> None:
    """The stage lines were printed as markup: the phase of a contract named
    ``[bold]x[/bold]`` came out as a bold ``x``. Now the name is printed as written."""
    from study.test_clauses import model

    data = model()
    data["contracts"] = {MARKED: data["contracts"].pop("lease")}
    data["uncertainty"] = _even_odds("tenants.own.value_decline_per_year", 0.0, 0.5)
    path = tmp_path / "lease.yaml"
    path.write_text(yaml.safe_dump(data))
    res = twin_main("clause", path, "--contract", MARKED, "--clause", "renewal")
    assert res.code == 0, res.err
    shown = res.out + res.err
    assert f"{MARKED} with its renewal clause" in shown, shown


def test_the_break_even_line_prints_the_vary_path_as_written(twin_main, tmp_path: Path) -> None:
    """``_break_even_line`` put the --vary path into a marked-up line: a site named
    ``[bold]x[/bold]`` was printed as ``sites.x.max_mw``. Now as written."""
    model = write_tiny(tmp_path / "model")
    data = yaml.safe_load(model.read_text())
    data["sites"] = {MARKED: data["sites"].pop("s1")}
    data["power_sources"]["g1"]["site"] = MARKED
    model.write_text(yaml.safe_dump(data))
    vary = f"sites.{MARKED}.max_mw"
    res = twin_main(
        "sweep", model, "--vary", f"{vary}=500,1000", "--out-dir", tmp_path / "s", "--workers", "0"
    )
    assert res.code == 0, res.err
    assert f"make-vs-buy: no fab is built in the swept range of {vary}" in res.out, res.out


def test_twin_debug_is_read_alike_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """``TWIN_DEBUG=" 1"`` passed the check (stripped) but the sweep compared ``== "1"``: Dask's
    records stayed hidden. Now one helper reads it, the same way everywhere."""
    import logging

    from twin.study.ensemble import quiet_dask

    monkeypatch.setenv("TWIN_DEBUG", " 1 ")
    with quiet_dask() as level:
        assert level == logging.WARNING


def test_help_works_whatever_the_environment(twin_main, monkeypatch: pytest.MonkeyPatch) -> None:
    """``TWIN_DEBUG=true twin solve --help`` exited 2 on the variable: the help runs nothing
    that reads it. Now the help is printed (the command itself still refuses the value)."""
    monkeypatch.setenv("TWIN_DEBUG", "true")
    res = twin_main("solve", "--help")
    assert res.code == 0, res.err
    assert "--out" in res.out
    assert twin_main("solve", "m.yaml", "--out", "r.nc").code == 2


def test_data_root_entries_are_stripped(
    twin_main, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``TWIN_DATA_ROOT="a: b"`` (a space after the separator) refused ' b' as no folder, though
    TWIN_DEBUG and TWIN_MAX_INPUT_MB are stripped. Now each entry is stripped."""
    model = write_tiny(tmp_path / "model")
    (tmp_path / "b").mkdir()
    monkeypatch.setenv("TWIN_DATA_ROOT", f"{tmp_path / 'model'}{os.pathsep} {tmp_path / 'b'} ")
    res = twin_main("validate", model)
    assert res.code == 0, res.err


@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("name", "the model's name"),
        ("description", "the model's description"),
        ("sites.s1.source", "a value's source"),
        ("scenarios.x.description", "a description"),
        ("orbit.ground_stations.g.name", "a ground station's display name"),
    ],
)
def test_vary_on_a_text_label_is_refused(twin_main, tmp_path: Path, path: str, what: str) -> None:
    """``twin sweep --vary name=a,b`` (a source, a description, a station's name) solved
    members that differ in a word only, without a word. Now exit 2 naming --vary, no output."""
    model = write_tiny(tmp_path / "model")
    out = tmp_path / "sweep"
    res = twin_main("sweep", model, "--vary", f"{path}=a b,c d", "--out-dir", out, "--workers", 0)
    assert res.code == 2, (res.code, res.err)
    assert f"error: --vary: {path}=a b,c d: '{path}' is {what}, a text label" in res.err
    assert not out.exists()


def test_a_set_key_with_white_space_at_an_end_says_so(twin_main, tmp_path: Path) -> None:
    """A CSV row ``c2 `` is read as ``c2``; ``--set 'chips.c2 .kw=2'`` then said "unknown chip
    'c2 '" (with a did-you-mean that looks the same). Now the error names the white space."""
    model = write_tiny(tmp_path / "model")
    res = twin_main("validate", model, "--set", "chips.c1 .kw=2")
    assert res.code == 2, res.err
    assert "the key 'c1 ' has white space at an end; expected 'c1'" in res.err, res.err
    res = twin_main("validate", model, "--set", "chips.c1. kw=2")
    assert "the key ' kw' has white space at an end" in res.err, res.err


def test_outcome_labels_that_print_alike_are_refused(twin_main, tmp_path: Path) -> None:
    """Outcome labels ``high`` and ``High`` were accepted, though rows, scenarios and inputs
    refuse look-alikes: the leaves would be told apart by case alone. Now the one rule."""
    outcomes = [
        {"value": 0.04, "probability": 0.5, "label": "high"},
        {"value": 0.06, "probability": 0.5, "label": "High"},
    ]
    uncertainty = {
        "inputs": {"v": {"path": "economics.discount_rate", "known": "2031-01-01",
                         "outcomes": outcomes}}
    }  # fmt: skip
    model = write_tiny(tmp_path / "model", uncertainty=uncertainty)
    res = twin_main("validate", model)
    assert res.code == 2, res.err
    assert "'high' and 'High' differ only by letter case" in res.err, res.err
