"""Study commands: near-optimal alternatives, and ensembles (grid or sampled) with sensitivity."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from twin.cli.app import ModelArg, ScenarioOpt, SetOpt, app, out
from twin.spec.errors import SpecError


def _out_dir(path: Path) -> None:
    if not path.parent.exists():
        raise SpecError("--out-dir", str(path), f"expected an existing parent '{path.parent}'")


@app.command()
def alternatives(
    model: ModelArg,
    out_dir: Annotated[Path, typer.Option("--out-dir", help="Directory for the reports")],
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    slack: Annotated[
        float, typer.Option(help="Share of the optimum NPV given up, in (0, 1)")
    ] = 0.05,
    metric: Annotated[
        list[str] | None,
        typer.Option(
            "--metric",
            help="Metric to minimise and maximise (repeatable): orbit_mw, site_mw:SITE, "
            "fab_share, leased_share, capex; default: all that can vary",
        ),
    ] = None,
    spores: Annotated[int, typer.Option(help="Length of the SPORES series")] = 3,
) -> None:
    """Near-optimal alternatives (MGA): plans within SLACK of the best NPV that minimise and
    maximise each metric, and a SPORES series; one report per alternative, a summary
    ``alternatives.nc`` and a plot of the ranges ``alternatives.png``."""
    from twin.report import write
    from twin.report.study import alternative_report
    from twin.spec import load_model, parse_assignment
    from twin.study.alternatives import check_inputs, check_slack, near_optimal

    check_slack(slack)
    _out_dir(out_dir)
    spec = load_model(model, scenario=scenario, overrides=[parse_assignment(s) for s in set_ or []])
    check_inputs(spec, slack, metric, spores)
    out_dir.mkdir(exist_ok=True)

    def keep(alt, plan, study) -> None:  # noqa: ANN001
        write(alternative_report(alt, plan, study), out_dir / f"{alt.name}.nc")

    study = near_optimal(spec, slack, metric, spores=spores, on_solution=keep)
    ds = study.to_dataset()
    write(ds, out_dir / "alternatives.nc")
    from twin.report.alternatives_plots import plot_ranges

    plot_ranges(ds).savefig(out_dir / "alternatives.png", dpi=120, bbox_inches="tight")
    t = Table(
        title=f"Within {slack:.1%} of the optimum NPV {study.optimum_musd:,.0f} $M "
        f"(floor {study.floor_musd:,.0f} $M)",
        title_justify="left",
    )
    for col in ("metric", "units", "optimum", "least", "most"):
        t.add_column(col, justify="left" if col in ("metric", "units") else "right")
    for lb, (lo, hi) in study.ranges().items():
        opt = study.alternatives[0].metrics[lb]
        units = str(ds["units"].sel(metric=lb).item())
        fmt = "{:,.3f}" if units == "1" else "{:,.0f}"
        t.add_row(lb, units, fmt.format(opt), fmt.format(lo), fmt.format(hi))
    out.print(t)
    out.print(
        f"wrote {len(study.alternatives)} alternative reports, {out_dir / 'alternatives.nc'} "
        f"and {out_dir / 'alternatives.png'}"
    )
