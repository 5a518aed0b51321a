"""End effects: does the plan lean on the horizon's end? And does every horizon length solve?

**Comparison.** For each ``horizon.end_effects`` choice (and the buffer with each rule at its
end, ``horizon.buffer_end``), scenario ``neocloud`` is solved over 12 and over 17 years
(``roadmap.until`` left empty: the roadmap runs to the solved end). Over the first 9 years the
script compares, per year, the IT capacity online [MW], the new power online [MW] and the
compute bought [H100e], and reports the largest relative gap of a year (years where the 17-year
plan's value is 0 are compared against the 9-year mean) and the gap of the 9-year totals; and
the end credit's share of the NPV, the wall credit's share (what a rule credits at the solved
end, less what is still owed there) and the 12-year solve's seconds.

**Walk.** ``--walk`` solves ``horizon.years`` = 3..25 on the base model and ``neocloud`` and
records status and seconds (the CI test walks 3, 14 and 25).

    .venv/bin/python benchmarks/end_effects.py            # comparison, ~1 min
    .venv/bin/python benchmarks/end_effects.py --walk     # and the walk, ~3 min more
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import xarray as xr

from twin.plan import plan
from twin.report import to_dataset
from twin.spec import load_model

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "baseline.yaml"
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


def _solve(
    years: int, end: str, wall: str, scenario: str | None = "neocloud"
) -> tuple[xr.Dataset, float]:
    over = [("horizon.years", years), ("horizon.end_effects", end), ("horizon.buffer_end", wall)]
    t0 = time.perf_counter()
    p = plan(load_model(MODEL, scenario=scenario, overrides=over))
    return to_dataset(p), time.perf_counter() - t0


def series(ds: xr.Dataset) -> dict[str, np.ndarray]:
    """IT capacity [MW], new power online [MW] and compute bought [H100e] per year."""
    power = ds["power_online_mw"].sum([d for d in ds["power_online_mw"].dims if d != "period"])
    return {
        "it_mw": ds["capacity_mw"].sum("site").values,
        "new_power_mw": power.values,
        "h100e_bought": (ds["chips_bought"] * ds["chip_h100e"]).sum("chip").values,
    }


def gaps(short: dict[str, np.ndarray], long: dict[str, np.ndarray]) -> dict[str, dict]:
    """Largest per-year relative gap and the gap of the totals over the first FIRST years."""
    out = {}
    for key in short:
        a, b = short[key][:FIRST], long[key][:FIRST]
        base = np.where(b > 0, b, b.mean())
        out[key] = {
            "max_year_gap": float(np.max(np.abs(a - b) / base)) if b.mean() > 0 else 0.0,
            "total_gap": float(abs(a.sum() - b.sum()) / b.sum()) if b.sum() > 0 else 0.0,
            "short": [round(float(x), 1) for x in a],
            "long": [round(float(x), 1) for x in b],
        }
    return out


def compare() -> dict[str, dict]:
    """Every end-effect choice: 12 against 17 years, end credit and its share."""
    out = {}
    for label, end, wall in CHOICES:
        (s, seconds), (lg, _) = _solve(12, end, wall), _solve(17, end, wall)
        a = s.attrs
        out[label] = {
            "gaps": gaps(series(s), series(lg)),
            "npv_musd": a["npv_musd"],
            "end_credit_musd": a["end_credit_musd"],
            "end_credit_share": a["end_credit_share"],
            "wall_credit_share": a["wall_credit_share"],
            "seconds_12": round(seconds, 2),
            "peak_it_mw": float(series(s)["it_mw"].max()),
        }
    return out


def walk() -> list[dict]:
    """``horizon.years`` 3..25 on the base model and neocloud: status and seconds."""
    rows = []
    for scenario in (None, "neocloud"):
        for years in range(3, 26):
            t0 = time.perf_counter()
            try:
                p = plan(load_model(MODEL, scenario=scenario, overrides=[("horizon.years", years)]))
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


def _markdown(res: dict[str, dict], rows: list[dict]) -> str:
    lines = [
        "# End effects: 12 against 17 years (neocloud), first 9 years",
        "",
        "| end effects | IT MW: max year gap / total gap | new power MW | H100e bought | "
        "end credit $M | end credit share of NPV | wall credit share | peak IT MW | "
        "12-year solve s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for end, r in res.items():
        g = r["gaps"]
        cells = [f"{g[k]['max_year_gap']:.1%} / {g[k]['total_gap']:.1%}" for k in g]
        lines.append(
            f"| {end} | {' | '.join(cells)} | {r['end_credit_musd']:,.0f} | "
            f"{r['end_credit_share']:.1%} | {r['wall_credit_share']:.2%} | "
            f"{r['peak_it_mw']:,.0f} | {r['seconds_12']:.1f} |"
        )
    if rows:
        bad = [r for r in rows if r["status"] != "optimal"]
        lines += [
            "",
            f"Walk 3-25 years x (base, neocloud): {len(rows)} solves, "
            f"{len(bad)} not optimal; slowest {max(r['seconds'] for r in rows):.1f} s.",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--walk", action="store_true", help="also walk horizon.years 3..25")
    args = ap.parse_args()
    res = compare()
    rows = walk() if args.walk else []
    OUT.with_suffix(".json").write_text(json.dumps({"compare": res, "walk": rows}, indent=1))
    OUT.with_suffix(".md").write_text(_markdown(res, rows))
    print(_markdown(res, rows))


if __name__ == "__main__":
    main()
