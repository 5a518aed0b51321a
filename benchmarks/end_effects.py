"""End effects: does the plan lean on the horizon's end? And does every horizon length solve?

**Comparison.** For each ``horizon.end_effects`` choice (and the buffer with each rule at its
end, ``horizon.buffer_end``), scenario ``neocloud`` is solved over 12 and over 17 years
(``roadmap.until`` left empty: the roadmap runs to the solved end). Over the first 9 years the
script compares, per year, the IT capacity online [MW], the new power online [MW], the compute
bought [H100e] and the compute in service [H100e], and reports the largest relative gap of a
year (years where the longer plan's value is 0 are compared against the 9-year mean) and the gap
of the 9-year totals; and the value after the horizon and its share of the NPV (the buffer
years' cash and the end credit), the end credit's share (what the rule credits at the solved end,
less what is still owed there) and the 12-year solve's seconds.

**Pairs.** With the default end effects, ``base`` and ``neocloud`` over the pairs of horizons
(11, 16), (12, 17) and (13, 18): the same gaps, and the year and values of the worst one; what
each plan loses taking the other's builds or purchases, and the cash lines that move.

**Rules.** The pairs again under each rule of :data:`RULES` (a longer buffer with the roadmap
held at one date for both plans; continued use per site at the buffer's end).

Compute *bought* in a year is a flow: the purchase that fills what the halls, the power and the
vendor allocations leave in that year. Where a year's purchase is partial (below the vendor
allocation), it sits on a near-flat optimum and moves between two plans (2030 and 2033 on
today's model); the baseline states the tie-break rule ``solver.tie_break: compute_early``,
under which every section runs, and ``--only tie_break`` measures the pairs without it. Compute
*in service* is the stock those purchases build; it is compared beside them.

**Walk.** ``--walk`` solves ``horizon.years`` = 3..25 on the base model and ``neocloud`` and
records status and seconds (the CI test walks 3, 14 and 25).

    .venv/bin/python benchmarks/end_effects.py            # comparison, pairs, rules, ~15 min
    .venv/bin/python benchmarks/end_effects.py --markdown # rewrite the .md from the .json
    .venv/bin/python benchmarks/end_effects.py --walk     # and the walk, ~3 min more
    .venv/bin/python benchmarks/end_effects.py --only pairs  # one section; the others kept
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from twin.plan import Plan, plan, solver_options
from twin.plan.cash import FLOWS, INFLOWS
from twin.plan.model import build_model
from twin.plan.solve import solve
from twin.report import to_dataset
from twin.spec import load_model
from twin.spec.horizon import ENERGY_ONLY

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "baseline.yaml"
#: the energy-only period form, in which issue 18 measured the end effects
PERIOD = ENERGY_ONLY
OUT = ROOT / "benchmarks" / "results" / "end_effects"
#: (label, horizon.end_effects, horizon.buffer_end)
CHOICES = (
    ("buffer (none at its end: default)", "buffer", "none"),
    ("buffer, straight-line at its end", "buffer", "straight_line"),
    ("buffer, continued use at its end", "buffer", "continued_use"),
    ("continued_use", "continued_use", "none"),
    ("straight_line", "straight_line", "none"),
    ("none", "none", "none"),
)
FIRST = 9
#: a value below this share of the series' largest is zero (HiGHS leaves ~1e-7 kchips)
NOISE = 1e-6
#: (short, long) horizon pairs [years] compared with the default end effects
PAIRS = ((11, 16), (12, 17), (13, 18))
SCENARIOS = ("base", "neocloud")


def _solve(
    years: int, end: str, wall: str, scenario: str | None = "neocloud"
) -> tuple[xr.Dataset, float]:
    ds, _p, seconds = _plan(years, end, wall, scenario)
    return ds, seconds


def _plan(
    years: int, end: str, wall: str, scenario: str | None, extra: tuple = ()
) -> tuple[xr.Dataset, Plan, float]:
    over = [("horizon.years", years), ("horizon.end_effects", end), ("horizon.buffer_end", wall)]
    over.append(PERIOD)
    over += list(extra)
    t0 = time.perf_counter()
    p = plan(load_model(MODEL, scenario=scenario, overrides=over))
    return to_dataset(p), p, time.perf_counter() - t0


def flatness(short: Plan, long: Plan, family: str = "build") -> float:
    """NPV the short plan loses [$M] when its decisions ``family`` (``build``: halls; ``buy``:
    chips bought) of the first :data:`FIRST` years are fixed to the long plan's and the rest
    re-solved, against the short plan's best NPV: how much the short plan prefers its own. Swap
    the plans for the other way."""
    m = build_model(short.data)
    mine, theirs = m.component(family), long.model.component(family)
    for key, x in theirs.items():
        if key[-1] < FIRST and key in mine:
            mine[key].fix(max(0.0, pyo.value(x)))
    # against the best NPV (a tie-break's plan reports it as its bound), not the rule's plan
    return short.result.bound - solve(m, solver_options(short.spec, short.data)).objective


def cash_moved(short: Plan, long: Plan) -> dict[str, float]:
    """The short plan's discounted cash by flow [$M] after fixing the long plan's purchases of
    the first :data:`FIRST` years (as :func:`flatness`), less its own: the lines that move a
    purchase across a year (``wall``: the discounted wall credit less debt)."""
    m = build_model(short.data)
    for key, x in long.model.buy.items():
        if key[-1] < FIRST and key in m.buy:
            m.buy[key].fix(max(0.0, pyo.value(x)))
    solve(m, solver_options(short.spec, short.data))
    d = short.data

    def terms(model: pyo.ConcreteModel) -> dict[str, float]:
        out = {
            f: (1 if f in INFLOWS else -1)
            * sum(d.df[p] * pyo.value(model.cash[f, p]) for p in range(d.n_periods))
            for f in FLOWS
        }
        return out | {"wall": d.df_end * pyo.value(model.salvage_value)}

    after, before = terms(m), terms(short.model)
    return {f: after[f] - before[f] for f in after if abs(after[f] - before[f]) > 0.05}


def continued_use_terms(p: Plan) -> dict[str, float]:
    """With ``continued_use`` at the solved end, summed over the sites: the book value
    ``S_s``, the earnings bound ``A_s G_s`` and the credit ``W_s`` [$M] (twin.plan.end_effects),
    and how many sites each cap binds at (an idle site: ``G_s <= 0``, credited nothing)."""
    m = p.model
    if m.component("continued_use") is None:
        return {}
    out = {"book_musd": 0.0, "earnings_musd": 0.0, "credit_musd": 0.0}
    count = {"book_binds": 0, "earnings_bind": 0, "idle": 0}
    for s, w in m.continued_use.items():  # rows: W_s - S_s <= 0 and W_s - A_s G_s <= 0
        credit = pyo.value(w)
        book = credit - pyo.value(m.continued_use_book[s].body)
        earn = credit - pyo.value(m.continued_use_earn[s].body)
        out["book_musd"] += book
        out["earnings_musd"] += earn
        out["credit_musd"] += credit
        if earn <= 1e-6:
            count["idle"] += 1
        elif book <= earn:
            count["book_binds"] += 1
        else:
            count["earnings_bind"] += 1
    return out | count


def series(ds: xr.Dataset) -> dict[str, np.ndarray]:
    """IT capacity [MW], new power online [MW], compute bought and in service [H100e] per
    year."""
    power = ds["power_online_mw"].sum([d for d in ds["power_online_mw"].dims if d != "period"])
    return {
        "it_mw": ds["capacity_mw"].sum("site").values,
        "new_power_mw": power.values,
        "h100e_bought": (ds["chips_bought"] * ds["chip_h100e"]).sum("chip").values,
        "h100e_in_service": (ds["chips_active"] * ds["chip_h100e"]).sum(["site", "chip"]).values,
    }


def gaps(short: dict[str, np.ndarray], long: dict[str, np.ndarray]) -> dict[str, dict]:
    """Largest per-year relative gap and the gap of the totals over the first FIRST years."""
    out = {}
    for key in short:
        a, b = short[key][:FIRST], long[key][:FIRST]
        # a year the long plan leaves at 0 (below solver noise) is compared against the mean
        base = np.where(b > NOISE * max(b.max(), 0.0), b, b.mean())
        rel = np.abs(a - b) / base if b.mean() > 0 else np.zeros(FIRST)
        out[key] = {
            "max_year_gap": float(np.max(rel)),
            "worst_year": int(np.argmax(rel)),
            "total_gap": float(abs(a.sum() - b.sum()) / b.sum()) if b.sum() > 0 else 0.0,
            "short": [round(float(x), 1) for x in a],
            "long": [round(float(x), 1) for x in b],
        }
    return out


def compare() -> dict[str, dict]:
    """Every end-effect choice: 12 against 17 years, the value after the horizon, the end
    credit's share."""
    out = {}
    for label, end, wall in CHOICES:
        (s, p, seconds), (lg, _) = _plan(12, end, wall, "neocloud"), _solve(17, end, wall)
        a = s.attrs
        out[label] = {
            "gaps": gaps(series(s), series(lg)),
            "npv_musd": a["npv_musd"],
            "after_horizon_musd": a["after_horizon_musd"],
            "after_horizon_share": a["after_horizon_share"],
            "end_credit_share": a["end_credit_share"],
            "seconds_12": round(seconds, 2),
            "peak_it_mw": float(series(s)["it_mw"].max()),
            "continued_use": continued_use_terms(p),
        }
    return out


