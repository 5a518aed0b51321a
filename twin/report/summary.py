"""Readable summaries of reports for the terminal: NPV, tables, binding limits, comparisons."""

from __future__ import annotations

import numpy as np
import xarray as xr
from rich.console import Console, Group
from rich.markup import escape

from twin.report.chart_style import number
from twin.report.period_tables import _table
from twin.report.power_summary import power_tables
from twin.report.tables import emit, headline, notes, prose
from twin.report.traffic_summary import traffic_tables


def cash_flows(ds: xr.Dataset) -> xr.DataArray:
    """Every cash flow per period [$M] signed (outflows negative) and the net, so that each row
    adds up: ``net = sum_f sign_f flow_f`` (the flows of :data:`twin.plan.cash.FLOWS` the
    report holds)."""
    from twin.plan.cash import FLOWS, OUTFLOWS

    names = [f for f in FLOWS if f"{f}_musd" in ds]
    rows = [-ds[f"{f}_musd"] if f in OUTFLOWS else ds[f"{f}_musd"] for f in names]
    out = xr.concat([*rows, ds["net_cash_musd"]], dim="flow", coords="minimal", compat="override")
    return out.assign_coords(flow=[*(f.replace("_", " ") for f in names), "net"])


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
    if ds.sizes.get("project"):  # power projects built to their permit at a site
        built = ds["power_build_mw"].sum("period")
        permit = ds.get("power_permit_mw")
        for g in ds["project"].values:
            if permit is None:
                break
            full = (built.sel(project=g) >= permit.sel(project=g) - 1e-3) & (
                built.sel(project=g) > 0
            )
            sites = [str(s) for s in ds["site"].values[full.values]]
            if sites:
                out.append(f"power permit: {g} built to its limit at {', '.join(sites)}")
    cap = ds["chips_vendor_cap"]
    at_cap = (ds["chips_bought"] >= cap - 1e-3) & np.isfinite(cap) & (cap > 0)
    for k in ds["chip"].values:
        n = int(at_cap.sel(chip=k).sum())
        if n:
            out.append(f"vendor allocation: {k} fully bought in {n} period{'s' if n > 1 else ''}")
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
            f"{np.datetime_as_string(p, unit='D')!s} ({float(v):.0%})"
            for p, v in zip(ds["period"].values, taken.values, strict=True)
            if v > 1e-6
        ]
        out.append(f"offer {o}: " + (f"taken from {', '.join(starts)}" if starts else "declined"))
    return out


def _print_lease_decisions(ds: xr.Dataset, console: Console) -> None:
    if "lease_kept" in ds:
        notes(console, "[bold]Lease decisions at each notice date[/bold]", lease_decisions(ds))


def site_choices(ds: xr.Dataset) -> list[str]:
    """Why each candidate tranche site was built or not: IT MW built against its marginal value."""
    if "site_region" not in ds:
        return []
    out: list[str] = []
    flat: list[str] = []
    for s in ds["site"].values:
        region = str(ds["site_region"].sel(site=s).item())
        if not region:
            continue
        built = float(ds["build_mw"].sel(site=s).sum())
        first = ds["site_first_online"].sel(site=s).values
        if np.isnat(first):
            out.append(f"{s} ({region}): not built: no build can be online within the horizon")
            continue
        gain = float(ds["site_build_gain_musd_per_mw"].sel(site=s))
        cost = float(ds["site_cost_musd_per_mw_year"].sel(site=s))
        verdict = f"built {built:,.0f} MW IT" if built > 1e-3 else "not built"
        adds = number(gain, 2, sign=True)
        out.append(
            f"{s} ({region}): {verdict}; costs {cost:,.2f} $M/MW-yr (capex annuity + opex), "
            f"online from {str(first)[:4]}"
            + ("" if adds in ("0.00", "+0.00") else f"; one more MW there adds {adds} $M of NPV")
        )
        flat += [str(s)] if adds in ("0.00", "+0.00") else []
    if flat:  # said once, not on every line
        out.append(f"one more MW at {', '.join(flat)} adds less than 0.01 $M of NPV")
    return out


