"""``twin show`` for every file twin writes besides plan reports: sweeps, alternatives, clause
values, orbit geometry (any other netCDF: its variables with units). Tables go through
:func:`twin.report.summary.emit`, so ``--csv DIR`` writes them too."""

from __future__ import annotations

import numpy as np
import xarray as xr
from rich.console import Console
from rich.markup import escape

from twin.literal import Table
from twin.report.chart_style import number, share
from twin.report.tables import emit, options
from twin.study.outcomes import swept_label


def _units(da: xr.DataArray) -> str:
    return str(da.attrs.get("twin_units", da.attrs.get("units", "")))


def _cell(v: object, units: str = "") -> str:
    if isinstance(v, (float, np.floating)):
        return number(float(v), 3 if units in ("1", "") and abs(float(v)) < 100 else 0)
    return str(v)


#: A sweep's figures in its members table: variable -> (header, units shown).
SWEEP_FIGURES = {
    "npv_musd": ("NPV", "$M"),
    "build_mw": ("built", "MW IT"),
    "fab_kwspm": ("fab", "1e3 wafer/month"),
    "chips_made": ("made", "million chips"),
    "chips_bought": ("bought", "million chips"),
}
#: Divisor and decimals of a figure in the members table.
SWEEP_SCALE = {"fab_kwspm": (1.0, 2), "chips_made": (1e6, 2), "chips_bought": (1e6, 2)}


def _short(ds: xr.Dataset, coord: str) -> str:
    """A swept coordinate's short name: the sampled input's name, or the path's last part."""
    path = str(ds[coord].attrs.get("swept_path", coord))
    if "input_path" in ds:
        names = {str(p): str(n) for p, n in zip(ds["input_path"].values, ds["input"].values,
                                                 strict=True)}  # fmt: skip
        if path in names:
            return names[path]
    return path.rsplit(".", 1)[-1]


def _swept(ds: xr.Dataset) -> list[str]:
    """The coordinates along ``member`` that vary: swept paths, sampled inputs."""
    out = []
    for c in ds.coords:
        da = ds[c]
        if da.dims == ("member",) and c not in ("member", "input_sha256", "scenario"):
            out.append(str(c))
    return out


def _figure(var: str, v: object) -> str:
    scale, decimals = SWEEP_SCALE.get(var, (1.0, 0))
    return number(float(v) / scale, decimals)  # type: ignore[arg-type]


def show_sweep(ds: xr.Dataset, console: Console) -> None:
    """Every member: its swept values (or sampled inputs) and main figures, with units (the
    member's name is never cut); then the percentiles over the members that solved."""
    swept = _swept(ds)
    figs = [v for v in SWEEP_FIGURES if v in ds]
    if len(swept) > 2 and not options().all_columns:  # room for the inputs: NPV and MW only
        figs = figs[:2]
    failed = int(ds.attrs.get("n_failed", 0))
    title = escape(str(ds.attrs.get("title", "sweep")))
    console.print(f"[bold]{title}[/bold]: {ds.sizes['member']} members, {failed} failed")
    for c in swept:
        path = ds[c].attrs.get("swept_path", ds[c].attrs.get("long_name", c))
        console.print(f"  {escape(_short(ds, c))}: {escape(str(path))} "
                      f"\\[{escape(_units(ds[c]) or '-')}]")  # fmt: skip
    status = [str(v) for v in ds["status"].values]
    mixed = len(set(status)) > 1
    t = Table(title="Members" + ("" if mixed else f" (all {status[0]})"), title_justify="left")
    t.add_column("member", no_wrap=True)
    if mixed:
        t.add_column("status", no_wrap=True)
    rows = []
    for i in range(ds.sizes["member"]):
        row = [swept_label(ds[c].values[i]) for c in swept]
        row += [_figure(v, ds[v].values[i]) for v in figs]
        rows.append(row)
    heads = [_short(ds, c) for c in swept]
    heads += [f"{SWEEP_FIGURES[v][0]} [{SWEEP_FIGURES[v][1]}]" for v in figs]
    for j, head in enumerate(heads):  # numbers are never cut; headers fold
        wide = max([len(r[j]) for r in rows] + [6])
        t.add_column(head, justify="right", overflow="fold", min_width=wide)
    for i, row in enumerate(rows):
        t.add_row(str(ds["member"].values[i]), *([status[i]] if mixed else []), *row)
    emit(console, t)
    pct = [v for v in figs if f"{v}_pct" in ds and ds[f"{v}_pct"].dims == ("percentile",)]
    if pct:
        p = Table(title="Percentiles over the members that solved", title_justify="left")
        p.add_column("figure", no_wrap=True)
        for q in ds["percentile"].values:
            p.add_column(f"p{q:g}", justify="right")
        for v in pct:
            head, units = SWEEP_FIGURES[v]
            p.add_row(f"{head} [{units}]",
                      *[_figure(v, x) for x in ds[f"{v}_pct"].values])  # fmt: skip
        emit(console, p)


