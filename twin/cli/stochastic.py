"""``twin solve`` of a model with an ``uncertainty:`` section, and its show/compare.

The extensive form is solved by HiGHS in one process (``--engine ef``, the default). Progressive
hedging (``--engine ph``) runs on every MPI rank::

    mpiexec -n 4 twin solve models/baseline.yaml -s lease_under_uncertainty --engine ph --out s.nc

each rank solving its share of the leaves; rank 0 gathers the leaves' reports and writes the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from twin.cli.app import out
from twin.spec.errors import SpecError
from twin.spec.spec import Spec

ENGINES = ("ef", "ph")


def solve_stochastic(spec: Spec, out_file: Path, engine: str) -> None:
    """Solve the stochastic program of ``spec`` with ``engine`` and write its report."""
    from twin.report import write
    from twin.study.tree import tree_of

    if engine not in ENGINES:
        raise SpecError("--engine", engine, f"expected one of {list(ENGINES)}")
    tree = tree_of(spec)
    ds = _solve_ef(spec, tree) if engine == "ef" else _solve_ph(spec, tree)
    if ds is None:  # a PH rank other than 0
        return
    write(ds, out_file)
    a = ds.attrs
    out.print(
        f"[green]solved[/green] {a['title']} ({a['engine']}): {a['n_scenarios']} leaves, "
        f"E[NPV] {a['expected_npv_musd']:,.0f} $M, CVaR {a['cvar_level']:.0%} "
        f"{a['cvar_musd']:,.0f} $M, EVPI {a['evpi_musd']:,.0f} $M, VSS {a['vss_musd']:,.0f} $M; "
        f"wrote {out_file}"
    )


def _solve_ef(spec: Spec, tree: object):
    from twin.report.stochastic import leaf_dataset, to_stochastic_dataset
    from twin.study.risk import analyse

    rp, figs = analyse(spec, tree)  # type: ignore[arg-type]
    plans = rp.plans()
    leaves = {s.name: leaf_dataset(plans[s.name], s.probability) for s in rp.tree.scenarios}
    info = {k: rp.times[k] for k in ("build_s", "handoff_s", "solve_s")}  # the EF's
    lab = rp.store.labelled
    nodes = {n: lab(v) for n, v in rp.node_decisions().items()}
    return to_stochastic_dataset(
        leaves, rp.tree, figs, lab(rp.decisions(1)), "extensive form (HiGHS)", info, nodes
    )


def _solve_ph(spec: Spec, tree: object):
    from twin.report.stochastic import leaf_dataset, to_stochastic_dataset
    from twin.study.hedging import COMM_WORLD, analyse_hedging

    res, figs, plans = analyse_hedging(spec, tree)  # type: ignore[arg-type]
    local = {name: leaf_dataset(p, res.dual_weight[name]) for name, p in plans.items()}
    parts = COMM_WORLD.gather(local, root=0)
    if COMM_WORLD.rank != 0:
        return None
    leaves = {k: v for part in parts for k, v in part.items()}
    nodes = {n: res.labelled(vals) for n, vals in res.xbar.items()}
    info = {
        "build_s": 0.0,  # PH builds its subproblems as it runs: all in solve_s
        "handoff_s": 0.0,
        "solve_s": res.times["ph_s"] + res.times["evaluate_s"],
        "ph_iterations": res.iterations,
        "ph_conv": res.conv,
        "ph_converged": int(res.converged),
        "mpi_ranks": COMM_WORLD.size,
    }
    return to_stochastic_dataset(
        leaves,
        tree,  # type: ignore[arg-type]
        figs,  # type: ignore[arg-type]
        nodes.get("ROOT", {}),
        f"progressive hedging (mpi-sppy, {COMM_WORLD.size} ranks)",
        info,
        nodes,
    )


def show_any(ds: Any) -> None:
    """``twin show``: a stochastic report's summary, or a plan's."""
    from twin.report.stochastic_summary import is_stochastic, show
    from twin.report.summary import show as show_plan

    (show if is_stochastic(ds) else show_plan)(ds, out)


def compare_any(a: Any, b: Any) -> None:
    """``twin compare``: two stochastic reports figure by figure; otherwise B minus A of plans,
    a stochastic report entering with its expected values."""
    from twin.report.stochastic_summary import compare, expected, is_stochastic
    from twin.report.summary import compare as compare_plans

    if is_stochastic(a) and is_stochastic(b):
        compare(a, b, out)
    else:
        compare_plans(expected(a), expected(b), out)
