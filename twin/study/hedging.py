"""Progressive hedging (Rockafellar and Wets 1991) with mpi-sppy's hub and spokes, with bounds.

Run it under MPI with a multiple of 3 ranks (a PH hub, a Lagrangian spoke and an x-hat spoke,
each on a third of the ranks, each rank holding a share of the leaves), or for a two-stage tree
an even number of ranks (the hub, which then finds its own x-hats, and the Lagrangian spoke,
each on half of them: on 2 cores each has a core)::

    mpiexec -n 2 python -m twin solve models/baseline.yaml -s lease_under_uncertainty --engine ph

The hub iterates PH: every leaf solved alone with the objective ``NPV_s - w_s x_s - rho/2 |x_s -
xbar|^2`` (for a maximisation), ``xbar`` the probability-weighted mean of the tied decisions at
each node, ``w_s += rho (x_s - xbar)``; the proximal term is linearised (mpi-sppy's
``linearize_proximal_terms``) so every subproblem stays an LP or MIP that HiGHS solves.

- The Lagrangian spoke (``LagrangianOuterBound``) solves ``max_x sum_s p_s (NPV_s - w_s x_s)``
  with the hub's latest ``w`` (``sum_s p_s w_s = 0`` at each node): every such value bounds the
  optimum from above, the OUTER bound.
- Without the x-hat spoke (2 cylinders) the hub tries, after each iteration, the here-and-now
  decisions of the leaf closest to ``xbar`` in every leaf (:class:`twin.study.wheel.HubXhat`):
  the same kind of inner bound, one x-hat per iteration.
- The x-hat spoke (``XhatShuffleInnerBound``) takes one leaf's tied decisions at a time, fixes
  them in every leaf and solves the rest: a feasible (integer-feasible, as a leaf's own solution
  is) policy, whose expected objective bounds the optimum from below, the INNER bound.

The wheel stops when ``(outer - inner) / |inner|`` falls below ``uncertainty.hedging.gap`` or
at the iteration limit; a run that ends above the gap is not converged (``converged = 0``, the
CLI exits 3). PH's answer is the best x-hat's here-and-now decisions, fixed while the rest is
solved optimally: on a two-stage tree each leaf alone on the wheel's own leaf model
(:func:`twin.study.policy.evaluate_on_wheel`, nothing rebuilt), on a deeper tree by
:func:`evaluate_policy` (once the root is fixed the subtrees below the stage-2 nodes are
independent, each solved as its own small extensive form, shared over the ranks), which is at
least as good as the x-hat itself; its value is the inner bound reported when it is the
better one. PH's own consensus test (``uncertainty.hedging.threshold``) can end the hub early;
only the gap decides whether the run converged.
``rho`` is set per variable once every leaf has been solved alone (iteration 0) to
``rho_scale x |c| / max(1, sum_s p_s |x_s - xbar|)`` [$M per unit^2], the objective coefficient
over the decision's spread across the leaves (the "SEP" rule of Watson and Woodruff 2011,
:class:`twin.study.wheel.SpreadRho`). With ``rho = |c|`` alone, without the spread, the Lagrangian
bound (whose only input is PH's ``w``) stalled 0.56-0.63% above the optimum on the 3-stage
newsvendor and the 9-leaf baseline tree; with the spread it closes to 0.5% on the benchmark's
small trees (benchmarks/results/stochastic.md). The objective is maximised: mpi-sppy subtracts
the ``w`` and proximal terms from a maximisation and takes a leaf's outer bound from above.
"""

from __future__ import annotations

import contextlib
import io
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyomo.environ as pyo

from twin.plan import Plan, PlanFailed
from twin.plan.solve import solve
from twin.progress import phase
from twin.spec.errors import SpecError
from twin.spec.spec import Spec
from twin.spec.uncertainty import Hedging
from twin.spec.uncertainty_checks import uncertainty_place
from twin.study.cvar import RiskTerms, cvar
from twin.study.policy import evaluate_on_wheel, fix_decisions
from twin.study.risk import (
    PERCENTILES,
    Figures,
    StudyFailed,
    mean_value_decisions,
    quantile,
    risk_value,
)
from twin.study.stochastic import (
    STAGE_VARIABLES,
    Key,
    StageProvider,
    Store,
    scenario_blocks,
    scenario_creator,
)
from twin.study.tree import ScenarioTree, tree_of
from twin.study.wheel import (
    COMM_WORLD,
    CYLINDERS,
    cylinders,
    relative_gap,
    spin,
)

