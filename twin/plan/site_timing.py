"""When site capacity and today's fleet exist inside each period: every dated thing counts for
the share of its period in which it exists (issue 17), the rule power projects already follow
(:func:`twin.plan.supply_data.online_shares`), so yearly and quarterly periods describe the same
calendar.

- **Site builds (halls).** A terrestrial build started in q starts at ``max(start_q,
  earliest_s)`` and is online from that date + ``lead_s`` months, and counts from the first
  period it is online throughout (``a[q,p]`` = 1 there and after, 0 before): never before
  earliest + lead in any period length (before, a yearly build could start at its period's start
  although its site's ``earliest`` fell mid-period, and come online half a year early). A hall
  online for part of a period does not count for that part: counted pro rata, a yearly plan
  filled the half-hall of 2028-07..2029-07 with chips that then served the whole year, half the
  chips for the same compute-years, and its NPV rose 1.4% above the quarterly plan's (neocloud,
  6 years; whole periods: 0.8% below it; README "Periods"). Orbital capacity keeps ``q + L_s``,
  ``L_s = ceil(lead / period)``, for its satellites' life.
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

from twin.dates import months_between
from twin.plan.calendar import Calendar
from twin.plan.supply_data import online_shares
from twin.spec.schema import Model
from twin.state import State, Vintage, replay

#: ``{(s, q): ((p, a[q,p]), ...)}``: periods p a build at s started in q is online in, with shares
SiteShares = dict[tuple[str, int], tuple[tuple[int, float], ...]]


def period_leads(m: Model, sites: list[str]) -> dict[str, int]:
    """Whole periods from a build's start to its first period online, ``ceil(lead / period)``:
    orbital capacity's rule, and the first period of a terrestrial build's shares."""
    return {s: math.ceil(m.sites[s].lead_months / m.horizon.months_per_period) for s in sites}


def site_shares(m: Model, sites: list[str], orbital: list[str], cal: Calendar) -> SiteShares:
    """Online shares of every terrestrial build that comes online before the horizon end
    (module docstring); a site without an ``earliest`` may start at the horizon start."""
    out: SiteShares = {}
    for s in sites:
        site = m.sites[s]
        if s in orbital or site.max_mw <= 0:
            continue
        earliest = site.earliest or cal.starts[0]
        for q, shares in online_shares(cal, earliest, site.lead_months).items():
            whole = tuple((p, 1.0) for p, a in shares if a > 1 - 1e-9)  # module docstring
            if whole:
                out[s, q] = whole
    return out


def builds(
    m: Model,
    sites: list[str],
    orbital: list[str],
    cal: Calendar,
    lead: dict[str, int],
    shares: SiteShares,
    existing_mw: dict[tuple[str, int], float],
) -> tuple[list[tuple[str, int]], dict[str, int]]:
    """Site builds that can go online within the horizon after the site's earliest date, and
    the first period each site can hold capacity (n when never): a terrestrial build where it
    has online shares, an orbital one where ``p + L_s < n``."""
    n = len(cal.starts)
    build_idx, first = [], {}
    for s in sites:
        site = m.sites[s]
        firsts = [p for p in range(n) if existing_mw[s, p] > 0]
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
