"""A stochastic plan as one xarray Dataset: every leaf's plan along a ``scenario`` dimension.

Dimensions beyond a plan's: ``scenario`` (the leaves, with ``scenario_probability``), ``node``
(the tree's nodes, with stage, parent, date, conditional probability and the outcomes revealed),
``stage`` and ``decision`` (the here-and-now decisions: stage-1 values, the same in every leaf).
Every variable of :data:`twin.report.VARIABLES` gains the ``scenario`` dimension: each leaf's
recourse. Marginal values are each leaf's own: the extensive form's dual divided by the leaf's
probability. Global attributes hold the figures of :mod:`twin.study.risk` (``stochastic = 1``).
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from twin.plan import Plan
from twin.report.cf import annotate
from twin.report.dataset import to_dataset
from twin.study.risk import PERCENTILES, Figures
from twin.study.tree import ScenarioTree

#: Variables the stochastic report adds, name -> (units, long_name).
STOCHASTIC_VARIABLES: dict[str, tuple[str, str]] = {
    "scenario_probability": ("1", "probability of the leaf"),
    "scenario_npv_musd": ("USD 1e6", "NPV of the plan in the leaf"),
    "scenario_npv_ws_musd": ("USD 1e6", "NPV of the leaf planned with perfect foresight"),
    "scenario_regret_musd": ("USD 1e6", "wait-and-see NPV minus the plan's NPV in the leaf"),
    "scenario_node": ("1", "node of the leaf's path at each stage"),
    "node_probability": ("1", "conditional probability of the node given its parent"),
    "decision_value": ("1", "here-and-now decision (MW, thousand chips, kwspm, ...)"),
    "node_decision_value": ("1", "decision tied at the node (NaN: another stage's)"),
}


def leaf_dataset(p: Plan, probability: float = 1.0) -> xr.Dataset:
    """One leaf's plan as a report, its duals divided by ``probability``.

    In the extensive form a leaf's rows carry the leaf probability times the leaf's own marginal
    values; pass the probability to undo it (1 for a leaf solved alone).
    """
    own = {}
    for con in p.model.component_data_objects(pyo.Constraint, active=True):
        y = p.result.duals.get(con)
        if y is not None:
            own[con] = y / probability
    return to_dataset(dataclasses.replace(p, result=dataclasses.replace(p.result, duals=own)))


def to_stochastic_dataset(
    leaves: dict[str, xr.Dataset],
    tree: ScenarioTree,
    figures: Figures,
    here_and_now: dict[str, float],
    engine: str,
    info: dict[str, Any] | None = None,
    node_decisions: dict[str, dict[str, float]] | None = None,
) -> xr.Dataset:
    """The stochastic report of the leaves' reports (:func:`leaf_dataset`; module docstring).

    ``here_and_now`` maps each stage-1 decision's label (``build[abilene, 2026-07-01]``, see
    :func:`twin.study.stochastic.decision_label`) to its value; ``node_decisions`` maps
    every non-leaf node to its tied decisions (stored on ``node x tied``, NaN where a decision
    belongs to another stage); ``info`` adds attributes (sizes, times, PH convergence).
    """
    t0 = time.perf_counter()
    names = [s.name for s in tree.scenarios]
    first = leaves[names[0]]
    first_attrs = dict(first.attrs)
    ds = xr.concat(
        [leaves[n].drop_attrs(deep=False) for n in names],
        dim=xr.DataArray(names, dims="scenario", name="scenario"),
        data_vars="all",
        coords="minimal",
        compat="override",
        join="outer",
    )
    ds = ds.assign(_tree_variables(tree, figures))
    keys = sorted(here_and_now)
    ds = ds.assign_coords(decision=np.array(keys, dtype=object))
    ds["decision_value"] = ("decision", np.array([here_and_now[k] for k in keys], dtype=float))
    if node_decisions:
        ds = _add_node_decisions(ds, node_decisions)
    for name, (units, long_name) in STOCHASTIC_VARIABLES.items():
        if name in ds:
            ds[name].attrs.update(units=units, long_name=long_name)
    ds.attrs.update(first_attrs)  # provenance, and the leaf's times unless info has the tree's
    n_leaf = len(tree.scenarios[0].overrides)  # the leaf's own overrides come last
    spec_overrides = json.loads(first_attrs.get("overrides", "[]"))
    ds.attrs["overrides"] = json.dumps(spec_overrides[: len(spec_overrides) - n_leaf])
    ds.attrs.update(_figure_attrs(tree, figures, engine))
    ds.attrs.update(info or {})
    ds.attrs["report_s"] = time.perf_counter() - t0
    return annotate(ds, action=f"stochastic solve ({engine}) of {ds.attrs.get('title', '')}")


def _add_node_decisions(ds: xr.Dataset, by_node: dict[str, dict[str, float]]) -> xr.Dataset:
    keys = sorted({k for vals in by_node.values() for k in vals})
    col = {k: i for i, k in enumerate(keys)}
    nodes = list(ds["node"].values)
    grid = np.full((len(nodes), len(keys)), np.nan)
    for n, vals in by_node.items():
        for k, v in vals.items():
            grid[nodes.index(n), col[k]] = v
    ds = ds.assign_coords(tied=np.array(keys, dtype=object))
    ds["node_decision_value"] = (("node", "tied"), grid)
    return ds


def _tree_variables(tree: ScenarioTree, f: Figures) -> dict[str, Any]:
    nodes = list(tree.nodes.values())
    path = np.array(
        [[s.nodes[k] for k in range(tree.n_stages)] for s in tree.scenarios], dtype=object
    )
    return {
        "scenario_probability": ("scenario", f.probability),
        "scenario_label": ("scenario", np.array([s.label for s in tree.scenarios], dtype=object)),
        "scenario_npv_musd": ("scenario", f.npv),
        "scenario_npv_ws_musd": ("scenario", f.npv_ws),
        "scenario_regret_musd": ("scenario", f.regret),
        "scenario_node": (("scenario", "stage"), path),
        "stage": ("stage", np.arange(1, tree.n_stages + 1)),
        "node": ("node", np.array([n.name for n in nodes], dtype=object)),
        "node_stage": ("node", np.array([n.stage for n in nodes])),
        "node_parent": ("node", np.array([n.parent or "" for n in nodes], dtype=object)),
        "node_date": ("node", np.array([n.date.isoformat() for n in nodes], dtype=object)),
        "node_probability": ("node", np.array([n.cond_prob for n in nodes])),
        "node_label": ("node", np.array([", ".join(n.labels) for n in nodes], dtype=object)),
    }


def _figure_attrs(tree: ScenarioTree, f: Figures, engine: str) -> dict[str, Any]:
    def num(x: float) -> float:
        return float(x) if math.isfinite(x) else float("nan")

    out: dict[str, Any] = {
        "stochastic": 1,
        "engine": engine,
        "n_scenarios": len(tree.scenarios),
        "n_stages": tree.n_stages,
        "stage_dates": json.dumps([t.isoformat() for t in tree.stage_dates]),
        "uncertain_inputs": json.dumps(list(tree.inputs)),
        "npv_musd": num(f.expected_npv),
        "expected_npv_musd": num(f.expected_npv),
        "objective_musd": num(f.objective),
        "cvar_level": f.risk.level,
        "cvar_weight": f.risk.weight,
        "npv_floor_musd": num(f.risk.floor) if f.risk.floor is not None else float("nan"),
        "cvar_musd": num(f.cvar),
        "ws_musd": num(f.ws),
        "evpi_musd": num(f.evpi),
        "ev_npv_musd": num(f.ev_npv),
        "eev_musd": num(f.eev),
        "vss_musd": num(f.vss),
        # 0: RP not proven optimal (time limit) or PH above its gap; EVPI and VSS then NaN
        "optimal": int(f.optimal),
        "converged": int(f.optimal),
    }
    for key, text in f.notes.items():
        out[f"note_{key}"] = text  # why a figure is missing (WS, EEV, RP)
    for q in PERCENTILES:
        out[f"npv_p{q}_musd"] = num(f.percentiles.get(q, math.nan))
    out.update({f"{k}": float(v) for k, v in f.times.items()})
    return out
