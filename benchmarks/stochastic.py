"""Extensive form against the number of leaves on the baseline, and PH (with bounds) against EF.

The baseline model (``models/baseline.yaml``, base scenario) gets an uncertainty section of k
independent inputs, each with three outcomes known on 2027-07-01 (a two-stage tree of 3^k leaves:
3, 9, 27, 81, 243, 729, 2,187). For each size the script times, in a fresh process:

- **build**: mpi-sppy's ``create_EF`` over twin's scenario creator (every leaf's spec, its
  values copied into the validated model, ``plan_data``, ``build_model``) and the
  non-anticipativity rows;
- **hand-off** and **solve**: twin's matrix hand-off to HiGHS and ``Highs.run``;

and records the EF's rows, columns and nonzeros. At each size up to ``--ph-max-leaves``
progressive hedging runs under ``mpiexec -n R`` (R = 2: the hub, which finds its own x-hats, and
the Lagrangian spoke; a multiple of 3 adds an x-hat spoke) until its bounds are within ``--gap``
(0.5%) or ``--ph-iterations``; its wall time (the wheel, builds included, and the policy's
evaluation), CPU seconds of all ranks, bounds, gap, iterations and per-iteration notes are
recorded next to the EF's build + hand-off + solve time. PH "reaches 0.5% faster than EF" at a
size when it converged and its wheel's wall time is below the EF's.
Each run is a child process stopped after ``--cap`` seconds (recorded as such); ``--years``
shortens the horizon of every leaf (a smaller model per leaf, stated in the table's caption).

    nice -n 10 .venv/bin/python benchmarks/stochastic.py --max-leaves 27 --ph-max-leaves 27
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "baseline.yaml"
OUT = ROOT / "benchmarks" / "results" / "stochastic.md"

#: Uncertain inputs added one by one (3 outcomes each, equally likely), known on 2027-07-01.
INPUTS = [
    ("own_growth", "tenants.xai_training.demand_growth_per_year", (0.3, 0.6, 0.9)),
    ("market_decline", "tenants.neocloud_spot.value_decline_per_year", (0.10, 0.25, 0.40)),
    ("anthropic_value", "tenants.anthropic.value_usd_per_h100e_hour", (1.6, 2.4, 3.2)),
    ("inference_growth", "tenants.xai_inference.demand_growth_per_year", (0.5, 0.8, 1.1)),
    ("rubin_markup", "chips.rubin.vendor_markup", (0.8, 1.0, 1.5)),
    ("anthropic_growth", "tenants.anthropic.demand_growth_per_year", (0.25, 0.5, 0.75)),
    ("spot_value", "tenants.neocloud_spot.value_usd_per_h100e_hour", (1.5, 1.9, 2.3)),
]


def section(k: int) -> dict:
    """An uncertainty section of the first k inputs (3^k leaves)."""
    inputs = {
        name: {
            "path": path,
            "known": "2027-07-01",
            "outcomes": [{"value": v, "probability": 1 / 3} for v in values],
        }
        for name, path, values in INPUTS[:k]
    }
    return {"inputs": inputs}


#: Horizon of every leaf [years]; None keeps the model's (set by ``--years``).
YEARS: int | None = None

#: The benchmark leaf (``--leaf small``): the baseline's sites, chips, tenants, power sources,
#: contracts and fab over 4 yearly periods from 2026-07-01, without the 5 buffer years of end
#: effects and without inference routing (no traffic graph): 519 rows, 673 columns and 2,324
#: nonzeros per leaf, 101 tied decisions (investments, leases, and the first period's
#: operations, which run before 2027-07-01), built in ~0.08 s. ``baseline`` is the model as is
#: (its horizon set by ``--years``).
LEAVES: dict[str, dict[str, object]] = {
    "small": {"horizon.years": 4, "horizon.end_effects": "none", "traffic.enabled": False},
    "baseline": {},
}
LEAF = "baseline"

#: HiGHS's time limit for every solve [s]: the model's 300 s would stop the larger EFs (each
#: run is capped by ``--cap`` instead).
TIME_LIMIT_S = 100_000.0


def spec_of(k: int):
    from twin.spec import load_model
    from twin.spec.horizon import ENERGY_ONLY

    overrides: list[tuple[str, object]] = [("uncertainty", section(k))]
    overrides += list(LEAVES[LEAF].items())
    if YEARS is not None:
        overrides.append(("horizon.years", YEARS))
    overrides.append(("solver.time_limit_s", TIME_LIMIT_S))
    overrides.append(ENERGY_ONLY)  # the period form, as measured
    return load_model(MODEL, overrides=overrides)


def run_ef(k: int) -> dict:
    """Build and solve the EF of 3^k leaves; sizes and timings."""
    import highspy

    from twin.plan.solve import IPM_NNZ, _highs, to_highs_lp
    from twin.study.stochastic import build_extensive_form
    from twin.study.tree import tree_of

    spec = spec_of(k)
    tree = tree_of(spec)
    t0 = time.perf_counter()
    ef, _, _ = build_extensive_form(spec, tree)
    t1 = time.perf_counter()
    lp, *_ = to_highs_lp(ef)
    h = _highs(spec.model.solver)
    if len(lp.a_matrix_.value_) > IPM_NNZ:  # as twin's solve does for "choose"
        h.setOptionValue("solver", "ipm")
    h.passModel(lp)
    t2 = time.perf_counter()
    h.run()
    t3 = time.perf_counter()
    info = h.getInfo()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "cpu_s": cpu.ru_utime + cpu.ru_stime,
        "leaves": len(tree.scenarios),
        "rows": lp.num_row_,
        "columns": lp.num_col_,
        "nonzeros": len(lp.a_matrix_.value_),
        "build_s": t1 - t0,
        "handoff_s": t2 - t1,
        "solve_s": t3 - t2,
        "status": h.modelStatusToString(h.getModelStatus()),
        "objective": info.objective_function_value,
        "simplex_iterations": info.simplex_iteration_count,
        "ipm_iterations": info.ipm_iteration_count,
        "highs": highspy.__name__,
    }


def run_ph(k: int, iterations: int, gap: float, rho_scale: float | None = None) -> dict | None:
    """PH with spokes under MPI (this script re-entered on every rank); rank 0's figures."""
    from twin.progress import Progress, reporting
    from twin.study.hedging import COMM_WORLD, solve_progressive_hedging

    class Notes(Progress):
        """Each PH iteration's bounds on stderr with the seconds since the start."""

        def note(self, text: str) -> None:
            print(f"{time.perf_counter() - t0:8.1f} s  {text}", file=sys.stderr, flush=True)

    spec = spec_of(k)
    t0 = time.perf_counter()
    with reporting(Notes()):
        res, _ = solve_progressive_hedging(
            spec, max_iterations=iterations, gap=gap, rho_scale=rho_scale
        )
    wall = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = COMM_WORLD.gather(usage.ru_utime + usage.ru_stime, root=0)
    if COMM_WORLD.rank != 0:
        return None
    return {
        "cpu_s": sum(cpu),  # every rank's process, from its start (imports and build included)
        "leaves": 3**k,
        "ranks": COMM_WORLD.size,
        "iterations": res.iterations,
        "inner": res.inner,
        "outer": res.outer,
        "gap": res.gap,
        "converged": res.converged,
        "objective": res.objective,
        "wall_s": wall,
        **res.times,
    }


