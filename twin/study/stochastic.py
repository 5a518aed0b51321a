"""Stochastic programs on mpi-sppy: one scenario's plan per leaf, decisions tied by stage.

:func:`scenario_creator` is mpi-sppy's scenario-creator interface: it builds one leaf's Pyomo model
through :mod:`twin.plan` from the leaf's plan data, each uncertain input in force from its
``known`` date only (:func:`twin.study.information.timed_data`), and attaches the leaf's path of
tree nodes, each naming its non-anticipative variables. A decision whose period starts on date
``t`` belongs to stage ``1 + #{revelation dates <= t}``
(:meth:`~twin.study.tree.ScenarioTree.stage_of`); the variables of a non-leaf stage-k node must
take the same value in every leaf below it:

    x[v, s] = x[v, s']   for every node n of stage k < T, v decided in stage k, s, s' below n.

The decisions tied this way are listed in :data:`STAGE_VARIABLES`: the investments (site builds and
modules, chip installs and buys, fab builds and modules) and the lease choices (keep or give
notice at each notice date, take an offer: :func:`twin.plan.leases.lease_decision_vars`).
Operations in a period (allocation, power, idling, unmet demand: :data:`RECOURSE_VARIABLES`)
adapt to what is known when the period runs; those of a period that ends on or before a node's
information date are tied at that node too (they ran before anything was learnt).
A new family adds its decisions with a :data:`StageProvider`. A few enumerated futures learnt on
one date are a two-stage tree (:func:`twin.study.tree.futures_tree`) solved the same way.

The objective of a leaf is its NPV plus the CVaR term of :mod:`twin.study.cvar`; the extensive
form (:func:`solve_extensive_form`) maximises ``sum_s p_s (NPV_s + lambda (eta - u_s/(1-alpha)))``
in one HiGHS solve; progressive hedging (:mod:`twin.study.hedging`) splits it over MPI ranks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import io
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyomo.environ as pyo

from twin.plan import Plan, PlanData, PlanFailed, build_model
from twin.plan.leases import lease_decision_vars
from twin.plan.quantities import Role, all_quantities, recourse_variables
from twin.plan.reading import Key, decision, decision_values, indexed
from twin.plan.solve import SolveResult, SolveStatus, solve
from twin.spec.errors import SpecError
from twin.spec.schema import SolverOptions
from twin.spec.spec import Spec
from twin.spec.uncertainty_checks import uncertainty_place
from twin.study.cvar import RiskTerms, add_cvar_floor, add_risk_terms
from twin.study.information import revelations, timed_data
from twin.study.tree import Scenario, ScenarioTree, tree_of

with contextlib.redirect_stdout(io.StringIO()):  # mpi-sppy prints a banner on import
    from mpisppy import scenario_tree
    from mpisppy.utils import sputils


StageProvider = Callable[[pyo.ConcreteModel, PlanData], Iterable[tuple[Any, int]]]
"""Lists a family's tied decisions as ``(variable data, period it is taken in)``."""

LeafFix = Callable[[pyo.ConcreteModel, PlanData], None]
"""Called on every leaf's model before the solve, e.g. to fix a lease strategy in all leaves."""


@dataclass(frozen=True)
class StageVariable:
    """A decision component tied by stage; its index holds the period at position ``period_at``.

    Called on a model it lists ``(var[index], period)`` (nothing if the model lacks it). Any
    other :data:`StageProvider` (e.g. a lease family's list of notice-date decisions with their
    periods) may stand beside these in the tuple handed to the scenario creator.
    """

    component: str
    period_at: int = -1

    def __call__(self, m: pyo.ConcreteModel, d: PlanData) -> list[tuple[Any, int]]:
        """``(var[index], period)`` for every index of the component (none if ``m`` lacks it)."""
        comp = indexed(m, self.component)
        if comp is None:
            return []
        return [(comp[i], (i if isinstance(i, tuple) else (i,))[self.period_at]) for i in comp]


#: The non-anticipative decisions: the Pyomo variables of the INVESTMENT records of
#: :mod:`twin.plan.quantities` (components absent in a model are skipped), then the lease
#: decisions (the DECISION records) with the periods of their notice dates. Every variable of the
#: plan is declared by a record, so it is either tied here or in :data:`RECOURSE_VARIABLES`
#: (tests/study/test_stochastic.py checks it).
STAGE_VARIABLES: tuple[StageProvider, ...] = (
    *(StageVariable(v) for q in all_quantities() if q.role is Role.INVESTMENT for v in q.variables),
    lease_decision_vars,  # keep or give notice at each notice date; take an offer
)

