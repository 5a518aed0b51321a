"""The ``twin`` command line: validate, state, solve, show, compare, orbit, sweep.

Exit codes (the table is :mod:`twin.errors`): 0 success; 1 an infeasible or failed solve (a
message naming the constraint family, key and period in conflict); 2 bad input (a message naming
the file and key, no traceback); 3 a feasible plan not proven optimal (report written and
marked); 130/143 interrupted by SIGINT/SIGTERM (existing output untouched).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from twin.cli.app import (
    ModelArg,
    ScenarioOpt,
    SetOpt,
    app,
    err,
    mpi_rank,
    note,
    out,
    print_plan,
    progress,
)
from twin.cli.outputs import check_not_input, check_out, input_files, open_report
from twin.cli.startup import (
    asks_help,
    check_environment,
    check_global_repeats,
    check_repeats,
    command_name,
    global_options_first,
    install_warnings,
    needs_dask,
    once_options,
    unblock,
    usage_errors,
    valued_options,
    without_dask,
)
from twin.errors import ExitCode, Interrupted, NotOptimal, TwinError, debug
from twin.literal import Table
from twin.spec.errors import SpecError

if TYPE_CHECKING:
    from twin.spec.spec import Spec


def _load(model: Path, scenario: str | None, sets: list[str] | None):
    from twin.spec import load_model, parse_assignments

    overrides = parse_assignments(sets)
    return load_model(model, scenario=scenario, overrides=overrides)


@app.command()
def validate(model: ModelArg, scenario: ScenarioOpt = None, set_: SetOpt = None) -> None:
    """Load and check a model (and scenario) without solving it."""
    from twin.inert import inert_inputs

    spec = _load(model, scenario, set_)
    m = spec.model
    names = [spec.scenario] if scenario is not None else [None, *m.scenarios]  # -s base: base
    notes: list[str] = []
    seen: set[str] = set()
    for name in names:  # every scenario must load too
        one = spec if name == spec.scenario else _load(model, name, set_)
        own = [n for n in inert_inputs(one) if n not in seen]  # the base's, or a scenario's new
        seen.update(own)
        notes += [n if name is None else f"scenario {name}: {n}" for n in own]
        if one.model.uncertainty is not None:
            notes += _as_a_tree(one)
    out.print(
        f"[green]ok[/green] {escape(str(model))}: {len(m.sites)} sites, {len(m.chips)} chips, "
        f"{len(m.tenants)} tenants, {len(m.power_sources)} power sources, "
        f"{len(m.contracts)} contracts, {len(m.events)} events; scenarios checked: "
        f"{escape(', '.join(n or 'base' for n in names))}"
    )
    for text in notes:
        note(text)


def _as_a_tree(spec: Spec) -> list[str]:
    """Why ``twin solve`` would refuse ``spec``'s uncertainty section as a scenario tree (an
    input that changes data that are not per period), as a note: a sampled sweep (``twin sweep
    --samples``) sets each member's values from the start and takes it."""
    from twin.study.information import check_per_period
    from twin.study.tree import tree_of

    try:
        check_per_period(spec, tree_of(spec))
    except SpecError as exc:
        return [
            f"scenario {spec.scenario or 'base'} cannot be solved as a tree (twin solve): "
            f"{exc}; a sampled sweep (twin sweep --samples) takes it"
        ]
    return []


@app.command()
def state(
    model: ModelArg,
    at: Annotated[str, typer.Option("--at", help="Date YYYY-MM-DD")],
    scenario: ScenarioOpt = None,
) -> None:
    """Print the as-built fleet at a date, replayed from the model's dated events."""
    from twin.state import check_date, replay

    day = check_date(at)  # before loading: a date outside 1950 to 2200, as in the input files
    spec = _load(model, scenario, None)
    m = spec.model
    st = replay(m, day)
    t = Table(title=f"Fleet at {day.isoformat()}", title_justify="left")
    for col in ("site", "online MW", "IT load MW", "H100e", "chips by generation"):
        t.add_column(col, justify="left" if col in ("site", "chips by generation") else "right")
    for s in m.sites:
        chips = ", ".join(f"{k} {st.chips(s, k):,.0f}" for k in m.chips if st.chips(s, k) > 0)
        t.add_row(
            s,
            f"{st.online_mw.get(s, 0):,.0f}",
            f"{st.it_load_mw(m, s):,.0f}",
            f"{st.h100e(m, s):,.0f}",
            chips or "-",
        )
    out.print(t)
    p = Table(title="Power sources", title_justify="left")
    for col in ("source", "site", "kind", "limit MW"):
        p.add_column(col)
    for g, ps in m.power_sources.items():
        p.add_row(g, ps.site, ps.kind, f"{st.power_limit_mw[g]:,.0f}")
    out.print(p)
    out.print(
        "Contracts running: "
        + escape(
            ", ".join(
                f"{c} ({m.contracts[c].tenant} at {m.contracts[c].site or 'any site'}"
                + (f", signed {st.signed[c].isoformat()}" if c in st.signed else "")
                + ")"
                for c in st.contracts
            )
            or "none"
        )
    )
    for when, text in st.notes:
        out.print(f"Note {when.isoformat()}: {escape(text)}")


