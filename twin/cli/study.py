"""Study commands: near-optimal alternatives, and ensembles (grid or sampled) with sensitivity."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from twin.cli.app import ModelArg, ScenarioOpt, SetOpt, app, out, progress
from twin.literal import Table
from twin.spec.errors import SpecError

if TYPE_CHECKING:
    import xarray as xr

#: The files of an alternatives run: what a new run replaces in its --out-dir.
ALTERNATIVES_SET = r"(optimum|(min|max)_.+|spores_\d+|alternatives)\.(nc|png)"
#: The files a sweep writes in its --out-dir: member reports or rows, the summary, the charts.
SWEEP_FILES = r".+\.(nc|json)|fan\.png|tornado\.png"


def _out_dir(path: Path) -> None:
    from twin.cli.outputs import check_out_dir

    check_out_dir(path)


@app.command(
    help="Near-optimal alternatives (MGA): plans within SLACK of the best NPV that minimise and "
    "maximise each metric, then a SPORES series; one report per alternative, a summary "
    "alternatives.nc and a plot of the ranges alternatives.png."
)
def alternatives(
    model: ModelArg,
    out_dir: Annotated[Path, typer.Option("--out-dir", help="Directory for the reports")],
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    slack: Annotated[
        float, typer.Option(help="Share of the optimum NPV given up, in (0, 1) [-]")
    ] = 0.05,
    metric: Annotated[
        list[str] | None,
        typer.Option(
            "--metric",
            help="Metric to minimise and maximise (repeatable): orbit_mw, site_mw:SITE, "
            "fab_share, leased_share, capex, power_mw:TECH; default: all that can vary but "
            "power_mw",
        ),
    ] = None,
    spores: Annotated[int, typer.Option(help="Length of the SPORES series, 0 to 100 [count]")] = 3,
) -> None:
    """Near-optimal alternatives: see the command's help."""
    from twin.cli.outputs import check_dir_holds_no_input, input_files, output_set
    from twin.progress import reporting
    from twin.report import write
    from twin.report.alternatives_plots import plot_ranges
    from twin.report.cf import annotate
    from twin.report.chart_style import share
    from twin.report.study import alternative_report
    from twin.spec import load_model, parse_assignments
    from twin.study.alternatives import check_inputs, check_slack, near_optimal

    check_slack(slack)
    _out_dir(out_dir)
    spec = load_model(model, scenario=scenario, overrides=parse_assignments(set_))
    check_inputs(spec, slack, metric, spores)
    check_dir_holds_no_input("--out-dir", out_dir, ALTERNATIVES_SET, input_files(spec))
    with output_set(out_dir, ALTERNATIVES_SET) as stage:

        def keep(alt, plan, study) -> None:  # noqa: ANN001
            write(alternative_report(alt, plan, study), stage / f"{alt.name}.nc")

        with reporting(progress()):  # each alternative's solve is a named phase
            study = near_optimal(spec, slack, metric, spores=spores, on_solution=keep)
        ds = annotate(
            study.to_dataset(), model_file=spec.path, files=spec.files,
            action=f"alternatives within {slack:g} of the optimum",
        )  # fmt: skip
        write(ds, stage / "alternatives.nc")
        plot_ranges(ds).savefig(stage / "alternatives.png", dpi=120, bbox_inches="tight")
    t = Table(
        title=f"Within {share(slack)} of the optimum NPV {study.optimum_musd:,.0f} $M "
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
        f"wrote {len(study.alternatives)} alternative reports, "
        f"{escape(str(out_dir / 'alternatives.nc'))} and "
        f"{escape(str(out_dir / 'alternatives.png'))}"
    )
    bad = [a for a in study.alternatives if a.status != "optimal"]
    if bad:  # each report carries its own status; the run as a whole is not proven
        from twin.errors import NotOptimal

        names = ", ".join(a.name for a in bad)
        raise NotOptimal(f"{bad[0].status} in {len(bad)} alternative(s): {names}", str(out_dir))


