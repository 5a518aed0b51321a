"""``twin plot``: draw one chart of a report, a sweep, two reports or a model to an image file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from twin.cli.app import app, out
from twin.spec.errors import SpecError

#: kinds that read a sweep summary (sweep.nc) rather than a solve report
SWEEP_KINDS = ("breakeven", "tornado", "fan")
IMAGE_SUFFIXES = (".png", ".svg", ".pdf")


def _open_sweep(path: Path):
    import xarray as xr

    from twin.report import ReportError

    if not path.exists():
        raise ReportError(path, "expected an existing sweep file (sweep.nc); none found")
    try:
        ds = xr.load_dataset(path, engine="netcdf4")
    except (OSError, ValueError) as exc:
        raise ReportError(path, f"expected a netCDF sweep, could not read it ({exc})") from None
    if "member" not in ds.dims:
        raise ReportError(path, "expected a sweep (a 'member' dimension), as twin sweep writes")
    return ds


def _figure(kind: str, inputs: list[Path], site: list[str] | None, path: str | None, var: str):
    from twin.report import open as open_report
    from twin.report import plots

    first = inputs[0]
    if kind == "compare":
        if len(inputs) != 2:
            raise SpecError("REPORTS", " ".join(map(str, inputs)), "expected two reports: A B")
        return plots.plot_compare(open_report(inputs[0]), open_report(inputs[1]))
    if len(inputs) != 1:
        raise SpecError("REPORTS", " ".join(map(str, inputs)), f"expected one file for {kind}")
    if kind == "map" and first.suffix in (".yaml", ".yml"):
        from twin.spec import load_model

        return plots.map_of_model(load_model(first))
    if kind in SWEEP_KINDS:
        from twin.report.sweep_plots import member_reports

        sweep = _open_sweep(first)
        if kind == "breakeven":
            return plots.plot_breakeven(sweep, path, var or "fab_kwspm")
        if kind == "tornado":
            return plots.plot_tornado(sweep, var or "npv_musd")
        return plots.plot_fan(member_reports(sweep, first.parent), var or "capacity_mw")
    ds = open_report(first)
    if kind == "map":
        return plots.map_of_report(ds)
    if kind == "marginal":
        for s in site or []:
            if s not in ds["site"].values:
                raise SpecError("--site", s, f"expected one of {list(ds['site'].values)}")
        return plots.plot_marginal(ds, site or None)
    return getattr(plots, f"plot_{kind}")(ds)


def _kinds_help() -> str:
    from twin.report.plot_kinds import KINDS

    return "; ".join(f"{k}: {v}" for k, v in KINDS.items())


@app.command(help=f"Draw a chart to an image file. Kinds: {_kinds_help()}.")
def plot(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Report (.nc), sweep (sweep.nc), two reports (compare) or a model"),
    ],
    kind: Annotated[str, typer.Option("--kind", "-k", help="Chart kind (see above)")],
    out_file: Annotated[Path, typer.Option("--out", "-o", help="Image file (.png, .svg, .pdf)")],
    site: Annotated[
        list[str] | None, typer.Option("--site", help="Site to show (marginal; repeatable)")
    ] = None,
    path: Annotated[
        str | None, typer.Option("--path", help="Swept path on the x axis (breakeven)")
    ] = None,
    variable: Annotated[
        str, typer.Option("--variable", help="Variable to draw (breakeven, tornado, fan)")
    ] = "",
    dpi: Annotated[int, typer.Option(help="Resolution [dots per inch]")] = 100,
) -> None:
    """Draw chart ``kind`` from ``inputs`` to ``out_file`` (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    from twin.report.plot_kinds import KINDS

    if kind not in KINDS:
        raise SpecError("--kind", kind, f"expected one of {', '.join(KINDS)}")
    if out_file.suffix not in IMAGE_SUFFIXES:
        raise SpecError("--out", str(out_file), f"expected a name ending in {IMAGE_SUFFIXES}")
    if not out_file.parent.exists():
        raise SpecError(
            "--out", str(out_file), f"expected an existing directory '{out_file.parent}'"
        )
    if not 10 <= dpi <= 1200:
        raise SpecError("--dpi", str(dpi), "expected 10 to 1200 dots per inch")
    try:
        fig = _figure(kind, inputs, site, path, variable)
    except KeyError as exc:  # a variable or swept path the file does not have
        raise SpecError(
            "--variable/--path", str(exc.args[0]), "expected one the file holds"
        ) from None
    fig.savefig(out_file, dpi=dpi)
    out.print(f"wrote {out_file}")