def pairs() -> dict[str, dict]:
    """Default end effects, ``base`` and ``neocloud``: each pair of :data:`PAIRS`, with what
    each plan loses taking the other's builds or purchases (a tie would lose 0 both ways) and
    the cash lines that move when the short plan takes the long plan's purchases."""
    out = {}
    for scenario in SCENARIOS:
        for short, long in PAIRS:
            name = None if scenario == "base" else scenario
            s, ps, seconds = _plan(short, "buffer", "none", name)
            lg, pl, _ = _plan(long, "buffer", "none", name)
            g = gaps(series(s), series(lg))
            worst = g["h100e_bought"]["worst_year"]
            g["h100e_bought"]["worst_calendar_year"] = int(s["period"].dt.year.values[worst])
            out[f"{scenario} {short} vs {long}"] = {
                "gaps": g,
                "npv_musd": s.attrs["npv_musd"],
                "flatness_musd": flatness(ps, pl),
                "buy_loss_short_musd": flatness(ps, pl, "buy"),
                "buy_loss_long_musd": flatness(pl, ps, "buy"),
                "cash_moved_musd": cash_moved(ps, pl),
                "seconds_short": round(seconds, 2),
            }
    return out


#: (label, overrides): rules tried to make the purchases of a year insensitive to the wall
RULES = (
    (
        "buffer 10, roadmap held (until 2038-07-01)",
        (("horizon.buffer_years", 10), ("roadmap.until", "2038-07-01")),
    ),
    ("buffer 5, continued use per site at its end", (("horizon.buffer_end", "continued_use"),)),
)


