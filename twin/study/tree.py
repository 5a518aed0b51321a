"""Scenario trees from the ``uncertainty:`` section: stages by the dates inputs become known.

The distinct ``known`` dates ``tau_1 < ... < tau_{T-1}`` split the horizon into T stages: stage 1
is everything decided before ``tau_1`` (here and now), stage k+1 what is decided after ``tau_k``
and before ``tau_{k+1}``. At ``tau_k`` the inputs known on that date are revealed: every node of
stage k has one child per joint outcome of those inputs, and its conditional probability is the
product of the inputs' probabilities (inputs are independent).

- ``enumerate``: every combination; a distribution is discretized into ``points``
  equal-probability quantiles (:meth:`twin.spec.uncertainty.Marginal.discretize`).
- ``sample``: every node has ``samples`` children, each a joint draw of that stage's inputs with
  probability ``1/samples``; draws come from one ``numpy`` generator seeded with ``seed``, node by
  node in breadth-first order, so the same seed gives the same tree.

Node names follow mpi-sppy: ``ROOT``, ``ROOT_0``, ``ROOT_0_2``; the leaves are the scenarios
``scen0..scen{N-1}``, numbered depth-first.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from twin.spec.spec import Spec
from twin.spec.uncertainty import Marginal, Uncertainty, marginals

Assignment = tuple[str, Any]
"""A dotted path and the value it takes (an override as ``--set`` gives it)."""


@dataclass(frozen=True)
class Node:
    """A node of the tree: the inputs revealed on entering it and its conditional probability.

    ``stage`` is 1 for the root; ``revealed`` holds the (path, value) pairs learnt at ``date``
    (the stage's start; the horizon start for the root); ``labels`` name the outcomes.
    """

    name: str
    stage: int
    date: dt.date
    cond_prob: float
    parent: str | None
    revealed: tuple[Assignment, ...] = ()
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    """A leaf: its probability, the nodes from the root (leaf included) and all its overrides."""

    name: str
    probability: float
    nodes: tuple[str, ...]
    overrides: tuple[Assignment, ...]
    label: str


@dataclass(frozen=True)
class ScenarioTree:
    """A scenario tree: stage dates, nodes by name (leaves included) and the scenarios."""

    stage_dates: tuple[dt.date, ...]
    nodes: dict[str, Node]
    scenarios: tuple[Scenario, ...]
    inputs: tuple[str, ...]

    @property
    def n_stages(self) -> int:
        """Number of stages T (one more than the number of revelation dates)."""
        return len(self.stage_dates) + 1

    @property
    def branching(self) -> tuple[int, ...]:
        """Children per node at each non-leaf stage (the tree is balanced by construction)."""
        out = []
        for k in range(1, self.n_stages):
            node = next(n for n in self.nodes.values() if n.stage == k)
            out.append(sum(1 for c in self.nodes.values() if c.parent == node.name))
        return tuple(out)

    def stage_of(self, when: dt.date) -> int:
        """Stage of a decision taken on ``when``: 1 + the number of revelation dates <= ``when``."""
        return 1 + sum(1 for t in self.stage_dates if t <= when)

    def nonleaf_nodes(self) -> list[Node]:
        """Nodes that carry non-anticipative decisions (stages 1..T-1)."""
        return [n for n in self.nodes.values() if n.stage < self.n_stages]

    def leaves_under(self, node: str) -> list[Scenario]:
        """The scenarios that pass through ``node``."""
        return [s for s in self.scenarios if node in s.nodes]

    def mean_values(self) -> tuple[Assignment, ...]:
        """The probability-weighted mean of every uncertain path over the leaves.

        Numbers average (an integer field's mean is rounded to the nearest integer); other values
        (booleans, text) take the most probable value. Used for the mean-value problem (VSS).
        """
        by_path: dict[str, dict[Any, float]] = {}
        for s in self.scenarios:
            for path, value in s.overrides:
                key = value if not isinstance(value, list) else tuple(value)
                acc = by_path.setdefault(path, {})
                acc[key] = acc.get(key, 0.0) + s.probability
        out = []
        for path, law in by_path.items():
            values = list(law)
            numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
            if numeric:
                mean = sum(v * p for v, p in law.items())
                if all(isinstance(v, int) for v in values):
                    # int(): under numpy < 2 round() of an np.float64 probability sum is a float
                    mean = int(round(mean))  # noqa: RUF046
                out.append((path, mean))
            else:
                best = max(law.items(), key=lambda vp: vp[1])[0]
                out.append((path, list(best) if isinstance(best, tuple) else best))
        return tuple(out)


def _branches(
    stage_inputs: list[Marginal], options: Any, rng: np.random.Generator
) -> list[tuple[float, tuple[Assignment, ...], tuple[str, ...]]]:
    """Children of one node: (conditional probability, assignments, labels)."""
    if options.method == "sample":
        draws = [m.sample(options.samples, rng) for m in stage_inputs]
        out = []
        for i in range(options.samples):
            picks = [d[i] for d in draws]
            assigned = tuple((m.path, v) for m, (_, v, _) in zip(stage_inputs, picks, strict=True))
            labels = tuple(
                f"{m.name}={lab}" for m, (lab, _, _) in zip(stage_inputs, picks, strict=True)
            )
            out.append((1.0 / options.samples, assigned, labels))
        return out
    grids = [m.discretize(options.points) for m in stage_inputs]
    out = []
    for combo in itertools.product(*grids):
        prob = math.prod(p for _, _, p in combo)
        assigned = tuple((m.path, v) for m, (_, v, _) in zip(stage_inputs, combo, strict=True))
        labels = tuple(
            f"{m.name}={lab}" for m, (lab, _, _) in zip(stage_inputs, combo, strict=True)
        )
        out.append((prob, assigned, labels))
    return out


def build_tree(section: Uncertainty, start: dt.date) -> ScenarioTree:
    """The scenario tree of ``section`` for a horizon starting on ``start`` (module docstring)."""
    laws = marginals(section)
    dates = sorted({m.known for m in laws.values()})
    by_date = {t: [m for m in laws.values() if m.known == t] for t in dates}
    rng = np.random.default_rng(section.tree.seed)
    nodes = {"ROOT": Node("ROOT", 1, start, 1.0, None)}
    frontier = ["ROOT"]
    for k, t in enumerate(dates, start=2):
        nxt = []
        for parent in frontier:
            for i, (prob, assigned, labels) in enumerate(_branches(by_date[t], section.tree, rng)):
                name = f"{parent}_{i}"
                nodes[name] = Node(name, k, t, prob, parent, assigned, labels)
                nxt.append(name)
        frontier = nxt
    scenarios = []
    for i, leaf in enumerate(frontier):
        path = _path_to(nodes, leaf)
        prob = math.prod(nodes[n].cond_prob for n in path)
        overrides = tuple(a for n in path for a in nodes[n].revealed)
        label = ", ".join(lab for n in path for lab in nodes[n].labels)
        scenarios.append(Scenario(f"scen{i}", prob, path, overrides, label))
    return ScenarioTree(tuple(dates), nodes, tuple(scenarios), tuple(laws))


def _path_to(nodes: dict[str, Node], leaf: str) -> tuple[str, ...]:
    path = [leaf]
    while nodes[path[-1]].parent is not None:
        path.append(nodes[path[-1]].parent)  # type: ignore[arg-type]
    return tuple(reversed(path))


def tree_of(spec: Spec) -> ScenarioTree:
    """The scenario tree of a spec's uncertainty section (``ValueError`` if it has none)."""
    section = spec.model.uncertainty
    if section is None:
        raise ValueError(f"{spec.path}: the model has no uncertainty section")
    return build_tree(section, spec.model.horizon.start)


Future = tuple[float, tuple[Assignment, ...], str]
"""An enumerated future: its probability, the overrides it makes, and its label."""


def futures_tree(start: dt.date, known: dt.date, futures: list[Future]) -> ScenarioTree:
    """The two-stage tree of a few enumerated futures, all learnt on ``known``.

    The root (stage 1, from ``start``) has one child per future ``(p_f, overrides_f, label_f)``
    with conditional probability ``p_f`` (summing to 1); a future's overrides may set several
    paths together (joint outcomes, which the ``uncertainty:`` section's independent inputs
    cannot express). The stochastic program solves it as any tree (:mod:`twin.study.stochastic`):
    each override in force from ``known`` (:mod:`twin.study.information`), the decisions and the
    operations of the periods before it tied across the futures.
    """
    if not futures:
        raise ValueError("expected at least one future")
    if abs(sum(p for p, _, _ in futures) - 1) > 1e-9:
        raise ValueError("expected one probability per future, summing to 1")
    if not start < known:
        raise ValueError(f"expected the news ({known}) after the horizon's start ({start})")
    nodes = {"ROOT": Node("ROOT", 1, start, 1.0, None)}
    scenarios = []
    for i, (prob, assigned, label) in enumerate(futures):
        name = f"ROOT_{i}"
        nodes[name] = Node(name, 2, known, prob, "ROOT", tuple(assigned), (label,))
        scenarios.append(Scenario(f"scen{i}", prob, ("ROOT", name), tuple(assigned), label))
    paths = tuple(dict.fromkeys(p for _, assigned, _ in futures for p, _ in assigned))
    return ScenarioTree((known,), nodes, tuple(scenarios), paths)
