"""How a solve ended, the same for every route to a solver (:mod:`twin.plan.solve`,
:mod:`twin.plan.other_solvers`): status, objective, gap, duals by row, timings."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from pyomo.core.base.constraint import ConstraintData


class SolveStatus(enum.Enum):
    """How a solve ended, the same for both hand-offs (HiGHS model status or Pyomo's
    termination condition mapped onto it)."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    LIMIT = "limit"  # a time, iteration or objective limit stopped it
    INTERRUPTED = "interrupted"
    ERROR = "error"

    @classmethod
    def from_highs(cls, status: str) -> SolveStatus:
        """From HiGHS's model status string (``Highs.modelStatusToString``)."""
        s = status.lower()
        if s in ("optimal", "empty"):
            return cls.OPTIMAL
        if "infeasible" in s:
            return cls.INFEASIBLE
        if "unbounded" in s:
            return cls.UNBOUNDED
        if "limit" in s or "objective reached" in s:
            return cls.LIMIT
        if "interrupt" in s:
            return cls.INTERRUPTED
        return cls.ERROR

    @classmethod
    def from_pyomo(cls, condition: str) -> SolveStatus:
        """From the name of a ``pyomo.contrib.solver`` ``TerminationCondition``."""
        c = condition.lower()
        if c == "convergencecriteriasatisfied":
            return cls.OPTIMAL
        if "infeasible" in c:
            return cls.INFEASIBLE
        if "unbounded" in c:
            return cls.UNBOUNDED
        if "limit" in c:
            return cls.LIMIT
        if "interrupt" in c:
            return cls.INTERRUPTED
        return cls.ERROR


@dataclass
class SolveResult:
    """Outcome of one HiGHS solve: status, objective, gap, duals by row, and timings [s]."""

    kind: SolveStatus
    status: str
    optimal: bool
    feasible: bool
    objective: float
    bound: float
    gap: float
    is_mip: bool
    duals: dict[ConstraintData, float] = field(default_factory=dict)
    #: values of the named expressions the LP read (shared sums, cash flows) by ``id`` of the
    #: expression data; empty when the hand-off does not provide them (use ``pyo.value``)
    expressions: dict[int, float] = field(default_factory=dict)
    times: dict[str, float] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: which solver and hand-off produced it, as the report's ``solver`` attribute states it
    route: str = "HiGHS"
    #: the matrix hand-off's live HiGHS model of an LP (:class:`twin.plan.solve.MatrixSession`),
    #: kept only when asked (``solve(..., keep=True)``) for a warm re-solve; the caller drops it
    session: object = field(default=None, repr=False, compare=False)