#: the baseline states ``solver.tie_break: compute_early`` (twin.plan.tie_break), so every
#: section runs under it; the solver's own plan is measured as one more rule (``--only
#: tie_break``)
TIE_BREAK = (("the solver's own plan (solver.tie_break none)", (("solver.tie_break", "none"),)),)


def tie_break() -> dict[str, dict]:
    """:func:`rules` for :data:`TIE_BREAK`: the purchases per year without the stated rule."""
    return rules(TIE_BREAK)


def rules(chosen: tuple = RULES) -> dict[str, dict]:
    """Each rule of ``chosen`` over every pair and scenario: the largest per-year gap of the
    compute bought, of the compute in service, and the short plan's end credit share."""
    out = {}
    for label, extra in chosen:
        for scenario in SCENARIOS:
            name = None if scenario == "base" else scenario
            for short, long in PAIRS:
                s, _, _ = _plan(short, "buffer", "none", name, extra)
                lg, _, _ = _plan(long, "buffer", "none", name, extra)
                g = gaps(series(s), series(lg))
                out[f"{label} | {scenario} {short} vs {long}"] = {
                    "bought": g["h100e_bought"]["max_year_gap"],
                    "in_service": g["h100e_in_service"]["max_year_gap"],
                    "end_credit_share": s.attrs["end_credit_share"],
                    "npv_musd": s.attrs["npv_musd"],
                }
    return out


