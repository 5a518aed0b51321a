"""Readable summaries of reports for the terminal: NPV, tables, binding limits, comparisons."""

from __future__ import annotations

import numpy as np
import xarray as xr
from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table


def _labels(da: xr.DataArray) -> list[str]:
    periods = da["period"].values
    yearly = len(periods) < 2 or (periods[1] - periods[0]) >= np.timedelta64(360, "D")
    return [str(np.datetime_as_string(p, unit="D"))[: 4 if yearly else 7] for p in periods]


def _table(
    title: str, da: xr.DataArray, col_dim: str, scale: float = 1.0, fmt: str = "{:,.0f}"
) -> Table:
    """A table with one row per period and one column per ``col_dim`` entry."""
    t = Table(title=escape(title), title_justify="left")
    t.add_column("period")
    names = [str(n) for n in da[col_dim].values]
    for name in names:
        t.add_column(name, justify="right")
    labels = _labels(da)
    values = da.transpose("period", col_dim).values / scale
    for label, row in zip(labels, values, strict=True):
        t.add_row(label, *[("-" if np.isnan(v) else fmt.format(v)) for v in row])
    return t


def route_h100e(ds: xr.Dataset) -> xr.DataArray:
    """Compute acquired per period by route: bought from the vendor or made in own fabs
    [H100e], i.e. ``sum_k chips[k,p] x h100e_k``."""
    bought = (ds["chips_bought"] * ds["chip_h100e"]).sum("chip")
    made = (ds["chips_made"] * ds["chip_h100e"]).sum("chip")
    return xr.concat([bought, made], dim="route").assign_coords(route=["bought", "made"])


def binding_limits(ds: xr.Dataset) -> list[str]:
    """Limits that bind in the plan: site ceilings, power sources at their limit, vendor caps,
    and sites whose IT capacity or power has a positive marginal value."""
    out = []
    last = ds["capacity_mw"].isel(period=-1)
    for s in ds["site"].values:
        if ds["max_mw"].sel(site=s) > 0 and last.sel(site=s) >= ds["max_mw"].sel(site=s) - 1e-3:
            out.append(
                f"site ceiling: {s} reaches its max_mw {float(ds['max_mw'].sel(site=s)):,.0f} MW"
            )
    at_limit = (ds["power_mw"] >= ds["power_limit_mw"] - 1e-3) & (ds["power_limit_mw"] > 0)
    for g in ds["source"].values:
        n = int(at_limit.sel(source=g).sum())
        if n:
            out.append(
                f"power: {g} ({ds['source_site'].sel(source=g).item()}) at its limit in "
                f"{n} of {ds.sizes['period']} periods"
            )
    cap = ds["chips_vendor_cap"]
    at_cap = (ds["chips_bought"] >= cap - 1e-3) & np.isfinite(cap) & (cap > 0)
    for k in ds["chip"].values:
        n = int(at_cap.sel(chip=k).sum())
        if n:
            out.append(f"vendor allocation: {k} fully bought in {n} periods")
    return out


def lease_decisions(ds: xr.Dataset) -> list[str]:
    """One line per notice date of each decided lease up to the notice that ends it: keep (no
    notice: the lease renews), give notice, or the share kept where the LP form leaves a
    fraction; then each offer taken, by start."""
    if "lease_kept" not in ds:
        return []
    out, ended = [], set()
    for i in range(ds.sizes["notice"]):
        lease = str(ds["notice_lease"].values[i])
        if lease in ended:
            continue
        kept = float(ds["lease_kept"].values[i])
        day = str(np.datetime_as_string(ds["notice_date"].values[i], unit="D"))
        end = str(np.datetime_as_string(ds["notice_end"].values[i], unit="D"))
        what = (
            "keep (no notice)"
            if kept > 1 - 1e-6
            else f"give notice (ends {end})"
            if kept < 1e-6
            else f"keep {kept:.0%}"
        )
        out.append(f"{lease} {day}: {what}")
        if kept < 1e-6:
            ended.add(lease)
    for o in ds["offer"].values:
        taken = ds["offer_taken"].sel(offer=o)
        starts = [
            f"{str(np.datetime_as_string(p, unit='D'))} ({float(v):.0%})"
            for p, v in zip(ds["period"].values, taken.values, strict=True)
            if v > 1e-6
        ]
        out.append(f"offer {o}: " + (f"taken from {', '.join(starts)}" if starts else "declined"))
    return out


def _print_lease_decisions(ds: xr.Dataset, console: Console) -> None:
    if "lease_kept" in ds:
        console.print("[bold]Lease decisions at each notice date[/bold]")
        for line in lease_decisions(ds):
            console.print(f"  {escape(line)}")


