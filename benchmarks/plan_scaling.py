"""Plan size scaling: where the time goes from spec to report, as the LP grows to ~1M nonzeros.

Run from the repository root::

    /work/venv/bin/python benchmarks/plan_scaling.py            # full ladder (~10-15 min, 2 cores)
    /work/venv/bin/python benchmarks/plan_scaling.py --quick    # small sizes, a smoke test (<30 s)
    /work/venv/bin/python benchmarks/plan_scaling.py --max-nnz 300000 --profile

Each size runs in fresh subprocesses (so peak memory is per size and nothing is cached):

1. main worker: ``synthetic_spec`` -> ``plan_data`` + ``build_model`` (**build**) ->
   ``to_highs_lp`` + ``Highs.passModel`` (**hand-off**) -> ``Highs.run`` (**solve**) -> values and
   duals loaded back into Pyomo as :func:`twin.plan.solve.solve_matrix` does (**values back**) ->
   :func:`twin.report.dataset.to_dataset` (**report**); peak resident memory (``ru_maxrss``) is
   read here, before the LP is written to an MPS file for step 2.
2. MPS worker: a fresh ``highspy.Highs`` with the same options reads the MPS file and solves it
   (**HiGHS-from-MPS** = read + solve): HiGHS alone, with no Python model around it.
3. IPM worker (unless ``--no-ipm``): the same MPS file solved with ``solver="ipm"`` (interior point
   + crossover), to show what the solver choice alone is worth.
4. Pyomo persistent worker (only up to ``--pyomo-max-nnz``): the same model handed to HiGHS through
   Pyomo's persistent interface, ``solve(m, options, handoff="pyomo")``, reading ``result.times``.

Solver options are the spec's (``SolverOptions`` defaults: one HiGHS thread, output off).
The table goes to stdout and to ``benchmarks/results/plan_scaling.md``; raw numbers to
``benchmarks/results/plan_scaling.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
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

#: (sites, years, chips, tenants, period, expected nonzeros measured with seed 0): the ladder.
#: Expected nonzeros only decide what ``--max-nnz`` keeps; the table shows the measured ones.
LADDER: list[tuple[int, int, int, int, str, int]] = [
    (5, 10, 4, 5, "year", 2_000),
    (10, 15, 5, 10, "year", 9_000),
    (20, 15, 6, 12, "year", 17_000),
    (10, 15, 5, 10, "quarter", 91_000),
    (20, 15, 6, 12, "quarter", 176_000),
    (40, 20, 6, 16, "quarter", 554_000),
    (70, 20, 8, 12, "quarter", 954_000),
]
QUICK = LADDER[:3]


def _peak_mb() -> float:
    """Peak resident set size of this process [MB] (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class GcClock:
    """Seconds spent in Python's cyclic garbage collector since :meth:`start` (gc.callbacks).

    cProfile does not show collector time as a function of its own: it lands on whatever
    allocation triggered it, so this clock is the way to see it.
    """

    def __init__(self) -> None:
        self.total = 0.0
        self._t0 = 0.0

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._t0 = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._t0

    def start(self) -> GcClock:
        import gc

        gc.callbacks.append(self._callback)
        return self


# ---------------------------------------------------------------- workers (one size, one process)


def worker_main(size: list, mps: str) -> dict:
    """Build, hand off, solve, load back, report; write the LP to ``mps``. Times in seconds."""
    import numpy as np

    from benchmarks.synthetic import synthetic_spec
    from twin.plan import Plan, build_model, plan_data
    from twin.plan.solve import SolveResult, SolveStatus, _highs, to_highs_lp
    from twin.report.dataset import to_dataset

    out: dict = {"import_mb": _peak_mb()}
    # One-time imports that would otherwise land in the first hand-off and the first report of a
    # process, whatever the size: scipy.sparse (Pyomo's standard-form compiler) and dask.array
    # (xarray's duck-array check on the first Dataset). Timed apart, kept out of the table.
    w0 = time.perf_counter()
    import scipy.sparse  # noqa: F401

    w1 = time.perf_counter()
    import xarray as xr

    xr.Dataset({"x": ("a", np.zeros(1))})
    w2 = time.perf_counter()
    out.update(warmup_scipy_s=w1 - w0, warmup_xarray_s=w2 - w1)
    n_sites, years, n_chips, n_tenants, period = size[:5]
    cpu = time.process_time  # CPU seconds of this process: less sensitive to a busy machine
    gcc = GcClock().start()
    t0 = time.perf_counter()
    spec = synthetic_spec(n_sites, years, n_chips, n_tenants, period=period)
    t1, c1, g1 = time.perf_counter(), cpu(), gcc.total
    d = plan_data(spec)
    t2 = time.perf_counter()
    m = build_model(d)
    t3, c3, g3 = time.perf_counter(), cpu(), gcc.total
    lp, cols, rows, integer = to_highs_lp(m)
    t4 = time.perf_counter()
    h = _highs(spec.model.solver)  # the options twin.plan.solve uses
    h.passModel(lp)
    t5, c5, g5 = time.perf_counter(), cpu(), gcc.total
    h.run()
    t6, c6 = time.perf_counter(), cpu()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    sol = h.getSolution()
    # values and duals back into Pyomo, as solve_matrix does for an LP
    for v, val in zip(cols, np.asarray(sol.col_value), strict=True):
        v.set_value(float(val), skip_validation=True)
    duals: dict = {}
    for (con, _), y in zip(rows, sol.row_dual, strict=True):
        duals[con] = duals.get(con, 0.0) + float(y)
    t7 = time.perf_counter()
    result = SolveResult(
        kind=SolveStatus.from_highs(status),
        status=status,
        optimal=status == "Optimal",
        feasible=info.primal_solution_status == 2,
        objective=float(info.objective_function_value),
        bound=float(info.objective_function_value),
        gap=0.0,
        is_mip=bool(integer.any()),
        duals=duals,
        size={"columns": lp.num_col_, "rows": lp.num_row_, "nonzeros": len(lp.a_matrix_.value_)},
        times={"handoff_s": (t5 - t3) + (t7 - t6), "solve_s": t6 - t5, "highs_s": h.getRunTime()},
    )
    plan = Plan(spec=spec, data=d, model=m, result=result, times={"build_s": t3 - t1})
    t8, c8, g8 = time.perf_counter(), cpu(), gcc.total
    ds = to_dataset(plan)
    t9, c9, g9 = time.perf_counter(), cpu(), gcc.total
    out.update(
        rows=lp.num_row_,
        cols=lp.num_col_,
        nnz=len(lp.a_matrix_.value_),
        status=status,
        objective=float(info.objective_function_value),
        simplex_iterations=int(info.simplex_iteration_count),
        spec_s=t1 - t0,
        data_s=t2 - t1,
        model_s=t3 - t2,
        build_s=t3 - t1,
        compile_s=t4 - t3,
        pass_s=t5 - t4,
        handoff_s=t5 - t3,
        solve_s=t6 - t5,
        highs_run_s=h.getRunTime(),
        values_back_s=t7 - t6,
        report_s=t9 - t8,
        report_vars=len(ds.data_vars),
        build_cpu_s=c3 - c1,
        handoff_cpu_s=c5 - c3,
        solve_cpu_s=c6 - c5,
        report_cpu_s=c9 - c8,
        build_gc_s=g3 - g1,
        handoff_gc_s=g5 - g3,
        report_gc_s=g9 - g8,
        peak_mb=_peak_mb(),
    )
    t10 = time.perf_counter()
    h.writeModel(mps)
    out["write_mps_s"] = time.perf_counter() - t10
    return out


def _mps_solve(mps: str, solver: str | None) -> tuple:
    """Read ``mps`` into a fresh HiGHS with twin's options (and ``solver`` if given); solve."""
    import highspy

    from twin.spec.schema import SolverOptions

    options = SolverOptions()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(options.time_limit_s))
    h.setOptionValue("threads", int(options.threads))
    h.setOptionValue("solver", solver or getattr(options, "method", "choose"))
    t0 = time.perf_counter()
    h.readModel(mps)
    t1 = time.perf_counter()
    h.run()
    t2 = time.perf_counter()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    return t1 - t0, t2 - t1, status, float(info.objective_function_value), info


