"""``twin plot``: draw one chart of any file twin writes (a report, a stochastic report, a
sweep, alternatives, two reports, or a model) to an image file. A kind that does not fit the
file exits 2 naming the kinds that do (:data:`twin.report.plot_kinds.FITS`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from twin.cli.app import app, out
from twin.report.plot_kinds import a_kind, file_kind
from twin.spec.errors import SpecError

IMAGE_SUFFIXES = (".png", ".svg", ".pdf")

#: Options that only some chart kinds read: given for another kind they would do nothing.
KIND_OPTIONS: dict[str, tuple[str, ...]] = {
    "--site": ("marginal",),
    "--path": ("breakeven",),
    "--variable": ("breakeven", "tornado", "fan"),
    "--period": ("dispatch",),
    "--day": ("dispatch",),
}


def _check_kind_options(kind: str, given: Mapping[str, object]) -> None:
    """Each option of :data:`KIND_OPTIONS` given (not None) is one ``kind`` reads, and a
    repeatable one (``--site``) holds each value once."""
    sites = given["--site"] if isinstance(given["--site"], list) else []
    twice = [s for i, s in enumerate(sites) if s in sites[:i]]
    if twice:
        raise SpecError("--site", twice[0], "given twice; expected each site once")
    for option, kinds in KIND_OPTIONS.items():
        if given[option] is not None and kind not in kinds:
            raise SpecError(
                option, f"--kind {kind}", f"expected it only with --kind {' or '.join(kinds)}"
            )


def _check_texts(kind: str, texts: Mapping[str, str | None], sites: list[str]) -> None:
    """Text options are not empty (``--period ''`` drew the default period, ``--path ''`` was
    blamed on the file), and ``--scenario-leaf`` comes with a chart of a plan (with npv, fan,
    ranges or compare it was ignored without a word)."""
    from twin.report.plot_kinds import FITS

    for option, value in [*texts.items(), *(("--site", s) for s in sites)]:
        if value is not None and not value.strip():
            raise SpecError(option, repr(value), "expected a non-empty value")
    plans = [k for k in FITS["report"] if k != "compare"]
    if texts["--scenario-leaf"] is not None and kind not in plans:
        raise SpecError(
            "--scenario-leaf", f"--kind {kind}", "expected it only with the chart of a plan on "
            f"a stochastic report: --kind {' or '.join(plans)}",
        )  # fmt: skip


def _check_variable(ds: Any, var: str | None, kind: str) -> None:
    """``--variable`` names numbers the chart can draw: over periods for a fan, per member for a
    sweep's tornado or break-even (a text or a scalar variable ended in exit 70)."""
    if var is None:
        return
    # only a fan reads a sweep's percentiles (VAR_pct); tornado and break-even read VAR per member
    name = f"{var}_pct" if kind == "fan" and f"{var}_pct" in ds.variables else var
    if name not in ds.variables:
        return  # a sweep's fan reads the member reports; a missing name is a KeyError, blamed
    da = ds[name]
    if da.dtype.kind not in "fiu":
        raise SpecError("--variable", var, f"expected a numeric variable; it holds {da.dtype}")
    need = "period" if kind == "fan" else "member" if "member" in ds.dims else None
    if need is not None and need not in da.dims:
        raise SpecError(
            "--variable", var, f"expected a variable over {need}s for --kind {kind}; it has "
            f"dimensions {tuple(map(str, da.dims)) or 'none'}",
        )  # fmt: skip


def _load(path: Path) -> Any:
    from twin.report import read

    return read(path)  # none, a directory, an empty or non-netCDF file: as every reader says


def _check_fits(kind: str, what: str, path: Path) -> None:
    from twin.report.plot_kinds import FITS

    fits = FITS.get(what, ())
    if kind not in fits:
        can = f"can be drawn as {', '.join(fits)}" if fits else "has no chart (try twin show)"
        if what == "netCDF file":  # twin show refuses it too
            can = "twin did not write: expected a file twin writes"
        raise SpecError("--kind", kind, f"{path} is {a_kind(what)}, which {can}")


def _open_plan(path: Path, kind: str) -> Any:
    """A file to draw as ``kind``: a report is complete (:func:`complete_report`), as show and
    compare take it (a report of another schema version, or without its variables, was drawn)."""
    from twin.cli.outputs import complete_report

    ds = _load(path)
    what = file_kind(ds)
    _check_fits(kind, what, path)
    return complete_report(ds, path) if what in ("report", "stochastic report") else ds


