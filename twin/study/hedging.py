"""Progressive hedging (Rockafellar and Wets 1991) with mpi-sppy, for trees too big for one EF.

Run it under MPI, one process per rank, each rank holding a share of the leaves::

    mpiexec -n 4 python -m twin.study.hedging models/baseline.yaml -s lease_under_uncertainty

Each iteration solves every leaf alone with the objective ``NPV_s - w_s x_s - rho/2 |x_s -
xbar|^2`` (for a maximisation), where ``xbar`` is the probability-weighted mean of the tied
decisions at each node and ``w_s`` the multipliers of non-anticipativity, updated
``w_s += rho (x_s - xbar)``; it stops when ``sum_s p_s |x_s - xbar|`` falls below the threshold
(``convthresh``) or at the iteration limit. The proximal term is linearised (mpi-sppy's
``linearize_proximal_terms``) so every subproblem stays an LP that HiGHS solves.

PH's answer is the node means ``xbar``. :func:`evaluate_policy` fixes the here-and-now decisions at
the root's means and solves the rest optimally: once the root is fixed the subtrees below the
stage-2 nodes are independent, so each is solved as its own small extensive form, the subtrees
shared over the ranks. The objective compared with the extensive form is that of an implementable
plan (later nodes' means are not fixed: across stages they need not be mutually consistent until
PH has converged).
``rho`` is set per variable to ``rho_scale x |objective coefficient|`` (the cost-proportional rule
of Watson and Woodruff 2011), so that no single default fits $M-scale costs badly.
"""

from __future__ import annotations

import contextlib
import io
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
from twin.study.cvar import RiskTerms, cvar
from twin.study.risk import PERCENTILES, Figures, mean_value_decisions, quantile, risk_value
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

with contextlib.redirect_stdout(io.StringIO()):  # mpi-sppy prints a banner on import
    from mpisppy.MPI import COMM_WORLD
    from mpisppy.opt.ph import PH
    from mpisppy.utils import sputils

#: HiGHS through Pyomo's APPSI interface solves PH's subproblems.
SUBPROBLEM_SOLVER = "appsi_highs"
LINEARIZE = True


@dataclass
class HedgingResult:
    """PH's outcome on this rank: node means, the policy's leaf NPVs (rank 0 has them all)."""

    converged: bool
    iterations: int
    conv: float
    xbar: dict[str, dict[tuple[str, Any], float]]
    npv: dict[str, float] = field(default_factory=dict)
    objective: float = float("nan")
    times: dict[str, float] = field(default_factory=dict)
    labels: dict[Key, str] = field(default_factory=dict)
    dual_weight: dict[str, float] = field(default_factory=dict)

    def labelled(self, values: dict[Key, float]) -> dict[str, float]:
        """Tied decisions (CVaR's ``eta`` left out) keyed by their labels."""
        return {self.labels[k]: v for k, v in values.items() if k in self.labels}


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


