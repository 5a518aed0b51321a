"""Issue 17 experiment: a third tie-break stage, least power MW under the NPV and compute floors.

    .venv/bin/python benchmarks/experiments/least_power_stage.py year 6 neocloud

The baseline's plan (stage 1: best NPV; stage 2: the compute tie-break, twin.plan.tie_break),
then, with ``NPV >= `` the stage-2 floor and ``C >= C_2 (1 - 1e-7)`` (``C`` the compute term),
``min sum MW`` of power built over the reported years; prints MW per technology before and after
(benchmarks/results/period_agreement.md, "A third tie-break stage").
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pyomo.environ as pyo

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str]) -> int:
    from twin.plan import plan
    from twin.plan.solve import solve
    from twin.plan.tie_break import compute_early
    from twin.spec import load_model

    period, years, scenario = argv[0], int(argv[1]), argv[2]
    over: list[tuple[str, object]] = [("horizon.period", period), ("horizon.years", years)]
    if period == "quarter":
        over.append(("solver.method", "ipm"))
    t0 = time.time()
    spec = load_model(
        ROOT / "models" / "baseline.yaml",
        scenario=None if scenario == "base" else scenario,
        overrides=over,
    )
    p = plan(spec)
    m, d = p.model, p.data
    tech = d.power_build.technology
    built = [(tech[h], x) for (_, h, q), x in m.power_build.items() if q < d.n_reported]
    techs = sorted(set(tech.values()))
    before = {g: sum(pyo.value(x) for t, x in built if t == g) for g in techs}
    npv2, c2, best = pyo.value(m.npv.expr), pyo.value(compute_early(m, d)), p.result.bound
    floor = min(best - 1e-4 * abs(best), npv2) - 1e-7 * abs(best)
    m.least_npv_floor = pyo.Constraint(expr=m.npv.expr >= floor)
    m.least_compute_floor = pyo.Constraint(expr=compute_early(m, d) >= c2 * (1 - 1e-7))
    m.npv.deactivate()
    m.least_power = pyo.Objective(expr=sum(x for _, x in built), sense=pyo.minimize)
    res = solve(m, p.spec.model.solver, handoff="pyomo")
    print(
        f"{scenario} {period} {years} years: NPV {npv2:,.1f} -> {pyo.value(m.npv.expr):,.1f} $M "
        f"({res.status}), {time.time() - t0:.0f} s"
    )
    for g in techs:
        print(f"  {g}: {before[g]:,.0f} -> {sum(pyo.value(x) for t, x in built if t == g):,.0f} MW")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
