"""The quantity record and its enums (:mod:`twin.plan.quantities` holds the registry)."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.Enum):
    """What a quantity is in the plan."""

    INVESTMENT = "investment"  # a build or purchase, tied by stage in a stochastic program
    DECISION = "decision"  # a contract choice (keep a lease, take an offer), tied by stage
    OPERATION = "operation"  # how the plant runs in a period: recourse in a stochastic program
    SLACK = "slack"  # an elastic row's slack (phase-one models only): recourse
    PARAMETER = "parameter"  # an input the report repeats (demand, limits, prices)
    DUAL = "dual"  # a marginal value: a row's dual, undiscounted
    DERIVED = "derived"  # a figure computed from solved values (cash flows, unit costs)


class Agg(enum.Enum):
    """How a quantity combines over an index it is summarised across."""

    SUM = "sum"  # extensive: MW, chips, H100e, $M, t
    MEAN = "mean"  # intensive: prices, marginal values, shares, unit costs
    MAX = "max"  # intensive limits and capacities of a kind: the largest one


class Flow(enum.Enum):
    """The sign of a cash flow in the net: ``net = sum(IN) - sum(OUT)``."""

    IN = "in"
    OUT = "out"


@dataclass(frozen=True)
class Quantity:
    """A reported quantity.

    ``name`` is the report's data variable; ``dims`` its index dimensions in order; ``unit`` the
    domain units string of :mod:`twin.units` (CF ``units`` follow from it); ``variables`` the Pyomo
    variables it is made of (they decide the stage lists); ``component`` a Pyomo component the
    report reads generically (a ``Var`` or ``Expression`` indexed by ``dims``; None: read by
    :mod:`twin.plan.results`); ``scale`` multiplies the component's values into ``unit``;
    ``dual`` what the marginal value means, for a DUAL; ``flow`` the sign in the net cash, for a
    cash flow; ``reported`` False for a model quantity with no report variable (the slacks).
    """

    name: str
    dims: tuple[str, ...]
    unit: str
    long_name: str
    role: Role
    aggregate: Agg
    variables: tuple[str, ...] = ()
    component: str | None = None
    scale: float = 1.0
    dual: str = ""
    flow: Flow | None = None
    reported: bool = True

    def __post_init__(self) -> None:
        if self.role is Role.DUAL and not self.dual:
            raise ValueError(f"quantity {self.name!r}: a dual must say what it means")
        if self.aggregate is Agg.SUM and self.role is Role.DUAL:
            raise ValueError(f"quantity {self.name!r}: a marginal value never sums")

    @property
    def tied(self) -> bool:
        """True if its variables are non-anticipative (an investment or a contract decision)."""
        return self.role in (Role.INVESTMENT, Role.DECISION)
