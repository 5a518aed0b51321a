"""Cash-flow terms: what each family adds to the per-period flows and to the salvage value.

Families return a :class:`CashTerms`; :mod:`twin.plan.objective` adds them up into ``cash[f,p]``
and the NPV. Nothing is stored on the model while terms are collected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from twin.plan.quantity import Flow
from twin.plan.quantity_records import CASH

#: the flows of the declared cash records (``<flow>_musd``): ``net = sum(INFLOWS) - sum(OUTFLOWS)``
INFLOWS = tuple(q.name.removesuffix("_musd") for q in CASH if q.flow is Flow.IN)
OUTFLOWS = tuple(q.name.removesuffix("_musd") for q in CASH if q.flow is Flow.OUT)
FLOWS = INFLOWS + OUTFLOWS


@dataclass
class CashTerms:
    """Linear terms per flow and period [$M], and salvage terms valued at the horizon end:
    ``salvage`` (book value credited by the end-effect rule) and ``debt`` (what is still owed
    after the end, charged under every rule)."""

    n_periods: int
    flows: dict[str, dict[int, list]] = field(init=False)
    salvage: list = field(default_factory=list)
    debt: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.flows = {f: {p: [] for p in range(self.n_periods)} for f in FLOWS}

    def add(self, flow: str, p: int, term: object) -> None:
        """Add ``term`` to ``flow`` in period ``p``."""
        self.flows[flow][p].append(term)

    def extend(self, other: CashTerms) -> CashTerms:
        """Append every term of ``other`` to this one; returns self."""
        for f, by_p in other.flows.items():
            for p, terms in by_p.items():
                self.flows[f][p].extend(terms)
        self.salvage.extend(other.salvage)
        self.debt.extend(other.debt)
        return self
