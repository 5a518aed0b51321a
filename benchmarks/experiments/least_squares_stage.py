"""A strictly convex tie-break (experiment, issue 17; benchmarks/results/period_agreement.md,
"A least-squares power mix"): of the plans within ``eps`` of the best NPV, the one whose MW per
technology has the least sum of squares.

    1.  NPV* = max NPV(x)                                   (the plan, no tie-break)
    2.  min  sum_g f(MW_g)    s.t.  NPV(x) >= NPV* - eps |NPV*|,   every row of the plan
        f(z) = (z / S)^2, as the upper envelope of its tangents at b = 0, 25, ..., 8000 MW:
        e_g >= 2 b z / S^2 - b^2 / S^2   (an LP; exact at the tangent points, within
        (12.5 MW / S)^2 between them)

with ``MW_g`` the nameplate of technology g built over the reported years, summed over sites
(``power_mw:g``), ``S`` = 1,000 MW. The compute tie-break's rule picks a vertex of the
near-optimal set, and a vertex jumps when the set changes a little (yearly against quarterly
periods); the minimum of a strictly convex function over it is unique in ``MW`` and moves with
the set. HiGHS's QP solver (the same objective as a Hessian) returned "Unbounded" on the 6-year
plan (free columns of zero curvature), so the envelope stands in for it.

Run from a worktree with the experiment patches applied (``PYTHONPATH=.``):

    ../main/.venv/bin/python benchmarks/experiments/least_squares_stage.py --years 6 \
        [--period quarter --set solver.method=ipm] [--eps 1e-4] [--by-period]

The stage's own solver: ``--stage-solver ipm`` (interior point, crossover on; on the quarterly
full horizon it did not finish in 80 minutes, nor simplex from the first solve's basis in 30),
``--stage-limit`` [s], ``--strategy`` (HiGHS's ``simplex_strategy``: 1 dual, 4 primal),
``--step`` (the envelope's spacing [MW]) and ``--form segments`` (the square as a sum of bounded
segments of rising cost, ``MW_g = sum_s y_gs``, instead of tangent rows): the same plan in every
form measured, at different speeds (benchmarks/results/period_agreement.md, "Least squares and
issue 18").
"""

from __future__ import annotations

import argparse
import collections
import time

import highspy
import numpy as np

STEP_MW, TOP_MW = 25.0, 8000.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenario", default="neocloud")
    ap.add_argument("--period", default="year", choices=("year", "quarter"))
    ap.add_argument("--years", type=int, default=None)
    ap.add_argument("--eps", type=float, default=1e-4)
    ap.add_argument("--scale", type=float, default=1000.0, help="S [MW]")
    ap.add_argument("--set", action="append", default=[], help="KEY=VALUE override")
    ap.add_argument("--by-period", action="store_true", help="MW ordered per period")
    ap.add_argument("--step", type=float, default=STEP_MW, help="envelope step [MW]")
    ap.add_argument("--strategy", type=int, default=1, help="HiGHS simplex_strategy")
    ap.add_argument("--form", default="tangents", choices=("tangents", "segments"))
    ap.add_argument("--stage-solver", default="simplex", choices=("simplex", "ipm"))
    ap.add_argument("--stage-limit", type=float, default=3600.0, help="stage time limit [s]")
    args = ap.parse_args(argv)
    from benchmarks.closest_plan import untied_plan

    extra = [(k, v) for k, _, v in (s.partition("=") for s in args.set)]
    t0 = time.perf_counter()
    p = untied_plan(args.scenario, args.period, args.years, extra, exact=True, keep_session=True)
    m, d, best, session = p.model, p.data, p.result.objective, p.result.session
    h, lp, cols = session.highs, session.lp, session.cols
    print(f"{args.scenario}, {args.period}ly, {args.years or 'full'} years: NPV* {best:,.1f} $M "
          f"({time.perf_counter() - t0:.0f} s)", flush=True)  # fmt: skip
    where = {id(v): j for j, v in enumerate(cols)}
    tech = d.power_build.technology
    techs = sorted(set(tech.values()))
    built = {
        g: [
            where[id(x)]
            for (_, pp, q), x in m.power_build.items()
            if tech[pp] == g and q < d.n_reported and id(x) in where
        ]
        for g in techs
    }
    cost = np.asarray(lp.col_cost_, dtype=float)
    assert session.add_floor(best - args.eps * abs(best))
    add = _segments if args.form == "segments" else _tangents
    new, mw = add(h, [built[g] for g in techs], args.step, args.scale**2)
    n = len(new)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), new)
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    h.changeObjectiveOffset(0.0)
    h.setOptionValue("solver", args.stage_solver)
    h.setOptionValue("simplex_strategy", args.strategy)
    h.setOptionValue("time_limit", h.getRunTime() + args.stage_limit)
    t1 = time.perf_counter()
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    x = np.asarray(h.getSolution().col_value)
    npv = float(cost @ x[: len(cost)] + lp.offset_)
    print(f"least squares within {args.eps:g}: {status} ({time.perf_counter() - t1:.0f} s), "
          f"NPV {npv:,.1f} $M ({(best - npv) / abs(best):.2e} below)")  # fmt: skip
    for i, g in enumerate(techs):
        print(f"  {g}: {mw(x, i):,.0f} MW")
    if args.by_period:
        for g in techs:
            rows: dict[float, float] = collections.defaultdict(float)
            for (_, pp, q), v in m.power_build.items():
                if tech[pp] == g and q < d.n_reported and id(v) in where:
                    rows[round(d.t[q], 2)] += x[where[id(v)]]
            cells = [f"{t:g}: {mw:,.0f}" for t, mw in sorted(rows.items()) if abs(mw) > 1]
            if cells:
                print(f"  {g} ordered at t [yr]: " + ", ".join(cells))
    return 0