def _child(args: list[str], cap_s: float, mpi_ranks: int = 0) -> dict | None:
    """The child's JSON line, or None when it ran past ``cap_s`` seconds (then stopped)."""
    cmd = [sys.executable, __file__, *args]
    if mpi_ranks:
        cmd = [str(Path(sys.executable).parent / "mpiexec"), "-n", str(mpi_ranks), *cmd]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=cap_s)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as e:  # recorded, the ladder goes on
        return {"failed": (e.stderr or "").strip().splitlines()[-1:]}
    line = [ln for ln in res.stdout.splitlines() if ln.startswith("{")][-1]
    out = json.loads(line)
    notes = [ln.strip() for ln in res.stderr.splitlines() if " PH " in ln]
    if notes:  # PH's per-iteration bounds with the seconds since its start
        out["notes"] = notes
    return out


def _cpu(d: dict) -> str:
    return f" / {d['cpu_s']:.0f}" if "cpu_s" in d else ""


def _ef_cell(ef: dict | None, cap_s: float) -> str:
    if ef is None:
        return f"stopped at {cap_s:.0f} s | | | | |"
    if "failed" in ef:
        return f"failed: {' '.join(ef['failed'])[:80]} | | | | |"
    total = ef["build_s"] + ef["handoff_s"] + ef["solve_s"]
    optimum = f"{ef['objective']:,.1f}" if ef["status"] == "Optimal" else ef["status"]
    return (
        f"{ef['rows']:,} | {ef['build_s']:.1f} | {ef['handoff_s']:.1f} | {ef['solve_s']:.1f} "
        f"| {total:.1f}{_cpu(ef)} | {optimum}"
    )