with contextlib.redirect_stdout(io.StringIO()):  # mpi-sppy prints a banner on first import
    from mpisppy.utils import sputils

__all__ = ["COMM_WORLD", "HedgingResult", "analyse_hedging"]


@dataclass
class HedgingResult:
    """PH's outcome on this rank: bounds, the x-hat's node decisions, the policy's leaf NPVs
    (rank 0 has them all)."""

    converged: bool
    iterations: int
    inner: float
    outer: float
    gap: float
    xbar: dict[str, dict[tuple[str, Any], float]]
    npv: dict[str, float] = field(default_factory=dict)
    objective: float = float("nan")
    times: dict[str, float] = field(default_factory=dict)
    labels: dict[Key, str] = field(default_factory=dict)
    dual_weight: dict[str, float] = field(default_factory=dict)

    def labelled(self, values: dict[Key, float]) -> dict[str, float]:
        """Tied decisions (CVaR's ``eta`` left out) keyed by their labels."""
        return {self.labels[k]: v for k, v in values.items() if k in self.labels}


def solve_progressive_hedging(
    spec: Spec,
    tree: ScenarioTree | None = None,
    risk: RiskTerms | None = None,
    stage_vars: tuple[StageProvider, ...] = STAGE_VARIABLES,
    rho_scale: float | None = None,
    max_iterations: int | None = None,
    threshold: float | None = None,
    gap: float | None = None,
) -> tuple[HedgingResult, dict[str, Plan]]:
    """Run the wheel over the ranks of ``COMM_WORLD`` (:func:`twin.study.wheel.cylinders`) and
    evaluate its policy.

    Returns the result (bounds and gap on every rank; leaf NPVs and objective on rank 0) and
    this rank's leaf plans. Settings not given come from the model's ``uncertainty.hedging``.
    Every rank must call this with the same arguments; the CVaR floor (a row across leaves) is
    not decomposable and is refused.
    """
    tree = tree or tree_of(spec)
    risk = risk or RiskTerms()
    unc = spec.model.uncertainty
    h = unc.hedging if unc is not None else Hedging()
    if risk.floor is not None:
        raise SpecError(
            *uncertainty_place(spec, "risk.npv_floor_musd"),
            "a CVaR floor couples the leaves, which progressive hedging cannot split; "
            "expected no floor with --engine ph, or --engine ef",
        )
    n_cylinders = cylinders(COMM_WORLD.size)
    if n_cylinders is None or (n_cylinders < CYLINDERS and tree.n_stages > 2):
        raise SpecError(
            "mpiexec -n",
            str(COMM_WORLD.size),
            f"expected a multiple of {CYLINDERS} ranks for --engine ph (a PH hub, a Lagrangian "
            "spoke for the outer bound and an x-hat spoke for the inner bound), or for a "
            "two-stage tree an even number (the hub with its own x-hats, and the Lagrangian "
            f"spoke); this tree has {tree.n_stages} stages",
        )
    given = {"iterations": max_iterations, "threshold": threshold, "gap": gap}
    given["rho_scale"] = rho_scale
    settings = {k: getattr(h, k) if v is None else v for k, v in given.items()}
    spun = spin(spec, tree, risk, stage_vars, settings)
    t1 = time.perf_counter()
    if not spun.xhat.get("ROOT"):  # no implementable policy: nothing to evaluate or report
        raise PlanFailed(
            f"progressive hedging found no feasible x-hat in {spun.iterations} iterations "
            f"(outer bound {spun.outer:,.1f} $M); raise uncertainty.hedging.iterations or use "
            "--engine ef"
        )
    result = HedgingResult(False, spun.iterations, spun.inner, spun.outer, math.inf, spun.xhat)
    result.labels = spun.labels
    if tree.n_stages == 2:  # the wheel's leaf models, not rebuilt (twin.study.policy)
        result.npv, plans, result.dual_weight = evaluate_on_wheel(
            spec, tree, spun.xhat["ROOT"], spun.models, spun.store
        )
    else:
        result.npv, plans, result.dual_weight = evaluate_policy(
            spec, tree, spun.xhat["ROOT"], risk, stage_vars
        )
    if COMM_WORLD.rank == 0:
        probs = np.array([s.probability for s in tree.scenarios])
        npv = np.array([result.npv[s.name] for s in tree.scenarios])
        result.objective = risk_value(npv, probs, risk)
        # the evaluated policy is feasible too: its value is an inner bound, often the better
        if np.isfinite(result.objective) and not np.isfinite(result.inner):
            result.inner = result.objective
        result.inner = max(result.inner, result.objective)
    result.inner, result.outer = COMM_WORLD.bcast((result.inner, result.outer), root=0)
    result.gap = relative_gap(result.inner, result.outer)
    result.converged = result.gap <= settings["gap"]
    result.times = {"ph_s": spun.seconds, "evaluate_s": time.perf_counter() - t1}
    return result, plans