def _parse_vary(vary: list[str] | None, scenario: list[str] | None) -> dict[str, list]:
    """``--vary PATH=V1,V2,...`` as {path: values}; each path and scenario once, none a text
    label (:func:`twin.spec.overrides.label_path`: the members would be one plan)."""
    from twin.spec.load import distinct_paths, parse_value
    from twin.spec.overrides import label_path

    sweeps: dict[str, list] = {}
    for text in vary or []:
        if "=" not in text:
            raise SpecError(
                "--vary", text, "expected PATH=V1,V2,... e.g. chips.h100.vendor_markup=1,2"
            )
        path, values = text.split("=", 1)
        path = path.strip()
        if not path:
            raise SpecError("--vary", text, "expected a non-empty PATH before '='")
        if path in sweeps:
            raise SpecError("--vary", text, f"'{path}' is varied twice; expected once")
        if label := label_path(path):
            raise SpecError("--vary", text, f"'{path}' is {label}, a text label no value of "
                            "which reaches the plan: every member would be one plan; expected a "
                            "path to a value of the model's data")  # fmt: skip
        if not values.strip():
            raise SpecError("--vary", text, "expected at least one value after '='")
        words = [v.strip() for v in values.split(",")]
        if not all(words):
            at = words.index("") + 1
            raise SpecError("--vary", text, f"value {at} is empty; expected a value between commas")
        sweeps[path] = _distinct([parse_value(v, "--vary", text) for v in words], words, text)
    distinct_paths([(p, None) for p in sweeps], "--vary")  # 'a' and 'a.b': one would win
    dupes = sorted({s for s in scenario or [] if (scenario or []).count(s) > 1})
    if dupes:
        raise SpecError("--scenario", dupes[0], "duplicate scenario name; expected each once")
    return sweeps


def _distinct(values: list, words: list[str], text: str) -> list:
    """``values`` (parsed from ``words``), each once: numbers compare as numbers (``1``, ``1.0``
    and ``1e0``, which YAML leaves a string, are one value), anything else as parsed."""
    seen: dict[object, str] = {}
    for v, w in zip(values, words, strict=True):
        try:
            key: object = ("number", float(v)) if not isinstance(v, bool) else ("bool", v)
        except (TypeError, ValueError):  # a word, a list, a mapping, a date
            key = (type(v).__name__, repr(v))
        if key in seen:
            same = f"'{w}'" if seen[key] == w else f"'{seen[key]}' and '{w}' (the same value)"
            raise SpecError("--vary", text, f"value {same} given twice; expected each once")
        seen[key] = w
    return values


def _ensemble(
    model: Path,
    out_dir: Path,
    scenario: list[str] | None,
    vary: list[str] | None,
    samples: int | None,
    method: str | None,
    seed: int | None,
    sensitivity: str | None,
    workers: int,
    scheduler: str | None,
    reports: bool,
) -> xr.Dataset:
    """Solve the grid (``--vary``) or sampled (``--samples``) ensemble the options ask for."""
    from twin.sweep import grid, run_sampled, run_sweep

    if samples is None:
        given = [o for o, v in (("--method", method), ("--seed", seed),
                                ("--sensitivity", sensitivity)) if v is not None]  # fmt: skip
        if given:
            raise SpecError(given[0], "given without --samples", "expected it with --samples only")
        members = grid(list(scenario) if scenario else [None], _parse_vary(vary, scenario))
        return run_sweep(model, members, out_dir, n_workers=workers, scheduler=scheduler,
                         reports=reports)  # fmt: skip
    from twin.study.sampling import check_design, check_seed

    method, seed, sensitivity = method or "lhs", seed or 0, sensitivity or "fast"
    check_design(samples, method, sensitivity, enough=False)  # the sensitivity's least: later
    check_seed(seed)
    if vary or len(scenario or []) > 1:
        raise SpecError("--samples", str(samples), "expected one scenario and no --vary")
    return run_sampled(
        model, scenario[0] if scenario else None, samples, out_dir, method, seed,
        sensitivity, workers, scheduler, None, reports,
    )  # fmt: skip


