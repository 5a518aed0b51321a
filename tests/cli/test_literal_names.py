"""Names a user gives (a site, a scenario, the model's name) are printed as typed, never read as
rich markup: ``[bold]x[/bold]`` was printed bold as ``x`` in a table, the plan's title in
``twin show``'s head and ``twin compare``'s A/B lines, and a scenario in ``twin validate``'s
list; ``:x:`` could become an emoji. Every table is a twin.literal.Table, whose text is never
markup; messages escape what they interpolate."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

import io
import re
from pathlib import Path

import yaml
from rich.console import Console

from tests.cli.runner import twin_main  # noqa: F401 - the fixture; tests take it as a parameter
from tests.conftest import tiny_model

SITE = "[bold]x[/bold]:x:"
SCENARIO = "[bold]s[/bold]:x:"
NAME = "[italic]T[/italic]:x:"


def _model(folder: Path) -> Path:
    """The three-year tiny model with its site, a scenario and its name holding markup."""
    data = tiny_model(horizon={"years": 3})
    data["name"] = NAME
    data["sites"] = {SITE: data["sites"]["s1"]}
    data["power_sources"]["g1"]["site"] = SITE
    data["scenarios"] = {SCENARIO: {"set": {"economics.discount_rate": 0.06}}}
    model = folder / "m.yaml"
    model.write_text(yaml.safe_dump(data))
    return model


def _flat(text: str) -> str:
    """Printed text without table borders and line breaks (a cell may wrap)."""
    return re.sub(r"\s+", " ", re.sub(r"[│┃┏┓┗┛┡┩━─┳┻╇┼└┘┌┐├┤]", " ", text))


def test_names_holding_markup_are_printed_as_typed(twin_main, tmp_path: Path) -> None:
    model = _model(tmp_path)
    res = twin_main("validate", model)
    assert res.code == 0, res.err
    assert f"scenarios checked: base, {SCENARIO}" in _flat(res.out)
    res = twin_main("state", model, "--at", "2031-01-01")
    assert res.code == 0, res.err
    assert _flat(res.out).count(SITE) == 2  # the fleet table and the power sources table
    a, b = tmp_path / "a.nc", tmp_path / "b.nc"
    assert twin_main("solve", model, "--out", a).code == 0
    assert twin_main("solve", model, "-s", SCENARIO, "--out", b).code == 0
    res = twin_main("show", a)
    assert res.code == 0, res.err
    shown = _flat(res.out)
    assert f"plan twin plan: {NAME} " in shown
    assert f"period {SITE} " in shown
    res = twin_main("compare", a, b)
    assert res.code == 0, res.err
    compared = _flat(res.out)
    assert f"A twin plan: {NAME} B twin plan: {NAME} / {SCENARIO} " in compared
    assert f"period {SITE} " in compared


def test_a_table_prints_its_text_as_given_on_any_console() -> None:
    """twin.show(ds) prints to a plain rich Console (markup and emoji on) when none is given:
    the table's title, headers and cells are still printed as given."""
    from twin.literal import Table

    t = Table(title=f"t {SITE}")
    t.add_column(SITE)
    t.add_row("a[/]b")
    grid = Table.grid(padding=(0, 2))
    grid.add_row("plan", NAME)
    buffer = io.StringIO()
    console = Console(file=buffer, width=80)
    console.print(t)
    console.print(grid)
    printed = _flat(buffer.getvalue())
    assert f"t {SITE} {SITE} a[/]b plan {NAME}" in printed


def test_every_table_is_a_literal_table() -> None:
    """The fix is the one place cells enter a table: no module but twin/literal.py builds a
    rich table of its own."""
    root = Path(__file__).parents[2] / "twin"
    own = [
        str(f.relative_to(root))
        for f in root.rglob("*.py")
        if re.search(r"^\s*(from rich\.table import|from rich import table|import rich\.table)",
                     f.read_text(), re.M) and f.name != "literal.py"
    ]  # fmt: skip
    assert own == []
