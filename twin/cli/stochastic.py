"""``twin solve`` of a model with an ``uncertainty:`` section, and its show/compare.

The extensive form is solved by HiGHS in one process (``--engine ef``, the default). Progressive
hedging (``--engine ph``) runs on every MPI rank::

    mpiexec -n 4 twin solve models/baseline.yaml -s lease_under_uncertainty --engine ph --out s.nc

each rank solving its share of the leaves; rank 0 gathers the leaves' reports and writes the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from twin.cli.app import ModelArg, ScenarioOpt, SetOpt, app, out
from twin.errors import NotOptimal
from twin.spec.errors import SpecError

if TYPE_CHECKING:
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
    done = "[green]solved[/green]" if a["optimal"] else "[yellow]feasible, not optimal[/yellow]"
    out.print(
        f"{done} {a['title']} ({a['engine']}): {a['n_scenarios']} leaves, "
        f"E[NPV] {a['expected_npv_musd']:,.0f} $M, CVaR {a['cvar_level']:.0%} "
        f"{a['cvar_musd']:,.0f} $M, EVPI {_fig(a, 'evpi', 'ws')}, VSS {_fig(a, 'vss', 'eev')}; "
        f"wrote {out_file}"
    )
    for key in ("rp", "ws", "eev"):
        if f"note_{key}" in a:
            out.print(f"  note: {a[f'note_{key}']}", highlight=False)
    if not a["optimal"]:
        raise NotOptimal(str(a.get("termination_condition", "not optimal")), str(out_file))


def _fig(a: dict[str, Any], name: str, depends: str) -> str:
    """A figure of the report in $M, or why it is missing."""
    import math

    v = float(a[f"{name}_musd"])
    if math.isfinite(v):
        return f"{v:,.0f} $M"
    if math.isinf(v):
        return f"{'+' if v > 0 else '-'}inf (see note)"
    return "not computed (see note)" if f"note_{depends}" in a or "note_rp" in a else "-"


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

    n_leaves = len(tree.scenarios)  # type: ignore[attr-defined]
    if COMM_WORLD.size > n_leaves:
        raise SpecError(
            "mpiexec -n",
            str(COMM_WORLD.size),
            f"expected at most {n_leaves} ranks, one per leaf of the tree at most",
        )
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
        "ph_inner_bound_musd": res.inner,
        "ph_outer_bound_musd": res.outer,
        "ph_gap": res.gap,
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


@app.command()
def clause(
    model: ModelArg,
    contract: Annotated[str, typer.Option("--contract", help="Contract whose clause is priced")],
    which: Annotated[str, typer.Option("--clause", help="notice or renewal")] = "notice",
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", "-o", help="Also write the figures (.nc)")
    ] = None,
) -> None:
    """Value of a contract clause: the optimal NPV with it minus without it, both with the lease left to the plan; the expected NPV of the stochastic program when the model has an uncertainty section."""  # noqa: E501
    import numpy as np
    import xarray as xr

    from twin.cli import _load
    from twin.cli.app import progress
    from twin.cli.outputs import check_out
    from twin.progress import reporting
    from twin.report import write
    from twin.study.clauses import CLAUSES, clause_value
    from twin.study.risk import expected_npv

    if which not in CLAUSES:
        raise SpecError("--clause", which, f"expected one of {sorted(CLAUSES)}")
    if out_file is not None:
        check_out(out_file)
    spec = _load(model, scenario, set_)
    if contract not in spec.model.contracts:
        raise SpecError("--contract", contract, f"expected one of {sorted(spec.model.contracts)}")
    stochastic = spec.model.uncertainty is not None
    with reporting(progress()):  # each side's solve is a named phase
        v = clause_value(
            model,
            contract,
            which,
            scenario=scenario,
            overrides=list(spec.overrides),
            solve=expected_npv if stochastic else lambda s: float(_plan_npv(s)),
        )
    basis = "expected NPV over the scenario tree" if stochastic else "NPV of the plan"
    out.print(
        f"{which} clause of {contract} ({basis}): with {v.with_npv:,.1f} $M, without "
        f"{v.without_npv:,.1f} $M, value {v.value:,.1f} $M"
    )
    if out_file is not None:
        ds = xr.Dataset(
            {
                "npv_with_clause_musd": ((), np.float64(v.with_npv)),
                "npv_without_clause_musd": ((), np.float64(v.without_npv)),
                "clause_value_musd": ((), np.float64(v.value)),
            },
            attrs={
                "title": f"value of the {which} clause of {contract}",
                "contract": contract,
                "clause": which,
                "basis": basis,
                "scenario": scenario or "",
            },
        )
        for name, long_name in (
            ("npv_with_clause_musd", "optimal NPV with the clause"),
            ("npv_without_clause_musd", "optimal NPV without the clause"),
            ("clause_value_musd", "value of the clause: with minus without"),
        ):
            ds[name].attrs.update(units="1e6 USD", long_name=long_name)
        write(ds, out_file)


def _plan_npv(spec: Spec) -> float:
    from twin.plan import plan

    return plan(spec).result.objective
