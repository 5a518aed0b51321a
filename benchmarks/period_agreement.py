"""Yearly against quarterly periods: does the period length decide the answer? (issue 17)

For the base model and ``neocloud`` (models/baseline.yaml), solved with ``horizon.period`` year
and quarter, the script records the NPV, the MW of nameplate built per technology summed over
sites and periods, and the IT capacity at the end of the reported horizon, and checks issue 17's
criterion: per technology ``|yearly - quarterly| <= max(0.10 x larger, 100 MW)``.

    .venv/bin/python benchmarks/period_agreement.py             # full horizon, ~3 min unloaded
    .venv/bin/python benchmarks/period_agreement.py --years 6   # the reduced horizon of the test
    .venv/bin/python benchmarks/period_agreement.py --years 6 --diagnose neocloud
    .venv/bin/python benchmarks/period_agreement.py --hourly --cell neocloud quarter  # one cell
    .venv/bin/python benchmarks/period_agreement.py --hourly  # the hourly table of the cells
    .venv/bin/python benchmarks/period_agreement.py --years 6 --scenario neocloud \
        --set sites.abilene.earliest=2026-07-01 --set sites.atlanta.earliest=2026-07-01

``--hourly`` solves the hourly form (``HOURLY``: 4 typical + 2 extreme days of 6 segments, the
proposed setting of README "Power in hours") instead of the energy-only one; a quarterly hourly
solve is large (~4x the yearly one's rows), so each (scenario, period) cell can run in its own
process (``--cell``) and ``--hourly`` alone writes the table from the cells done. ``--set``
(and ``--scenario``) solve both forms with the same overrides and print the table: the
experiments of benchmarks/results/period_agreement.md ("Why they differ").

``--diagnose`` fixes each form's power builds in the other (a quarterly build in the year that
holds its quarter; a yearly build in the year's first quarter), re-solves, and prints the NPV
lost and the discounted cash per flow against the free plan: a tie loses ~0, a real difference
names the cash line that rewards the free plan's mix.

Results: benchmarks/results/period_agreement[_<years>].json and .md; the hourly cells in
benchmarks/results/period_agreement_hourly/ and their table in period_agreement_hourly.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pyomo.environ as pyo

from twin.plan import Plan, plan
from twin.plan.cash import INFLOWS
from twin.plan.expressions import capacity
from twin.plan.solve import solve as solve_model
from twin.spec import load_model, parse_assignments
from twin.spec.horizon import ENERGY_ONLY

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "baseline.yaml"
OUT = ROOT / "benchmarks" / "results"
#: issue 17's criterion: 10% of the larger figure or 100 MW, whichever is more
REL, ABS_MW = 0.10, 100.0
#: the hourly form compared: 4 typical + 2 extreme days of 6 segments (README "Power in hours")
HOURLY: tuple[tuple[str, object], ...] = (
    ("horizon.hours.representative_days", 4),
    ("horizon.hours.extreme_days", True),
    ("horizon.hours.segments", 6),
)
HOURLY_DIR = OUT / "period_agreement_hourly"


def solve(
    scenario: str | None,
    period: str,
    years: int | None = None,
    hourly: bool = False,
    extra: Sequence[tuple[str, object]] = (),
) -> tuple[Plan, float]:
    """The plan of ``scenario`` with ``horizon.period`` = period (and years; the hourly form
    ``HOURLY`` if ``hourly``; ``extra`` overrides, ``--set``), and its seconds."""
    over: list[tuple[str, object]] = [("horizon.period", period), ("solver.time_limit_s", 3000)]
    if years is not None:
        over.append(("horizon.years", years))
    over += HOURLY if hourly else [ENERGY_ONLY]
    over += extra
    t0 = time.perf_counter()
    p = plan(load_model(MODEL, scenario=scenario, overrides=over))
    return p, time.perf_counter() - t0


def built_mw(p: Plan) -> dict[str, float]:
    """MW of nameplate built per technology, summed over sites and periods."""
    pb, out = p.data.power_build, defaultdict(float)
    for (_, g, _), x in p.model.power_build.items():
        out[pb.technology[g]] += float(pyo.value(x))
    return dict(out)


def it_end_mw(p: Plan) -> float:
    """IT capacity of the ground sites in the last reported period [MW]."""
    d = p.data
    last = d.n_reported - 1
    ground = [s for s in d.sites if s not in d.orbital_sites]
    return float(sum(pyo.value(capacity(p.model, d, s, last)) for s in ground))


def disagreements(yearly: dict[str, float], quarterly: dict[str, float]) -> dict[str, float]:
    """Technologies whose MW differ by more than the criterion, with the gap [MW]."""
    out = {}
    for g in sorted(yearly.keys() | quarterly.keys()):
        a, b = yearly.get(g, 0.0), quarterly.get(g, 0.0)
        if abs(a - b) > max(REL * max(a, b), ABS_MW):
            out[g] = abs(a - b)
    return out


def compare(
    years: int | None, extra: Sequence[tuple[str, object]] = (), scenarios: Sequence[str] = ()
) -> dict[str, dict]:
    """Both scenarios (or ``scenarios``; "base" for none) in both period lengths."""
    res = {}
    for name in scenarios or ("base", "neocloud"):
        scenario = None if name == "base" else name
        row: dict[str, dict] = {}
        for period in ("year", "quarter"):
            p, seconds = solve(scenario, period, years, extra=extra)
            row[period] = {
                "npv_musd": p.result.objective,
                "built_mw": {g: round(v, 1) for g, v in built_mw(p).items()},
                "it_end_mw": round(it_end_mw(p), 1),
                "seconds": round(seconds, 1),
            }
        gaps = disagreements(row["year"]["built_mw"], row["quarter"]["built_mw"])
        res[name] = {**row, "over_criterion_mw": gaps}
    return res


def markdown(res: dict[str, dict], years: int | None, hourly: bool = False) -> str:
    """The results as a table per scenario."""
    form = ", hourly form: 4 typical + 2 extreme days of 6 segments" if hourly else ""
    lines = [f"# Yearly against quarterly periods ({years or 'full'} years{form})", ""]
    for name, r in res.items():
        y, q = r["year"], r["quarter"]
        lines += [f"## {name}", "", "| | yearly | quarterly |", "|---|---|---|"]
        lines.append(f"| NPV $M | {y['npv_musd']:,.0f} | {q['npv_musd']:,.0f} |")
        lines.append(f"| IT at the end MW | {y['it_end_mw']:,.0f} | {q['it_end_mw']:,.0f} |")
        for g in sorted(y["built_mw"].keys() | q["built_mw"].keys()):
            a, b = (abs(r[p]["built_mw"].get(g, 0.0)) for p in ("year", "quarter"))
            flag = " (over)" if g in r["over_criterion_mw"] else ""
            lines.append(f"| {g} MW{flag} | {a:,.0f} | {b:,.0f} |")
        lines.append(f"| seconds | {y['seconds']} | {q['seconds']} |")
        if "cpu_s" in y:
            lines.append(f"| CPU seconds | {y['cpu_s']} | {q['cpu_s']} |")
            lines.append(f"| nonzeros | {y['nonzeros']:,} | {q['nonzeros']:,} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def cash_by_flow(p: Plan) -> dict[str, float]:
    """Discounted cash per flow over the horizon, inflows positive, salvage as its own line [$M]."""
    d, m = p.data, p.model
    out: dict[str, float] = defaultdict(float)
    for (f, q), e in m.cash.items():
        out[f] += (1 if f in INFLOWS else -1) * d.df[q] * float(pyo.value(e))
    out["salvage"] = d.df_end * float(pyo.value(m.salvage_value))
    return dict(out)


def refix(target: Plan, source: Plan) -> dict[str, float]:
    """Fix ``source``'s power builds in ``target`` (mapped by start date), re-solve, and return
    the NPV and cash per flow of the fixed plan minus the free one [$M]."""
    free = {"npv": target.result.objective, **cash_by_flow(target)}
    ts, ss = target.data.periods, source.data.periods
    year_of = {q: max(i for i, t in enumerate(ts) if t <= day) for q, day in enumerate(ss)}
    fixed: dict[tuple[str, str, int], float] = defaultdict(float)
    for (s, g, q), x in source.model.power_build.items():
        fixed[s, g, year_of[q]] += float(pyo.value(x))
    for key, x in target.model.power_build.items():
        x.fix(fixed.get(key, 0.0))
    target.model.market_rate.deactivate()  # a year's slots may all go to its first quarter
    res = solve_model(target.model, target.spec.model.solver)
    after = {"npv": res.objective, **cash_by_flow(target)}
    return {f: after.get(f, 0.0) - free.get(f, 0.0) for f in after.keys() | free.keys()}


def diagnose(scenario: str | None, years: int | None) -> None:
    """Print what each form loses with the other's power builds (module docstring)."""
    plans = {period: solve(scenario, period, years)[0] for period in ("year", "quarter")}
    for target, source in (("year", "quarter"), ("quarter", "year")):
        delta = refix(plans[target], plans[source])
        lines = ", ".join(f"{f} {v:+,.1f}" for f, v in sorted(delta.items()) if abs(v) > 0.05)
        print(f"{target} with {source}'s power builds: {lines}")


