"""When site capacity and today's fleet exist inside each period: every dated thing counts for
the share of its period in which it exists (issue 17), the rule power projects already follow
(:func:`twin.plan.supply_data.online_shares`), so yearly and quarterly periods describe the same
calendar.

- **Site builds (halls).** A terrestrial build started in q starts at ``max(start_q,
  earliest_s)`` and is online from that date + ``lead_s`` months, and counts as capacity from the
  first period it is online throughout (``a[q,p]`` = 1 there and after, 0 before): never before
  earliest + lead in any period length (before, a yearly build could start at its period's start
  although its site's ``earliest`` fell mid-period, and come online half a year early).
- **Halls opening mid-period** (:func:`hall_openings`, :mod:`twin.plan.hall_openings`). In the
  period in which a build opens part-way (the share ``a`` of the period after its opening),
  chips may be installed for it that run only from the opening: they are bought at the period's
  start, fit the new hall, not the capacity online at the start, and draw power and serve
  compute for the share ``a``. Counted pro rata instead (the hall as ``a`` x its MW), a yearly
  plan filled the half-hall of 2028-07..2029-07 with chips that then served the whole year, half
  the chips for the same compute-years, and its NPV rose 1.4% above the quarterly plan's
  (neocloud, 6 years; README "Periods"); counted from the next whole period, a year lost half a
  year of every hall whose lead is not a whole number of years (18, 30, 42 months) and the
  yearly plan built another power mix than the quarterly one (benchmarks/results/
  period_agreement.md). Orbital capacity keeps ``q + L_s``, ``L_s = ceil(lead / period)``, for
  its satellites' life.
- **Events (today's fleet).** The fleet of period p is the mean over p of the states between
  its changes (events and chip retirements, :func:`period_state`): a site phase or power upgrade
  on 2026-12-01 counts for 7/12 of the year from 2026-07 and for 1/3 of the quarter from
  2026-10, not for 0, and chips retiring mid-period for the part before (events were replayed
  at period starts).
"""

from __future__ import annotations

import itertools
import math
from datetime import date

from twin.dates import months_between, years_between
from twin.plan.calendar import Calendar
from twin.plan.supply_data import online_shares
from twin.spec.schema import Model
from twin.state import State, Vintage, replay

#: ``{(s, q): ((p, a[q,p]), ...)}``: periods p a build at s started in q is online in, with shares
SiteShares = dict[tuple[str, int], tuple[tuple[int, float], ...]]

#: ``{(s, p): (a, (q, ...))}``: builds at s started in q that open part-way through p, ``a`` the
#: share of p after the opening (the least where two open in one period)
Openings = dict[tuple[str, int], tuple[float, tuple[int, ...]]]


def period_leads(m: Model, sites: list[str]) -> dict[str, int]:
    """Whole periods from a build's start to its first period online, ``ceil(lead / period)``:
    orbital capacity's rule, and the first period of a terrestrial build's shares."""
    return {s: math.ceil(m.sites[s].lead_months / m.horizon.months_per_period) for s in sites}


def site_shares(m: Model, sites: list[str], orbital: list[str], cal: Calendar) -> SiteShares:
    """Online shares of every terrestrial build that comes online before the horizon end
    (module docstring); a site without an ``earliest`` may start at the horizon start."""
    out: SiteShares = {}
    for s, q, shares in _terrestrial_shares(m, sites, orbital, cal):
        whole = tuple((p, 1.0) for p, a in shares if a > 1 - 1e-9)  # module docstring
        if whole:
            out[s, q] = whole
    return out


def _terrestrial_shares(
    m: Model, sites: list[str], orbital: list[str], cal: Calendar
) -> list[tuple[str, int, tuple[tuple[int, float], ...]]]:
    """``(s, q, ((p, a), ...))``: the online shares of a terrestrial build at s started in q
    (:func:`twin.plan.supply_data.online_shares`; no ``earliest``: the horizon start)."""
    out = []
    for s in sites:
        site = m.sites[s]
        if s in orbital or site.max_mw <= 0:
            continue
        earliest = site.earliest or cal.starts[0]
        out += [(s, q, sh) for q, sh in online_shares(cal, earliest, site.lead_months).items()]
    return out


def hall_openings(
    m: Model, sites: list[str], orbital: list[str], cal: Calendar, shares: SiteShares
) -> Openings:
    """Terrestrial builds (those with whole periods online, ``shares``) that open part-way
    through the period before their first whole one, by site and that period (module
    docstring). Where two builds open in one period at different dates (a site's ``earliest``
    inside a period), the later opening's share holds for both: their chips run the less."""
    out: dict[tuple[str, int], tuple[float, list[int]]] = {}
    for s, q, online in _terrestrial_shares(m, sites, orbital, cal):
        p, a = online[0]
        if (s, q) in shares and a < 1 - 1e-9 and p < shares[s, q][0][0]:
            least, qs = out.get((s, p), (1.0, []))
            out[s, p] = (min(least, a), [*qs, q])
    return {sp: (a, tuple(qs)) for sp, (a, qs) in out.items()}


