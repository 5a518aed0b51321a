"""PH's policy evaluated on the wheel's own leaf models (two-stage trees).

When the wheel stops, every rank still holds its cylinder's leaf models, built once for the
wheel: the hub's and each spoke's hold a copy of every leaf of their rank's share. The policy's
evaluation takes each leaf once, on one rank that holds it (round-robin over the holders), and

1. gives the leaf its own objective back (mpi-sppy spliced the ``w`` and proximal terms into
   it, ``NPV_s - w_s x_s - rho/2 |x_s - xbar|^2``; the leaf's objective is
   ``m.risk.leaf_value``) and switches off mpi-sppy's block (the proximal
   term's tangent cuts and its ``x^2`` columns);
2. fixes the here-and-now decisions at the policy ``x*`` (:func:`fix_decisions`: clipped to
   their bounds, integers rounded);
3. solves the rest by twin's matrix hand-off, duals included, so the leaf's plan is reported as
   a leaf solved alone would be.

With the root fixed the leaves of a two-stage tree do not interact: ``max sum_s p_s f_s(x*,
y_s)`` splits into one LP per leaf, so the leaf values are the policy's, and ``sum_s p_s
NPV_s(x*)`` is a feasible policy's expected NPV, an inner bound (the certification's). Nothing
is rebuilt: on the small benchmark leaf rebuilding took as long as the wheel itself
(benchmarks/results/stochastic.md). Multi-stage trees keep
:func:`twin.study.hedging.evaluate_policy` (their subtrees are extensive forms).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo

from twin.plan import Plan
from twin.plan.reading import decision
from twin.plan.solve import solve
from twin.spec.spec import Spec
from twin.study.stochastic import Key, Store
from twin.study.tree import ScenarioTree
from twin.study.wheel import COMM_WORLD, allgather


def fix_decisions(blk: Any, values: dict[Key, float]) -> None:
    """Fix each ``(component, index)`` of ``values`` in leaf ``blk`` (CVaR's ``eta`` as
    ``("eta", None)``), clipped to the variable's bounds (a mean may round below 0) and rounded
    when the variable is integer (the solver's 1e-9 off an integer)."""
    for key, value in values.items():
        v = blk.risk.eta if key[0] == "eta" else decision(blk, key)
        lo = v.lb if v.lb is not None else -np.inf
        hi = v.ub if v.ub is not None else np.inf
        x = float(np.clip(value, lo, hi))
        v.fix(float(round(x)) if v.is_integer() or v.is_binary() else x)


def restore_leaf(m: pyo.ConcreteModel) -> None:
    """Leaf ``m`` as twin built it: its own objective, mpi-sppy's block switched off."""
    m.risk.objective.set_value(m.risk.leaf_value)
    extra = m.component("_mpisppy_model")
    if extra is not None:
        extra.deactivate()


def evaluate_on_wheel(
    spec: Spec,
    tree: ScenarioTree,
    root: dict[Key, float],
    models: dict[str, pyo.ConcreteModel],
    store: Store,
) -> tuple[dict[str, float], dict[str, Plan], dict[str, float]]:
    """Every leaf's NPV [$M] with the here-and-now decisions fixed at ``root`` and the rest
    optimal, each leaf solved on one rank that holds its wheel model (module docstring).

    Returns the NPVs (all leaves, on rank 0), this rank's leaf plans, and each plan's dual
    weight (1: a leaf solved alone). A leaf with no feasible plan gets ``-inf``, one not
    solved to optimality NaN.
    """
    if tree.n_stages != 2:
        raise ValueError("the wheel's leaf models are evaluated alone only on a two-stage tree")
    rank = COMM_WORLD.rank
    held = [set(names) for names in allgather(sorted(models))]
    local: dict[str, float] = {}
    plans: dict[str, Plan] = {}
    weight: dict[str, float] = {}
    for i, s in enumerate(tree.scenarios):
        holders = [r for r, names in enumerate(held) if s.name in names]
        if holders[i % len(holders)] != rank:
            continue
        m = models[s.name]
        restore_leaf(m)
        fix_decisions(m, root)
        res = solve(m, spec.model.solver)
        local[s.name] = (
            float(pyo.value(m.risk.npv)) if res.optimal else (np.nan if res.feasible else -np.inf)
        )
        if res.feasible:
            plans[s.name] = Plan(store.specs[s.name], store.data[s.name], m, res, dict(res.times))
            weight[s.name] = 1.0
    parts = COMM_WORLD.gather(local, root=0)
    npv = {k: v for p in parts for k, v in p.items()} if rank == 0 else {}
    return npv, plans, weight