def worker_mps(size: list, mps: str) -> dict:
    """HiGHS alone: the MPS file read and solved with twin's options (simplex, as chosen by
    HiGHS for an LP); peak memory is read before the optional IPM solve."""
    read_s, solve_s, status, obj, info = _mps_solve(mps, None)
    return {
        "mps_simplex_iterations": int(info.simplex_iteration_count),
        "mps_read_s": read_s,
        "mps_solve_s": solve_s,
        "mps_total_s": read_s + solve_s,
        "mps_status": status,
        "mps_objective": obj,
        "mps_peak_mb": _peak_mb(),
        "mps_bytes": os.path.getsize(mps),
    }


def worker_ipm(size: list, mps: str) -> dict:
    """The same MPS file solved with HiGHS's interior point method (+ crossover, so duals are
    those of a basic solution as with simplex): the solver option a large plan may want."""
    read_s, solve_s, status, obj, info = _mps_solve(mps, "ipm")
    return {
        "ipm_iterations": int(info.ipm_iteration_count),
        "crossover_iterations": int(info.crossover_iteration_count),
        "ipm_read_s": read_s,
        "ipm_solve_s": solve_s,
        "ipm_status": status,
        "ipm_objective": obj,
    }


def worker_pyomo(size: list, mps: str) -> dict:
    """Build the same model and solve it through Pyomo's persistent HiGHS interface."""
    from benchmarks.synthetic import synthetic_spec
    from twin.plan import build_model, plan_data
    from twin.plan.solve import solve

    n_sites, years, n_chips, n_tenants, period = size[:5]
    spec = synthetic_spec(n_sites, years, n_chips, n_tenants, period=period)
    m = build_model(plan_data(spec))
    t0 = time.perf_counter()
    res = solve(m, spec.model.solver, handoff="pyomo")
    t1 = time.perf_counter()
    return {
        "pyomo_handoff_s": res.times["handoff_s"],
        "pyomo_solve_s": res.times["solve_s"],
        "pyomo_total_s": t1 - t0,
        "pyomo_objective": res.objective,
        "pyomo_peak_mb": _peak_mb(),
    }


