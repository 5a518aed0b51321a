"""Conditional value at risk of NPV: the measure, and its linear form in a stochastic program.

For NPV outcomes ``v_s`` with probabilities ``p_s``, the CVaR at level ``alpha`` is the mean of
the worst ``1 - alpha`` of the probability mass (Rockafellar and Uryasev 2000, for a reward):

    CVaR_alpha(v) = max_eta { eta - 1/(1-alpha) sum_s p_s max(0, eta - v_s) }

and the maximising ``eta`` is the alpha-quantile from below (the value at risk). In the
stochastic program ``eta`` is a here-and-now variable and ``u_s >= eta - NPV_s, u_s >= 0`` a
shortfall per leaf, so that the leaf objective ``NPV_s + lambda (eta - u_s/(1-alpha))`` sums to
``E[NPV] + lambda CVaR``; a floor is the row ``eta - sum_s p_s u_s/(1-alpha) >= F``.
As ``alpha -> 1`` the CVaR tends to the worst leaf's NPV; at ``alpha = 0`` it is the mean.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo

from twin.spec.uncertainty import Risk


@dataclass(frozen=True)
class RiskTerms:
    """The risk measure of the objective: level alpha, weight lambda, optional floor F [$M]."""

    level: float = 0.95
    weight: float = 0.0
    floor: float | None = None

    @property
    def active(self) -> bool:
        """Whether the program carries CVaR variables (a weight or a floor)."""
        return self.weight > 0 or self.floor is not None

    @classmethod
    def of(cls, risk: Risk | None) -> RiskTerms:
        """From the model file's ``uncertainty.risk`` (default: risk neutral)."""
        if risk is None:
            return cls()
        return cls(risk.cvar_level, risk.cvar_weight, risk.npv_floor_musd)


def cvar(values: np.ndarray, probs: np.ndarray, level: float) -> float:
    """CVaR at ``level`` of a discrete reward distribution: the mean of its worst 1-level mass.

    Sort ascending and take mass ``1 - level`` from the bottom, the last outcome in part. At
    ``level = 0`` it is the mean; as ``level -> 1`` it is the smallest value.
    """
    v = np.asarray(values, dtype=float)
    p = np.asarray(probs, dtype=float)
    order = np.argsort(v, kind="stable")
    v, p = v[order], p[order] / p.sum()
    tail = 1.0 - level
    if tail <= 0:
        return float(v[0])
    before = np.concatenate([[0.0], np.cumsum(p)[:-1]])
    take = np.clip(tail - before, 0.0, p)
    return float(np.dot(take, v) / tail)


def add_risk_terms(m: pyo.ConcreteModel, npv: object, risk: RiskTerms) -> None:
    """Add block ``m.risk``: ``npv`` expression, CVaR variables if active, and the objective.

    ``m.risk.objective`` maximises ``m.risk.leaf_value``, ``NPV + lambda (eta - u/(1-alpha))``
    (just NPV if inactive) [$M]; progressive hedging adds its terms to the objective, never to
    ``leaf_value``, which stays the leaf's own (:mod:`twin.study.leaf_highs`).
    """
    m.risk = pyo.Block()
    b = m.risk
    b.npv = pyo.Expression(expr=npv)
    if not risk.active:
        b.leaf_value = pyo.Expression(expr=b.npv)
        b.objective = pyo.Objective(expr=b.leaf_value, sense=pyo.maximize)
        return
    b.eta = pyo.Var(within=pyo.Reals)
    b.shortfall = pyo.Var(within=pyo.NonNegativeReals)
    b.shortfall_row = pyo.Constraint(expr=b.shortfall >= b.eta - b.npv)
    b.cvar_term = pyo.Expression(expr=b.eta - b.shortfall / (1.0 - risk.level))
    b.leaf_value = pyo.Expression(expr=b.npv + risk.weight * b.cvar_term)
    b.objective = pyo.Objective(expr=b.leaf_value, sense=pyo.maximize)


def add_cvar_floor(
    ef: pyo.ConcreteModel, leaves: dict[str, tuple[float, pyo.Block]], risk: RiskTerms
) -> None:
    """The row ``sum_s p_s (eta_s - u_s/(1-alpha)) >= F`` over the extensive form's leaves.

    ``eta`` is tied at the root, so the left side is the CVaR of the plan's NPV distribution.
    """
    ef.cvar_floor = pyo.Constraint(
        expr=sum(p * blk.risk.cvar_term for p, blk in leaves.values()) >= risk.floor
    )