def waiting_price_shares(
    m: Model, cal: Calendar, openings: Openings, chips: list[str], on_sale: dict
) -> dict[tuple[str, str, int], float]:
    """``f[s,k,p]`` [-]: what a chip of k waiting at s in p costs, paid when it starts to run,
    per $ of its price paid at p's start (:mod:`twin.plan.hall_openings`). It runs from
    ``t = start_p + (1 - min(a, w_kp)) dt`` (the later of the opening and the chip's sale) and
    is bought then, at that date's price, discounted to p's start:

        f = (1 - decline_k) ** (y(t) - y(start_p)) x (1 + r) ** -(t - start_p)

    with ``y(.) = max(0, years since available_from_k)`` (a price is flat before its sale)."""
    r, out = m.economics.discount_rate, {}
    for (s, p), (a, _) in openings.items():
        start = cal.starts[p]
        for k in chips:
            c, w = m.chips[k], on_sale.get((k, p), 1.0)
            delay = (1 - min(a, w)) * cal.dt
            y0 = max(0.0, years_between(c.available_from, start))
            y1 = max(0.0, years_between(c.available_from, start) + delay)
            out[s, k, p] = (1 - c.price_decline_per_year) ** (y1 - y0) * (1 + r) ** -delay
    return out


def builds(
    m: Model,
    sites: list[str],
    orbital: list[str],
    cal: Calendar,
    lead: dict[str, int],
    shares: SiteShares,
    existing_mw: dict[tuple[str, int], float],
    openings: Openings,
) -> tuple[list[tuple[str, int]], dict[str, int]]:
    """Site builds that can go online within the horizon after the site's earliest date, and
    the first period each site can hold capacity (n when never): a terrestrial build where it
    has online shares (or opens part-way through, ``openings``: chips may be installed there
    for it), an orbital one where ``p + L_s < n``."""
    n = len(cal.starts)
    build_idx, first = [], {}
    for s in sites:
        site = m.sites[s]
        firsts = [p for p in range(n) if existing_mw[s, p] > 0]
        firsts += [p for t, p in openings if t == s]
        for p in range(n):
            if s not in orbital:
                if (s, p) in shares:
                    build_idx.append((s, p))
                    firsts.append(shares[s, p][0][0])
                continue
            if site.earliest is not None and cal.bounds[p + 1] <= site.earliest:
                continue
            if p + lead[s] >= n or site.max_mw <= 0:
                continue
            build_idx.append((s, p))
            firsts.append(p + lead[s])
        first[s] = min(firsts) if firsts else n
    return build_idx, first


def period_state(m: Model, start: date, end: date, horizon_end: date) -> State:
    """The fleet over ``[start, end)``: the mean of the states between its changes (events and
    chip retirements inside it), each weighted by the months it lasts [MW, chips], dated
    ``start``; contracts, signatures and notes as at ``start`` (contracts count by their own
    cover, :func:`twin.plan.values.contract_cover`)."""
    first = replay(m, start, horizon_end)
    retire = {v.retires(m.chips[v.chip].life_years) for v in first.vintages}
    changes = {d for d in retire | {e.date for e in m.events.values()} if start < d < end}
    points = [start, *sorted(changes), end]
    total = months_between(start, end)
    online: dict[str, float] = {}
    limits: dict[str, float] = {}
    vintages: dict[tuple[str, str, date], float] = {}
    for lo, hi in itertools.pairwise(points):
        st = first if lo == start else replay(m, lo, horizon_end)
        w = months_between(lo, hi) / total
        for s, mw in st.online_mw.items():
            online[s] = online.get(s, 0.0) + w * mw
        for g, mw in st.power_limit_mw.items():
            limits[g] = limits.get(g, 0.0) + w * mw
        for v in st.vintages:
            key = (v.site, v.chip, v.installed)
            vintages[key] = vintages.get(key, 0.0) + w * v.chips
    return State(
        date=start,
        online_mw=online,
        vintages=[Vintage(s, k, d, x) for (s, k, d), x in vintages.items()],
        power_limit_mw=limits,
        contracts=first.contracts,
        signed=first.signed,
        notes=first.notes,
    )


def period_states(m: Model, cal: Calendar) -> list[State]:
    """:func:`period_state` of every period of the calendar."""
    return [period_state(m, a, b, cal.end) for a, b in zip(cal.starts, cal.bounds[1:], strict=True)]
