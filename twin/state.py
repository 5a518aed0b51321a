"""The as-built fleet at a date, replayed from dated events: the "twin" of today.

Events are applied in date order up to and including the date asked for. Chips leave the fleet
when ``chips_retired`` events remove them (oldest vintage first) or when they pass their
``life_years`` after install. Events dated after the plan's start are commitments already made
(sites under construction, chips on order): the plan counts them as sunk and available from their
date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from twin.constants import DAYS_PER_YEAR
from twin.dates import add_months
from twin.spec.schema import Model


@dataclass
class Vintage:
    """Chips of one generation installed at one site on one date [chips]."""

    site: str
    chip: str
    installed: dt.date
    chips: float

    def retires(self, life_years: float) -> dt.date:
        """The date the vintage reaches the end of its life."""
        return self.installed + dt.timedelta(days=round(life_years * DAYS_PER_YEAR))


@dataclass
class State:
    """The fleet at ``date``: online IT MW per site, chip vintages, power limits, live contracts,
    the date each contract was signed (``contract_signed`` events) and dated notes (``note``)."""

    date: dt.date
    online_mw: dict[str, float] = field(default_factory=dict)
    vintages: list[Vintage] = field(default_factory=list)
    power_limit_mw: dict[str, float] = field(default_factory=dict)
    contracts: list[str] = field(default_factory=list)
    signed: dict[str, dt.date] = field(default_factory=dict)
    notes: list[tuple[dt.date, str]] = field(default_factory=list)

    def chips(self, site: str, chip: str) -> float:
        """Active chips of ``chip`` at ``site`` [chips]."""
        return sum(v.chips for v in self.vintages if v.site == site and v.chip == chip)

    def h100e(self, model: Model, site: str) -> float:
        """Installed compute at ``site`` [H100e]."""
        return sum(v.chips * model.chips[v.chip].h100e for v in self.vintages if v.site == site)

    def it_load_mw(self, model: Model, site: str) -> float:
        """IT power the active chips at ``site`` draw [MW] (chips x kW / 1000)."""
        return sum(v.chips * model.chips[v.chip].kw for v in self.vintages if v.site == site) / 1e3


def contract_end(model: Model, name: str, horizon_end: dt.date) -> dt.date:
    """The day after a contract's last day.

    One term lasts ``term_months``; ``renew`` extends it term by term past ``horizon_end``. Notice
    given on date n ends it at ``n + notice_months`` (``cancellation: at_term_end``: at the first
    term end on or after that), but never later than the term would have. A notice left to the
    plan (``decide``) is not known here: the end returned is the latest the lease can run.
    """
    c = model.contracts[name]
    end = add_months(c.start, c.term_months)
    if c.renewing:
        while end < horizon_end:
            end = add_months(end, c.term_months)
    if isinstance(c.notice_given, dt.date):
        stop = max(c.start, add_months(c.notice_given, c.notice_months))
        if c.cancellation == "at_term_end":
            k = 1
            while add_months(c.start, k * c.term_months) < stop:
                k += 1
            stop = add_months(c.start, k * c.term_months)
        end = min(end, stop)
    return end


def check_date(at: dt.date | str) -> dt.date:
    """``at`` as a date within the range every date of the input files must lie in (1950 to
    2200, :data:`twin.spec.ranges.DATE_RANGE`); else a :class:`SpecError` naming ``--at``."""
    from twin.spec.errors import SpecError
    from twin.spec.load import as_date
    from twin.spec.ranges import DATE_RANGE

    day = as_date(at)
    lo, hi = DATE_RANGE
    if not lo <= day <= hi:
        raise SpecError("--at", day.isoformat(), f"expected a date from {lo} to {hi}")
    return day


def replay(model: Model, at: dt.date, horizon_end: dt.date | None = None) -> State:
    """Replay ``model.events`` up to and including ``at`` into the :class:`State` at ``at``."""
    from twin.spec.errors import SpecError
    from twin.spec.load import as_date

    if not isinstance(model, Model):
        raise SpecError("model", repr(model)[:80], "expected a validated model (Spec.model)")
    at = as_date(at)  # the range is the command line's (check_date): the plan asks far dates
    state = State(date=at)
    state.power_limit_mw = {n: p.limit_mw for n, p in model.power_sources.items()}
    events = sorted(model.events.items(), key=lambda kv: (kv[1].date, kv[0]))
    for _, e in events:
        if e.date > at:
            break
        if e.kind == "site_online":
            assert e.site is not None and e.mw is not None  # Event._kind_fields requires them
            state.online_mw[e.site] = state.online_mw.get(e.site, 0.0) + e.mw
        elif e.kind == "chips_installed":
            assert e.site is not None and e.chip is not None and e.chips is not None  # required
            state.vintages.append(Vintage(e.site, e.chip, e.date, e.chips))
        elif e.kind == "chips_retired":
            assert e.chips is not None  # Event._kind_fields requires it
            left = e.chips
            for v in sorted(
                (v for v in state.vintages if v.site == e.site and v.chip == e.chip),
                key=lambda v: v.installed,
            ):
                take = min(v.chips, left)
                v.chips -= take
                left -= take
            state.vintages = [v for v in state.vintages if v.chips > 0]
        elif e.kind == "power_limit":
            assert e.power_source is not None and e.mw is not None  # required for this kind
            state.power_limit_mw[e.power_source] = e.mw
        elif e.kind == "contract_signed":
            assert e.contract is not None  # Event._kind_fields requires it
            state.signed[e.contract] = e.date
        elif e.kind == "note":
            state.notes.append((e.date, e.description or e.site or ""))
    state.vintages = [v for v in state.vintages if v.retires(model.chips[v.chip].life_years) > at]
    end = horizon_end or add_months(model.horizon.start, 12 * model.horizon.years)
    state.contracts = [
        n
        for n, c in model.contracts.items()
        if c.start <= at < contract_end(model, n, end) and model.tenants[c.tenant].enabled
    ]
    return state