def show(ds: xr.Dataset, console: Console | None = None) -> None:
    """Print a report: headline figures, capacity and allocation tables, binding limits."""
    console = console or Console()
    a = ds.attrs
    if not a.get("optimal", a.get("termination_condition") == "optimal"):
        console.print(
            f"[bold yellow]NOT OPTIMAL[/bold yellow]: the solver stopped with status "
            f"'{a.get('termination_condition')}'; this is a feasible plan, not proven the best "
            f"(MIP gap {float(a.get('mip_gap', float('nan'))):.2%})"
        )
    head = Table.grid(padding=(0, 2))
    head.add_row("plan", a.get("title", ""))
    head.add_row("NPV", f"{a['npv_musd']:,.0f} $M (real {a.get('discount_rate', 0):.0%} discount)")
    head.add_row(
        "solver",
        f"{a['solver']}: {a['termination_condition']}"
        + (f", MIP gap {a['mip_gap']:.2%}" if a.get("is_mip") else ""),
    )
    head.add_row(
        "size", f"{a['n_rows']:,} rows x {a['n_columns']:,} columns, {a['n_nonzeros']:,} nonzeros"
    )
    head.add_row(
        "times",
        f"build {a['build_s']:.2f} s, hand-off {a['handoff_s']:.2f} s, "
        f"solve {a['solve_s']:.2f} s, report {a['report_s']:.2f} s",
    )
    alloc = ds["allocation_h100e"].sum("site")
    parts = [
        head,
        _table("IT capacity online [MW]", ds["capacity_mw"], "site"),
        _table("Compute allocated [thousand H100e]", alloc, "tenant", scale=1e3),
        _table("Unmet demand [thousand H100e]", ds["unmet_h100e"], "tenant", scale=1e3),
        _table(
            "Marginal value of a MW of IT capacity [$M/MW-year]",
            ds["marginal_value_capacity"],
            "site",
            fmt="{:,.2f}",
        ),
        _table(
            "Marginal value of a MW of firm power [$M/MW-year]",
            ds["marginal_value_power"],
            "site",
            fmt="{:,.2f}",
        ),
        _table(
            "Marginal value of compute [$/H100e-hour]",
            ds["marginal_value_compute"],
            "site",
            fmt="{:,.2f}",
        ),
    ]
    cash = ds[
        [
            "revenue_musd",
            "internal_value_musd",
            "capex_musd",
            "opex_musd",
            "energy_musd",
            "net_cash_musd",
        ]
    ].to_array("flow")
    parts.append(_table("Cash flows [$M]", cash, "flow"))
    parts.append(_table("Chips by route [thousand H100e]", route_h100e(ds), "route", scale=1e3))
    if ds.sizes.get("fab"):
        parts.append(
            _table(
                "Fab unit cost [$ per H100e]",
                ds["fab_unit_cost_usd"]
                / ds["chip_h100e"].sel(chip=ds["fab_chip"]).drop_vars("chip"),
                "fab",
            )
        )
    console.print(Group(*parts))
    _print_lease_decisions(ds, console)
    limits = binding_limits(ds)
    console.print("[bold]Binding limits[/bold]")
    for line in limits or ["none"]:
        console.print(f"  {line}")


def compare(a: xr.Dataset, b: xr.Dataset, console: Console | None = None) -> None:
    """Print B minus A: NPV, capacity, allocation by tenant and cash flows."""
    console = console or Console()
    ta, tb = a.attrs.get("title", "A"), b.attrs.get("title", "B")
    console.print(f"[bold]A[/bold] {ta}\n[bold]B[/bold] {tb}")
    d_npv = b.attrs["npv_musd"] - a.attrs["npv_musd"]
    console.print(
        f"NPV: A {a.attrs['npv_musd']:,.0f} $M, B {b.attrs['npv_musd']:,.0f} $M, "
        f"B - A {d_npv:+,.0f} $M"
    )
    fa, fb = a.attrs.get("foresight", "perfect"), b.attrs.get("foresight", "perfect")
    if {fa, fb} == {"perfect", "myopic"}:
        myopic, perfect = (b, a) if fb == "myopic" else (a, b)
        console.print(
            f"cost of myopia ({myopic.attrs['window_years']}-year window, "
            f"{myopic.attrs['step_years']}-year step): "
            f"{perfect.attrs['npv_musd'] - myopic.attrs['npv_musd']:,.0f} $M of NPV"
        )
    if not np.array_equal(a["period"].values, b["period"].values):
        console.print("periods differ; comparing totals only")
        return
    cap = b["capacity_mw"] - a["capacity_mw"].reindex_like(b["capacity_mw"], fill_value=0)
    alloc = b["allocation_h100e"].sum("site") - a["allocation_h100e"].sum("site").reindex_like(
        b["allocation_h100e"].sum("site"), fill_value=0
    )
    console.print(_table("Capacity B - A [MW]", cap, "site", fmt="{:+,.0f}"))
    console.print(
        _table("Allocation B - A [thousand H100e]", alloc, "tenant", scale=1e3, fmt="{:+,.0f}")
    )
    if "chips_made" in a and "chips_made" in b:
        console.print(
            _table(
                "Chips by route, B - A [thousand H100e]",
                route_h100e(b) - route_h100e(a),
                "route",
                scale=1e3,
                fmt="{:+,.0f}",
            )
        )
    flows = ["revenue_musd", "internal_value_musd", "capex_musd", "net_cash_musd"]
    diff = (b[flows] - a[flows]).to_array("flow")
    console.print(_table("Cash flows B - A [$M]", diff, "flow", fmt="{:+,.0f}"))