@app.command()
def solve(
    model: ModelArg,
    out_file: Annotated[Path, typer.Option("--out", "-o", help="Report file (.nc)")],
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    handoff: Annotated[
        str | None, typer.Option(help="HiGHS hand-off of a plan: matrix (default) or pyomo")
    ] = None,
    engine: Annotated[
        str | None, typer.Option(help="Stochastic program: ef (default), or ph under mpiexec")
    ] = None,
) -> None:
    """Solve a model (and scenario) and write the netCDF report: a plan, a myopic plan or a stochastic program, as the model file says."""  # noqa: E501
    from twin import interrupt
    from twin.cli.stochastic import print_stochastic
    from twin.inert import inert_inputs
    from twin.progress import reporting, stage
    from twin.report import write
    from twin.report.run import Engine, Handoff, check_option, run

    how: Handoff = check_option("--handoff", handoff or "matrix", Handoff)
    eng: Engine = check_option("--engine", engine or "ef", Engine)
    check_out(out_file)
    with reporting(progress()):
        with stage("load"):
            spec = _load(model, scenario, set_)
            _check_kind_options(spec, engine, handoff)
            check_not_input("--out", [out_file], input_files(spec))
        if mpi_rank() == 0:  # under mpiexec, rank 0 speaks for all
            _note_unread_hedging(spec, eng)
            for text in inert_inputs(spec):  # as twin validate prints them
                note(text)
        res = run(spec, engine=eng, handoff=how)
        if res.dataset is None:  # a progressive hedging rank other than 0: rank 0 writes
            return
        write(res.dataset, out_file)
        interrupt.committed()  # a signal now would report 130 over the report just written
    if res.kind == "stochastic":
        return print_stochastic(res.dataset, out_file)
    print_plan(res.dataset.attrs, out_file)
    if not res.optimal:
        raise NotOptimal(res.dataset.attrs["termination_condition"], str(out_file))


def _check_kind_options(spec: Any, engine: str | None, handoff: str | None) -> None:
    """``--engine`` solves a stochastic program, ``--handoff`` a plan: either given for the
    other kind of run would be ignored, so it is refused naming the model file."""
    from twin.report.run import run_kind

    stochastic = run_kind(spec) == "stochastic"
    if engine is not None and not stochastic:
        raise SpecError(
            "--engine", engine, f"expected a model with an uncertainty: section; {spec.path} has "
            "none, so it solves as a plan (--engine chooses how a stochastic program is solved)",
        )  # fmt: skip
    if handoff is not None and stochastic:
        raise SpecError(
            "--handoff", handoff, f"expected a model without an uncertainty: section; {spec.path} "
            "has one, so it solves as a stochastic program (choose its --engine instead)",
        )  # fmt: skip


def _note_unread_hedging(spec: Any, engine: str) -> None:
    """A yellow note (as twin validate's) when the model file's ``uncertainty.hedging`` is
    given but the extensive form solves it: the engine is chosen on the command line, so one
    model file may serve both, and the section is not refused, but it is not read either."""
    section = spec.model.uncertainty
    if engine == "ef" and section is not None and "hedging" in section.model_fields_set:
        note(
            f"{spec.path}: uncertainty.hedging is read by --engine ph only; this solve "
            "(--engine ef, the default) does not read it"
        )


@app.command()
def show(
    report: Annotated[
        Path,
        typer.Argument(
            help="Any file twin writes: a report (plain, myopic, stochastic), sweep.nc, "
            "alternatives.nc, a clause value or an orbit geometry",
            metavar="FILE",
        ),
    ],
    all_columns: Annotated[
        bool, typer.Option("--all", help="Every column (no 'others (N)' column)")
    ] = False,
    csv_dir: Annotated[
        Path | None,
        typer.Option("--csv", help="Also write each table as a CSV file into DIR (created if "
                     "missing)", metavar="DIR"),
    ] = None,
) -> None:
    """Print a readable summary of a report (NPV, tables, limits) or any file twin writes."""
    from twin.cli.app import SafeConsole
    from twin.report import ReportError
    from twin.report.file_summary import show_file
    from twin.report.plot_kinds import file_kind
    from twin.report.tables import table_options

    if csv_dir is not None and not (csv_dir.is_dir() or (not csv_dir.exists()
                                                         and csv_dir.parent.is_dir())):  # fmt: skip
        raise SpecError("--csv", str(csv_dir), "expected a directory for the CSV files, or a new "
                        "one in an existing directory")  # fmt: skip
    ds = _load_any(report)
    kind = file_kind(ds)
    if kind == "netCDF file":  # refused as compare and plot refuse it
        raise ReportError(
            report, "expected a file twin writes (a report, sweep.nc, alternatives.nc, a clause "
            "value or an orbit geometry); found a netCDF file twin did not write",
        )  # fmt: skip
    if kind in ("report", "stochastic report"):
        ds = open_report(report)  # checks the schema version
    wide = SafeConsole(width=max(out.width, 400), file=out.file, emoji=False)
    console = wide if all_columns else out
    try:
        with _csv_set(csv_dir, report) as folder, table_options(all_columns, folder) as opts:
            show_file(ds, console)
    except KeyError as exc:
        raise ReportError(report, f"expected a complete twin file; missing {exc}") from None
    if csv_dir is not None:
        out.print(f"wrote {len(opts.written)} tables as CSV to {escape(str(csv_dir))}")