def _check_workers(workers: int, scheduler: str | None) -> None:
    if not 0 <= workers <= 256:
        raise SpecError(
            "--workers", str(workers), "expected 0 (in process) to 256 worker processes"
        )
    if scheduler is not None:
        _check_scheduler(scheduler)


#: Seconds a scheduler has to accept a connection before the sweep is refused.
SCHEDULER_TIMEOUT_S = 5.0


def _check_scheduler(address: str) -> None:
    """Before any work: ``--scheduler`` is HOST:PORT (or tcp://, tls://, ws://, wss://), the host
    resolves and something listens there; else a :class:`SpecError` naming ``--scheduler``
    and the address (Dask itself would try for 30 s, then blame no option)."""
    import socket
    from urllib.parse import urlsplit

    expected = "expected HOST:PORT of a running Dask scheduler, e.g. tcp://127.0.0.1:8786"
    text = address.strip()
    url = urlsplit(text if "://" in text else f"tcp://{text}")
    try:
        host, port = url.hostname, url.port
    except ValueError:  # a port that is no number or past 65535
        host, port = None, None
    if url.scheme not in ("tcp", "tls", "ws", "wss") or not host or not port:
        raise SpecError("--scheduler", repr(address), expected)
    try:
        with socket.create_connection((host, port), timeout=SCHEDULER_TIMEOUT_S):
            pass
    except OSError as exc:  # no such host, refused, or no answer in time
        why = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise SpecError("--scheduler", address, f"{expected}; cannot connect: {why}") from None


def _sample_charts(ds) -> dict[str, Any]:  # noqa: ANN001
    """The charts of a sampled sweep by file name, drawn before anything is written."""
    from twin.report.alternatives_plots import plot_input_tornado, plot_percentile_fan

    return {"fan.png": plot_percentile_fan(ds), "tornado.png": plot_input_tornado(ds)}


def _break_even_line(ds, path: str) -> str:  # noqa: ANN001
    """The make-vs-buy line of a sweep along one path; a path swept over words (``solver.
    tie_break=none,compute_early``) has no break-even, and the line says so."""
    import numpy as np

    from twin.sweep import break_even, swept

    shown = escape(path)  # the user's --vary path, in a line printed as markup
    if not np.issubdtype(swept(ds, path).dtype, np.number):
        return f"make-vs-buy: {shown} was swept over words, not numbers: no break-even"
    be = break_even(ds, path)
    return (
        f"make-vs-buy: the fab is first built at {shown}={be:g}"
        if be is not None
        else f"make-vs-buy: no fab is built in the swept range of {shown}"
    )


def _print_members(ds) -> None:  # noqa: ANN001
    """The members as ``twin show sweep.nc`` lists them: swept values first, the name last."""
    from twin.report.file_summary import members_table

    out.print(members_table(ds))


def _make_or_buy(ds, model: Path, scenario: list[str] | None) -> str:  # noqa: ANN001
    """The make-vs-buy line of a grid sweep of one scenario in which one path takes several
    values (where a fab is first built, or that none is in the swept range); else nothing."""
    from twin.report.file_summary import varied

    paths = varied(ds)
    if len(paths) != 1 or len(scenario or [None]) != 1 or "fab_kwspm" not in ds:
        return ""
    return _break_even_line(ds, str(ds[paths[0]].attrs.get("swept_path", paths[0])))