def worker_profile(size: list, out_path: str) -> dict:
    """cProfile of ``plan_data`` + ``build_model`` at ``size``; top functions to ``out_path``."""
    import cProfile
    import io
    import pstats

    from benchmarks.synthetic import synthetic_spec
    from twin.plan import build_model, plan_data

    n_sites, years, n_chips, n_tenants, period = size[:5]
    spec = synthetic_spec(n_sites, years, n_chips, n_tenants, period=period)
    prof = cProfile.Profile()
    gcc = GcClock().start()
    t0 = time.perf_counter()
    prof.enable()
    d = plan_data(spec)
    build_model(d)
    prof.disable()
    wall = time.perf_counter() - t0
    gc_s = gcc.total
    text = io.StringIO()
    stats = pstats.Stats(prof, stream=text)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    Path(out_path).write_text(
        f"# cProfile of plan_data + build_model at {size[:5]} (wall {wall:.2f} s with profiling, "
        f"of which {gc_s:.2f} s in the cyclic garbage collector: cProfile spreads that time over "
        "the functions whose allocations triggered it)\n" + text.getvalue()
    )
    return {"profile_build_s": wall, "profile_gc_s": gc_s, "profile_path": out_path}


WORKERS = {
    "main": worker_main,
    "mps": worker_mps,
    "ipm": worker_ipm,
    "pyomo": worker_pyomo,
    "profile": worker_profile,
}


# ---------------------------------------------------------------- driver


