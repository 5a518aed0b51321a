"""Extensive form against the number of leaves on the baseline, and PH against EF at the largest.

The baseline model (``models/baseline.yaml``, base scenario) gets an uncertainty section of k
independent inputs, each with three outcomes known on 2027-07-01 (a two-stage tree of 3^k leaves:
3, 9, 27, 81, 243). For each size the script times, in a fresh process:

- **build**: mpi-sppy's ``create_EF`` over twin's scenario creator (every leaf's spec re-validated,
  ``plan_data``, ``build_model``) and the non-anticipativity rows;
- **hand-off** and **solve**: twin's matrix hand-off to HiGHS and ``Highs.run``;

and records the EF's rows, columns and nonzeros. At the largest size progressive hedging runs under
``mpiexec -n R`` for a fixed number of iterations and its policy is evaluated against the EF.

    .venv/bin/python benchmarks/stochastic.py                  # 3..243 leaves, PH on 2 ranks
    .venv/bin/python benchmarks/stochastic.py --max-leaves 27 --ph-ranks 0
"""

from __future__ import annotations

import argparse
import json
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


def spec_of(k: int):
    from twin.spec import load_model

    return load_model(MODEL, overrides=[("uncertainty", section(k))])


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
    return {
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


def run_ph(k: int, iterations: int) -> dict | None:
    """PH under MPI (this script re-entered on every rank); rank 0's figures."""
    from twin.study.hedging import COMM_WORLD, solve_progressive_hedging

    spec = spec_of(k)
    t0 = time.perf_counter()
    res, _ = solve_progressive_hedging(spec, max_iterations=iterations)
    wall = time.perf_counter() - t0
    if COMM_WORLD.rank != 0:
        return None
    return {
        "ranks": COMM_WORLD.size,
        "iterations": res.iterations,
        "conv": res.conv,
        "objective": res.objective,
        "wall_s": wall,
        **res.times,
    }


def _child(args: list[str], mpi_ranks: int = 0) -> dict:
    cmd = [sys.executable, __file__, *args]
    if mpi_ranks:
        cmd = [str(Path(sys.executable).parent / "mpiexec"), "-n", str(mpi_ranks), *cmd]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    line = [ln for ln in res.stdout.splitlines() if ln.startswith("{")][-1]
    return json.loads(line)


def table(rows: list[dict], ph: dict | None) -> str:
    """The markdown table of the ladder and the PH comparison."""
    base = rows[0]
    out = [
        "| leaves | rows | columns | nonzeros | build s | hand-off s | solve s | build / leaf ms "
        "| solve x (vs 3 leaves) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {r['leaves']} | {r['rows']:,} | {r['columns']:,} | {r['nonzeros']:,} "
            f"| {r['build_s']:.2f} | {r['handoff_s']:.2f} | {r['solve_s']:.2f} "
            f"| {1e3 * r['build_s'] / r['leaves']:.0f} | {r['solve_s'] / base['solve_s']:.1f} |"
        )
    if ph is not None:
        ef = rows[-1]
        ef_total = ef["build_s"] + ef["handoff_s"] + ef["solve_s"]
        gap = (ef["objective"] - ph["objective"]) / abs(ef["objective"])
        out += [
            "",
            f"Progressive hedging at {ef['leaves']} leaves on {ph['ranks']} MPI ranks, "
            f"{ph['iterations']} iterations (convergence metric {ph['conv']:.3g}):",
            "",
            "| | EF (1 process) | PH |",
            "|---|---:|---:|",
            f"| wall time s | {ef_total:.1f} | {ph['wall_s']:.1f} |",
            f"| objective $M | {ef['objective']:,.1f} | {ph['objective']:,.1f} |",
            f"| PH / EF time | 1 | {ph['wall_s'] / ef_total:.1f} |",
            f"| PH policy gap to EF optimum | | {gap:.2e} |",
        ]
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-leaves", type=int, default=243)
    ap.add_argument("--ph-ranks", type=int, default=2)
    ap.add_argument("--ph-iterations", type=int, default=20)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--ef-child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--ph-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.ef_child:
        print(json.dumps(run_ef(args.ef_child)))
        return
    if args.ph_child:
        res = run_ph(args.ph_child, args.ph_iterations)
        if res is not None:
            print(json.dumps(res))
        return
    rows = []
    k = 1
    while k <= len(INPUTS) and 3**k <= args.max_leaves:
        rows.append(_child(["--ef-child", str(k)]))
        print(rows[-1], flush=True)
        k += 1
    ph = None
    if args.ph_ranks:
        ph = _child(
            ["--ph-child", str(k - 1), "--ph-iterations", str(args.ph_iterations)], args.ph_ranks
        )
        print(ph, flush=True)
    text = table(rows, ph)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    args.out.with_suffix(".json").write_text(json.dumps({"ef": rows, "ph": ph}, indent=1))
    print(text)


if __name__ == "__main__":
    main()
