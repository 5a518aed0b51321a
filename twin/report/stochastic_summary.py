"""Terminal summaries of stochastic reports: the NPV distribution, EVPI, VSS, CVaR, decisions."""

from __future__ import annotations

import json
import math

import numpy as np
import xarray as xr
from rich.console import Console
from rich.markup import escape

from twin.literal import Table
from twin.report.chart_style import number
from twin.report.decisions import operating, summarise, units
from twin.report.period_tables import _table
from twin.report.tables import Column, Grid, emit, notes, options, write_csv
from twin.report.views import expected_view, is_stochastic

#: Leaves listed in full up to this many; beyond it the worst, median and best few.
MAX_LEAF_ROWS = 30


def expected(ds: xr.Dataset) -> xr.Dataset:
    """A stochastic report as one plan (:func:`twin.report.views.expected_view`), so it
    compares with a deterministic report; a plan report as it is."""
    return expected_view(ds) if is_stochastic(ds) else ds


#: Units of a decision by its variable (the label's part before ``[``).
DECISION_UNITS = {
    "build": "MW IT",
    "modules": "modules",
    "buy": "thousand chips",
    "install": "thousand chips",
    "make": "thousand chips",
    "power_build": "MW nameplate",
    "fab_build": "1e3 wafer/month",
    "fab_modules": "modules",
    "lease_keep": "share kept [-]",
    "offer_take": "share taken [-]",
}


def decision_units(label: str) -> str:
    """The units of a decision label such as ``buy[gb200, 2026-07-01]`` (``thousand chips``)."""
    return DECISION_UNITS.get(label.split("[", 1)[0], "")


def _outcomes(ds: xr.Dataset, i: int) -> str:
    """A leaf's outcomes without the input names the header gives: ``slow, firm, q0.167``."""
    return ", ".join(
        part.split("=", 1)[-1] for part in str(ds["scenario_label"].values[i]).split(", ")
    )


def _money(x: float, sign: bool = False) -> str:
    if x is None or not math.isfinite(x):
        return "-" if x is None or math.isnan(x) else ("+inf" if x > 0 else "-inf")
    return number(x, 0, sign)


def figures(ds: xr.Dataset) -> dict[str, float]:
    """The headline figures of a stochastic report by label [$M]."""
    a = ds.attrs
    out = {
        "expected NPV": a["expected_npv_musd"],
        f"CVaR {a['cvar_level']:.0%} of NPV": a["cvar_musd"],
    }
    qs = sorted(int(k[5:-5]) for k in a if k.startswith("npv_p") and k.endswith("_musd"))
    out.update({f"NPV P{q}": a[f"npv_p{q}_musd"] for q in qs})
    out.update(
        {
            "wait-and-see (WS)": a["ws_musd"],
            "EVPI = WS - RP": a["evpi_musd"],
            "mean-value plan (EV)": a["ev_npv_musd"],
            "EEV": a["eev_musd"],
            "VSS = RP - EEV": a["vss_musd"],
        }
    )
    if a.get("cvar_weight", 0) > 0:
        out["objective E + lambda CVaR"] = a["objective_musd"]
    return out


def _period_table(title: str, da: xr.DataArray, col_dim: str, scale: float = 1.0) -> Grid:
    """One row per period, one column per ``col_dim`` entry, as every plan table
    (:func:`twin.report.period_tables._table`)."""
    return _table(title, da, col_dim, scale=scale)


def _leaf_rows(ds: xr.Dataset) -> list[int]:
    n = ds.sizes["scenario"]
    if n <= MAX_LEAF_ROWS:
        return list(range(n))
    order = list(np.argsort(ds["scenario_npv_musd"].values, kind="stable"))
    k = MAX_LEAF_ROWS // 3
    mid = n // 2 - k // 2
    return order[:k] + order[mid : mid + k] + order[-k:]


#: Nodes after the root whose decisions ``show`` lists.
MAX_NODE_ROWS = 12


def _node_listing(ds: xr.Dataset, later: list[int]) -> Table:
    t = Table(title="Decisions at later nodes (non-zero)", title_justify="left")
    for col in ("node", "known then", "decisions"):
        t.add_column(col, overflow="fold")
    for i in later:
        row = ds["node_decision_value"].values[i]
        parts = [f"{n} {v:,.1f} {decision_units(str(n))}"
                 for n, v in zip(ds["tied"].values, row, strict=True) if abs(v) > 1e-6]  # fmt: skip
        t.add_row(f"{ds['node'].values[i]} ({ds['node_date'].values[i]})",
                  str(ds["node_label"].values[i]), "; ".join(parts) or "none")  # fmt: skip
    return t