def walk() -> list[dict]:
    """``horizon.years`` 3..25 on the base model and neocloud: status and seconds."""
    rows = []
    for scenario in (None, "neocloud"):
        for years in range(3, 26):
            t0 = time.perf_counter()
            try:
                p = plan(
                    load_model(
                        MODEL, scenario=scenario, overrides=[("horizon.years", years), PERIOD]
                    )
                )
                status = str(p.result.status).lower()
            except Exception as e:  # the walk records any failure
                status = f"{type(e).__name__}: {e}"
            rows.append(
                {
                    "scenario": scenario or "base",
                    "years": years,
                    "status": status,
                    "seconds": round(time.perf_counter() - t0, 2),
                }
            )
    return rows


#: what the tables show, measured on this script's model (README "End effects")
READING = """\
## Reading

The baseline states the tie-break ``solver.tie_break: compute_early`` (twin.plan.tie_break: of
the plans within 1e-4 of the best NPV, the one buying the most compute, discounted), so every
table above but the last rule's rows is under it.

**12 vs 17 agree on every series.** With the default end effects and the stated tie-break, IT
MW, new power MW, compute bought in the year and compute in service agree within 5% in every
year of the first 9 for 12 vs 17 on both scenarios (``base`` at most 2.2%, in 2030;
``neocloud`` 3.3%, in 2033), and on ``base``'s other pairs; ``neocloud`` 11 vs 16 and 13 vs 18
buy 6.4% and 7.0% apart in 2033 (their stocks within 2.2%). The end credit (what the rule
credits at the solved end, less what is owed there) is -0.05% of the NPV; the value after the
horizon, 21.6%, is nearly all the buffer years' modelled cash.

**Without the rule** (the solver's own plan, the last rows of the rules table) the stocks agree
but the compute bought in a year does not: in the years whose purchase is partial (below the
vendor allocation: 2030 and 2033) the short plan buys more, 10.7-14.6% on ``base`` and
7.6-23.5% on ``neocloud``. The optimum is nearly flat there: within 1e-4 of the NPV the 12-year
``neocloud`` plan can buy 4.58-5.94M H100e in 2030 and the 17-year one 3.93-6.16M (measured by
minimising and maximising that year's purchase under the floor; README "End effects"), so
which vertex the solver returns depends on the far end. The pairs table's last columns are what
each plan loses, against its best NPV, taking the other's builds or purchases. Rules that
prefer late, early, least or most purchases (undiscounted), and a single-solve deferral
preference, were measured and do not close it (README "End effects"); the other rows of the
rules table are a 10-year buffer with the roadmap held at one date, and continued use per site
at the buffer's end.

**continued_use per site** credits each site ``min(S_s, A_s G_s)``: a site idle in the last
period is credited nothing. At the solved end of these plans the book binds at nearly every
site (lines above the pairs table), so continued use credits nearly what straight-line does.

Solve seconds were measured in one process with the other core busy: they are not a timing
benchmark."""


def _cells(g: dict[str, dict]) -> list[str]:
    return [f"{g[k]['max_year_gap']:.1%} / {g[k]['total_gap']:.1%}" for k in g]


