"""``twin orbit`` (the shells' geometry to netCDF) and ``twin orbit-cost`` (a kW-year in orbit)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from twin.cli.app import ModelArg, ScenarioOpt, app, out, progress
from twin.cli.outputs import check_not_input, check_out, input_files
from twin.literal import Table
from twin.spec.errors import SpecError


@app.command()
def orbit(
    model: ModelArg,
    out_file: Annotated[Path, typer.Option("--out", "-o", help="Geometry file (.nc)")],
    scenario: ScenarioOpt = None,
) -> None:
    """Compute the orbit geometry of every shell (sunlight, contacts, latency, links) to netCDF."""
    from twin.cli import _load
    from twin.orbit import shell_geometry
    from twin.progress import reporting
    from twin.report import write
    from twin.report.cf import annotate

    check_out(out_file)
    spec = _load(model, scenario, None)
    check_not_input("--out", [out_file], input_files(spec))
    o = spec.model.orbit
    if not o.shells:
        raise SpecError(model, "orbit.shells", "expected at least one shell to compute")
    with reporting(progress()):  # a phase per shell
        ds = shell_geometry(o.shells, o.ground_stations, o.window)
    ds.attrs.update(schema_version="orbit-1", title=f"twin orbit geometry: {spec.model.name}")
    annotate(ds, model_file=spec.path, files=spec.files, action="orbit geometry")
    write(ds, out_file)
    t = Table(title="Shell geometry", title_justify="left")
    for col in (
        "shell",
        "satellites",
        "period min",
        "sunlit",
        "longest eclipse min",
        "best station contact",
    ):
        t.add_column(col, justify="left" if col == "shell" else "right")
    for sh in ds["shell"].values:
        g = ds.sel(shell=sh)
        best = g["contact_fraction"].argmax("station")
        t.add_row(
            str(sh),
            f"{int(g['n_satellites'])}",
            f"{float(g['period_min']):.1f}",
            f"{float(g['sunlit_fraction']):.3f}",
            f"{float(g['max_eclipse_min']):.1f}",
            f"{g['station'].values[int(best)]!s} "
            f"{float(g['contact_fraction'].isel(station=int(best))):.2f}",
        )
    out.print(t)
    out.print(f"wrote {escape(str(out_file))}")


def _model_bounds(option: str, value: float, name: str) -> None:
    """``value`` within the bounds the model file gives ``economics.<name>`` (its pydantic
    field's ``ge``/``gt``/``le``/``lt``), else a :class:`SpecError` naming ``option``."""
    import operator

    from twin.spec.schema import Economics

    tests = (("ge", operator.ge, ">="), ("gt", operator.gt, ">"), ("le", operator.le, "<="),
             ("lt", operator.lt, "<"))  # fmt: skip
    for meta in Economics.model_fields[name].metadata:
        for attr, holds, word in tests:
            bound = getattr(meta, attr, None)
            if bound is not None and not holds(value, bound):  # NaN holds no bound
                raise SpecError(
                    option, str(value), f"expected {word} {bound:g}, as economics.{name} in a model"
                )


@app.command("orbit-cost")
def orbit_cost(
    launch: Annotated[
        list[float] | None, typer.Option("--launch", help="Launch prices to tabulate [$/kg]")
    ] = None,
    specific_power: Annotated[float, typer.Option(help="Specific power [kW/t]")] = 100.0,
    lifetime: Annotated[float, typer.Option(help="Satellite lifetime [years]")] = 5.0,
    hardware: Annotated[float, typer.Option(help="Hardware cost [$/kW]")] = 0.0,
    sunlit: Annotated[float, typer.Option(help="Sunlit fraction [-]")] = 1.0,
    discount_rate: Annotated[float, typer.Option(help="Discount rate [1/yr]")] = 0.0,
) -> None:
    """Cost of a kW-year of power in orbit against the ground's, and the break-even launch price."""
    from twin.orbit.power_cost import (
        TERRESTRIAL_POWER_USD_PER_KW_YEAR,
        break_even_launch_price,
        orbital_power_cost,
    )

    for name, v, lo, hi in (
        ("specific_power", specific_power, 1e-6, 1e6),
        ("lifetime", lifetime, 1e-6, 100),
        ("sunlit", sunlit, 1e-6, 1.0),
        ("hardware", hardware, 0, 1e9),
    ):
        if not lo <= v <= hi:
            raise SpecError(f"--{name.replace('_', '-')}", str(v), f"expected {lo} to {hi}")
    _model_bounds("--discount-rate", discount_rate, "discount_rate")
    bad = [p for p in launch or [] if not 0 <= p <= 1e6]  # NaN fails both comparisons
    if bad:
        raise SpecError("--launch", str(bad[0]), "expected a launch price 0 to 1e6 $/kg")
    twice = [p for i, p in enumerate(launch or []) if p in (launch or [])[:i]]
    if twice:
        raise SpecError("--launch", f"{twice[0]:g}", "given twice; expected each price once")
    prices = launch or [3600, 1000, 500, 200, 100]
    kw = dict(
        specific_power_kw_per_t=specific_power,
        lifetime_years=lifetime,
        hardware_usd_per_kw=hardware,
        sunlit_fraction=sunlit,
        discount_rate=discount_rate,
    )
    lo, hi = TERRESTRIAL_POWER_USD_PER_KW_YEAR
    t = Table(title="Cost of power in orbit [$/kW-year]", title_justify="left")
    for col in ("launch $/kg", "orbit $/kW-yr", f"vs ground {lo:,.0f}", f"vs ground {hi:,.0f}"):
        t.add_column(col, justify="right")
    for p in prices:
        c = float(orbital_power_cost(p, **kw))
        t.add_row(f"{p:,.0f}", f"{c:,.0f}", f"{c / lo:.1f}x", f"{c / hi:.1f}x")
    out.print(t)
    out.print(
        "one definition with the plan's report (twin.orbit.power_cost): (launch x 1000 / specific "
        "power + hardware) / sunlit x CRF; specific power 100 kW/t is SpaceX's FCC filing, "
        "~50 kW/t today's Starlink (TechCrunch: ~$14,700/kW-yr at $3,600/kg)"
    )
    for ground in (lo, hi):
        be = float(break_even_launch_price(ground, **kw))
        out.print(
            f"break-even launch price against ground power at ${ground:,}/kW-yr: "
            + (f"${be:,.0f}/kg" if be > 0 else "none (hardware alone costs more)")
        )