def _node_summary(ds: xr.Dataset, later: list[int]) -> Grid:
    """One row per later node: its date and what is known then, and the totals it decides
    (IT MW built, chips bought, power built ...), each with its units."""
    sums = [summarise(ds["tied"].values, ds["node_decision_value"].values[i]) for i in later]
    whats = list(dict.fromkeys(w for s in sums for w, _ in s))
    cols = [Column("node", [f"{ds['node'].values[i]} ({ds['node_date'].values[i]})"
                            for i in later], numeric=False),
            Column("known then", [", ".join(p.split("=", 1)[-1] for p in
                                            str(ds["node_label"].values[i]).split(", "))
                                  for i in later], numeric=False)]
    for w in whats:
        totals = [sum(v for (x, _), v in s.items() if x == w) for s in sums]
        cols.append(Column(f"{w} [{units(w)}]", [number(v) for v in totals], raw=totals))
    return Grid("Decisions at later nodes (totals)", cols, fixed=2, csv_name="node_decisions",
                note="each node's decisions variable by variable: --all or --csv")  # fmt: skip


def _show_node_decisions(ds: xr.Dataset, console: Console) -> None:
    """Decisions tied at the nodes after the root (lease choices at notice dates among them):
    totals per node; every variable with ``--all`` (and in the CSV)."""
    if "node_decision_value" not in ds:
        return
    last = ds.attrs["n_stages"]
    later = [i for i, s in enumerate(ds["node_stage"].values) if 1 < s < last]
    if not later:
        return
    listing = _node_listing(ds, later[:MAX_NODE_ROWS])
    if options().all_columns:
        emit(console, listing)
    else:
        emit(console, _node_summary(ds, later[:MAX_NODE_ROWS]))
        if options().csv_dir is not None:
            write_csv(listing, options().csv_dir, "node_decision_variables")  # type: ignore[arg-type]
    if len(later) > MAX_NODE_ROWS:
        console.print(f"... and {len(later) - MAX_NODE_ROWS} more nodes (node_decision_value)")


def _here_and_now(ds: xr.Dataset, console: Console) -> None:
    """The decisions taken before any news: summed per site, chip, technology with units; every
    variable with ``--all`` (and in the CSV)."""
    d = Table(title="Here-and-now decisions (the same in every leaf)", title_justify="left")
    d.add_column("decision", overflow="fold")
    d.add_column("value", justify="right", no_wrap=True)
    d.add_column("units", no_wrap=True)
    for name, v in zip(ds["decision"].values, ds["decision_value"].values, strict=True):
        if abs(v) > 1e-6:
            d.add_row(str(name), f"{v:,.3f}", decision_units(str(name)) or "-")
    if options().all_columns:
        emit(console, d)
        return
    rows = summarise(ds["decision"].values, ds["decision_value"].values)
    cols = [Column("decision", [w for w, _ in rows], numeric=False),
            Column("of", [k for _, k in rows], numeric=False),
            Column("value", [number(v) for v in rows.values()], raw=list(rows.values())),
            Column("units", [units(w) for w, _ in rows], numeric=False)]  # fmt: skip
    other = operating(ds["decision"].values)
    note = f"operating variables ({', '.join(other)}): --all or --csv" if other else ""
    emit(console, Grid("Here-and-now decisions (the same in every leaf)", cols, note=note,
                       csv_name="here_and_now_decisions"))  # fmt: skip
    if options().csv_dir is not None:
        write_csv(d, options().csv_dir, "here_and_now_variables")  # type: ignore[arg-type]


def lease_policy(ds: xr.Dataset) -> list[str]:
    """The decided leases' policy at each notice date, up to the date by which every future has
    given notice: keep or give notice where all leaves agree (a decision taken before the news),
    else the probability of the futures that keep the lease."""
    if "lease_kept" not in ds or "scenario" not in ds["lease_kept"].dims:
        return []
    p = ds["scenario_probability"].values
    out, ended = [], set()
    for i in range(ds.sizes["notice"]):
        lease = str(ds["notice_lease"].values[i])
        if lease in ended:
            continue
        kept = ds["lease_kept"].isel(notice=i).values
        day = str(np.datetime_as_string(ds["notice_date"].values[i], unit="D"))
        share = float(np.sum(p * kept))
        if np.allclose(kept, kept[0], atol=1e-6):
            what = (
                "keep"
                if kept[0] > 1 - 1e-6
                else "give notice"
                if kept[0] < 1e-6
                else (f"keep {kept[0]:.0%}")
            )
        else:
            what = f"keep in {share:.0%} of futures (by probability), give notice in the rest"
        out.append(f"{lease} {day}: {what}")
        if share < 1e-6:
            ended.add(lease)
    return out