def _csv_set(csv_dir: Path | None, report: Path) -> Any:
    """Where ``twin show --csv DIR`` writes its tables: a staging folder swapped into DIR once
    every table is written (an error leaves DIR as it was), never over the report it reads."""
    import contextlib

    from twin.cli.outputs import output_set

    if csv_dir is None:
        return contextlib.nullcontext(None)
    check_not_input("--csv", list(csv_dir.glob("*.csv")), [report])
    return output_set(csv_dir, r"(?!)")  # replaces tables of the same name, removes none


def _load_any(path: Path) -> Any:
    from twin.report import read

    return read(path)  # none, a directory, an empty or non-netCDF file: as every reader says


@app.command()
def compare(
    a: Annotated[Path, typer.Argument(help="Report A (.nc)")],
    b: Annotated[Path, typer.Argument(help="Report B (.nc)")],
) -> None:
    """Compare two reports: B minus A."""
    from twin.cli.stochastic import compare_any
    from twin.report import ReportError

    ra, rb = open_report(a), open_report(b)
    try:
        compare_any(ra, rb)
    except KeyError as exc:
        raise ReportError(f"{a} or {b}", f"expected complete twin reports; missing {exc}") from None


def main() -> None:
    """Entry point: every ending has an exit code of :class:`twin.errors.ExitCode`, never a
    traceback (unless ``TWIN_DEBUG=1`` for an internal error)."""
    from twin import interrupt

    blocked = [] if needs_dask(sys.argv[1:]) else without_dask()
    interrupt.install()
    install_warnings()
    try:
        code = _run()
        interrupt.ended()  # a signal in shutdown would end in 130 or an atexit traceback
    except Interrupted as exc:  # a signal during the error handling itself
        code = exc.exit_code
    finally:
        unblock(blocked)
    if interrupt.abandoned() or code in (ExitCode.SIGINT, ExitCode.SIGTERM):  # end now, no teardown
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _run() -> int:
    """Run the app; map each way it ends to an exit code (printing the message).

    Errors are classified by type: a :class:`twin.errors.TwinError` carries its exit code and
    label; a usage error of Typer (or of the Click it uses, whichever the install has) exits 2.
    """
    argv = sys.argv[1:]
    try:
        from twin.cli.help_text import tidy
        from twin.cli.numbers import check_numbers

        command = check_numbers(tidy(typer.main.get_command(app)))
        name = command_name(check_global_repeats(argv))
        if name is not None and not asks_help(argv):  # a command runs (not --help, --version)
            check_environment()
        valued = valued_options(command, name)
        args = global_options_first(argv, valued)
        if name in args:
            check_repeats(args[args.index(name) + 1 :], once_options(command, name), valued)
        command.main(args=args, prog_name="twin", standalone_mode=False)
        return ExitCode.OK
    except Interrupted as exc:
        err.print(f"[red]{exc}[/red]: stopped; existing output left as it was", highlight=False)
        return exc.exit_code
    except KeyboardInterrupt:
        return ExitCode.SIGINT
    except TwinError as exc:
        colour = "yellow" if isinstance(exc, NotOptimal) else "red"
        err.print(f"[{colour}]{exc.label}:[/{colour}] {escape(str(exc))}", highlight=False)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        return ExitCode.SIGINT
    except usage_errors() as exc:  # an unknown command or option, a missing or mistyped value
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:  # pragma: no cover - every usage error of Click and Typer has show()
            err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        return ExitCode.BAD_INPUT
    except OSError as exc:  # a file that cannot be read or written (disk full, permissions)
        where = exc.filename or "<file>"
        err.print(f"[red]error:[/red] {escape(f'{where}: {exc.strerror or exc}')}", highlight=False)
        return ExitCode.BAD_INPUT
    except Exception as exc:  # otherwise a bug: say so in one line
        if debug():
            raise
        err.print(
            f"[red]internal error (a bug in twin):[/red] {escape(type(exc).__name__)}: "
            f"{escape(' '.join(str(exc).split()))}; run with TWIN_DEBUG=1 for the traceback",
            highlight=False,
        )
        return ExitCode.INTERNAL


from twin.cli import export as _export  # noqa: E402,F401 - registers twin export
from twin.cli import orbit as _orbit  # noqa: E402,F401 - registers twin orbit, orbit-cost
from twin.cli import plot as _plot  # noqa: E402,F401 - registers twin plot
from twin.cli import stochastic as _stochastic  # noqa: E402,F401 - registers twin clause
from twin.cli import study as _study  # noqa: E402,F401 - registers the study commands
