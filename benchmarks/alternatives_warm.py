"""Near-optimal alternatives warm from the optimum's basis against each solved cold, one run.

    .venv/bin/python benchmarks/alternatives_warm.py                 # neocloud, 6 years, hours
    .venv/bin/python benchmarks/alternatives_warm.py --years 12 --slack 1e-4

Both runs are :func:`twin.study.alternatives.near_optimal` on the same model and metrics (the
MW of each power technology, ``power_mw:TECH``), in one process, one after the other: warm
(the default, :mod:`twin.study.warm_lp`: the NPV floor added to the optimum's live HiGHS
model, each objective set as column costs, primal simplex from the last basis) and cold
(``warm_start=False``: each alternative a new LP through the matrix hand-off, HiGHS's own
choice of method). Reported: CPU seconds of each run (process user + system, HiGHS included)
and their ratio, and the largest difference between the two runs' ranges [MW] (the same LP
optima: 0 up to the solver's tolerances). Results: benchmarks/results/alternatives_warm.md.
"""

from __future__ import annotations

import argparse
import resource
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TECHS = ("solar_storage_ppa", "gas_simple_cycle", "grid", "battery", "nuclear_ppa")


def cpu() -> float:
    """CPU seconds of this process so far [s]."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenario", default="neocloud")
    ap.add_argument("--years", type=int, default=6)
    ap.add_argument("--slack", type=float, default=1e-4)
    args = ap.parse_args(argv)
    from twin.spec import load_model
    from twin.study.alternatives import near_optimal

    spec = load_model(
        ROOT / "models" / "baseline.yaml",
        scenario=None if args.scenario == "base" else args.scenario,
        overrides=[("horizon.years", args.years)],
    )
    metrics = [f"power_mw:{g}" for g in TECHS]
    runs = {}
    for name, warm in (("warm", True), ("cold", False)):
        t0 = cpu()
        runs[name] = (
            near_optimal(spec, args.slack, metrics, spores=0, warm_start=warm),
            cpu() - t0,
        )
    (w, tw), (c, tc) = runs["warm"], runs["cold"]
    gap = max(
        abs(a - b)
        for label in c.ranges()
        for a, b in zip(w.ranges()[label], c.ranges()[label], strict=True)
    )
    n = 2 * len(metrics)
    print(f"{args.scenario}, {args.years} years, slack {args.slack:g}, {n} alternatives")
    print(f"| | warm | cold |\n|---|--:|--:|\n| CPU s (optimum included) | {tw:.1f} | {tc:.1f} |")
    print(f"warm / cold CPU: {tw / tc:.2f}x; largest range difference {gap:.3g} MW")
    for label, (lo, hi) in w.ranges().items():
        print(f"  {label}: {round(lo) + 0:,} .. {round(hi) + 0:,} MW")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
