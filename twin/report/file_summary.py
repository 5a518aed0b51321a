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
from twin.report.tables import Column, Grid, emit
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
    "fab_kwspm": ("fab", "k wafers/mo"),
    "chips_made": ("made", "M chips"),
    "chips_bought": ("bought", "M chips"),
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


def varied(ds: xr.Dataset) -> list[str]:
    """The swept coordinates that take more than one value (a path given one value is the
    same in every member)."""
    return [c for c in _swept(ds) if len({swept_label(v) for v in ds[c].values}) > 1]


def members_table(ds: xr.Dataset) -> Grid:
    """Every member as a row: its status where they differ, the swept values that vary, the
    main figures with units, and its name last (left out first when the table does not fit;
    the CSV has every column, figures as written)."""
    n = ds.sizes["member"]
    status = [str(v) for v in ds["status"].values]
    mixed = len(set(status)) > 1
    cols = [Column("status", status, numeric=False)] if mixed else []
    for c in varied(ds):
        cols.append(Column(_short(ds, c), [swept_label(v) for v in ds[c].values],
                           raw=list(ds[c].values)))  # fmt: skip
    figures = [v for v in SWEEP_FIGURES if v in ds]
    for v in figures:
        head, units = SWEEP_FIGURES[v]
        scale = SWEEP_SCALE.get(v, (1.0, 0))[0]
        cols.append(Column(f"{head} [{units}]", [_figure(v, x) for x in ds[v].values],
                           raw=[float(x) / scale for x in ds[v].values]))  # fmt: skip
    members = [str(m) for m in ds["member"].values]
    cols.append(Column("member", members, numeric=False))
    full = [Column("member", members, numeric=False), Column("status", status, numeric=False)]
    full += [Column(_short(ds, c), [], raw=list(ds[c].values)) for c in _swept(ds)]
    full += [c for c in cols if c.header not in ("member", "status")
             and c.header not in {_short(ds, s) for s in _swept(ds)}]  # fmt: skip
    title = f"Members ({n}" + ("" if mixed else f", all {status[0]}") + ")"
    fixed = len(cols) - len(figures) - 1 + 1  # the swept values and the first figure
    return Grid(title, cols, csv_name="sweep_members", csv_columns=full, fixed=fixed)


def show_sweep(ds: xr.Dataset, console: Console) -> None:
    """Every member: its swept values (or sampled inputs) and main figures, with units; then
    the percentiles over the members that solved."""
    figs = [v for v in SWEEP_FIGURES if v in ds]
    failed = int(ds.attrs.get("n_failed", 0))
    title = escape(str(ds.attrs.get("title", "sweep")))
    console.print(f"[bold]{title}[/bold]: {ds.sizes['member']} members, {failed} failed")
    many = set(varied(ds))
    for c in _swept(ds):
        path = ds[c].attrs.get("swept_path", ds[c].attrs.get("long_name", c))
        units = _units(ds[c])
        units = "" if units in ("", "1") else f" [{units}]"
        one = "" if c in many else f" = {swept_label(ds[c].values[0])} in every member"
        console.print(f"  {escape(_short(ds, c))}: {escape(str(path))}{escape(units)}{one}")
    emit(console, members_table(ds))
    pct = [v for v in figs if f"{v}_pct" in ds and ds[f"{v}_pct"].dims == ("percentile",)]
    if pct:
        cols = [Column("figure", [f"{SWEEP_FIGURES[v][0]} [{SWEEP_FIGURES[v][1]}]" for v in pct],
                       numeric=False)]  # fmt: skip
        for k, q in enumerate(ds["percentile"].values):
            cols.append(Column(f"p{q:g}", [_figure(v, ds[f"{v}_pct"].values[k]) for v in pct],
                               raw=[float(ds[f"{v}_pct"].values[k]) for v in pct]))  # fmt: skip
        emit(console, Grid("Percentiles over the members that solved", cols,
                           csv_name="sweep_percentiles"))  # fmt: skip


#: How units read in ``twin show``: a dimensionless metric is a share, 1e6 USD is $M.
UNIT_WORDS = {"1": "share", "1e6 USD": "$M"}


def show_alternatives(ds: xr.Dataset, console: Console) -> None:
    """Each metric's range over the near-optimal alternatives, with the optimum's value."""
    a = ds.attrs
    units = [str(u) for u in ds["units"].values]
    cols = [Column("metric", [str(m) for m in ds["metric"].values], numeric=False),
            Column("units", [UNIT_WORDS.get(u, u) for u in units], numeric=False)]  # fmt: skip
    for head, v in (("optimum", "optimum_value"), ("least", "metric_min"), ("most", "metric_max")):
        values = [float(x) for x in ds[v].values]
        cols.append(Column(head, [_cell(x, u) for x, u in zip(values, units, strict=True)],
                           raw=values))  # fmt: skip
    title = (f"Within {share(float(a['slack']))} of the optimum NPV {a['optimum_musd']:,.0f} $M "
             f"(floor {a['floor_musd']:,.0f} $M)")  # fmt: skip
    emit(console, Grid(title, cols, csv_name="alternatives_ranges", fixed=2))
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