def cpu_seconds() -> float:
    """CPU seconds of this process so far (user + system; HiGHS runs in it) [s]."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def hourly_cell(
    scenario: str, period: str, years: int | None, extra: Sequence[tuple[str, object]] = ()
) -> dict:
    """Solve one (scenario, period) cell in the hourly form (with ``extra`` overrides, e.g.
    the solver's method) and write it to ``HOURLY_DIR``."""
    cpu0 = cpu_seconds()
    p, seconds = solve(None if scenario == "base" else scenario, period, years, True, extra)
    cell = {
        "status": p.result.status,
        "npv_musd": p.result.objective,
        "built_mw": {g: round(v, 1) for g, v in built_mw(p).items()},
        "it_end_mw": round(it_end_mw(p), 1),
        "nonzeros": p.result.size["nonzeros"],
        "seconds": round(seconds, 1),
        "cpu_s": round(cpu_seconds() - cpu0, 1),
    }
    HOURLY_DIR.mkdir(parents=True, exist_ok=True)
    (HOURLY_DIR / cell_name(scenario, period, years)).write_text(json.dumps(cell, indent=1) + "\n")
    return cell


def cell_name(scenario: str, period: str, years: int | None) -> str:
    """File name of an hourly cell: ``<scenario>_<period>[_<years>].json``."""
    return f"{scenario}_{period}" + (f"_{years}" if years else "") + ".json"


def merge_hourly(years: int | None) -> dict[str, dict]:
    """The hourly cells done, as ``compare``'s result (scenarios with both periods only)."""
    res = {}
    for scenario in ("base", "neocloud"):
        cells = {per: HOURLY_DIR / cell_name(scenario, per, years) for per in ("year", "quarter")}
        if not all(f.exists() for f in cells.values()):
            continue
        row = {per: json.loads(f.read_text()) for per, f in cells.items()}
        gaps = disagreements(row["year"]["built_mw"], row["quarter"]["built_mw"])
        res[scenario] = {**row, "over_criterion_mw": gaps}
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=int, default=None, help="horizon.years (default: the model's)")
    ap.add_argument("--diagnose", default=None, help="scenario to diagnose ('base' for none)")
    ap.add_argument("--hourly", action="store_true", help="the hourly form (HOURLY)")
    ap.add_argument("--cell", nargs=2, metavar=("SCENARIO", "PERIOD"), help="one hourly cell")
    ap.add_argument("--set", action="append", default=[], help="PATH=VALUE in both forms")
    ap.add_argument("--scenario", action="append", default=[], help="base, neocloud, ...")
    args = ap.parse_args()
    years, extra = args.years, parse_assignments(args.set)
    if (extra or args.scenario) and not args.hourly:  # an experiment: printed, not written
        print(markdown(compare(years, extra, args.scenario), years))
        return
    if args.hourly and args.cell:
        print(json.dumps(hourly_cell(args.cell[0], args.cell[1], years, extra)))
        return
    if args.hourly:
        res = merge_hourly(years)
        stem = "period_agreement_hourly" + (f"_{years}" if years else "")
        (OUT / f"{stem}.json").write_text(json.dumps(res, indent=1) + "\n")
        (OUT / f"{stem}.md").write_text(markdown(res, years, hourly=True))
        print(markdown(res, years, hourly=True))
        return
    if args.diagnose:
        diagnose(None if args.diagnose == "base" else args.diagnose, years)
        return
    res = compare(years)
    stem = "period_agreement" + (f"_{years}" if years else "")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{stem}.json").write_text(json.dumps(res, indent=1) + "\n")
    (OUT / f"{stem}.md").write_text(markdown(res, years))
    print(markdown(res, years))


if __name__ == "__main__":
    main()