def run_worker(kind: str, size: tuple, path: str, timeout: float) -> dict:
    """Run one worker in a fresh interpreter; its last stdout line is a JSON dict."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        kind,
        "--size",
        json.dumps(list(size)),
        "--path",
        path,
    ]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {f"{kind}_error": f"timeout after {timeout:.0f} s"}
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return {f"{kind}_error": " | ".join(tail)}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out[f"{kind}_wall_s"] = time.perf_counter() - t0
    return out


def _f(x: object, fmt: str = "{:.2f}") -> str:
    return fmt.format(x) if isinstance(x, int | float) else "-"


def table(results: list[dict]) -> str:
    """The markdown table of ``results`` (one dict per size)."""
    head = (
        "| sites x periods x chips x tenants | rows | cols | nonzeros | build s | hand-off s "
        "| solve s | values back s | report s | peak MB | HiGHS-from-MPS s (read + solve) "
        "| (build+hand-off)/solve | Pyomo persistent hand-off s / solve s "
        "| HiGHS IPM from MPS solve s |"
    )
    sep = "|" + "|".join(["---"] + ["--:"] * (head.count("|") - 2)) + "|"
    lines = [head, sep]
    for r in results:
        s = r["size"]
        periods = s[1] * (4 if s[4] == "quarter" else 1)
        label = f"{s[0]} x {periods} ({s[4]}ly) x {s[2]} x {s[3]}"
        if "main_error" in r:
            lines.append(f"| {label} | failed: {r['main_error']} |" + " |" * 12)
            continue
        ratio = (r["build_s"] + r["handoff_s"]) / r["solve_s"] if r["solve_s"] > 0 else None
        mps = (
            f"{r['mps_total_s']:.2f} ({r['mps_read_s']:.2f} + {r['mps_solve_s']:.2f})"
            if "mps_total_s" in r
            else r.get("mps_error", "-")
        )
        if "pyomo_handoff_s" in r:
            pyo = f"{r['pyomo_handoff_s']:.2f} / {r['pyomo_solve_s']:.2f}"
        else:
            pyo = r.get("pyomo_error", r.get("pyomo_skipped", "-"))
        lines.append(
            f"| {label} | {r['rows']:,} | {r['cols']:,} | {r['nnz']:,} | {r['build_s']:.2f} "
            f"| {r['handoff_s']:.2f} | {r['solve_s']:.2f} | {r['values_back_s']:.2f} "
            f"| {r['report_s']:.2f} | {r['peak_mb']:.0f} | {mps} | {_f(ratio, '{:.3f}')} | {pyo} "
            f"| {_f(r.get('ipm_solve_s'), '{:.2f}') if 'ipm_error' not in r else r['ipm_error']} |"
        )
    return "\n".join(lines)


def machine() -> str:
    """A one-line description of the machine and the versions measured."""
    import importlib.metadata as md

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    vers = ", ".join(f"{p} {md.version(p)}" for p in ("pyomo", "highspy", "xarray", "numpy"))
    return f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, {vers}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--quick", action="store_true", help="small sizes only, no IPM solve (a smoke test)"
    )
    ap.add_argument(
        "--max-nnz",
        type=float,
        default=1.2e6,
        help="skip ladder sizes expected to exceed this many nonzeros",
    )
    ap.add_argument(
        "--pyomo-max-nnz",
        type=float,
        default=2e5,
        help="run the Pyomo persistent hand-off only up to this many nonzeros",
    )
    ap.add_argument("--timeout", type=float, default=900, help="per worker process [s]")
    ap.add_argument(
        "--no-ipm",
        action="store_true",
        help="skip the extra HiGHS interior-point solve of the MPS file",
    )
    ap.add_argument(
        "--profile",
        action="store_true",
        help="cProfile plan_data + build_model at the largest size run",
    )
    ap.add_argument("--out", type=Path, default=RESULTS / "plan_scaling.md")
    ap.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    ap.add_argument("--size", help=argparse.SUPPRESS)
    ap.add_argument("--path", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:  # inside a fresh subprocess: one job, one JSON line
        print(json.dumps(WORKERS[args.worker](json.loads(args.size), args.path)))
        return 0

    ladder = [s for s in (QUICK if args.quick else LADDER) if s[5] <= args.max_nnz]
    if not ladder:
        ap.error(f"no ladder size is expected under --max-nnz {args.max_nnz:.0f}")
    results = []
    load0 = os.getloadavg()[0]
    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="plan_scaling_") as tmp:
        for size in ladder:
            mps = str(Path(tmp) / "plan.mps")
            print(f"size {size[:5]} ...", file=sys.stderr, flush=True)
            r = {"size": list(size[:5])}
            r.update(run_worker("main", size, mps, args.timeout))
            if "main_error" not in r:
                r.update(run_worker("mps", size, mps, args.timeout))
                if not (args.no_ipm or args.quick):
                    r.update(run_worker("ipm", size, mps, args.timeout))
                if r["nnz"] <= args.pyomo_max_nnz:
                    r.update(run_worker("pyomo", size, mps, args.timeout))
                else:
                    r["pyomo_skipped"] = f"skipped (> {args.pyomo_max_nnz:,.0f} nnz)"
            Path(mps).unlink(missing_ok=True)
            results.append(r)
            print(f"  {json.dumps(r)}", file=sys.stderr, flush=True)
        profile = None
        if args.profile:
            largest = ladder[-1]
            args.out.parent.mkdir(parents=True, exist_ok=True)
            ppath = str(args.out.with_name(args.out.stem + "_profile.txt"))
            print(f"profiling {largest[:5]} ...", file=sys.stderr, flush=True)
            profile = run_worker("profile", largest, ppath, args.timeout)
    total = time.perf_counter() - t_all
    load1 = os.getloadavg()[0]

    md = table(results)
    diffs = [
        abs(r[k] - r["objective"]) / max(1.0, abs(r["objective"]))
        for r in results
        if "objective" in r
        for k in ("mps_objective", "ipm_objective", "pyomo_objective")
        if isinstance(r.get(k), float) and r[k] == r[k]
    ]
    statuses = sorted({r.get("status", "failed") for r in results})
    warm = [r for r in results if "warmup_scipy_s" in r]
    scipy_s = max((r["warmup_scipy_s"] for r in warm), default=float("nan"))
    xarray_s = max((r["warmup_xarray_s"] for r in warm), default=float("nan"))
    notes = "\n".join(
        [
            f"- Measured {dt.date.today().isoformat()} on {machine()}.",
            f"- Whole run {total:.0f} s; 1-minute load average {load0:.1f} at the start and "
            f"{load1:.1f} at the end (other work on the machine slows wall times; "
            f"{args.out.with_suffix('.json').name} has the CPU time of each phase too).",
            "- HiGHS with twin's default options (1 thread, simplex as HiGHS chooses for an LP).",
            "- build = plan_data + build_model; hand-off = LinearStandardFormCompiler + "
            "passModel; solve = Highs.run; values back = primal values and duals into Pyomo "
            "(twin's own handoff_s includes it); report = to_dataset.",
            "- peak MB = ru_maxrss of the main worker process (Python + Pyomo + HiGHS).",
            "- HiGHS-from-MPS: a fresh process with only highspy reads the MPS file and solves it; "
            "HiGHS IPM: the same file with solver='ipm' (crossover on).",
            "- Pyomo persistent: solve(m, options, handoff='pyomo'), result.times.",
            f"- Solve statuses: {', '.join(statuses)}; the objectives of all paths agree to "
            f"{max(diffs, default=0.0):.1e} (relative).",
            "- Not in the table: one-time imports a fresh process pays before its first hand-off "
            f"and first report, up to {scipy_s:.2f} s for scipy.sparse and {xarray_s:.2f} s for "
            "dask.array (pulled in by xarray's first Dataset), whatever the size.",
        ]
    )
    print(md)
    print()
    print(notes)
    if profile is not None:
        print(f"\nprofile: {profile}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(f"# Plan size scaling\n\n{md}\n\n{notes}\n")
    raw = {
        "machine": machine(),
        "date": dt.date.today().isoformat(),
        "argv": sys.argv[1:],
        "total_s": total,
        "loadavg_start_end": [load0, load1],
        "results": results,
        "profile": profile,
    }
    args.out.with_suffix(".json").write_text(json.dumps(raw, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