def _ph_cell(p: dict | None, ef: dict | None, cap_s: float) -> str:
    if p is None:
        return f"| stopped at {cap_s:.0f} s | | | | | no"
    if "failed" in p:
        return f"| failed: {' '.join(p['failed'])[:80]} | | | | | no"
    ef_s = None if ef is None else ef["build_s"] + ef["handoff_s"] + ef["solve_s"]
    if p.get("wall_s") is None:  # the wheel ended; the policy's evaluation ran past the cap
        wall = f"> {cap_s:.0f} ({p['ph_s']:.1f} + stopped)"
    else:
        wall = f"{p['wall_s']:.1f} ({p['ph_s']:.1f} + {p['evaluate_s']:.1f}){_cpu(p)}"
    # the bounds are within the gap when the wheel stops: its time is PH's time to the gap
    faster = p["converged"] and (ef_s is None or p["ph_s"] < ef_s)
    return (
        f"{p['ranks']} | {wall} "
        f"| {p['iterations']} | {p['inner']:,.1f} | {p['outer']:,.1f} | {p['gap']:.2%} "
        f"| {'yes' if faster else 'no'}"
    )


def table(runs: list[dict], target: float) -> str:
    """One markdown row per run: the EF's size and times, PH's time, bounds and gap."""
    out = [
        f"EF: build + hand-off + solve in one process; PH: wall time to {target:.1%} or its "
        "iteration limit (the wheel + the evaluation of its policy), bounds in $M of expected NPV; "
        f"PH is faster when its wheel (builds included) reached {target:.1%} before the EF "
        "ended; "
        "`a / b`: wall / CPU seconds (PH: the CPU of both ranks).",
        "",
        "| leaves | leaf | years | EF rows | EF build s | hand-off s | solve s | EF s | "
        "EF optimum $M | PH ranks | PH s (wheel + policy) | PH iter. | inner $M | outer $M "
        "| PH gap | PH faster to the gap |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in runs:
        cap = r.get("ph_cap_s", r["cap_s"])
        ph = _ph_cell(r["ph"], r["ef"], cap) if "ph" in r else "| | | | | |"
        out.append(
            f"| {r['leaves']} | {r.get('leaf', 'baseline')} | {r['years']} "
            f"| {_ef_cell(r['ef'], r['cap_s'])} | {ph} |"
        )
    return "\n".join(out) + "\n"


def _key(run: dict) -> tuple:
    """A run's size: leaves, leaf model, horizon."""
    return run["leaves"], run.get("leaf", "baseline"), str(run["years"])


def main() -> None:
    global YEARS, LEAF
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-leaves", type=int, default=3)
    ap.add_argument("--max-leaves", type=int, default=243)
    ap.add_argument("--ph-max-leaves", type=int, default=81)
    ap.add_argument("--ph-ranks", type=int, default=2)
    ap.add_argument("--skip-ef", action="store_true", help="PH only (EF rows kept from before)")
    ap.add_argument("--ph-iterations", type=int, default=20)
    ap.add_argument("--gap", type=float, default=0.005)
    ap.add_argument("--cap", type=float, default=900.0, help="seconds per run")
    ap.add_argument("--years", type=int, help="horizon of every leaf (default: the model's)")
    ap.add_argument("--leaf", choices=sorted(LEAVES), default=LEAF, help="the leaf model")
    ap.add_argument("--rho-scale", type=float, help="PH's rho_scale (default: the model's)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--ef-child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--ph-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    YEARS, LEAF = args.years, args.leaf
    if args.ef_child:
        print(json.dumps(run_ef(args.ef_child)))
        return
    if args.ph_child:
        res = run_ph(args.ph_child, args.ph_iterations, args.gap, args.rho_scale)
        if res is not None:
            print(json.dumps(res))
        return
    store = args.out.with_suffix(".json")
    old = json.loads(store.read_text()).get("runs", []) if store.exists() else []
    years = ["--years", str(args.years)] if args.years else []
    years += ["--leaf", LEAF]
    for k in range(1, len(INPUTS) + 1):
        if not args.min_leaves <= 3**k <= args.max_leaves:
            continue
        run = {"leaves": 3**k, "leaf": LEAF, "years": args.years or "model", "cap_s": args.cap}
        prior = [r for r in old if _key(r) == _key(run)]
        if args.skip_ef and prior:
            run["ef"] = prior[0]["ef"]
        else:
            run["ef"] = _child(["--ef-child", str(k), *years], args.cap)
        print(run, flush=True)
        if args.ph_ranks and 3**k <= args.ph_max_leaves:
            child = ["--ph-child", str(k), "--ph-iterations", str(args.ph_iterations), *years]
            run["ph"] = _child([*child, "--gap", str(args.gap)], args.cap, args.ph_ranks)
            run["ph_cap_s"] = args.cap
            print(run, flush=True)
        old = [r for r in old if _key(r) != _key(run)]
        old.append(run)
        old.sort(key=lambda r: (*map(str, _key(r)[1:]), r["leaves"]))
        store.write_text(json.dumps({"runs": old}, indent=1))
    text = table(old, args.gap)
    print(text)


if __name__ == "__main__":
    main()
