"""Progressive hedging (Rockafellar and Wets 1991) with mpi-sppy's hub and spokes, with bounds.

Run it under MPI with a multiple of 3 ranks (a PH hub, a Lagrangian spoke and an x-hat spoke,
each on a third of the ranks, each rank holding a share of the leaves)::

    mpiexec -n 3 python -m twin solve models/baseline.yaml -s lease_under_uncertainty --engine ph

The hub iterates PH: every leaf solved alone with the objective ``NPV_s - w_s x_s - rho/2 |x_s -
xbar|^2`` (for a maximisation), ``xbar`` the probability-weighted mean of the tied decisions at
each node, ``w_s += rho (x_s - xbar)``; the proximal term is linearised (mpi-sppy's
``linearize_proximal_terms``) so every subproblem stays an LP or MIP that HiGHS solves.

- The Lagrangian spoke (``LagrangianOuterBound``) solves ``max_x sum_s p_s (NPV_s - w_s x_s)``
  with the hub's latest ``w`` (``sum_s p_s w_s = 0`` at each node): every such value bounds the
  optimum from above, the OUTER bound.
- The x-hat spoke (``XhatShuffleInnerBound``) takes one leaf's tied decisions at a time, fixes
  them in every leaf and solves the rest: a feasible (integer-feasible, as a leaf's own solution
  is) policy, whose expected objective bounds the optimum from below, the INNER bound.

The wheel stops when ``(outer - inner) / |inner|`` falls below ``uncertainty.hedging.gap`` or
at the iteration limit; a run that ends above the gap is not converged (``converged = 0``, the
CLI exits 3). PH's answer is the best x-hat's here-and-now decisions: :func:`evaluate_policy`
fixes them and solves the rest optimally (once the root is fixed the subtrees below the stage-2
nodes are independent, each solved as its own small extensive form, shared over the ranks), which
is at least as good as the x-hat itself; its value is the inner bound reported when it is the
better one. PH's own consensus test (``uncertainty.hedging.threshold``) can end the hub early;
only the gap decides whether the run converged.
``rho`` is set per variable to ``rho_scale x |objective coefficient|`` (the cost-proportional rule
of Watson and Woodruff 2011), so that no single default fits $M-scale costs badly.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyomo.environ as pyo
from pyomo.repn import generate_standard_repn

from twin.plan import Plan
from twin.plan.solve import solve
from twin.spec.errors import SpecError
from twin.spec.spec import Spec
from twin.spec.uncertainty import Hedging
from twin.spec.uncertainty_checks import uncertainty_key
from twin.study.cvar import RiskTerms, cvar
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
    all_node_names,
    scenario_creator,
    scenario_names,
)
from twin.study.tree import ScenarioTree, tree_of

with contextlib.redirect_stdout(io.StringIO()), tempfile.TemporaryDirectory() as _logs:
    # mpi-sppy prints a banner on import, and its cylinder modules open log files (hub.log,
    # xhatclp.log, xhateval.log) in the working directory when imported: import them elsewhere
    _cwd = os.getcwd()
    os.chdir(_logs)
    try:
        import mpisppy.cylinders.hub
        import mpisppy.cylinders.lagrangian_bounder
        import mpisppy.cylinders.xhatshufflelooper_bounder
        import mpisppy.utils.xhat_eval  # noqa: F401
    finally:
        os.chdir(_cwd)
    from mpisppy.MPI import COMM_WORLD
    from mpisppy.spin_the_wheel import WheelSpinner
    from mpisppy.utils import cfg_vanilla as vanilla
    from mpisppy.utils import config, sputils

#: HiGHS through Pyomo's APPSI interface solves PH's subproblems.
SUBPROBLEM_SOLVER = "appsi_highs"
LINEARIZE = True


#: Cylinders of the wheel: the PH hub, a Lagrangian (outer) and an x-hat (inner) spoke.
CYLINDERS = 3


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


def relative_gap(inner: float, outer: float) -> float:
    """``(outer - inner) / |inner|`` of a maximisation (inf without an inner bound) [-]."""
    if not (np.isfinite(inner) and np.isfinite(outer)):
        return float("inf")
    return max(0.0, outer - inner) / max(abs(inner), 1e-9)


def _allgather(obj: Any) -> list[Any]:
    """Every rank's ``obj`` on every rank (gather then broadcast: mpi-sppy's stand-in for MPI,
    used when mpi4py is not installed, has no ``allgather``)."""
    return COMM_WORLD.bcast(COMM_WORLD.gather(obj, root=0), root=0)


def _rho_setter(scale: float) -> Any:
    def rho_setter(m: pyo.ConcreteModel) -> list[tuple[Any, float]]:
        repn = generate_standard_repn(m.risk.objective.expr, quadratic=False)
        coef = {id(v): abs(c) for v, c in zip(repn.linear_vars, repn.linear_coefs, strict=True)}
        out = []
        for node in m._mpisppy_node_list:
            for v in node.nonant_vardata_list:
                out.append((id(v), max(scale * coef.get(id(v), 0.0), 1e-3)))
        return out

    return rho_setter


def _config(spec: Spec, max_iterations: int, threshold: float, gap: float) -> Any:
    """mpi-sppy's configuration of the wheel (``cfg_vanilla``'s hub and spoke dictionaries)."""
    cfg = config.Config()
    cfg.popular_args()
    cfg.ph_args()
    cfg.two_sided_args()
    cfg.lagrangian_args()
    cfg.xhatshuffle_args()
    cfg.solver_name = SUBPROBLEM_SOLVER
    cfg.default_rho = 1.0
    cfg.max_iterations = max_iterations
    cfg.intra_hub_conv_thresh = threshold
    cfg.rel_gap = gap
    cfg.linearize_proximal_terms = LINEARIZE
    cfg.proximal_linearization_tolerance = 1e-2
    cfg.solver_options = f"threads={spec.model.solver.threads}"
    return cfg


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
    """Run the wheel over the ranks of ``COMM_WORLD`` (a multiple of 3) and evaluate its policy.

    Returns the result (bounds and gap on every rank; leaf NPVs and objective on rank 0) and
    this rank's leaf plans. Settings not given come from the model's ``uncertainty.hedging``.
    Every rank must call this with the same arguments; the CVaR floor (a row across leaves) is
    not decomposable and is refused.
    """
    tree = tree or tree_of(spec)
    risk = risk or RiskTerms()
    unc = spec.model.uncertainty
    h = unc.hedging if unc is not None else Hedging()
    key = uncertainty_key(spec)
    if risk.floor is not None:
        raise SpecError(
            spec.path,
            f"{key}.risk.npv_floor_musd",
            "a CVaR floor couples the leaves, which progressive hedging cannot split; "
            "expected no floor with --engine ph, or --engine ef",
        )
    if COMM_WORLD.size % CYLINDERS:
        raise SpecError(
            "mpiexec -n",
            str(COMM_WORLD.size),
            f"expected a multiple of {CYLINDERS} ranks for --engine ph (a PH hub, a Lagrangian "
            "spoke for the outer bound and an x-hat spoke for the inner bound)",
        )
    gap = h.gap if gap is None else gap
    cfg = _config(
        spec,
        h.iterations if max_iterations is None else max_iterations,
        h.threshold if threshold is None else threshold,
        gap,
    )
    rho = _rho_setter(h.rho_scale if rho_scale is None else rho_scale)
    store = Store()
    kwargs = dict(spec=spec, tree=tree, risk=risk, stage_vars=stage_vars, store=store)
    names, nodes = scenario_names(tree), all_node_names(tree)
    common = dict(scenario_creator_kwargs=kwargs, all_nodenames=nodes)
    hub = vanilla.ph_hub(cfg, scenario_creator, None, names, rho_setter=rho, **common)
    spokes = [
        vanilla.lagrangian_spoke(cfg, scenario_creator, None, names, rho_setter=rho, **common),
        vanilla.xhatshuffle_spoke(cfg, scenario_creator, None, names, **common),
    ]
    t0 = time.perf_counter()
    wheel = WheelSpinner(hub, spokes)
    with contextlib.redirect_stdout(io.StringIO()):
        wheel.spin()
    t1 = time.perf_counter()
    bounds = COMM_WORLD.bcast(
        (wheel.BestInnerBound, wheel.BestOuterBound, int(wheel.spcomm.opt._PHIter))
        if COMM_WORLD.rank == 0
        else None,
        root=0,
    )
    xhat = _best_xhat(wheel, store)
    result = HedgingResult(False, bounds[2], float(bounds[0]), float(bounds[1]), math.inf, xhat)
    for part in _allgather(store.labels):
        result.labels.update(part)
    result.npv, plans, result.dual_weight = evaluate_policy(
        spec, tree, xhat.get("ROOT", {}), risk, stage_vars
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
    result.converged = result.gap <= gap
    result.times = {"ph_s": t1 - t0, "evaluate_s": time.perf_counter() - t1}
    return result, plans


def _best_xhat(wheel: WheelSpinner, store: Store) -> dict[str, dict[Key, float]]:
    """``{node: {(component, index): value}}`` of the best x-hat (the inner bound's policy),
    from the cylinder that found it, on every rank (CVaR's ``eta`` as ``("eta", None)``)."""
    local: dict[str, dict[Key, float]] = {}
    if wheel._determine_innerbound_winner() and wheel.spcomm.opt.load_best_solution():
        for name, s in wheel.spcomm.opt.local_scenarios.items():
            for node in s._mpisppy_node_list:
                vals = local.setdefault(node.name, {})
                keys = store.keys[name][node.stage]
                for i, v in enumerate(node.nonant_vardata_list):
                    k = keys[i] if i < len(keys) else ("eta", None)
                    vals[k] = float(pyo.value(v))
    merged: dict[str, dict[Key, float]] = {}
    for part in _allgather(local):
        for node, vals in part.items():
            merged.setdefault(node, {}).update(vals)
    return merged


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
        blocks = {n: (ef if len(names) == 1 else ef.component(n)) for n in names}
        for blk in blocks.values():
            for key, value in (root or {}).items():
                v = blk.risk.eta if key[0] == "eta" else blk.component(key[0])[key[1]]
                lo = v.lb if v.lb is not None else -np.inf  # a mean may round below 0
                hi = v.ub if v.ub is not None else np.inf
                v.fix(float(np.clip(value, lo, hi)))
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
    res, plans = solve_progressive_hedging(spec, tree, risk, stage_vars, **ph_options)
    probs = np.array([s.probability for s in tree.scenarios])
    t0 = time.perf_counter()
    figs = _figures(res, tree, risk) if COMM_WORLD.rank == 0 else None
    if not res.converged:
        return res, figs, plans  # EVPI and VSS of an unconverged run are not given
    ws, _, _ = evaluate_policy(spec, tree, None, RiskTerms(), stage_vars)
    ev = None
    if COMM_WORLD.rank == 0:
        notes: dict[str, str] = {}
        with contextlib.suppress(StudyFailed):
            ev = mean_value_decisions(spec, tree, stage_vars)
        if ev is None:
            notes["eev"] = "EEV not computed: the mean-value plan (EV) has no optimal plan"
    ev = COMM_WORLD.bcast(ev, root=0)
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