def _show_lease_decisions(ds: xr.Dataset, console: Console) -> None:
    notes(console, "[bold]Lease decisions at each notice date[/bold]", lease_policy(ds))


def show(ds: xr.Dataset, console: Console | None = None) -> None:
    """Print a stochastic report: figures, the leaves, here-and-now decisions, expected capacity."""
    console = console or Console()
    a = ds.attrs
    if not a.get("converged", a.get("optimal", 1)):
        console.print(
            f"[bold yellow]NOT OPTIMAL[/bold yellow]: {escape(str(a.get('note_rp', '')))} "
            "-- a feasible plan, not proven the best; EVPI and VSS are not given"
        )
    head = Table.grid(padding=(0, 2))
    head.add_row("plan", str(a.get("title", "")))
    head.add_row("engine", str(a.get("engine", "")))
    dates = ", ".join(json.loads(a["stage_dates"]))
    inputs = ", ".join(json.loads(a["uncertain_inputs"]))
    head.add_row(
        "tree",
        f"{a['n_scenarios']} leaves, {a['n_stages']} stages; {inputs} known on {dates}",
    )
    for label, value in figures(ds).items():
        head.add_row(label, f"{_money(value)} $M")
    if "ph_iterations" in a:
        head.add_row(
            "PH",
            f"{a['ph_iterations']} iterations; bounds inner {_money(a['ph_inner_bound_musd'])}, "
            f"outer {_money(a['ph_outer_bound_musd'])} $M, gap {a['ph_gap']:.2%}",
        )
    for key in ("ws", "eev"):
        if f"note_{key}" in a:
            head.add_row("note", str(a[f"note_{key}"]))
    console.print(head)
    t = Table(title="Leaves [$M]", title_justify="left")
    cols = ("leaf", f"outcomes: {inputs}", "probability [-]", "NPV", "WS NPV", "regret")
    for k, col in enumerate(cols):
        t.add_column(col, justify="left" if k < 2 else "right", overflow="fold",
                     no_wrap=k == 0, min_width=len(col) if k > 1 else None)  # fmt: skip
    for i in _leaf_rows(ds):
        t.add_row(
            str(ds["scenario"].values[i]),
            _outcomes(ds, i),
            f"{ds['scenario_probability'].values[i]:.4f}",
            _money(ds["scenario_npv_musd"].values[i]),
            _money(ds["scenario_npv_ws_musd"].values[i]),
            _money(ds["scenario_regret_musd"].values[i]),
        )
    emit(console, t)
    _here_and_now(ds, console)
    _show_node_decisions(ds, console)
    _show_lease_decisions(ds, console)
    p = ds["scenario_probability"]
    cap = (ds["capacity_mw"] * p).sum("scenario")
    emit(console, _period_table("Expected IT capacity online [MW]", cap, "site"))
    alloc = (ds["allocation_h100e"].sum("site") * p).sum("scenario")
    emit(
        console,
        _period_table("Expected compute allocated [thousand H100e]", alloc, "tenant", scale=1e3),
    )


def compare(a: xr.Dataset, b: xr.Dataset, console: Console | None = None) -> None:
    """Print B minus A for two stochastic reports: figures and here-and-now decisions."""
    console = console or Console()
    for tag, ds in (("A", a), ("B", b)):  # a report's text, as written
        what = f"{ds.attrs.get('title', tag)} ({ds.attrs['engine']})"
        console.print(f"[bold]{tag}[/bold] {escape(what)}")
    fa, fb = figures(a), figures(b)
    t = Table(title="Figures [$M]", title_justify="left")
    for col in ("figure", "A", "B", "B - A"):
        t.add_column(col, justify="left" if col == "figure" else "right")
    for label in fa:
        if label in fb:
            t.add_row(
                label, _money(fa[label]), _money(fb[label]), _money(fb[label] - fa[label], True)
            )
    emit(console, t)
    va = dict(zip(a["decision"].values, a["decision_value"].values, strict=True))
    vb = dict(zip(b["decision"].values, b["decision_value"].values, strict=True))
    d = Table(title="Here-and-now decisions that differ", title_justify="left")
    for col in ("decision", "A", "B", "B - A", "units"):
        d.add_column(col, justify="right" if col in ("A", "B", "B - A") else "left")
    for name in sorted(set(va) | set(vb)):
        x, y = float(va.get(name, 0.0)), float(vb.get(name, 0.0))
        if abs(y - x) > 1e-6:
            d.add_row(str(name), f"{x:,.3f}", f"{y:,.3f}", f"{y - x:+,.3f}",
                      decision_units(str(name)))  # fmt: skip
    emit(console, d if d.row_count else "here-and-now decisions: the same")
