"""A few enumerated futures solved together: decisions before the information arrives are shared.

A small two-stage extensive form built from the public plan API, for enumerated deterministic
futures ``f`` with probabilities ``pi_f`` (scenario trees from the model file's ``uncertainty:``
section, on mpi-sppy, are the stochastic study's). Each future is one planning model (a Pyomo
block); the objective is ``max sum_f pi_f NPV_f``. Information arrives at the start of period
``known_from``: every decision of a period before it (builds, chip orders and installs,
allocations, power, fab and launch decisions, and lease decisions whose notice date or offer
start falls in such a period, :func:`twin.plan.leases.lease_decision_vars`) takes one value in
all futures (non-anticipativity: ``x_f = x_0``). The futures must share their index sets (differ
in numbers, not in names).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyomo.environ as pyo

from twin.plan import PlanData, build_model, plan_data
from twin.plan.leases import lease_decision_vars
from twin.plan.solve import SolveResult, solve
from twin.spec import load_dict
from twin.spec.spec import Spec

LEASE_VARS = ("lease_keep", "offer_take")


@dataclass
class Futures:
    """The solved extensive form: expected NPV, each future's NPV, and the blocks."""

    expected_npv: float
    npv: list[float]
    probabilities: list[float]
    model: pyo.ConcreteModel
    result: SolveResult


def future_spec(spec: Spec, sets: Sequence[tuple[str, object]]) -> Spec:
    """``spec`` with the dotted-path ``sets`` applied (as ``--set``), validated again."""
    data = spec.model.model_dump(mode="python")
    return load_dict(data, name=str(spec.path), overrides=list(sets))


def _shared(
    m: pyo.ConcreteModel, d: PlanData, known_from: int, leases_known_from: int
) -> list[pyo.Var]:
    """Variables of ``m`` decided before period ``known_from`` (``leases_known_from`` for the
    lease decisions)."""
    out = [v for v, p in lease_decision_vars(m, d) if p < leases_known_from]
    for var in m.component_objects(pyo.Var, active=True):
        if var.local_name in LEASE_VARS or var.local_name == "slack":
            continue
        for idx, v in var.items():
            p = idx[-1] if isinstance(idx, tuple) else idx
            if isinstance(p, int) and p < known_from:
                out.append(v)
    return out


def solve_futures(
    specs: Sequence[Spec],
    probabilities: Sequence[float],
    known_from: int,
    fix: Callable[[pyo.ConcreteModel, PlanData], None] | None = None,
    leases_known_from: int | None = None,
) -> Futures:
    """Solve the futures ``specs`` together (module docstring); return the expected NPV.

    ``fix(m, d)``, if given, is called on each future's model before the solve, e.g. to fix the
    lease decisions of a strategy (lease to the end, give notice now). ``leases_known_from``
    (default ``known_from``) moves the information date of the lease decisions alone: with the
    horizon's length, the lease is committed now for good while everything else still waits.
    """
    if abs(sum(probabilities) - 1) > 1e-9 or len(specs) != len(probabilities):
        raise ValueError("expected one probability per future, summing to 1")
    top = pyo.ConcreteModel(name="futures")
    blocks = []
    for i, spec in enumerate(specs):
        d = plan_data(spec)
        m = build_model(d)
        m.npv.deactivate()
        if fix is not None:
            fix(m, d)
        top.add_component(f"future_{i}", m)
        blocks.append(m)
        if i == 0:
            lk = known_from if leases_known_from is None else leases_known_from
            first = _shared(m, d, known_from, lk)
    pairs = []
    for m in blocks[1:]:
        for v in first:
            other = m.component(v.parent_component().local_name)[v.index()]
            pairs.append((v, other))
    top.nonanticipative = pyo.Constraint(
        range(len(pairs)), rule=lambda _, i: pairs[i][1] - pairs[i][0] == 0
    )
    top.expected_npv = pyo.Objective(
        expr=sum(pi * m.npv.expr for pi, m in zip(probabilities, blocks, strict=True)),
        sense=pyo.maximize,
    )
    result = solve(top, specs[0].model.solver)
    if not result.feasible:
        raise RuntimeError(f"the futures' extensive form ended '{result.status}'")
    return Futures(
        expected_npv=result.objective,
        npv=[float(pyo.value(m.npv.expr)) for m in blocks],
        probabilities=list(probabilities),
        model=top,
        result=result,
    )