#: Operations in a period, free to adapt to what is known when the period runs.
RECOURSE_VARIABLES = recourse_variables()


def stage_keys(
    m: pyo.ConcreteModel,
    d: PlanData,
    tree: ScenarioTree,
    stage_vars: tuple[StageProvider, ...],
    labels: dict[Key, str] | None = None,
) -> dict[int, list[Key]]:
    """``{stage: [(component, index), ...]}`` of the tied decisions of stages 1..T-1, sorted.

    A decision taken in period p belongs to stage ``tree.stage_of(start of p)``. An operation of
    period p (:data:`RECOURSE_VARIABLES`) is tied at stage ``1 + #{tau < end of p}``: every node
    whose information date ``tau`` comes at or after the period's end ties it across its leaves
    (the period is over before anything is learnt). ``labels``, if given, receives each key's
    :func:`decision_label`.
    """
    out: dict[int, list[Key]] = {k: [] for k in range(1, tree.n_stages)}
    for provider in stage_vars:
        in_index = isinstance(provider, StageVariable) and provider.period_at == -1
        for v, p in provider(m, d):
            key = (v.parent_component().local_name, v.index())
            k = tree.stage_of(d.periods[p])
            if k < tree.n_stages:
                out[k].append(key)
            if labels is not None:
                labels[key] = decision_label(key, p, d.periods[p], in_index)
    for key, p in recourse_vars(m):
        end = d.periods[p + 1] if p + 1 < d.n_periods else d.horizon_end
        k = 1 + sum(1 for t in tree.stage_dates if t < end)
        if k < tree.n_stages:
            out[k].append(key)
        if labels is not None:
            labels[key] = decision_label(key, p, d.periods[p])
    for keys in out.values():
        keys.sort(key=repr)
    return out


def recourse_vars(m: pyo.ConcreteModel) -> list[tuple[Key, int]]:
    """``((component, index), period)`` of every operation of :data:`RECOURSE_VARIABLES` (the
    period is its index's last entry; an elastic model's slacks are not operations, nor is a
    record's component that is an expression in this model)."""
    out = []
    for name in RECOURSE_VARIABLES:
        comp = indexed(m, name)
        if comp is None or name == "slack" or comp.ctype is not pyo.Var:
            continue
        for i in comp:
            out.append(((name, i), (i if isinstance(i, tuple) else (i,))[-1]))
    return out


def decision_label(key: Key, period: int, start: dt.date, period_in_index: bool = True) -> str:
    """``build[abilene, 2026-07-01]`` (the index's last entry, the period, shown as its start
    date), or ``lease_keep[c1, 0] @ 2026-07-01`` when the index does not end in the period."""
    component, index = key
    idx = index if isinstance(index, tuple) else (index,)
    if period_in_index and idx and idx[-1] == period:
        return f"{component}[{', '.join([*map(str, idx[:-1]), start.isoformat()])}]"
    return f"{component}[{', '.join(map(str, idx))}] @ {start.isoformat()}"


@dataclass
class Store:
    """What scenario creation leaves behind for the caller: each leaf's spec and plan data."""

    specs: dict[str, Spec] = field(default_factory=dict)
    data: dict[str, PlanData] = field(default_factory=dict)
    keys: dict[str, dict[int, list[Key]]] = field(default_factory=dict)
    labels: dict[Key, str] = field(default_factory=dict)

    def labelled(self, values: dict[Key, float]) -> dict[str, float]:
        """``values`` keyed by their decisions' labels instead of their keys."""
        return {self.labels.get(k, f"{k[0]}[{k[1]}]"): v for k, v in values.items()}