def _figure(kind: str, inputs: list[Path], opts: dict[str, Any]) -> Any:
    from twin.report import plots

    first, leaf = inputs[0], opts["leaf"]
    if kind == "compare":
        if len(inputs) != 2:
            raise SpecError("FILE...", " ".join(map(str, inputs)), "expected two reports: A B")
        a, b = (_open_plan(p, kind) for p in inputs)
        try:
            return plots.plot_compare(a, b)
        except ValueError as exc:  # periods differ
            raise SpecError("REPORTS", " ".join(map(str, inputs)), str(exc)) from None
    if len(inputs) != 1:
        raise SpecError("REPORTS", " ".join(map(str, inputs)), f"expected one file for {kind}")
    if first.suffix in (".yaml", ".yml"):
        return _model_figure(kind, first, opts)
    ds = _open_plan(first, kind)
    what = file_kind(ds)
    _check_variable(ds, opts["variable"], kind)
    if what in ("sweep", "sampled sweep"):
        return _sweep_figure(kind, ds, first, opts)
    if what == "alternatives":
        from twin.report.alternatives_plots import plot_ranges

        return plot_ranges(ds)
    if leaf is not None and what != "stochastic report":
        raise SpecError(
            "--scenario-leaf", leaf, f"{first} is {a_kind(what)}, not a stochastic report"
        )
    if kind in ("npv", "fan"):
        from twin.report import stochastic_plots as sp

        ax = (
            sp.plot_npv_distribution(ds)
            if kind == "npv"
            else sp.plot_fan(ds, opts["variable"] or "capacity_mw")
        )
        return ax.figure
    if kind == "map":
        return plots.map_of_report(ds)
    if kind == "dispatch":
        return _dispatch_figure(ds, opts)
    if kind == "marginal":
        for s in opts["site"] or []:
            if s not in ds["site"].values:
                raise SpecError("--site", s, f"expected one of {list(map(str, ds['site'].values))}")
        return plots.plot_marginal(ds, opts["site"] or None, leaf=leaf)
    return getattr(plots, f"plot_{kind}")(ds, leaf=leaf)


def _model_figure(kind: str, model: Path, opts: dict[str, Any]) -> Any:
    """The map of a model file (no leaf: a model is not a stochastic report)."""
    from twin.cli.outputs import check_not_input, input_files
    from twin.report import plots
    from twin.spec import load_model

    if opts["leaf"] is not None:
        raise SpecError(
            "--scenario-leaf", opts["leaf"], f"{model} is a model, not a stochastic report"
        )
    _check_fits(kind, "model", model)
    spec = load_model(model)
    check_not_input("--out", [opts["out"]], input_files(spec))
    return plots.map_of_model(spec)


def _dispatch_figure(ds: Any, opts: dict[str, Any]) -> Any:
    from twin.report.plot_dispatch import plot_dispatch

    try:
        return plot_dispatch(ds, opts["period"], opts["day"] or 0, leaf=opts["leaf"])
    except KeyError as exc:  # a period or day the report does not have
        msg, leaf = str(exc.args[0]), opts["leaf"]
        key = "--day" if msg[:3] == "day" else "--period"
        key = "--scenario-leaf" if leaf is not None and leaf in msg else key
        if opts[key.lstrip("-").replace("scenario-", "")] is None:  # not given: the file lacks it
            raise _file_lacks(opts["inputs"], msg) from None
        raise SpecError(key, msg, "expected one the report holds") from None


def _file_lacks(inputs: list[Path], msg: str) -> Exception:
    """The error for a variable, period or day the file(s) lack when no option asked for it."""
    import re

    from twin.report import ReportError

    named = re.match(r"No variable named '(.+?)'", msg)  # xarray's words, with its guesses
    what = f"variable {named.group(1)}" if named else msg
    return ReportError(" ".join(map(str, inputs)), f"expected a complete twin file; missing {what}")


def _blame(exc: KeyError, inputs: list[Path], opts: dict[str, Any]) -> Exception:
    """Who a KeyError of drawing is blamed on: ``--scenario-leaf`` or ``--variable``/``--path``
    when given and named; else the file, which lacks what the chart reads (the options were
    blamed though not given)."""
    msg, leaf = str(exc.args[0]) if exc.args else str(exc), opts["leaf"]
    if leaf is not None and str(leaf) in msg:
        return SpecError("--scenario-leaf", msg, "expected one the file holds")
    given = [o for o in ("--variable", "--path") if opts[o.lstrip("-")] is not None]
    if given:
        named = "/".join(given)
        msg = msg.removeprefix(f"{named}: ").removeprefix("--path: ")  # named once, in front
        return SpecError(named, msg, "expected one the file holds")
    return _file_lacks(inputs, msg)