def _print_sampled(ds) -> None:  # noqa: ANN001
    t = Table(title="Percentiles over the members that solved", title_justify="left")
    t.add_column("figure")
    for p in ds["percentile"].values:
        t.add_column(f"p{p:g}", justify="right")
    for name in ("npv_musd", "build_mw", "capex_musd", "leased_share"):
        fmt = "{:,.3f}" if ds[name].attrs["units"] == "1" else "{:,.0f}"
        t.add_row(name, *[fmt.format(v) for v in ds[f"{name}_pct"].values])
    out.print(t)
    kind = ds.attrs["sensitivity"]
    var = {"morris": "morris_mu_star", "sobol": "sobol_ST", "fast": "fast_S1"}.get(kind)
    if var is None or var not in ds:
        return
    s = Table(title=f"Sensitivity ({ds[var].attrs['long_name']})", title_justify="left")
    s.add_column("input")
    s.add_column("path")
    for o in ds["output"].values:
        s.add_column(str(o), justify="right")
    import numpy as np  # here: twin --help imports no array library

    order = np.argsort(-np.nan_to_num(ds[var].sel(output="npv_musd").values))
    for i in order:
        row = ds[var].isel(input=int(i))
        s.add_row(
            str(row["input"].item()), str(row["input_path"].item()),
            *[f"{v:,.3g}" for v in row.values],
        )  # fmt: skip
    out.print(s)


@app.command(
    help="Solve an ensemble on Dask: scenarios x swept values (--vary), or SAMPLES draws from "
    "the scenario's uncertainty: section (--samples); one report per member (a member already "
    "solved for the same inputs is kept), a summary sweep.nc with percentiles, and for a "
    "sampled sweep the global sensitivity with tornado.png and fan.png."
)
def sweep(
    model: ModelArg,
    out_dir: Annotated[Path, typer.Option("--out-dir", help="Directory for member reports")],
    scenario: Annotated[
        list[str] | None, typer.Option("--scenario", "-s", help="Scenario (repeatable)")
    ] = None,
    vary: Annotated[
        list[str] | None,
        typer.Option("--vary", help="PATH=V1,V2,... swept values (repeatable: full factorial)"),
    ] = None,
    samples: Annotated[
        int | None,
        typer.Option(
            help="Members drawn from the scenario's uncertainty: section, 1 to 10000 [count]"
        ),
    ] = None,
    method: Annotated[
        str | None, typer.Option(help="Sampling design: lhs (default), sobol or random")
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Seed of the sampling design, 0 to 2^32-1 (default 0) [-]")
    ] = None,
    sensitivity: Annotated[
        str | None,
        typer.Option(
            help="Global sensitivity: fast (RBD-FAST on the design; default), morris (SAMPLES "
            "trajectories), sobol (Saltelli design, SAMPLES base points) or none"
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option(help="Local Dask worker processes, 0: in process [count]")
    ] = 2,
    scheduler: Annotated[str | None, typer.Option(help="Address of a Dask scheduler")] = None,
    reports: Annotated[
        bool, typer.Option(help="Write a report per member (--no-reports: summary rows only)")
    ] = True,
) -> None:
    """Grid or sampled ensembles: see the command's help."""
    from twin.cli.outputs import check_dir_holds_no_input, input_files, save_figure
    from twin.progress import reporting
    from twin.report import write
    from twin.report.cf import annotate
    from twin.spec.load import load_model

    _out_dir(out_dir)
    _check_workers(workers, scheduler)
    base = load_model(model)
    check_dir_holds_no_input("--out-dir", out_dir, SWEEP_FILES, input_files(base))
    with reporting(progress()):
        ds = _ensemble(model, out_dir, scenario, vary, samples, method, seed, sensitivity,
                       workers, scheduler, reports)  # fmt: skip
    n = ds.sizes["member"]
    ds = annotate(ds, model_file=base.path, files=base.files, action=f"sweep of {n} members")
    # everything that could fail comes before sweep.nc is written: no summary without its lines
    charts = _sample_charts(ds) if samples is not None else {}
    line = _make_or_buy(ds, model, scenario) if samples is None and vary else ""
    write(ds, out_dir / "sweep.nc")
    for name, fig in charts.items():
        save_figure(fig, out_dir / name, "--out-dir", dpi=120, bbox_inches="tight")
    if ds.sizes["member"] <= 40:
        _print_members(ds)
    if samples is not None:
        _print_sampled(ds)
    if line:
        out.print(line)
    a = ds.attrs
    out.print(
        f"wrote {escape(str(out_dir / 'sweep.nc'))}: {a['n_members']} members, {a['n_kept']} kept "
        f"from an earlier run, {a['n_failed']} failed"
    )