def _compare_md(res: dict[str, dict]) -> list[str]:
    lines = [
        "# End effects: 12 against 17 years (neocloud), first 9 years",
        "",
        "Cells: largest gap of a year / gap of the 9-year totals.",
        "",
        "| end effects | IT MW | new power MW | H100e bought | H100e in service | "
        "value after the horizon $M | its share of NPV | end credit share | peak IT MW | "
        "12-year solve s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for end, r in res.items():
        lines.append(
            f"| {end} | {' | '.join(_cells(r['gaps']))} | {r['after_horizon_musd']:,.0f} | "
            f"{r['after_horizon_share']:.1%} | {r['end_credit_share']:.2%} | "
            f"{r['peak_it_mw']:,.0f} | {r['seconds_12']:.1f} |"
        )
    lines += [
        "",
        "Continued use per site at the solved end of the 12-year plan, summed over the sites: "
        "book value S_s, earnings A_s G_s, credit W_s = min of the two [$M]; sites where each "
        "binds.",
        "",
    ]
    for end, r in res.items():
        if c := r["continued_use"]:
            lines.append(
                f"- {end}: S = {c['book_musd']:,.0f}, A G = {c['earnings_musd']:,.0f}, "
                f"credit {c['credit_musd']:,.0f}; book binds at {c['book_binds']} sites, "
                f"earnings at {c['earnings_bind']}, idle (credited 0) {c['idle']}"
            )
    return lines


def _pairs_md(pair: dict[str, dict]) -> list[str]:
    lines = [
        "",
        "## Default end effects, pairs of horizons, first 9 years",
        "",
        "| scenario, years | IT MW | new power MW | H100e bought | H100e in service | "
        "worst year of H100e bought: short / long | NPV lost forcing the long plan's builds "
        "$M | short plan taking the long's purchases / long taking the short's $M |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in pair.items():
        b = r["gaps"]["h100e_bought"]
        y = b["worst_year"]
        lines.append(
            f"| {name} | {' | '.join(_cells(r['gaps']))} | {b['worst_calendar_year']}: "
            f"{b['short'][y]:,.0f} / {b['long'][y]:,.0f} | {r['flatness_musd']:,.1f} of "
            f"{r['npv_musd']:,.0f} | {r['buy_loss_short_musd']:,.1f} / "
            f"{r['buy_loss_long_musd']:,.1f} |"
        )
    lines += [
        "",
        "H100e bought per year, short / long plan, where they differ by more than 1% "
        "(2026 = year 1):",
        "",
    ]
    for name, r in pair.items():
        b = r["gaps"]["h100e_bought"]
        cells = [
            f"{2026 + i}: {a:,.0f} / {c:,.0f}"
            for i, (a, c) in enumerate(zip(b["short"], b["long"], strict=True))
            if abs(a - c) > 0.01 * max(abs(c), 1.0)
        ]
        moved = ", ".join(f"{f} {v:+,.1f}" for f, v in r["cash_moved_musd"].items())
        lines.append(f"- {name}: {'; '.join(cells) or 'none'}. Cash moved: {moved or 'none'}")
    return lines


def _rules_md(rule: dict[str, dict]) -> list[str]:
    lines = [
        "",
        "## Rules tried on the purchases of a year",
        "",
        "| rule | pair | H100e bought, worst year | H100e in service, worst year | "
        "end credit share | NPV $M |",
        "|---|---|---|---|---|---|",
    ]
    for key, r in rule.items():
        label, name = key.split(" | ")
        lines.append(
            f"| {label} | {name} | {r['bought']:.1%} | {r['in_service']:.1%} | "
            f"{r['end_credit_share']:.3%} | {r['npv_musd']:,.0f} |"
        )
    return lines


def _markdown(
    res: dict[str, dict], pair: dict[str, dict], rule: dict[str, dict], rows: list[dict]
) -> str:
    lines = _compare_md(res) + _pairs_md(pair) + _rules_md(rule) + ["", READING]
    if rows:
        bad = [r for r in rows if r["status"] != "optimal"]
        lines += [
            "",
            f"Walk 3-25 years x (base, neocloud), last run with --walk: {len(rows)} solves, "
            f"{len(bad)} not optimal; slowest {max(r['seconds'] for r in rows):.1f} s.",
        ]
    return "\n".join(lines) + "\n"


#: the script's sections by name (``--only``)
SECTIONS: dict[str, Callable[[], Any]] = {
    "compare": compare, "pairs": pairs, "rules": rules, "tie_break": tie_break, "walk": walk,
}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--walk", action="store_true", help="also walk horizon.years 3..25")
    ap.add_argument(
        "--markdown", action="store_true", help="only rewrite the .md from the last .json"
    )
    ap.add_argument(
        "--only",
        choices=sorted(SECTIONS),
        help="run one section and keep the others' last results (sections can run in "
        "parallel processes; each writes its own key of the .json when it ends)",
    )
    args = ap.parse_args()
    old = OUT.with_suffix(".json")
    if not args.markdown:
        names = [args.only] if args.only else ["compare", "pairs", "rules", "tie_break"]
        names += ["walk"] if args.walk and "walk" not in names else []
        fresh = {name: SECTIONS[name]() for name in names}
        last = json.loads(old.read_text()) if old.exists() else {}  # read late: others wrote
        old.write_text(json.dumps(last | fresh, indent=1))
    last = json.loads(old.read_text())
    rule = last["rules"] | last.get("tie_break", {})
    text = _markdown(last["compare"], last["pairs"], rule, last.get("walk", []))
    OUT.with_suffix(".md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