def supply_notes(ds: xr.Dataset, console: Console) -> None:
    """Print why candidate sites were built, which chips are extrapolated, and the MW basis."""
    notes(console, "[bold]Candidate sites[/bold]", site_choices(ds))
    if "chip_extrapolated" in ds and bool(ds["chip_extrapolated"].any()):
        names = ", ".join(str(k) for k in ds["chip"].values[ds["chip_extrapolated"].values])
        notes(console, "[bold]Extrapolated chips[/bold] (roadmap trend, not announced)", [names])
    prose(console, "MW are IT MW unless marked facility (IT x PUE); published per-GW figures "
          "usually mean facility power.", indent=0)  # fmt: skip


def end_line(a: dict) -> str:
    """The horizon end in one line: the end-effect choice, the end credit's share of the NPV
    (what the rule credits at the solved end, less what is owed there) and, with a buffer, the
    value after the horizon's (the buffer years' cash and the end credit; twin.plan.end_effects).
    """
    text = f"{a['end_effects']}: end credit {a['end_credit_share']:.2%} of NPV"
    if a.get("buffer_years"):
        text += (
            f"; value after the horizon {a['after_horizon_share']:.1%} "
            f"({a['buffer_years']} buffer years' cash + end credit)"
        )
    return text


def headline_rows(a: dict) -> list[tuple[str, str]]:
    """The headline of a plan report: title, NPV, end effects, solver, size and times."""
    rows = [
        ("plan", str(a.get("title", ""))),
        ("NPV", f"{a['npv_musd']:,.0f} $M (real {a.get('discount_rate', 0):.0%} discount)"),
    ]
    if "end_credit_share" in a:
        rows.append(("end", end_line(a)))
    gap = f", MIP gap {a['mip_gap']:.2%}" if a.get("is_mip") else ""
    rows += [
        ("solver", f"{a['solver']}: {a['termination_condition']}{gap}"),
        ("size", f"{a['n_rows']:,} rows x {a['n_columns']:,} columns, "
                 f"{a['n_nonzeros']:,} nonzeros"),
        ("times", f"build {a['build_s']:.2f} s, hand-off {a['handoff_s']:.2f} s, "
                  f"solve {a['solve_s']:.2f} s, report {a['report_s']:.2f} s"),
    ]  # fmt: skip
    return rows