def _tangents(h: highspy.Highs, built: list[list[int]], step: float, s2: float) -> tuple:
    """``z_g = MW_g`` (free) and ``e_g >= 2 b z_g / s2 - b^2 / s2`` at ``b = 0, step, ...,
    TOP_MW``: the new costs (1 on each ``e_g``) and ``MW_g`` of a solution."""
    inf, none_i, none_f = highspy.kHighsInf, np.array([], np.int32), np.array([], float)
    z0 = h.getNumCol()
    for _ in built:
        h.addCol(0.0, -inf, inf, 0, none_i, none_f)
    for i, cols in enumerate(built):
        idx = np.array([*cols, z0 + i], np.int32)
        h.addRow(0.0, 0.0, len(idx), idx, np.array([1.0] * len(cols) + [-1.0]))
    e0 = h.getNumCol()
    for _ in built:
        h.addCol(0.0, 0.0, inf, 0, none_i, none_f)
    for i in range(len(built)):
        for b in np.arange(0.0, TOP_MW + step, step):
            cols_i = np.array([e0 + i, z0 + i], np.int32)
            h.addRow(-b * b / s2, inf, 2, cols_i, np.array([1.0, -2.0 * b / s2]))
    new = np.zeros(h.getNumCol())
    new[e0:] = 1.0
    return new, lambda x, i: float(x[z0 + i])


def _segments(h: highspy.Highs, built: list[list[int]], step: float, s2: float) -> tuple:
    """``MW_g = sum_s y_gs``, ``0 <= y_gs <= step`` (the last unbounded), ``y_gs`` costing
    ``f(b_s+1) - f(b_s)``: the new costs and ``MW_g`` of a solution."""
    inf, none_i, none_f = highspy.kHighsInf, np.array([], np.int32), np.array([], float)
    b = np.arange(0.0, TOP_MW + step, step)
    slope = np.diff(b * b / s2)
    n_seg = len(slope)
    z0 = h.getNumCol()
    for i, cols in enumerate(built):
        for j in range(n_seg):
            h.addCol(float(slope[j]), 0.0, step if j < n_seg - 1 else inf, 0, none_i, none_f)
        first = z0 + i * n_seg
        idx = np.array([*cols, *range(first, first + n_seg)], np.int32)
        h.addRow(0.0, 0.0, len(idx), idx, np.array([1.0] * len(cols) + [-1.0] * n_seg))
    new = np.zeros(h.getNumCol())
    new[z0:] = np.tile(slope, len(built))
    return new, lambda x, i: float(x[z0 + i * n_seg : z0 + (i + 1) * n_seg].sum())


if __name__ == "__main__":
    raise SystemExit(main())