def show_alternatives(ds: xr.Dataset, console: Console) -> None:
    """Each metric's range over the near-optimal alternatives, with the optimum's value."""
    a = ds.attrs
    t = Table(title=f"Within {share(float(a['slack']))} of the optimum NPV "
              f"{a['optimum_musd']:,.0f} $M (floor {a['floor_musd']:,.0f} $M)",
              title_justify="left")  # fmt: skip
    for col in ("metric", "units", "optimum", "least", "most"):
        t.add_column(col, justify="left" if col in ("metric", "units") else "right",
                     no_wrap=col == "metric")  # fmt: skip
    for i, m in enumerate(ds["metric"].values):
        u = str(ds["units"].values[i])
        vals = [ds[v].values[i] for v in ("optimum_value", "metric_min", "metric_max")]
        t.add_row(str(m), u, *[_cell(v, u) for v in vals])
    emit(console, t)
    console.print(f"{ds.sizes['alternative']} alternatives (one report each beside this file)")


def show_variables(ds: xr.Dataset, console: Console) -> None:
    """Any other file twin writes (a clause value, an orbit geometry): its title, then each
    variable with its units, its value (a scalar) or its least, mean and most."""
    console.print(f"[bold]{escape(str(ds.attrs.get('title', '')))}[/bold]")
    for k in ("basis", "contract", "clause", "scenario"):
        if ds.attrs.get(k):
            console.print(f"  {k}: {escape(str(ds.attrs[k]))}")
    t = Table(title="Variables", title_justify="left")
    for col in ("variable", "units", "dims", "value / least", "mean", "most", "meaning"):
        t.add_column(col, justify="right" if col in ("value / least", "mean", "most") else "left",
                     no_wrap=col == "variable", overflow="fold")  # fmt: skip
    for name, da in ds.data_vars.items():
        u = _units(da)
        dims = ", ".join(map(str, da.dims)) or "-"
        if np.issubdtype(da.dtype, np.number) and da.size:
            v = da.values.astype(float)
            if np.isfinite(v).any():
                cells = [_cell(np.nanmin(v), u), _cell(np.nanmean(v), u), _cell(np.nanmax(v), u)]
            else:
                cells = ["-", "-", "-"]
            if da.size == 1:
                cells = [_cell(float(v.ravel()[0]), u), "", ""]
        else:
            cells = [str(da.values.ravel()[0]) if da.size else "-", "", ""]
        t.add_row(str(name), u, dims, *cells, str(da.attrs.get("long_name", "")))
    emit(console, t)


def show_file(ds: xr.Dataset, console: Console) -> None:
    """``twin show`` of any file twin writes, by what it holds
    (:func:`twin.report.plot_kinds.file_kind`)."""
    from twin.report.plot_kinds import file_kind
    from twin.report.stochastic_summary import show as show_stochastic
    from twin.report.summary import show as show_plan

    shows = {
        "report": show_plan,
        "stochastic report": show_stochastic,
        "sweep": show_sweep,
        "sampled sweep": show_sweep,
        "alternatives": show_alternatives,
    }
    shows.get(file_kind(ds), show_variables)(ds, console)
