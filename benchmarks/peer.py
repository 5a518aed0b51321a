"""twin against a peer (linopy) and HiGHS alone on the same synthetic LP, ~40k to ~4M nonzeros.

Run from the repository root (needs the ``bench`` extra: ``pip install -e ".[bench]"``)::

    .venv/bin/python benchmarks/peer.py              # the whole ladder (see README for its time)
    .venv/bin/python benchmarks/peer.py --quick      # two small sizes, a smoke test (< 1 min)
    .venv/bin/python benchmarks/peer.py --max-nnz 300000

Each tool runs each size in its own fresh process, so peak memory (``ru_maxrss``) is its own:

- **twin**: ``synthetic_spec``, then :func:`twin.plan.plan` as ``twin solve`` runs it -- its own
  stage timings **build** (``plan_data`` + ``build_model``), **hand-off**, **solve** -- then
  :func:`twin.report.to_dataset` (**report**). The LP is then written to an MPS file.
- **linopy**: the same spec and ``plan_data``, then :func:`benchmarks.peer_linopy.build_linopy`
  (**build**), ``Model.to_highspy`` (**hand-off**), ``Highs.run`` (**solve**), and the primal
  values and duals put back on linopy's labelled arrays (**report**: what linopy hands a user).
- **HiGHS alone**: a process that imports only highspy reads the MPS file (**hand-off**) and
  solves it (**solve**).

Every solve uses twin's options: one thread, and interior point (crossover on) above
``IPM_NNZ`` nonzeros as ``method: choose`` does. One-time costs (imports, deferred imports, first
use) are paid before the clocks start: twin and linopy each first build and solve a tiny plan.
Whole-process start-up is measured apart (README). Up to ``--check-max-nnz`` nonzeros a worker
also checks that twin and linopy write the same LP (:mod:`benchmarks.lp_compare`) and reach the
same optimum. Two ladders: the period (energy-only) form, and the hourly form
(:mod:`benchmarks.synthetic_hours`: the fleets on the baseline's representative days, each entry
naming its typical days, time steps and extreme days; ``--form`` picks them).
Results go to ``benchmarks/results/peer.md`` and ``peer.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results"

from benchmarks.synthetic_hours import ladder_data, ladder_inputs, ladder_label  # noqa: E402

#: (sites, years, chips, tenants, period, expected nonzeros with seed 0).
LADDER: list[tuple[int, int, int, int, str, int]] = [
    (10, 10, 5, 10, "quarter", 48_000),
    (20, 15, 6, 12, "quarter", 176_000),
    (70, 20, 8, 12, "quarter", 954_000),
    (200, 25, 8, 14, "quarter", 4_000_000),
]
QUICK: list[tuple[int, int, int, int, str, int]] = [
    (5, 10, 4, 5, "year", 2_000),
    (10, 15, 5, 10, "year", 9_000),
]
#: The hourly form (benchmarks.synthetic_hours): ladder entries with (typical days, time steps,
#: extreme days) last; the fleet as the baseline's (13 sites, 17 yearly periods) and larger.
HOURLY: list[tuple] = [
    (20, 15, 6, 12, "year", 105_000, (4, 6, True)),
    (20, 15, 6, 12, "year", 160_000, (8, 6, True)),
    (20, 15, 6, 12, "year", 354_000, (4, 24, True)),
    (70, 20, 8, 12, "year", 448_000, (4, 6, True)),
    (70, 20, 8, 12, "year", 1_560_000, (4, 24, True)),
]
HOURLY_QUICK: list[tuple] = [(5, 10, 4, 5, "year", 12_000, (2, 6, True))]
TOOLS = ("twin", "linopy", "highs")
#: build and hand-off only, with CPU time: the fair figure on a shared machine
BUILD_TOOLS = ("twin", "linopy")


def _peak_mb() -> float:
    """Peak resident set size of this process [MB] (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _options(nnz: int) -> dict:
    """twin's HiGHS options for an LP of ``nnz`` nonzeros (``method: choose``)."""
    from twin.plan.solve import IPM_NNZ
    from twin.spec.schema import SolverOptions

    o = SolverOptions()
    return {
        "output_flag": False,
        "time_limit": float(o.time_limit_s),
        "threads": int(o.threads),
        "solver": "ipm" if nnz > IPM_NNZ and o.method == "choose" else o.method,
    }


def _warm_imports() -> None:
    """Imports every worker pays once, whatever the size, before any clock starts."""
    import numpy as np
    import xarray as xr

    import twin.plan
    import twin.report  # noqa: F401

    xr.Dataset({"x": ("a", np.zeros(1))})


# ---------------------------------------------------------------- workers (one process each)


def worker_twin(size: list, mps: str, solve: bool) -> dict:
    """twin as ``twin solve`` runs it, then the report; the LP to ``mps`` afterwards."""
    _warm_imports()
    from twin.plan import build_model, plan
    from twin.plan.solve import _highs, to_highs_lp
    from twin.report import to_dataset

    tiny, tiny_days = ladder_inputs(
        [2, 2, 2, 2, "year", 0, *size[6:]]
    )  # first-use costs, unclocked
    to_dataset(plan(tiny, data=ladder_data(tiny, tiny_days)))
    spec, days = ladder_inputs(size)
    out: dict = {}
    if solve:
        t0 = time.perf_counter()
        p = plan(
            spec, data=ladder_data(spec, days)
        )  # build_s below: from plan_data on, as plan() does
        t1 = time.perf_counter()
        ds = to_dataset(p)
        t2 = time.perf_counter()
        out.update(
            build_s=t1 - t0 - p.times["handoff_s"] - p.times["solve_s"],
            handoff_s=p.times["handoff_s"],
            solve_s=p.times["solve_s"],
            plan_wall_s=t1 - t0,
            report_s=t2 - t1,
            status=p.result.status,
            objective=p.result.objective,
            report_vars=len(ds.data_vars),
            **p.result.size,
        )
        m = p.model
    else:  # build and hand-off only (the largest sizes: no time for their solves)
        import gc

        t0, c0 = time.perf_counter(), time.process_time()
        gc.disable()  # as twin.plan.plan does
        m = build_model(ladder_data(spec, days))
        gc.enable()
        t1, c1 = time.perf_counter(), time.process_time()
        lp = to_highs_lp(m)[0]
        h = _highs(spec.model.solver)  # kept past the clock, as linopy's to_highspy() keeps its own
        h.passModel(lp)
        t2, c2 = time.perf_counter(), time.process_time()
        out.update(
            build_s=t1 - t0,
            handoff_s=t2 - t1,
            build_cpu_s=c1 - c0,
            handoff_cpu_s=c2 - c1,
            columns=lp.num_col_,
            rows=lp.num_row_,
            nonzeros=len(lp.a_matrix_.value_),
        )
    out["peak_mb"] = _peak_mb()
    lp, _, _, _ = to_highs_lp(m)
    h = _highs(spec.model.solver)
    h.passModel(lp)
    h.writeModel(mps)
    out["mps_mb"] = os.path.getsize(mps) / 1e6
    return out


def worker_linopy(size: list, mps: str, solve: bool) -> dict:
    """linopy: build from the same PlanData, ``to_highspy``, solve, values and duals back."""
    import numpy as np

    from benchmarks.peer_linopy import build_linopy

    _warm_imports()
    tiny, tiny_days = ladder_inputs([2, 2, 2, 2, "year", 0, *size[6:]])  # linopy's first-use costs
    build_linopy(ladder_data(tiny, tiny_days)).to_highspy()
    spec, days = ladder_inputs(size)
    t0, c0 = time.perf_counter(), time.process_time()
    d = ladder_data(spec, days)
    lm = build_linopy(d)
    t1, c1 = time.perf_counter(), time.process_time()
    h = lm.to_highspy()
    t2, c2 = time.perf_counter(), time.process_time()
    nnz = h.getLp().a_matrix_.value_.__len__()
    out: dict = {"build_s": t1 - t0, "handoff_s": t2 - t1, "nonzeros": nnz}
    out.update(build_cpu_s=c1 - c0, handoff_cpu_s=c2 - c1)
    if solve:
        for k, v in _options(nnz).items():
            h.setOptionValue(k, v)
        h.run()
        t3 = time.perf_counter()
        sol = h.getSolution()
        x, y = np.asarray(sol.col_value), np.asarray(sol.row_dual)
        mat = lm.matrices
        col = np.full(int(mat.vlabels.max()) + 1 if len(mat.vlabels) else 0, np.nan)
        col[mat.vlabels] = x
        row = np.full(int(mat.clabels.max()) + 1 if len(mat.clabels) else 0, np.nan)
        row[mat.clabels] = y
        values = {n: v.labels.copy(data=col[v.labels.values]) for n, v in lm.variables.items()}
        duals = {n: c.labels.copy(data=row[c.labels.values]) for n, c in lm.constraints.items()}
        t4 = time.perf_counter()
        out.update(
            solve_s=t3 - t2,
            report_s=t4 - t3,
            status=h.modelStatusToString(h.getModelStatus()),
            objective=float(h.getInfo().objective_function_value),
            report_vars=len(values) + len(duals),
        )
    out["peak_mb"] = _peak_mb()
    return out


def worker_highs(size: list, mps: str, solve: bool) -> dict:
    """HiGHS alone: read the MPS file twin wrote and solve it, in a process with only highspy."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    t0 = time.perf_counter()
    h.readModel(mps)
    t1 = time.perf_counter()
    nnz = len(h.getLp().a_matrix_.value_)
    out: dict = {"handoff_s": t1 - t0, "nonzeros": nnz}
    if solve:
        # twin's options, written out (importing twin here would not be HiGHS alone)
        h.setOptionValue("threads", 1)
        h.setOptionValue("solver", "ipm" if nnz > 100_000 else "choose")
        h.run()
        out.update(
            solve_s=time.perf_counter() - t1,
            status=h.modelStatusToString(h.getModelStatus()),
            objective=float(h.getInfo().objective_function_value),
        )
    out["peak_mb"] = _peak_mb()
    return out


def worker_check(size: list, mps: str, solve: bool) -> dict:
    """Do twin and linopy write the same LP at this size? (rows, columns, A, bounds, c); and
    reach the same optimum (twin's less its constant, which linopy's objective leaves out)?"""
    import highspy

    from benchmarks.lp_compare import differences, from_highs_lp, from_linopy
    from benchmarks.peer_linopy import build_linopy
    from twin.plan import build_model
    from twin.plan.solve import to_highs_lp

    spec, days = ladder_inputs(size)
    d = ladder_data(spec, days)
    m = build_model(d)
    lp, cols, rows, _ = to_highs_lp(m)
    a = from_highs_lp(lp, cols, rows)
    aliases = {n: "contracts" for n in spec.model.contracts} | {"demand_firm": "demand"}
    lm = build_linopy(d)
    out: dict = {"same_lp": differences(a, from_linopy(lm, aliases)) or "same", "check_nnz": a.nnz}
    objectives = []
    twin_h = highspy.Highs()
    twin_h.passModel(lp)
    for h in (twin_h, lm.to_highspy()):
        for k, v in _options(a.nnz).items():
            h.setOptionValue(k, v)
        h.run()
        assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        objectives.append(h.getInfo().objective_function_value - h.getLp().offset_)
    out["objective_rel_diff"] = abs(objectives[1] - objectives[0]) / abs(objectives[0])
    return out


WORKERS = {"twin": worker_twin, "linopy": worker_linopy, "highs": worker_highs}
WORKERS["check"] = worker_check


# ---------------------------------------------------------------- driver


def run_worker(kind: str, size: tuple, mps: str, solve: bool, timeout: float) -> dict:
    """One worker in a fresh interpreter; its last stdout line is a JSON dict."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind]
    cmd += ["--size", json.dumps(list(size)), "--path", mps] + ([] if solve else ["--no-solve"])
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"error": " | ".join((proc.stderr or proc.stdout).strip().splitlines()[-3:])}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_wall_s"] = time.perf_counter() - t0
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="two small sizes (a smoke test)")
    ap.add_argument("--max-nnz", type=float, default=5e6, help="skip larger ladder sizes")
    ap.add_argument(
        "--solve-max-nnz",
        type=float,
        default=1.5e6,
        help="solve (and report) only up to this many nonzeros; above it build and hand-off only",
    )
    ap.add_argument(
        "--check-max-nnz",
        type=float,
        default=2e5,
        help="check that twin and linopy write the same LP up to this many nonzeros",
    )
    ap.add_argument(
        "--form", choices=("period", "hourly", "both"), default="both", help="which ladders"
    )
    ap.add_argument("--hourly-solve-max-nnz", type=float, default=4e5, help="as --solve-max-nnz")
    ap.add_argument("--timeout", type=float, default=1800, help="per worker process [s]")
    ap.add_argument("--out", type=Path, default=RESULTS / "peer.md")
    ap.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    ap.add_argument("--size", help=argparse.SUPPRESS)
    ap.add_argument("--path", help=argparse.SUPPRESS)
    ap.add_argument("--no-solve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(WORKERS[args.worker](json.loads(args.size), args.path, not args.no_solve)))
        return 0

    ladder: list[tuple] = []
    if args.form != "hourly":
        ladder += QUICK if args.quick else LADDER
    if args.form != "period":
        ladder += HOURLY_QUICK if args.quick else HOURLY
    ladder = [s for s in ladder if s[5] <= args.max_nnz]
    results = []
    t_all, load0 = time.perf_counter(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="peer_") as tmp:
        mps = str(Path(tmp) / "plan.mps")
        for size in ladder:
            solve = size[5] <= args.solve_max_nnz
            print(f"size {size[:5]} (solve: {solve}) ...", file=sys.stderr, flush=True)
            r: dict = {"size": list(size[:5]), "solved": solve, "form": ladder_label(size)}
            if len(size) > 6:
                solve = r["solved"] = size[5] <= args.hourly_solve_max_nnz
            for tool in BUILD_TOOLS:
                r[f"{tool}_build"] = run_worker(tool, size, mps, False, args.timeout)
                print(f"  {tool} build: {json.dumps(r[f'{tool}_build'])}", file=sys.stderr)
            for tool in TOOLS if solve else ():
                r[tool] = run_worker(tool, size, mps, solve, args.timeout)
                print(f"  {tool}: {json.dumps(r[tool])}", file=sys.stderr, flush=True)
                if tool == "twin" and "error" in r[tool]:
                    break
            if size[5] <= args.check_max_nnz:
                r["check"] = run_worker("check", size, mps, False, args.timeout)
            r["nnz"] = r["twin_build"].get("nonzeros", size[5])
            results.append(r)
            Path(mps).unlink(missing_ok=True)
    total = time.perf_counter() - t_all
    from benchmarks.peer_tables import tables
    from benchmarks.plan_scaling import machine

    md = tables(results)

    notes = (
        f"- Measured {dt.date.today().isoformat()} on {machine()}, linopy "
        f"{_version('linopy')}; whole run {total:.0f} s, 1-minute load {load0:.1f} at the start "
        f"and {os.getloadavg()[0]:.1f} at the end.\n"
        f"- Solved up to {args.solve_max_nnz:,.0f} nonzeros; larger sizes build and hand off only."
    )
    print(md + "\n\n" + notes)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(f"# twin against linopy and HiGHS alone\n\n{md}\n\n{notes}\n")
    raw = {"argv": sys.argv[1:], "total_s": total, "results": results}
    args.out.with_suffix(".json").write_text(json.dumps(raw, indent=1))
    return 0


def _version(pkg: str) -> str:
    import importlib.metadata as md

    return md.version(pkg)


if __name__ == "__main__":
    sys.exit(main())
