"""The Typer app, the consoles and the option types every ``twin`` command shares.

Command modules (``twin.cli.<topic>``) register on :data:`app`; heavy imports stay inside the
command functions so that ``twin --help`` starts at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="twin: plan AI compute on the ground and in orbit.",
)
out = Console()
err = Console(stderr=True, soft_wrap=True)

ModelArg = Annotated[Path, typer.Argument(help="Model file (YAML)")]
ScenarioOpt = Annotated[str | None, typer.Option("--scenario", "-s", help="Named scenario")]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set", help="Override PATH=VALUE (repeatable), e.g. policy.internal_share_min=0.8"
    ),
]
