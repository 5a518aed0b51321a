"""Within a slack of its own optimum NPV, how close can one period form come to another form's MW
per technology? One LP (issue 17; benchmarks/results/period_agreement.md, "How flat").

    .venv/bin/python benchmarks/closest_plan.py --years 6 --slack 1e-4 \
        --target solar_storage_ppa=887 --target gas_simple_cycle=3543 --target grid=475 \
        --target battery=1721

The plan of ``--scenario`` in ``--period`` periods, in the baseline's hourly form, no tie-break,
gives NPV*; then, under ``NPV >= NPV* - slack |NPV*|``,

    min t   s.t.   |MW_g - Q_g| <= t tol_g   for every technology g,   tol_g = max(0.1 Q_g, 100)

with ``MW_g`` the nameplate of technology g built over the reported years, summed over sites
(``power_mw:g``), ``Q_g`` the target (0 where none is given) and ``tol_g`` issue 17's tolerance
taken on the target (the criterion takes 10% of the larger figure: this is the stricter
reading). ``t <= 1``: one plan within the slack agrees with the targets on every technology.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pyomo.environ as pyo

ROOT = Path(__file__).resolve().parents[1]


def untied_plan(
    scenario: str, period: str, years: int | None, extra: list | None = None, **kw: Any
) -> Any:
    """The baseline's plan of ``scenario`` ('base': none) in ``period`` periods over ``years``
    (None: the model's), without the tie-break, ``extra`` overrides after those; ``kw`` to
    :func:`twin.plan.plan`."""
    from twin.plan import plan
    from twin.spec import load_model

    over: list[tuple[str, object]] = [("horizon.period", period), ("solver.tie_break", "none")]
    if years:
        over.append(("horizon.years", years))
    over += extra or []
    name = None if scenario == "base" else scenario
    return plan(load_model(ROOT / "models" / "baseline.yaml", scenario=name, overrides=over), **kw)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenario", default="neocloud")
    ap.add_argument("--period", default="year", choices=("year", "quarter"))
    ap.add_argument("--years", type=int, default=None)
    ap.add_argument("--slack", type=float, default=1e-4)
    ap.add_argument("--target", action="append", default=[], help="TECH=MW")
    args = ap.parse_args(argv)
    from twin.plan.solve import solve
    from twin.study.metrics import TECHNOLOGIES

    target = {g: float(v) for g, _, v in (t.partition("=") for t in args.target)}
    unknown = set(target) - set(TECHNOLOGIES)
    if unknown:
        ap.error(f"--target: unknown technology {sorted(unknown)}; expected {TECHNOLOGIES}")
    p = untied_plan(args.scenario, args.period, args.years)
    m, d, best = p.model, p.data, p.result.objective
    tech = d.power_build.technology
    mw = {
        g: sum(x for (_, h, q), x in m.power_build.items() if tech[h] == g and q < d.n_reported)
        for g in sorted(set(tech.values()))
    }
    m.closest_floor = pyo.Constraint(expr=m.npv.expr >= best - args.slack * abs(best))
    m.npv.deactivate()
    m.t = pyo.Var(within=pyo.NonNegativeReals)

    def tol(g: str) -> float:
        return max(0.1 * target.get(g, 0.0), 100.0)

    m.dev_up = pyo.Constraint(
        list(mw), rule=lambda m, g: mw[g] - target.get(g, 0.0) <= m.t * tol(g)
    )
    m.dev_dn = pyo.Constraint(
        list(mw), rule=lambda m, g: target.get(g, 0.0) - mw[g] <= m.t * tol(g)
    )
    m.closest = pyo.Objective(expr=m.t, sense=pyo.minimize)
    res = solve(m, p.spec.model.solver, handoff="pyomo")
    print(f"{args.scenario}, {args.period}ly, {args.years or 'full'} years: NPV* {best:,.1f} $M")
    print(
        f"closest within {args.slack:g}: t = {pyo.value(m.t):.3f} ({res.status}), "
        f"NPV {pyo.value(m.npv.expr):,.1f} $M"
    )
    for g, e in mw.items():
        print(f"  {g}: {pyo.value(e):,.0f} MW (target {target.get(g, 0.0):,.0f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