def _sweep_figure(kind: str, sweep: Any, path: Path, opts: dict[str, Any]) -> Any:
    from twin.report import plots
    from twin.report.sweep_plots import member_reports

    var = opts["variable"]
    if kind == "breakeven":
        return plots.plot_breakeven(sweep, opts["path"], var or "fab_kwspm")
    if kind == "tornado":
        return plots.plot_tornado(sweep, var or "npv_musd")
    var = var or "capacity_mw"
    reports = None if f"{var}_pct" in sweep else member_reports(sweep, path.parent)
    return plots.plot_fan(sweep, var, reports=reports)


def _check_out(out_file: Path, inputs: list[Path]) -> None:
    """The image file: a known suffix, in an existing folder, no FIFO, device or socket (nor a
    link to one: :func:`twin.atomic.destination`), and none of the files read."""
    from twin.cli.outputs import check_not_input, written_file

    if out_file.suffix not in IMAGE_SUFFIXES:
        raise SpecError(
            "--out", str(out_file), f"expected a name ending in {', '.join(IMAGE_SUFFIXES)}"
        )
    if not out_file.parent.exists():
        raise SpecError(
            "--out", str(out_file), f"expected an existing directory '{out_file.parent}'"
        )
    written_file(out_file, "--out")  # a link whose target's folder does not exist, a FIFO
    check_not_input("--out", [out_file], [p for p in inputs if p.is_file()])


def _kinds_help() -> str:
    from twin.report.plot_kinds import KINDS

    return "; ".join(f"{k}: {v}" for k, v in KINDS.items())


@app.command(help=f"Draw a chart to an image file. Kinds: {_kinds_help()}.")
def plot(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="A report (.nc, plain, myopic or stochastic), sweep.nc, alternatives.nc, "
            "two reports (compare) or a model",
            metavar="FILE...",
        ),
    ],
    kind: Annotated[
        str, typer.Option("--kind", "-k", help="Chart kind (see above)", metavar="KIND")
    ],
    out_file: Annotated[
        Path,
        typer.Option("--out", "-o", help="Image file (.png, .svg, .pdf)", metavar="IMAGE"),
    ],
    site: Annotated[
        list[str] | None,
        typer.Option("--site", help="Site to show (marginal; repeatable)", metavar="SITE"),
    ] = None,
    path: Annotated[
        str | None,
        typer.Option("--path", help="Swept path on the x axis (breakeven)", metavar="PATH"),
    ] = None,
    variable: Annotated[
        str | None,
        typer.Option(
            "--variable", help="Variable to draw (breakeven, tornado, fan)", metavar="NAME"
        ),
    ] = None,
    leaf: Annotated[
        str | None,
        typer.Option(
            "--scenario-leaf",
            help="Stochastic report: draw this leaf (e.g. scen3) instead of the expected plan",
            metavar="LEAF",
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="Period to show (dispatch): its start, e.g. 2031 or 2031-07; default: the one "
            "with the most energy",
            metavar="START",
        ),
    ] = None,
    day: Annotated[
        int | None,
        typer.Option("--day", help="Day to show (dispatch), default 0 [index from 0]", metavar="N"),
    ] = None,
    dpi: Annotated[int, typer.Option(help="Resolution [dots per inch]", metavar="DPI")] = 100,
) -> None:
    """Draw chart ``kind`` from ``inputs`` to ``out_file`` (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    from twin.report.plot_kinds import KINDS

    if kind not in KINDS:
        raise SpecError("--kind", kind, f"expected one of {', '.join(KINDS)}")
    _check_out(out_file, inputs)
    given = {"--site": site or None, "--path": path, "--variable": variable, "--period": period,
             "--day": day}  # fmt: skip
    _check_kind_options(kind, given)
    texts = {"--path": path, "--variable": variable, "--period": period, "--scenario-leaf": leaf}
    _check_texts(kind, texts, site or [])
    if not 10 <= dpi <= 1200:
        raise SpecError("--dpi", str(dpi), "expected 10 to 1200 dots per inch")
    opts = {"site": site, "path": path, "variable": variable, "leaf": leaf,
            "period": period, "day": day, "out": out_file, "inputs": inputs}  # fmt: skip
    try:
        fig = _figure(kind, inputs, opts)
    except KeyError as exc:  # a variable, swept path or leaf the file does not have
        raise _blame(exc, inputs, opts) from None
    from twin.cli.outputs import save_figure

    save_figure(fig, out_file, "--out", dpi=dpi)
    out.print(f"wrote {escape(str(out_file))}")
