"""Issue 17 experiment: each period length with the other's halls, in the energy form.

    PYTHONPATH=. .venv/bin/python benchmarks/experiments/hall_swap.py neocloud

Solves the scenario's full horizon yearly and quarterly (``horizon.hours: none``, the optimum
without the tie-break, ``plan(..., exact=True)``), then re-solves

- the yearly LP with each site's IT capacity capped, in every year, at the most the quarterly
  plan has in that year's four quarters: ``capacity[s,y] <= max_{q in y} capacity_Q[s,q]``;
- the quarterly LP with each site's IT capacity held, in the last quarter of every year from
  year 5 on, at or above the yearly plan's for that year: ``capacity[s,q] >= capacity_Y[s,y]``
  (every quarter from the start is infeasible: a yearly build online on a year's first day may
  open a quarter or two later at quarterly resolution);

and prints the NPV each loses and the discounted cash per flow against its free optimum [$M],
with the IT load per year before and after (quarters averaged over their July year).
benchmarks/results/period_agreement.md, "Late-horizon halls" (measured with
benchmarks/experiments/two_part_periods.patch applied; it runs on main as well).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pyomo.environ as pyo

ROOT = Path(__file__).resolve().parents[2]
#: the quarterly plan is held at the yearly plan's halls from this year on
FROM_YEAR = 5


def solve_exact(scenario: str | None, period: str) -> Any:
    """The plan of ``scenario`` with ``horizon.period`` = period, energy form, no tie-break."""
    from twin.plan import plan
    from twin.spec import load_model
    from twin.spec.horizon import ENERGY_ONLY

    over: list[tuple[str, object]] = [
        ("horizon.period", period),
        ENERGY_ONLY,
        ("solver.time_limit_s", 3000),
    ]
    return plan(load_model(ROOT / "models" / "baseline.yaml", scenario, over), exact=True)


def halls(p: Any) -> dict[tuple[str, int], float]:
    """IT capacity online [MW] per (site, period) of a solved plan."""
    from twin.plan.expressions import capacity

    m, d = p.model, p.data
    return {
        (s, t): float(pyo.value(capacity(m, d, s, t))) for s in d.sites for t in range(d.n_periods)
    }


def it_by_year(p: Any) -> np.ndarray:
    """IT load [MW] summed over sites per year (a quarterly plan's quarters averaged)."""
    from twin.plan.expressions import total_it_load

    m, d = p.model, p.data
    it = np.array(
        [
            sum(float(pyo.value(total_it_load(m, d, s, t))) for s in d.sites)
            for t in range(d.n_periods)
        ]
    )
    per_year = round(1 / d.dt)
    n = len(it) // per_year
    return it[: n * per_year].reshape(n, per_year).mean(axis=1)


def swap(p: Any, other: dict[tuple[str, int], float], yearly: bool) -> dict[str, float]:
    """Re-solve ``p`` with the other form's halls (module docstring); the NPV and cash per flow
    of the constrained plan minus the free one [$M]."""
    from benchmarks.period_agreement import cash_by_flow
    from twin.plan.expressions import capacity
    from twin.plan.solve import solve

    m, d = p.model, p.data
    free = {"npv": p.result.objective, **cash_by_flow(p)}
    m.hall_swap = pyo.ConstraintList()
    for s in d.sites:
        for t in range(d.n_periods):
            e = capacity(m, d, s, t)
            if isinstance(e, float):
                continue
            if yearly:
                quarters = [other[s, q] for q in range(4 * t, 4 * t + 4) if (s, q) in other]
                if quarters:
                    m.hall_swap.add(e <= max(quarters) + 1e-3)
            elif t % 4 == 3 and (s, t // 4) in other and t // 4 >= FROM_YEAR:
                m.hall_swap.add(e >= other[s, t // 4] - 1e-3)
    res = solve(m, p.spec.model.solver)
    if res.status != "Optimal":
        raise SystemExit(
            f"{'yearly' if yearly else 'quarterly'} with the other's halls: {res.status}"
        )
    after = {"npv": res.objective, **cash_by_flow(p)}
    return {f: after.get(f, 0.0) - free.get(f, 0.0) for f in after.keys() | free.keys()}


def main(argv: list[str]) -> int:
    scenario = None if argv[0] == "base" else argv[0]
    year, quarter = solve_exact(scenario, "year"), solve_exact(scenario, "quarter")
    yh, qh = halls(year), halls(quarter)
    for p, other, yearly in ((year, qh, True), (quarter, yh, False)):
        name = "yearly" if yearly else "quarterly"
        before = it_by_year(p)
        delta = swap(p, other, yearly)
        print(
            f"{name}: NPV free {p.result.objective:,.1f} $M, with the other's halls "
            f"{delta['npv']:+,.1f} ({delta['npv'] / p.result.objective:+.2e})"
        )
        print(
            "  cash "
            + ", ".join(f"{f} {v:+,.0f}" for f, v in sorted(delta.items()) if abs(v) > 0.5)
        )
        print("  IT MW per year, free  ", np.round(before).astype(int).tolist())
        print("  IT MW per year, halls ", np.round(it_by_year(p)).astype(int).tolist())
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