def _groups(tree: ScenarioTree, root_fixed: bool) -> list[list[str]]:
    """Leaves that must be solved together once the root is fixed: those below each stage-2
    node (a multi-stage tree still ties them there); each leaf alone without a fixed root."""
    if not root_fixed or tree.n_stages == 2:
        return [[s.name] for s in tree.scenarios]
    return [
        [s.name for s in tree.leaves_under(n.name)] for n in tree.nodes.values() if n.stage == 2
    ]


def evaluate_policy(
    spec: Spec,
    tree: ScenarioTree,
    root: dict[Key, float] | None,
    risk: RiskTerms,
    stage_vars: tuple[StageProvider, ...] = STAGE_VARIABLES,
) -> tuple[dict[str, float], dict[str, Plan], dict[str, float]]:
    """Every leaf's NPV with the here-and-now decisions fixed at ``root`` and the rest optimal.

    With the root fixed the subtrees below the stage-2 nodes no longer interact: each is solved
    as its own extensive form, the subtrees shared over the ranks. ``root=None`` solves each leaf
    alone with nothing fixed (wait and see). Returns the NPVs (all leaves, on rank 0), this
    rank's leaf plans, and each plan's dual weight (its probability within its subtree). A leaf
    whose subtree has no feasible plan gets ``-inf``, one not solved to optimality NaN.
    """
    rank, size = COMM_WORLD.rank, COMM_WORLD.size
    local, plans, weight = {}, {}, {}
    probs = {s.name: s.probability for s in tree.scenarios}
    for g, names in enumerate(_groups(tree, root is not None)):
        if g % size != rank:
            continue
        store = Store()
        kwargs = dict(spec=spec, tree=tree, risk=risk, stage_vars=stage_vars, store=store)
        with contextlib.redirect_stdout(io.StringIO()):
            ef = sputils.create_EF(names, scenario_creator, kwargs, suppress_warnings=True)
        blocks = scenario_blocks(ef, names)
        for blk in blocks.values():
            fix_decisions(blk, root or {})
        res = solve(ef, spec.model.solver)
        total = sum(probs[n] for n in names)
        for name, blk in blocks.items():
            local[name] = (
                float(pyo.value(blk.risk.npv))
                if res.optimal
                else (np.nan if res.feasible else -np.inf)
            )
            if res.feasible:
                plans[name] = Plan(store.specs[name], store.data[name], blk, res, dict(res.times))
                weight[name] = probs[name] / total
    parts = COMM_WORLD.gather(local, root=0)
    npv = {k: v for p in parts for k, v in p.items()} if rank == 0 else {}
    return npv, plans, weight


