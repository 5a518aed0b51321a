"""Help that reads well: no reStructuredText markup, one paragraph per command, and a unit in
brackets on every numeric option."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

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