def scenario_creator(
    scenario_name: str,
    spec: Spec,
    tree: ScenarioTree,
    risk: RiskTerms | None = None,
    stage_vars: tuple[StageProvider, ...] = STAGE_VARIABLES,
    store: Store | None = None,
    leaf_fix: LeafFix | None = None,
) -> pyo.ConcreteModel:
    """mpi-sppy's scenario creator: the Pyomo model of leaf ``scenario_name`` with its nodes
    (``leaf_fix(m, d)``, if given, is called on the leaf's model once it is built)."""
    leaf = _leaf(tree, scenario_name)
    s_spec, d = timed_data(spec, revelations(tree, scenario_name))
    m = build_model(d)
    m.npv.deactivate()
    if leaf_fix is not None:
        leaf_fix(m, d)
    risk = risk or RiskTerms()
    add_risk_terms(m, m.npv.expr, risk)
    keys = stage_keys(m, d, tree, stage_vars, store.labels if store is not None else None)
    node_list = []
    for k, node_name in enumerate(leaf.nodes[:-1], start=1):
        node = tree.nodes[node_name]
        nonants = [decision(m, key) for key in keys[k]]
        if k == 1 and risk.active:
            nonants.append(m.risk.eta)
        node_list.append(
            scenario_tree.ScenarioNode(
                name=node_name,
                cond_prob=node.cond_prob,
                stage=k,
                # mpi-sppy reads stage costs for reports only: the root carries the objective
                cost_expression=m.risk.objective.expr if k == 1 else 0.0,
                nonant_list=nonants,
                scen_model=m,
                parent_name=node.parent,
            )
        )
    attach_nodes(m, node_list, leaf.probability)
    if store is not None:
        store.specs[scenario_name], store.data[scenario_name] = s_spec, d
        store.keys[scenario_name] = keys
    return m


def attach_nodes(scenario_model: pyo.ConcreteModel, nodes: list, probability: float) -> None:
    """mpi-sppy's scenario-creator contract: the two attributes it reads from a scenario model.

    They are mpi-sppy's interface (``_mpisppy_node_list``, ``_mpisppy_probability``); in twin only
    :mod:`twin.study.hedging` reads the node lists back, as mpi-sppy's PH hands them over.
    """
    scenario_model._mpisppy_node_list = nodes
    scenario_model._mpisppy_probability = probability


def _leaf(tree: ScenarioTree, name: str) -> Scenario:
    for s in tree.scenarios:
        if s.name == name:
            return s
    raise KeyError(f"no scenario '{name}' in the tree")


def scenario_names(tree: ScenarioTree) -> list[str]:
    """The leaves' names in tree order."""
    return [s.name for s in tree.scenarios]


def all_node_names(tree: ScenarioTree) -> list[str]:
    """mpi-sppy's ``all_nodenames``: ``["ROOT"]`` for two stages, else every node, leaves
    included (as ``create_nodenames_from_branching_factors`` names them)."""
    if tree.n_stages == 2:
        return ["ROOT"]
    return list(tree.nodes)


def scenario_blocks(ef: pyo.ConcreteModel, names: list[str]) -> dict[str, pyo.Block]:
    """``{leaf: its block}`` of an extensive form mpi-sppy built from ``names`` (one leaf: the
    form is the leaf's own model)."""
    return {n: (ef if len(names) == 1 else ef.component(n)) for n in names}


def check_alignment(
    tree: ScenarioTree,
    store: Store,
    where: tuple[str | Path | None, str] = (None, "uncertainty.inputs"),
) -> None:
    """Every leaf below a node ties the same decisions there; else the uncertain inputs change
    which decisions exist before they are known, which the tree cannot represent (``where``:
    the file and key of the section's inputs,
    :func:`twin.spec.uncertainty_checks.uncertainty_place`)."""
    for node in tree.nonleaf_nodes():
        ref = None
        for s in tree.leaves_under(node.name):
            keys = store.keys[s.name][node.stage]
            if ref is None:
                ref = (s.name, keys)
            elif keys != ref[1]:
                extra = sorted(set(map(repr, keys)) ^ set(map(repr, ref[1])))[:3]
                raise SpecError(
                    *where,
                    f"leaves {ref[0]} and {s.name} decide different things at node {node.name} "
                    f"(e.g. {', '.join(extra)}): an uncertain input changes which decisions "
                    "exist before it is known; expected inputs that change data, not index sets",
                )


