"""Help that reads well: no reStructuredText markup, one paragraph per command, and a unit in
brackets on every numeric option."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from tests.cli.runner import twin_main  # noqa: F401 - the fixture
from twin.cli import app

GROUP = typer.main.get_command(app)
MARKUP = re.compile(r"``|:(func|mod|class|meth|data):`")


@pytest.mark.parametrize("name", sorted(GROUP.commands))
def test_help_has_no_markup_and_units_on_numeric_options(name: str) -> None:
    cmd = GROUP.commands[name]
    assert not MARKUP.search(cmd.help or ""), cmd.help
    assert "\n" not in (cmd.help or "").strip(), "one paragraph, wrapped by the terminal"
    for p in cmd.params:
        text = p.help or ""
        assert not MARKUP.search(text), (name, p.name)
        if p.bare_type() in ("int", "float", "list[float]", "list[int]"):
            assert re.search(r"\[[^\]]+\]", text), f"{name} {p.name}: no [unit] in {text!r}"
    res = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "80"})
    assert res.exit_code == 0
    assert not MARKUP.search(res.output)
    assert max(len(line) for line in res.output.splitlines()) <= 80


def test_top_level_help_lists_every_command_and_the_global_options() -> None:
    res = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "80"})
    assert res.exit_code == 0
    for word in ("--version", "--quiet", "--verbose", "plot", "solve", "sweep"):
        assert word in res.output


def test_units_in_brackets_survive_and_metavars_are_plain(twin_main) -> None:  # noqa: F811
    """What a user sees (through twin's entry point): Rich markup would delete ``[count]`` and
    ``[dots per inch]``; flags show no ``<bool>``, lists no ``<list[str]>``."""
    sweep = twin_main("sweep", "--help")
    assert sweep.code == 0 and "[count]" in sweep.out
    plot = twin_main("plot", "--help")
    assert "[dots per inch]" in plot.out and "[million H100e]" in plot.out
    for run in (sweep, plot, twin_main("--help"), twin_main("solve", "--help")):
        assert "<bool>" not in run.out and "<list[" not in run.out and "<path>" not in run.out


def test_scenario_help_lists_the_models_scenarios(twin_main) -> None:  # noqa: F811
    import yaml

    with open("models/baseline.yaml") as f:
        names = list(yaml.safe_load(f)["scenarios"])
    run = twin_main("solve", "models/baseline.yaml", "--help")
    text = " ".join(run.out.split())
    assert run.code == 0 and all(n in text for n in names[:3]) and names[-1] in text
