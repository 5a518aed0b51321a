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

from collections.abc import Callable, Iterator
from typing import Any

from twin.plan.quantity import Agg, Flow, Quantity, Role
from twin.plan.quantity_records import BUILTIN

__all__ = [
    "Agg",
    "Flow",
    "Quantity",
    "Role",
    "all_quantities",
    "by_name",
    "register",
    "registered_defines",
    "report_dims",
    "reported",
    "unregister",
]


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