@dataclass
class ExtensiveForm:
    """A solved extensive form: the EF model, each leaf's block and plan, and the solve."""

    tree: ScenarioTree
    model: pyo.ConcreteModel
    blocks: dict[str, pyo.Block]
    store: Store
    result: SolveResult
    times: dict[str, float]

    def plans(self) -> dict[str, Plan]:
        """Each leaf as a :class:`twin.plan.Plan` over its block (values loaded from the EF)."""
        return {
            name: Plan(
                spec=self.store.specs[name],
                data=self.store.data[name],
                model=blk,
                result=self.result,
                times=self.times,
            )
            for name, blk in self.blocks.items()
        }

    def npv(self) -> dict[str, float]:
        """NPV of each leaf [$M]."""
        return {name: float(pyo.value(blk.risk.npv)) for name, blk in self.blocks.items()}

    def decisions(self, stage: int = 1) -> dict[tuple[str, Any], float]:
        """Values of the tied decisions of ``stage`` (the same in every leaf of a node) of the
        first leaf; for stage 1 these are the here-and-now decisions."""
        first = self.tree.scenarios[0].name
        return decision_values(self.blocks[first], self.store.keys[first].get(stage, []))

    def node_decisions(self) -> dict[str, dict[tuple[str, Any], float]]:
        """The tied decisions of every non-leaf node, read in the first leaf below it."""
        out = {}
        for node in self.tree.nonleaf_nodes():
            leaf = self.tree.leaves_under(node.name)[0].name
            keys = self.store.keys[leaf].get(node.stage, [])
            out[node.name] = decision_values(self.blocks[leaf], keys)
        return out


def build_extensive_form(
    spec: Spec,
    tree: ScenarioTree,
    risk: RiskTerms | None = None,
    stage_vars: tuple[StageProvider, ...] = STAGE_VARIABLES,
    fix: dict[tuple[str, Any], float] | None = None,
    leaf_fix: LeafFix | None = None,
) -> tuple[pyo.ConcreteModel, dict[str, pyo.Block], Store]:
    """The extensive form of ``tree`` (mpi-sppy's ``create_EF``) with the CVaR floor if any.

    ``fix`` fixes stage-1 decisions to given values (absent keys at 0), as the VSS needs;
    ``leaf_fix`` is handed to :func:`scenario_creator` (a strategy fixed in every leaf).
    """
    risk = risk or RiskTerms()
    store = Store()
    names = scenario_names(tree)
    kwargs = dict(
        spec=spec, tree=tree, risk=risk, stage_vars=stage_vars, store=store, leaf_fix=leaf_fix
    )
    gc.disable()  # as twin.plan.plan: the build makes many acyclic objects
    try:
        ef = sputils.create_EF(
            names, scenario_creator, scenario_creator_kwargs=kwargs, suppress_warnings=True
        )
    finally:
        gc.enable()
    check_alignment(tree, store, uncertainty_place(spec, "inputs"))
    blocks = scenario_blocks(ef, names)
    if fix is not None:
        for name, blk in blocks.items():
            for key in store.keys[name].get(1, []):
                decision(blk, key).fix(fix.get(key, 0.0))
    if risk.floor is not None:
        add_cvar_floor(ef, {n: (_leaf(tree, n).probability, b) for n, b in blocks.items()}, risk)
    return ef, blocks, store


def solve_extensive_form(
    spec: Spec,
    tree: ScenarioTree | None = None,
    risk: RiskTerms | None = None,
    stage_vars: tuple[StageProvider, ...] = STAGE_VARIABLES,
    fix: dict[tuple[str, Any], float] | None = None,
    options: SolverOptions | None = None,
    leaf_fix: LeafFix | None = None,
) -> ExtensiveForm:
    """Build and solve the extensive form by HiGHS in this process (the default engine).

    Raises :class:`twin.plan.PlanFailed` when HiGHS finds no feasible solution; a feasible
    answer that is not proven optimal (a time limit) is returned with ``result.optimal`` False.
    """
    tree = tree or tree_of(spec)
    t0 = time.perf_counter()
    ef, blocks, store = build_extensive_form(spec, tree, risk, stage_vars, fix, leaf_fix)
    t1 = time.perf_counter()
    least = min(leaf.probability for leaf in tree.scenarios)  # the units check reads leaf costs
    result = solve(ef, options or spec.model.solver, weight=least)
    if not result.feasible:
        n = len(tree.scenarios)
        if result.kind is SolveStatus.LIMIT:
            raise PlanFailed(
                f"the extensive form of {n} leaves stopped at its limit (HiGHS status "
                f"'{result.status}') before finding any feasible solution; raise "
                "solver.time_limit_s"
            )
        raise PlanFailed(
            f"the extensive form of {n} leaves has no feasible solution "
            f"(HiGHS status '{result.status}'); solve the leaves alone (twin solve --set ...) "
            "to find the one that fails"
        )
    times = {"build_s": t1 - t0, **result.times}
    return ExtensiveForm(tree, ef, blocks, store, result, times)
