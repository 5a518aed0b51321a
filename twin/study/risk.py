"""Risk and the value of information: expected NPV, CVaR, regret, EVPI and VSS of a tree.

With leaf probabilities ``p_s`` and the risk measure ``rho(v) = E[v] + lambda CVaR_alpha(v)``
(:mod:`twin.study.cvar`; ``lambda = 0`` is risk neutral), for a maximisation:

- RP, the recourse problem: the optimum of the stochastic program (extensive form), with leaf
  NPVs ``v_s^RP``; its objective is ``rho(v^RP)``.
- WS, wait and see: every leaf planned alone with perfect foresight, NPV ``v_s^WS``; the WS value
  is ``rho(v^WS)``. No plan does better in any leaf, so ``WS >= RP``.
- EVPI = WS - RP >= 0: what knowing the future before deciding would be worth.
- EV, the mean-value problem: one plan with every uncertain input at its mean over the leaves.
  EEV: the stochastic program with the stage-1 (here-and-now) decisions fixed to EV's.
- VSS = RP - EEV >= 0: what planning for the spread rather than the mean is worth.
- Regret of leaf s: ``v_s^WS - v_s^RP >= 0``, what the here-and-now plan costs there in hindsight.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from twin.plan import PlanFailed, plan
from twin.spec.spec import Spec
from twin.study.cvar import RiskTerms, cvar
from twin.study.stochastic import (
    STAGE_VARIABLES,
    ExtensiveForm,
    StageProvider,
    scenario_spec,
    solve_extensive_form,
    stage_keys,
)
from twin.study.tree import ScenarioTree, tree_of

#: Percentiles of the NPV distribution that reports print [%].
PERCENTILES = (5, 25, 50, 75, 95)


def quantile(values: np.ndarray, probs: np.ndarray, q: float) -> float:
    """The ``q``-quantile of a discrete distribution: the least v with ``P(V <= v) >= q``."""
    order = np.argsort(values, kind="stable")
    v, p = np.asarray(values, float)[order], np.asarray(probs, float)[order]
    cum = np.cumsum(p) / p.sum()
    return float(v[min(int(np.searchsorted(cum, q - 1e-12)), len(v) - 1)])


def risk_value(npv: np.ndarray, probs: np.ndarray, risk: RiskTerms) -> float:
    """``E[v] + lambda CVaR_alpha(v)`` of a leaf NPV vector [$M]."""
    mean = float(np.dot(probs, npv) / np.sum(probs))
    return mean + (risk.weight * cvar(npv, probs, risk.level) if risk.weight else 0.0)


@dataclass
class Figures:
    """The stochastic plan's figures, all in $M (leaf arrays in tree order)."""

    probability: np.ndarray
    npv: np.ndarray
    npv_ws: np.ndarray
    risk: RiskTerms
    objective: float
    expected_npv: float
    cvar: float
    ws: float
    ev_npv: float = math.nan
    eev: float = math.nan
    percentiles: dict[int, float] = field(default_factory=dict)
    times: dict[str, float] = field(default_factory=dict)

    @property
    def regret(self) -> np.ndarray:
        """Per leaf, wait-and-see NPV minus the plan's NPV (>= 0) [$M]."""
        return self.npv_ws - self.npv

    @property
    def evpi(self) -> float:
        """Expected value of perfect information, WS - RP (>= 0) [$M]."""
        return self.ws - self.objective

    @property
    def vss(self) -> float:
        """Value of the stochastic solution, RP - EEV (>= 0; NaN if EEV is infeasible) [$M]."""
        return self.objective - self.eev


def wait_and_see(spec: Spec, tree: ScenarioTree) -> np.ndarray:
    """Each leaf's NPV planned alone with its inputs known from the start [$M]."""
    return np.array(
        [plan(scenario_spec(spec, s.overrides)).result.objective for s in tree.scenarios]
    )


def mean_value_decisions(
    spec: Spec, tree: ScenarioTree, stage_vars: tuple[StageProvider, ...] = STAGE_VARIABLES
) -> tuple[float, dict[tuple[str, Any], float]]:
    """The mean-value plan's NPV and its stage-1 decisions (``(component, index) -> value``)."""
    p = plan(scenario_spec(spec, tree.mean_values()))
    keys = stage_keys(p.model, p.data, tree, stage_vars).get(1, [])
    return p.result.objective, {
        (c, i): float(p.model.component(c)[i].value or 0.0) for c, i in keys
    }


def analyse(
    spec: Spec,
    tree: ScenarioTree | None = None,
    risk: RiskTerms | None = None,
    stage_vars: tuple[StageProvider, ...] = STAGE_VARIABLES,
    value_of_information: bool = True,
) -> tuple[ExtensiveForm, Figures]:
    """Solve the recourse problem and, with ``value_of_information``, WS, EV and EEV.

    Returns the solved extensive form and the :class:`Figures` (EVPI, VSS, regret are NaN when
    ``value_of_information`` is off).
    """
    tree = tree or tree_of(spec)
    if risk is None:
        unc = spec.model.uncertainty
        risk = RiskTerms.of(unc.risk if unc is not None else None)
    rp = solve_extensive_form(spec, tree, risk, stage_vars)
    probs = np.array([s.probability for s in tree.scenarios])
    npv_map = rp.npv()
    npv = np.array([npv_map[s.name] for s in tree.scenarios])
    figs = Figures(
        probability=probs,
        npv=npv,
        npv_ws=np.full_like(npv, np.nan),
        risk=risk,
        objective=float(rp.result.objective),
        expected_npv=float(np.dot(probs, npv)),
        cvar=cvar(npv, probs, risk.level),
        ws=math.nan,
        percentiles={q: quantile(npv, probs, q / 100) for q in PERCENTILES},
        times={"rp_s": sum(rp.times.values())},
    )
    if not value_of_information:
        return rp, figs
    t0 = time.perf_counter()
    figs.npv_ws = wait_and_see(spec, tree)
    figs.ws = risk_value(figs.npv_ws, probs, risk)
    t1 = time.perf_counter()
    try:
        figs.ev_npv, fixed = mean_value_decisions(spec, tree, stage_vars)
        figs.eev = solve_extensive_form(spec, tree, risk, stage_vars, fix=fixed).result.objective
    except PlanFailed:
        figs.eev = -math.inf  # the mean-value plan is infeasible in some leaf: VSS unbounded
    figs.times.update(ws_s=t1 - t0, vss_s=time.perf_counter() - t1)
    return rp, figs


def value_of_clause(
    spec: Spec,
    without: list[tuple[str, Any]],
    tree: ScenarioTree | None = None,
    risk: RiskTerms | None = None,
    stage_vars: tuple[StageProvider, ...] = STAGE_VARIABLES,
) -> tuple[float, float]:
    """The value of a contract clause or any option: ``RP(with) - RP(without)`` [$M].

    ``without`` are the overrides that remove it (e.g. a lease's notice period set to its term
    for "no cancellation", or renewal switched off). Both programs share the tree of ``spec``.
    Returns ``(value, RP without)``; the value is >= 0 when removing the clause only takes
    choices away.
    """
    tree = tree or tree_of(spec)
    with_clause = solve_extensive_form(spec, tree, risk, stage_vars).result.objective
    bare = scenario_spec(spec, without)
    without_clause = solve_extensive_form(bare, tree, risk, stage_vars).result.objective
    return with_clause - without_clause, without_clause
