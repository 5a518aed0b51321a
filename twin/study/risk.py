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

from twin.plan import Plan, PlanFailed, plan
from twin.plan.reading import decision_values
from twin.plan.solve import SolveResult
from twin.progress import phase
from twin.spec.spec import Spec
from twin.study.cvar import RiskTerms, cvar
from twin.study.information import (
    Revelation,
    known_dates,
    revelations,
    timed_data,
)
from twin.study.stochastic import (
    STAGE_VARIABLES,
    ExtensiveForm,
    LeafFix,
    StageProvider,
    solve_extensive_form,
    stage_keys,
)
from twin.study.tree import ScenarioTree, tree_of


class StudyFailed(PlanFailed):
    """A solve inside a study (a WS leaf, the EV plan, the EEV) ended infeasible or not optimal;
    ``what`` names it and ``result`` is the solve when there was a feasible point."""

    def __init__(self, what: str, message: str, result: SolveResult | None = None) -> None:
        super().__init__(message)
        self.what = what
        self.result = result


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
    #: whether RP is proven optimal (PH: converged to its gap); if not, EVPI and VSS are NaN
    optimal: bool = True
    #: why a figure is missing or unbounded, by figure (``"ws"``, ``"eev"``, ``"rp"``)
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def regret(self) -> np.ndarray:
        """Per leaf, wait-and-see NPV minus the plan's NPV (>= 0) [$M]."""
        return self.npv_ws - self.npv

    @property
    def evpi(self) -> float:
        """Expected value of perfect information, WS - RP (>= 0; NaN unless RP is optimal) [$M]."""
        return self.ws - self.objective if self.optimal else math.nan

    @property
    def vss(self) -> float:
        """Value of the stochastic solution, RP - EEV (>= 0; +inf if EEV is infeasible, NaN
        unless RP is optimal) [$M]."""
        return self.objective - self.eev if self.optimal else math.nan


def leaf_plan(spec: Spec, revealed: list[Revelation], what: str) -> Plan:
    """The plan of one future (its inputs in their time) solved alone, checked optimal.

    Raises :class:`StudyFailed` naming ``what`` when it is infeasible or not proven optimal.
    """
    s_spec, d = timed_data(spec, revealed)
    try:
        p = plan(s_spec, data=d, exact=True)
    except PlanFailed as e:
        raise StudyFailed(what, f"{what} has no feasible plan: {e}") from e
    if not p.result.optimal:
        raise StudyFailed(
            what, f"{what} is not proven optimal (HiGHS status '{p.result.status}')", p.result
        )
    return p


def wait_and_see(spec: Spec, tree: ScenarioTree) -> np.ndarray:
    """Each leaf's NPV planned alone, its future known from the start [$M]: the same data as
    the leaf of the tree (inputs in force from their known dates), only foreseen."""
    n, out = len(tree.scenarios), []
    for k, s in enumerate(tree.scenarios, 1):
        with phase(f"wait-and-see {k}/{n}"):
            p = leaf_plan(spec, revelations(tree, s.name), f"leaf {s.name} ({s.label})")
        out.append(p.result.objective)
    return np.array(out)


def mean_value_decisions(
    spec: Spec, tree: ScenarioTree, stage_vars: tuple[StageProvider, ...] = STAGE_VARIABLES
) -> tuple[float, dict[tuple[str, Any], float]]:
    """The mean-value plan's NPV and its stage-1 decisions (``(component, index) -> value``);
    the means take effect at their inputs' known dates, as every leaf's outcome does."""
    known = known_dates(tree)
    means = [(path, v, known[path]) for path, v in tree.mean_values()]
    with phase("EV (mean-value plan)"):
        p = leaf_plan(spec, means, "the mean-value plan (EV)")
    keys = stage_keys(p.model, p.data, tree, stage_vars).get(1, [])
    return p.result.objective, decision_values(p.model, keys, unset=0.0)


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
    with phase(f"extensive form ({len(tree.scenarios)} leaves)"):
        rp = solve_extensive_form(spec, tree, risk, stage_vars)
    optimal = bool(rp.result.optimal)
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
        optimal=optimal,
    )
    if not optimal:
        figs.notes["rp"] = (
            f"the extensive form is not proven optimal (HiGHS status '{rp.result.status}', "
            f"MIP gap {rp.result.gap:.2%}): EVPI and VSS are not computed"
        )
    if not value_of_information:
        figs.notes["ws"] = "EVPI and VSS not computed: uncertainty.value_of_information is false"
    if not value_of_information or not optimal:
        return rp, figs
    t0 = time.perf_counter()
    try:
        figs.npv_ws = wait_and_see(spec, tree)
        figs.ws = risk_value(figs.npv_ws, probs, risk)
    except StudyFailed as e:
        figs.notes["ws"] = f"WS not computed: {e}"
    t1 = time.perf_counter()
    figs.ev_npv, figs.eev = expected_value_of_ev(spec, tree, risk, stage_vars, figs.notes)
    figs.times.update(ws_s=t1 - t0, vss_s=time.perf_counter() - t1)
    return rp, figs


def expected_value_of_ev(
    spec: Spec,
    tree: ScenarioTree,
    risk: RiskTerms,
    stage_vars: tuple[StageProvider, ...],
    notes: dict[str, str],
) -> tuple[float, float]:
    """EV's NPV and the EEV: the tree solved with EV's here-and-now decisions fixed [$M].

    EEV is ``-inf`` when those decisions leave some leaf without a feasible plan (VSS
    unbounded); NaN when EV or EEV is not solved to optimality. ``notes["eev"]`` says why.
    """
    try:
        ev_npv, fixed = mean_value_decisions(spec, tree, stage_vars)
    except StudyFailed as e:
        notes["eev"] = f"EEV not computed: {e}"
        return math.nan, math.nan
    try:
        with phase("EEV (mean-value decisions fixed)"):
            eev = solve_extensive_form(spec, tree, risk, stage_vars, fix=fixed)
    except PlanFailed:
        notes["eev"] = (
            "EEV = -inf: with the mean-value plan's here-and-now decisions fixed, some leaf "
            "has no feasible plan (the mean plan is not implementable: VSS unbounded)"
        )
        return ev_npv, -math.inf
    if not eev.result.optimal:
        notes["eev"] = f"EEV not computed: its solve is not optimal ('{eev.result.status}')"
        return ev_npv, math.nan
    return ev_npv, float(eev.result.objective)


def expected_npv(
    spec: Spec,
    tree: ScenarioTree | None = None,
    stage_vars: tuple[StageProvider, ...] = STAGE_VARIABLES,
    leaf_fix: LeafFix | None = None,
) -> float:
    """twin's one optimal-NPV solve [$M]: the optimum of the stochastic program of ``spec`` over
    ``tree`` (default: the tree of its ``uncertainty:`` section;
    :func:`twin.study.tree.futures_tree` for a few enumerated futures), the expected NPV plus the
    CVaR term if any; for a spec with neither, one future: its plan's NPV. The solve
    :func:`twin.study.clauses.clause_value` prices a clause with."""
    if tree is None and spec.model.uncertainty is None:
        if leaf_fix is not None:
            raise ValueError("leaf_fix fixes a strategy in the leaves of a tree; give the tree")
        return float(plan(spec, exact=True).result.objective)
    ef = solve_extensive_form(spec, tree or tree_of(spec), stage_vars=stage_vars, leaf_fix=leaf_fix)
    return float(ef.result.objective)
