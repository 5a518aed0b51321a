"""One declaration per reported quantity: name, index dims, unit, long name, role, aggregation.

Every list of quantities in twin reads these records: the report's data variables and their CF
attributes (:mod:`twin.report.dataset`), :func:`twin.solution.statistics` and its dimensions, the
stochastic stage lists (:mod:`twin.study.stochastic`: the Pyomo variables of the INVESTMENT and
DECISION records are tied by stage, the others are recourse), the cash flows of
:mod:`twin.plan.cash` and the README's report table (tests/test_readme.py checks it both ways).

The built-in records live in :mod:`twin.plan.quantity_records`, one section per family module and
in report order (an ordered table keeps the netCDF variable order and the README table stable,
and the report's derived fields span several families). A new family declares its records beside
its math and hands them, with its ``define`` function, to :func:`register`:
:func:`twin.plan.build_model` then calls ``define(m, d)`` and the report reads each record's
``component`` (a Pyomo ``Var`` or ``Expression`` indexed by the record's dims, in order)
generically. See the README, "Adding a family".

Aggregation: an extensive quantity (MW, chips, $M, t) adds up over an index (:attr:`Agg.SUM`);
an intensive one (a price, a marginal value, a share, a unit cost, a limit) never does: it is
averaged (:attr:`Agg.MEAN`) or its largest value taken (:attr:`Agg.MAX`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


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


Define = Callable[[Any, Any], None]
"""A family's ``define(m, d)``: adds its components to the Pyomo model ``m`` from ``PlanData``."""

_REGISTERED: list[Quantity] = []
_DEFINES: list[Define] = []


def register(*quantities: Quantity, define: Define | None = None) -> None:
    """Add a family's records (and its ``define(m, d)``, called by ``build_model`` after the
    shared expressions) to the registry. A name already declared is refused."""
    taken = {q.name for q in all_quantities()}
    for q in quantities:
        if q.name in taken:
            raise ValueError(f"quantity {q.name!r} is already declared")
        taken.add(q.name)
    _REGISTERED.extend(quantities)
    if define is not None:
        _DEFINES.append(define)


def unregister(*quantities: Quantity, define: Define | None = None) -> None:
    """Remove what :func:`register` added (tests and interactive sessions)."""
    for q in quantities:
        _REGISTERED.remove(q)
    if define is not None:
        _DEFINES.remove(define)


def registered_defines() -> tuple[Define, ...]:
    """The ``define`` functions of registered families, in registration order."""
    return tuple(_DEFINES)


def all_quantities() -> tuple[Quantity, ...]:
    """Every declared quantity: the built-in records, then registered families'."""
    from twin.plan.quantity_records import BUILTIN

    return BUILTIN + tuple(_REGISTERED)


def reported() -> Iterator[Quantity]:
    """The quantities with a report variable, in report order."""
    return (q for q in all_quantities() if q.reported)


def by_name() -> dict[str, Quantity]:
    """``{name: record}`` of every declared quantity."""
    return {q.name: q for q in all_quantities()}


def report_dims() -> tuple[str, ...]:
    """Every dimension a report variable may carry: the first columns of twin's statistics
    table, then any other in declaration order, ``period`` last."""
    seen = dict.fromkeys(("site", "tenant", "chip", "source", "contract", "fab"))
    for q in reported():
        seen.update(dict.fromkeys(d for d in q.dims if d != "period"))
    return (*seen, "period")


def tied_variables() -> tuple[str, ...]:
    """Pyomo variables of the INVESTMENT and DECISION records, in declaration order."""
    return tuple(dict.fromkeys(v for q in all_quantities() if q.tied for v in q.variables))


def recourse_variables() -> tuple[str, ...]:
    """Pyomo variables of every other record: free to adapt in each leaf."""
    tied = set(tied_variables())
    names = (v for q in all_quantities() if not q.tied for v in q.variables if v not in tied)
    return tuple(dict.fromkeys(names))
