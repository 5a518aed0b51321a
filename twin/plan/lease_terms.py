"""Leases whose notice the plan decides, and tenant offers it may take: their dates and covers.

Computed once from the model file, before any Pyomo model exists; :mod:`twin.plan.leases` reads
them through :class:`~twin.plan.data.PlanData`.

**Which leases.** A contract with ``renew: decide`` (renewing term after term unless notice is
given) or ``notice_given: decide`` (renewing as ``renew`` says); and every period start ``p`` at
which an enabled offer may be taken (``earliest <= start_p <= latest``): the lease it would start.

**Notice dates.** A lease starting on ``a`` has term ends ``e_k = a + k T`` up to its latest end
``E_max`` (``a + T``, or with renewal the first term end at or after the horizon end). Notice
given on date n ends it on ``n + N`` (mutual cancellation) or, with ``cancellation: at_term_end``,
on the first term end ``e_k >= n + N``. Its notice dates are the last day to give notice before
each term end (``e_k - N``) and, with mutual cancellation, also each period start and each day
that ends the lease exactly at a period start (``start_p - N``): in a period model the end matters
only through the period covers, whose breakpoints these are, so mutual cancellation's dates include
every date ``at_term_end`` offers. Dates are kept on or after the lease start and the horizon
start, with an end before ``E_max`` and before the horizon end; of dates giving the same end the
latest is kept (the later decision knows more).

**Cover.** With notice dates ``n_0 < ... < n_{Q-1}``, their ends ``E_0 < ... < E_{Q-1}`` and
``E_Q = E_max``, the share of period t under lease is linear in the decisions::

    cover[l,t] = sign_l * ov_t(E_0) + sum_q keep[l,q] * (ov_t(E_{q+1}) - ov_t(E_q))

with ``ov_t(E)`` the share of period t inside ``[a, E)``, ``keep[l,q] = 1`` while no notice has
been given by ``n_q`` (``sign_l >= keep[l,0] >= keep[l,1] >= ...``) and ``sign_l`` 1 for a signed
contract, ``take[o,p]`` for offer o taken at period p.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from twin.dates import add_months
from twin.plan import economics as econ
from twin.plan.values import market_usd_per_h100e_hour, overlap_share
from twin.spec.schema import Contract, LeaseTerms, Model, Offer


@dataclass(frozen=True)
class Lease:
    """One lease the plan decides: a contract, or an offer started at one period."""

    name: str
    offer: str | None
    take_period: int | None
    tenant: str
    site: str | None
    form: str
    quantity_k_h100e: float | None
    start: dt.date
    notice_dates: tuple[dt.date, ...]
    notice_periods: tuple[int, ...]
    ends: tuple[dt.date, ...]
    base_cover: dict[int, float]
    step_cover: dict[tuple[int, int], float]
    price_usd_per_h100e_hour: dict[int, float]
    price_usd_per_mw_month: dict[int, float]

    @property
    def periods(self) -> list[int]:
        """Periods the lease may cover (sorted)."""
        return sorted(set(self.base_cover) | {t for (_, t) in self.step_cover})


@dataclass(frozen=True)
class LeaseData:
    """Every decided lease, the offers' take index ``(offer, period)``, the tenants' market value
    per period (0 for an external tenant when external leasing is not allowed), and whether the
    decisions are binaries."""

    leases: tuple[Lease, ...]
    take_idx: tuple[tuple[str, int], ...]
    market_usd_per_h100e_hour: dict[tuple[str, int], float]
    integer: bool


def _notice(
    terms: LeaseTerms, start: dt.date, renewing: bool, bounds: list[dt.date]
) -> tuple[list[dt.date], list[dt.date], dt.date]:
    """Notice dates, the end each gives, and the latest end (module docstring)."""
    h0, h_end = bounds[0], bounds[-1]
    n_months, step = terms.notice_months, terms.term_months
    term_ends = [add_months(start, step)]
    while renewing and term_ends[-1] < h_end:
        term_ends.append(add_months(start, step * (len(term_ends) + 1)))
    e_max = term_ends[-1]
    cands = {add_months(e, -n_months): e for e in term_ends[:-1]}
    if terms.cancellation == "mutual":
        for b in bounds[:-1]:
            for n in (b, add_months(b, -n_months)):
                cands.setdefault(n, add_months(n, n_months))
    by_end: dict[dt.date, dt.date] = {}
    for n, e in cands.items():
        if n >= max(start, h0) and e < min(e_max, h_end):
            by_end[e] = max(n, by_end.get(e, n))
    ends = sorted(by_end)
    return [by_end[e] for e in ends], ends, e_max


def _lease(
    name: str,
    terms: LeaseTerms,
    start: dt.date,
    renewing: bool,
    offer: tuple[str, int] | None,
    bounds: list[dt.date],
    dt_years: float,
) -> Lease:
    """The :class:`Lease` of ``terms`` starting on ``start`` (module docstring)."""
    notices, ends, e_max = _notice(terms, start, renewing, bounds)
    ends = [*ends, e_max]
    n = len(bounds) - 1

    def ov(t: int, end: dt.date) -> float:
        return overlap_share(bounds[t], bounds[t + 1], start, end)

    base = {t: ov(t, ends[0]) for t in range(n) if ov(t, ends[0]) > 0}
    step = {
        (q, t): ov(t, ends[q + 1]) - ov(t, ends[q])
        for q in range(len(notices))
        for t in range(n)
        if ov(t, ends[q + 1]) - ov(t, ends[q]) > 0
    }
    covered = sorted(set(base) | {t for (_, t) in step})
    factor = {
        t: econ.price_factor(terms.price_change_per_year, start, bounds[t], dt_years)
        for t in covered
    }
    h = terms.price_usd_per_h100e_hour or 0.0
    mwm = terms.price_usd_per_mw_month or 0.0
    return Lease(
        name=name,
        offer=offer[0] if offer else None,
        take_period=offer[1] if offer else None,
        tenant=terms.tenant,
        site=terms.site,
        form=terms.form,
        quantity_k_h100e=terms.quantity_k_h100e,
        start=start,
        notice_dates=tuple(notices),
        notice_periods=tuple(max(t for t in range(n) if bounds[t] <= d) for d in notices),
        ends=tuple(ends),
        base_cover=base,
        step_cover=step,
        price_usd_per_h100e_hour={t: h * factor[t] for t in covered},
        price_usd_per_mw_month={t: mwm * factor[t] for t in covered},
    )


def _active(x: Contract | Offer, sites: list[str], tenants: list[str]) -> bool:
    return x.tenant in tenants and (x.site is None or x.site in sites)


def lease_data(
    m: Model,
    bounds: list[dt.date],
    mid_years: list[float],
    sites: list[str],
    tenants: list[str],
) -> LeaseData:
    """Decided leases of model ``m`` on the period ``bounds`` (starts and the horizon end)."""
    dt_years = m.horizon.months_per_period / 12
    leases = [
        _lease(name, c, c.start, c.renewing, None, bounds, dt_years)
        for name, c in m.contracts.items()
        if c.decided and _active(c, sites, tenants)
    ]
    take = []
    for name, o in m.offers.items():
        if not (o.enabled and _active(o, sites, tenants)):
            continue
        for p, b in enumerate(bounds[:-1]):
            if b >= o.earliest and (o.latest is None or b <= o.latest):
                take.append((name, p))
                label = f"{name}@{b.isoformat()}"
                leases.append(_lease(label, o, b, o.renew, (name, p), bounds, dt_years))
    periods = list(enumerate(mid_years))
    market = {(j, t): market_usd_per_h100e_hour(m, j, mid) for j in tenants for t, mid in periods}
    integer = m.solver.integer_leases
    return LeaseData(
        leases=tuple(leases),
        take_idx=tuple(take),
        market_usd_per_h100e_hour=market,
        integer=m.solver.integer_modules if integer is None else integer,
    )