def analyse_hedging(
    spec: Spec,
    tree: ScenarioTree | None = None,
    risk: RiskTerms | None = None,
    stage_vars: tuple[StageProvider, ...] = STAGE_VARIABLES,
    **ph_options: Any,
) -> tuple[HedgingResult, Figures | None, dict[str, Plan]]:
    """PH, its policy's figures and this rank's leaf plans; the figures on rank 0 only.

    WS (for the EVPI) is solved leaf by leaf across the ranks, the EEV (for the VSS) with the
    mean-value plan's here-and-now decisions fixed, subtree by subtree.
    """
    tree = tree or tree_of(spec)
    if risk is None:
        unc = spec.model.uncertainty
        risk = RiskTerms.of(unc.risk if unc is not None else None)
    with phase(f"progressive hedging ({len(tree.scenarios)} leaves)"):
        res, plans = solve_progressive_hedging(spec, tree, risk, stage_vars, **ph_options)
    probs = np.array([s.probability for s in tree.scenarios])
    t0 = time.perf_counter()
    figs = _figures(res, tree, risk) if COMM_WORLD.rank == 0 else None
    unc = spec.model.uncertainty
    if not res.converged or (unc is not None and not unc.value_of_information):
        if figs is not None and res.converged:
            figs.notes["ws"] = (
                "EVPI and VSS not computed: uncertainty.value_of_information is false"
            )
        return res, figs, plans  # EVPI and VSS of an unconverged run are not given
    with phase("wait-and-see (leaves across ranks)"):
        ws, _, _ = evaluate_policy(spec, tree, None, RiskTerms(), stage_vars)
    ev = None
    if COMM_WORLD.rank == 0:
        notes: dict[str, str] = {}
        with contextlib.suppress(StudyFailed):
            ev = mean_value_decisions(spec, tree, stage_vars)
        if ev is None:
            notes["eev"] = "EEV not computed: the mean-value plan (EV) has no optimal plan"
    ev = COMM_WORLD.bcast(ev, root=0)
    with phase("EEV (mean-value decisions fixed, subtrees across ranks)"):
        eev_npv, _, _ = evaluate_policy(spec, tree, ev[1] if ev else {}, risk, stage_vars)
    if figs is None:
        return res, None, plans
    npv_ws = np.array([ws[s.name] for s in tree.scenarios])
    figs.notes.update(notes)
    if np.isfinite(npv_ws).all():
        figs.npv_ws, figs.ws = npv_ws, risk_value(npv_ws, probs, risk)
    else:
        figs.notes["ws"] = "WS not computed: some leaf alone has no optimal plan"
    if ev is not None:
        eev = np.array([eev_npv[s.name] for s in tree.scenarios])
        figs.ev_npv = ev[0]
        if np.isnan(eev).any():
            figs.notes["eev"] = "EEV not computed: a subtree's solve is not optimal"
        elif np.isneginf(eev).any():
            figs.eev = -math.inf
            figs.notes["eev"] = (
                "EEV = -inf: with the mean-value plan's here-and-now decisions fixed, some leaf "
                "has no feasible plan (VSS unbounded)"
            )
        else:
            figs.eev = risk_value(eev, probs, risk)
            if figs.vss < 0:  # RP >= EEV: PH's policy is short of the optimum by up to its gap
                figs.notes["eev"] = (
                    f"VSS not given: EEV {figs.eev:,.1f} $M is above PH's policy by "
                    f"{-figs.vss:,.1f} $M, within PH's gap ({res.outer - res.inner:,.1f} $M "
                    "between its bounds); the true VSS is >= 0 and below that gap"
                )
                figs.eev = math.nan
    figs.times["ws_s"] = time.perf_counter() - t0
    return res, figs, plans


def _figures(res: HedgingResult, tree: ScenarioTree, risk: RiskTerms) -> Figures:
    """The policy's figures on rank 0 (WS and EEV left NaN); ``optimal`` is PH's convergence."""
    probs = np.array([s.probability for s in tree.scenarios])
    npv = np.array([res.npv[s.name] for s in tree.scenarios])
    figs = Figures(
        probability=probs,
        npv=npv,
        npv_ws=np.full_like(npv, np.nan),
        risk=risk,
        objective=risk_value(npv, probs, risk),
        expected_npv=float(np.dot(probs, npv)),
        cvar=cvar(npv, probs, risk.level),
        ws=math.nan,
        percentiles={q: quantile(npv, probs, q / 100) for q in PERCENTILES},
        times=dict(res.times),
        optimal=res.converged,
    )
    if not res.converged:
        figs.notes["rp"] = (
            f"progressive hedging stopped after {res.iterations} iterations with a gap of "
            f"{res.gap:.2%} between its bounds (inner {res.inner:,.1f}, outer {res.outer:,.1f} "
            "$M), above uncertainty.hedging.gap: EVPI and VSS are not computed"
        )
    return figs
