"""Convergence of the hourly form in the number of representative days N (issue 17).

Scenario ``neocloud`` (12 years + 5 buffer years, yearly) is solved in the period form and with
``horizon.hours.representative_days`` = N for N = 2, 4, 8, 12 (24, 48 with ``--n``), each day
cut into ``--segments`` time steps (``horizon.hours.segments``; 24: hours), with
``--extreme-days`` the least-wind and hottest days added (``horizon.hours.extreme_days``: the
"N" column then reads "N+2"). Per run:
NPV [$M], MW of power projects built per technology (summed over sites and build periods), the
LP's size, and the seconds of build (data + model), hand-off, HiGHS and end to end (wall), with
the process's CPU seconds (the machine may be shared: CPU time is the steadier figure). A run
that hits ``--time-limit`` is recorded with its status.

Issue 17's criterion for N and 2N: the MW built per technology differs by at most 5% of the
larger figure (or 100 MW, whichever is more); the table marks each N against the next N with
the same segments.

    .venv/bin/python benchmarks/hourly_convergence.py                 # N = 2, 4, 8, 12; 6 steps
    .venv/bin/python benchmarks/hourly_convergence.py --n 2 4 --time-limit 600
    .venv/bin/python benchmarks/hourly_convergence.py --n 8 --no-period-form --keep  # add a row
    .venv/bin/python benchmarks/hourly_convergence.py --n 8 --segments 24 --no-period-form --keep

Writes ``benchmarks/results/hourly_convergence.json`` and ``.md`` after every run (rows keyed
by N and segments).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from twin.plan import PlanFailed, plan
from twin.report import to_dataset
from twin.spec import load_model

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "baseline.yaml"
OUT = ROOT / "benchmarks" / "results" / "hourly_convergence"


def run(n: int | None, segments: int, extremes: bool, scenario: str, time_limit: float) -> dict:
    """Solve ``scenario`` with N representative days of ``segments`` steps, plus the extreme
    days if ``extremes`` (None: the period form)."""
    over: list[tuple[str, object]] = [("solver.time_limit_s", time_limit)]
    over.append(("horizon.hours.representative_days", "none" if n is None else n))
    if n is not None:
        over.append(("horizon.hours.segments", segments))
        over.append(("horizon.hours.extreme_days", extremes))
    wall0, cpu0 = time.perf_counter(), time.process_time()
    try:
        p = plan(load_model(MODEL, scenario=scenario, overrides=over))
    except PlanFailed as e:
        return {"n": n, "segments": segments, "extremes": extremes, "status": str(e),
                "wall_s": round(time.perf_counter() - wall0, 1),
                "cpu_s": round(time.process_time() - cpu0, 1)}  # fmt: skip
    ds = to_dataset(p)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    built = ds["power_build_mw"].sum(("site", "period"))
    tech = ds["project_technology"].values if "project_technology" in ds else ds["project"].values
    by_tech: dict[str, float] = {}
    for t, v in zip(tech, built.values, strict=True):
        by_tech[str(t)] = by_tech.get(str(t), 0.0) + float(v)
    return {
        "n": n,
        "segments": None if n is None else segments,
        "extremes": extremes and n is not None,
        "status": p.result.status,
        "npv_musd": round(float(ds.attrs["npv_musd"]), 1),
        "built_mw": {k: round(v, 1) for k, v in sorted(by_tech.items())},
        "size": p.result.size,
        "build_s": round(p.times["build_s"], 1),
        "handoff_s": round(p.times["handoff_s"], 1),
        "highs_s": round(p.times["highs_s"], 1),
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
    }


def close(a: float, b: float) -> bool:
    """Issue 17's test: within 5% of the larger figure or 100 MW, whichever is more."""
    return abs(a - b) <= max(0.05 * max(abs(a), abs(b)), 100.0)


def table(rows: list[dict]) -> str:
    """The markdown table of ``rows``."""
    techs = sorted({t for r in rows for t in r.get("built_mw", {})})
    head = ["N", "steps", "status", "NPV $M", *[f"{t} MW" for t in techs], "nonzeros", "build s",
            "hand-off s", "HiGHS s", "wall s", "CPU s", "MW as next N (5%/100 MW)"]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for i, r in enumerate(rows):
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        ok = ""
        same = nxt is not None and all(nxt.get(k) == r.get(k) for k in ("segments", "extremes"))
        if nxt and same and "built_mw" in r and "built_mw" in nxt and r["n"] is not None:
            ok = "yes" if all(
                close(r["built_mw"].get(t, 0.0), nxt["built_mw"].get(t, 0.0)) for t in techs
            ) else "no"  # fmt: skip
        cells = [
            "period form" if r["n"] is None else f"{r['n']}{'+2' if r.get('extremes') else ''}",
            "" if r.get("segments") is None else str(r["segments"]),
            r["status"][:40],
            f"{r.get('npv_musd', float('nan')):,.0f}",
            *[f"{r.get('built_mw', {}).get(t, float('nan')):,.0f}" for t in techs],
            f"{r.get('size', {}).get('nonzeros', 0):,}",
            *[str(r.get(k, "")) for k in ("build_s", "handoff_s", "highs_s", "wall_s", "cpu_s")],
            ok,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[2, 4, 8, 12])
    ap.add_argument("--segments", type=int, default=6, help="time steps per day (24: hours)")
    ap.add_argument("--extreme-days", action="store_true", help="add the extreme days")
    ap.add_argument("--out", type=Path, default=OUT, help="results path without suffix")
    ap.add_argument("--scenario", default="neocloud")
    ap.add_argument("--time-limit", type=float, default=1200.0)
    ap.add_argument("--no-period-form", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the rows of earlier runs")
    a = ap.parse_args()
    ns: list[int | None] = ([] if a.no_period_form else [None]) + list(a.n)
    old = json.loads(a.out.with_suffix(".json").read_text()) if a.keep else []

    def key(r: dict) -> tuple[int, int, int]:
        if r["n"] is None:
            return (-1, -1, -1)
        return (r.get("segments") or 24, int(bool(r.get("extremes"))), r["n"])

    this = {"segments": a.segments, "extremes": a.extreme_days}
    new = {key({"n": n, **this}) for n in ns}
    rows: list[dict] = [r for r in old if key(r) not in new]
    for n in ns:
        rows.append(run(n, a.segments, a.extreme_days, a.scenario, a.time_limit))
        rows.sort(key=key)
        done = key({"n": n, **this})
        print(json.dumps(next(r for r in rows if key(r) == done)), flush=True)
        a.out.with_suffix(".json").write_text(json.dumps(rows, indent=1) + "\n")
        a.out.with_suffix(".md").write_text(
            f"# Hourly convergence: scenario `{a.scenario}`\n\n"
            "Written by `benchmarks/hourly_convergence.py` (its docstring says what each column "
            "is).\n\n" + table(rows) + "\n"
        )


if __name__ == "__main__":
    main()