def solve_progressive_hedging(
    spec: Spec,
    tree: ScenarioTree | None = None,
    risk: RiskTerms | None = None,
    stage_vars: tuple[StageProvider, ...] = STAGE_VARIABLES,
    rho_scale: float | None = None,
    max_iterations: int | None = None,
    threshold: float | None = None,
) -> tuple[HedgingResult, dict[str, Plan]]:
    """Run PH over the ranks of ``COMM_WORLD`` (one rank works too) and evaluate its policy.

    Returns the result (leaf NPVs and objective on rank 0) and this rank's leaf plans. Settings
    not given come from the model's ``uncertainty.hedging`` (defaults: 200 iterations,
    threshold 1e-3, rho scale 1).

    Every rank must call this with the same arguments; the CVaR floor (a row across leaves) is
    not decomposable and is refused.
    """
    tree = tree or tree_of(spec)
    risk = risk or RiskTerms()
    unc = spec.model.uncertainty
    hedging = unc.hedging if unc is not None else Hedging()
    rho_scale = hedging.rho_scale if rho_scale is None else rho_scale
    max_iterations = hedging.iterations if max_iterations is None else max_iterations
    threshold = hedging.threshold if threshold is None else threshold
    if risk.floor is not None:
        raise SpecError(
            spec.path,
            "uncertainty.risk.npv_floor_musd",
            "a CVaR floor couples the leaves, which progressive hedging cannot split; "
            "expected no floor with --engine ph, or --engine ef",
        )
    options = {
        "solver_name": SUBPROBLEM_SOLVER,
        "PHIterLimit": max_iterations,
        "defaultPHrho": 1.0,
        "convthresh": threshold,
        "verbose": False,
        "display_progress": False,
        "display_timing": False,
        "display_convergence_detail": False,
        "linearize_proximal_terms": LINEARIZE,
        "proximal_linearization_tolerance": 1e-2,
        "iter0_solver_options": {"threads": spec.model.solver.threads},
        "iterk_solver_options": {"threads": spec.model.solver.threads},
        "toc": False,
    }
    store = Store()
    kwargs = dict(spec=spec, tree=tree, risk=risk, stage_vars=stage_vars, store=store)
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        ph = PH(
            options,
            scenario_names(tree),
            scenario_creator,
            scenario_creator_kwargs=kwargs,
            all_nodenames=all_node_names(tree),
            rho_setter=_rho_setter(rho_scale),
        )
        conv, _, _ = ph.ph_main()
    t1 = time.perf_counter()
    xbar = _node_means(ph, store)
    iterations = int(ph._PHIter)
    result = HedgingResult(conv <= threshold, iterations, float(conv), xbar)
    for part in _allgather(store.labels):
        result.labels.update(part)
    result.npv, plans, result.dual_weight = evaluate_policy(
        spec, tree, xbar.get("ROOT", {}), risk, stage_vars
    )
    if COMM_WORLD.rank == 0:
        probs = np.array([s.probability for s in tree.scenarios])
        npv = np.array([result.npv[s.name] for s in tree.scenarios])
        result.objective = risk_value(npv, probs, risk)
    result.times = {"ph_s": t1 - t0, "evaluate_s": time.perf_counter() - t1}
    return result, plans


def _node_means(ph: PH, store: Store) -> dict[str, dict[Key, float]]:
    """``{node: {(component, index): xbar}}`` gathered from every rank (CVaR's ``eta`` as
    ``("eta", None)``)."""
    local: dict[str, dict[Key, float]] = {}
    for name, s in ph.local_scenarios.items():
        for node in s._mpisppy_node_list:
            vals = local.setdefault(node.name, {})
            keys = store.keys[name][node.stage]
            for i, _ in enumerate(node.nonant_vardata_list):
                key = keys[i] if i < len(keys) else ("eta", None)
                vals[key] = float(pyo.value(s._mpisppy_model.xbars[node.name, i]))
    merged: dict[str, dict[tuple[str, Any], float]] = {}
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
    rank's leaf plans, and each plan's dual weight (its probability within its subtree).
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
            local[name] = float(pyo.value(blk.risk.npv)) if res.feasible else -np.inf
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
    t0 = time.perf_counter()
    ws, _, _ = evaluate_policy(spec, tree, None, RiskTerms(), stage_vars)
    ev_npv, fixed = (
        mean_value_decisions(spec, tree, stage_vars) if COMM_WORLD.rank == 0 else (0.0, {})
    )
    fixed = COMM_WORLD.bcast(fixed, root=0)
    eev_npv, _, _ = evaluate_policy(spec, tree, fixed, risk, stage_vars)
    if COMM_WORLD.rank != 0:
        return res, None, plans
    probs = np.array([s.probability for s in tree.scenarios])
    npv = np.array([res.npv[s.name] for s in tree.scenarios])
    npv_ws = np.array([ws[s.name] for s in tree.scenarios])
    figs = Figures(
        probability=probs,
        npv=npv,
        npv_ws=npv_ws,
        risk=risk,
        objective=risk_value(npv, probs, risk),
        expected_npv=float(np.dot(probs, npv)),
        cvar=cvar(npv, probs, risk.level),
        ws=risk_value(npv_ws, probs, risk),
        ev_npv=ev_npv,
        percentiles={q: quantile(npv, probs, q / 100) for q in PERCENTILES},
        times={**res.times, "ws_s": time.perf_counter() - t0},
    )
    figs.eev = risk_value(np.array([eev_npv[s.name] for s in tree.scenarios]), probs, risk)
    return res, figs, plans
