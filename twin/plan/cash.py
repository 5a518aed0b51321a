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
#: flows left out of an operating margin: investments and the resale of assets
NOT_OPERATING = ("capex", "launch", "resale")


@dataclass
class CashTerms:
    """Linear terms per flow and period [$M], and salvage terms valued at the horizon end:
    ``salvage`` (book value credited by the end-effect rule) and ``debt`` (what is still owed
    after the end, charged under every rule).

    For ``continued_use`` per site (:mod:`twin.plan.end_effects`) the terms of a site's own
    assets are also kept by site: ``margin_at[s, p]`` the margin they earn in ``p`` (the value
    of the compute served less energy and carbon) as ``(sign, term)`` pairs (inflows +1,
    outflows -1), ``book_at[s]`` their book value at the end. They attribute terms, they add
    no cash."""

    n_periods: int
    flows: dict[str, dict[int, list]] = field(init=False)
    salvage: list = field(default_factory=list)
    debt: list = field(default_factory=list)
    margin_at: dict[tuple[str, int], list] = field(default_factory=dict)
    book_at: dict[str, list] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.flows = {f: {p: [] for p in range(self.n_periods)} for f in FLOWS}

    def add(self, flow: str, p: int, term: object, site: str | None = None) -> None:
        """Add ``term`` to ``flow`` in period ``p``; with ``site``, an operating flow's term is
        also its margin there (``margin_at``, signed)."""
        self.flows[flow][p].append(term)
        if site is not None and flow not in NOT_OPERATING:
            self.attribute(site, p, term, 1.0 if flow in INFLOWS else -1.0)

    def attribute(self, site: str, p: int, term: object, sign: float = 1.0) -> None:
        """Count ``sign x term`` in the margin of ``site`` in ``p`` without adding cash."""
        self.margin_at.setdefault((site, p), []).append((sign, term))

    def add_salvage(self, term: object, site: str | None = None) -> None:
        """Add ``term`` to the book value at the end; with ``site``, also to that site's."""
        self.salvage.append(term)
        if site is not None:
            self.attribute_book(site, term)

    def attribute_book(self, site: str, term: object) -> None:
        """Count ``term`` in the book value of ``site``'s assets without adding salvage."""
        self.book_at.setdefault(site, []).append(term)

    def extend(self, other: CashTerms) -> CashTerms:
        """Append every term of ``other`` to this one; returns self."""
        for f, by_p in other.flows.items():
            for p, terms in by_p.items():
                self.flows[f][p].extend(terms)
        self.salvage.extend(other.salvage)
        self.debt.extend(other.debt)
        for key, terms in other.margin_at.items():
            self.margin_at.setdefault(key, []).extend(terms)
        for site, terms in other.book_at.items():
            self.book_at.setdefault(site, []).extend(terms)
        return self