def show(ds: xr.Dataset, console: Console | None = None) -> None:
    """Print a report: headline figures, capacity and allocation tables, binding limits."""
    console = console or Console()
    a = ds.attrs
    if not a.get("optimal", a.get("termination_condition") == "optimal"):
        console.print(
            f"[bold yellow]NOT OPTIMAL[/bold yellow]: the solver stopped with status "
            f"'{escape(str(a.get('termination_condition')))}'; this is a feasible plan, not "
            "proven the best "
            f"(MIP gap {float(a.get('mip_gap', float('nan'))):.2%})"
        )
    headline(console, headline_rows(a))
    alloc = ds["allocation_h100e"].sum("site")
    parts = [
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
            "Marginal value of a MW of energy (average) [$M/MW-year]",
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
    cash = cash_flows(ds)
    parts.append(_table("Cash flows [$M, real, undiscounted; outflows negative]", cash, "flow",
                        pinned=("net",)))  # fmt: skip
    parts.append(_table("Chips by route [thousand H100e]", route_h100e(ds), "route", scale=1e3))
    if "fleet_w_per_h100e" in ds:  # reports written before it was declared lack it
        watts = ds["fleet_w_per_h100e"].expand_dims(fleet=["chips in service"])
        parts.append(_table("Fleet IT power per H100e [W/H100e]", watts, "fleet"))
    parts += power_tables(ds)
    parts += traffic_tables(ds, _table)
    if ds.sizes.get("fab"):
        parts.append(
            _table(
                "Fab unit cost [$ per H100e]",
                ds["fab_unit_cost_usd"]
                / ds["chip_h100e"].sel(chip=ds["fab_chip"]).drop_vars("chip"),
                "fab",
            )
        )
    emit(console, Group(*parts))
    _print_lease_decisions(ds, console)
    supply_notes(ds, console)
    idle = str(ds.attrs.get("idle_assets") or "")
    title = "[bold]Idle more than two years[/bold] (kept, not mothballed or ended)"
    notes(console, title, idle.split("; ") if idle else [])
    notes(console, "[bold]Binding limits[/bold]", binding_limits(ds), empty="none")


def best_npv(a: dict) -> float:
    """The best NPV of a plan [$M]: under a tie-break (twin.plan.tie_break) the first solve's,
    which the report keeps as ``objective_bound_musd`` (its ``npv_musd`` is up to eps below);
    otherwise ``npv_musd``. The myopic windows solve once each, so the cost of myopia is taken
    from this."""
    from twin.plan.tie_break import tie_broken  # only to compare: keeps `twin show` light

    if tie_broken(str(a.get("solver", ""))):
        return float(a["objective_bound_musd"])
    return float(a["npv_musd"])


def compare(a: xr.Dataset, b: xr.Dataset, console: Console | None = None) -> None:
    """Print B minus A: NPV, capacity, allocation by tenant and cash flows."""
    console = console or Console()
    ta, tb = (escape(str(x.attrs.get("title", n))) for x, n in ((a, "A"), (b, "B")))
    console.print(f"[bold]A[/bold] {ta}\n[bold]B[/bold] {tb}")
    d_npv = b.attrs["npv_musd"] - a.attrs["npv_musd"]
    console.print(
        f"NPV: A {a.attrs['npv_musd']:,.0f} $M, B {b.attrs['npv_musd']:,.0f} $M, "
        f"B - A {number(d_npv, sign=True)} $M"
    )
    fa, fb = a.attrs.get("foresight", "perfect"), b.attrs.get("foresight", "perfect")
    if {fa, fb} == {"perfect", "myopic"}:
        myopic, perfect = (b, a) if fb == "myopic" else (a, b)
        console.print(
            f"cost of myopia ({myopic.attrs['window_years']}-year window, "
            f"{myopic.attrs['step_years']}-year step): "
            f"{best_npv(perfect.attrs) - myopic.attrs['npv_musd']:,.0f} $M of NPV"
        )
    if not np.array_equal(a["period"].values, b["period"].values):
        console.print("periods differ; comparing totals only")
        return
    cap = b["capacity_mw"] - a["capacity_mw"].reindex_like(b["capacity_mw"], fill_value=0)
    alloc = b["allocation_h100e"].sum("site") - a["allocation_h100e"].sum("site").reindex_like(
        b["allocation_h100e"].sum("site"), fill_value=0
    )
    emit(console, _table("Capacity B - A [MW, IT]", cap, "site", fmt="{:+,.0f}"))
    if "facility_mw" in a and "facility_mw" in b:
        fac = b["facility_mw"].sum("site") - a["facility_mw"].sum("site")
        it = b["capacity_mw"].sum("site") - a["capacity_mw"].sum("site")
        both = xr.concat([it, fac], dim="basis").assign_coords(basis=["IT", "facility (x PUE)"])
        emit(console, _table("Total capacity B - A [MW]", both, "basis", fmt="{:+,.0f}"))
    emit(
        console,
        _table("Allocation B - A [thousand H100e]", alloc, "tenant", scale=1e3, fmt="{:+,.0f}"),
    )
    if "chips_made" in a and "chips_made" in b:
        emit(
            console,
            _table(
                "Chips by route, B - A [thousand H100e]",
                route_h100e(b) - route_h100e(a),
                "route",
                scale=1e3,
                fmt="{:+,.0f}",
            ),
        )
    diff = cash_flows(b) - cash_flows(a)
    emit(console, _table("Cash flows B - A [$M, real, undiscounted; outflows negative]", diff,
                         "flow", fmt="{:+,.0f}", pinned=("net",)))  # fmt: skip
