"""The Typer app, the consoles and the option types every ``twin`` command shares.

Command modules (``twin.cli.<topic>``) register on :data:`app`; heavy imports stay inside the
command functions so that ``twin --help`` starts at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from twin.progress import Progress

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="twin: plan AI compute on the ground and in orbit.",
)


class SafeConsole(Console):
    """A console whose text never breaks a command: names and paths a user gave (``x[/]y.nc``,
    a site ``a[/]b``) are printed inside messages that carry markup; text whose markup does not
    parse is printed as it is, not raised as a MarkupError (an internal error, exit 70, after
    the output was written). Emoji codes are off: ``capex:x:`` stays as typed."""

    def render_str(self, text: str, **kwargs: Any) -> Any:
        """The text with its markup, or as plain text when the markup does not parse."""
        from rich.errors import MarkupError

        try:
            return super().render_str(text, **kwargs)
        except MarkupError:
            return super().render_str(text, **{**kwargs, "markup": False})


out = SafeConsole(emoji=False)
err = SafeConsole(stderr=True, soft_wrap=True, emoji=False)

ModelArg = Annotated[Path, typer.Argument(help="Model file (YAML)")]
ScenarioOpt = Annotated[str | None, typer.Option("--scenario", "-s", help="Named scenario")]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set", help="Override PATH=VALUE (repeatable), e.g. policy.internal_share_min=0.8"
    ),
]


@dataclass
class Settings:
    """Options given before the command: ``twin --quiet solve ...``."""

    quiet: bool = False
    verbose: bool = False


settings = Settings()


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        out.print(f"twin {version('twin')}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version"),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing but errors and the result")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print the solver's raw log as well")
    ] = False,
    data_root: Annotated[
        list[str] | None,  # text: a Path option reads '' as '.', the working folder
        typer.Option(
            "--data-root",
            help="Also allow dataset paths inside DIR (repeatable; or TWIN_DATA_ROOT)",
        ),
    ] = None,
) -> None:
    """twin: plan AI compute on the ground and in orbit."""
    if quiet and verbose:
        from twin.spec.errors import SpecError

        raise SpecError("--quiet", "--verbose", "contradicting options; expected one of them")
    settings.quiet, settings.verbose = quiet, verbose
    if data_root:  # through the environment, so that sweep workers see it too
        from twin.spec.overrides import check_data_root

        check_data_root(data_root, "--data-root")  # '' (the working folder), a missing folder
        extra = os.pathsep.join(str(Path(p).expanduser().resolve()) for p in data_root)
        old = os.environ.get("TWIN_DATA_ROOT", "")
        os.environ["TWIN_DATA_ROOT"] = os.pathsep.join(x for x in (extra, old) if x)


def mpi_rank() -> int:
    """This process's rank under ``mpiexec`` (MPICH, Open MPI, Slurm), 0 otherwise; read from the
    environment, so that no MPI library is imported to print progress."""
    for key in ("PMI_RANK", "OMPI_COMM_WORLD_RANK", "PMIX_RANK", "SLURM_PROCID"):
        if os.environ.get(key, "").isdigit():
            return int(os.environ[key])
    return 0


def note(text: str) -> None:
    """Print ``text`` (read as plain text, not markup) as a yellow note on stdout: an input that
    is legal but does nothing, or an option this run does not read."""
    from rich.markup import escape

    out.print(f"[yellow]note[/yellow]: {escape(text)}", soft_wrap=True)


def progress() -> Progress | None:
    """The progress reporter the options ask for: stages and solver state on stderr, or None."""
    if settings.quiet or mpi_rank() > 0:  # under mpiexec, rank 0 speaks for all
        return None
    from twin.progress import ConsoleProgress

    return ConsoleProgress(err, verbose=settings.verbose)


def print_plan(a: dict[str, Any], out_file: Path) -> None:
    """The one-line summary of a solved plan (and its foresight)."""
    from rich.markup import escape

    if a["foresight"] == "myopic":
        out.print(
            f"myopic foresight: {a['n_windows']} windows of {a['window_years']} years, "
            f"{a['step_years']}-year steps"
        )
    geo = f"orbit geometry {a['geometry_s']:.2f} s, " if a["geometry_s"] > 0 else ""
    colour = "green" if a["optimal"] else "yellow"
    out.print(
        f"[{colour}]{a['termination_condition']}[/{colour}] {escape(str(a['title']))}: NPV "
        f"{a['npv_musd']:,.0f} $M; {geo}build {a['build_s']:.2f} s, hand-off "
        f"{a['handoff_s']:.2f} s, solve {a['solve_s']:.2f} s; wrote {escape(str(out_file))}"
    )
