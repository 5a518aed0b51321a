"""Traffic on the graph: inference routed from user regions to serving sites over links, and
training tenants' data-set and checkpoint transfer into their sites.

Index sets (:mod:`twin.plan.traffic_data`): routes ``k`` (a path from region r_k to site s_k,
latency lat_k), routed tenants j, flows only where lat_k <= SLA_j; transfer tenants (training);
links into a site. c_j is j's traffic per unit of compute [Gbit/s per kH100e]: ``g phi_j`` for
routed inference (g the traffic of 1000 H100e of inference, phi_j the inference share),
``8 x 1000 x b / 3600`` for a training tenant's transfer of b GB per H100e-hour. With w_r the
region's share:

- ``traffic_serve[s,j,p]``:  ``c_j alloc[s,j,p] = sum_{k: s_k = s} flow[k,j,p]``  [Gbit/s]
  (the compute allocated to j's inference at s equals the traffic it serves);
- ``traffic_origin[r,j,p]``: ``sum_{k: r_k = r} flow[k,j,p] <= w_r c_j D[j,p]``
  (each region sends at most its share of the tenant's demand: a region whose every path breaks
  the SLA goes unserved while the others are served; with the demand row
  ``sum_s alloc[s,j,p] <= D[j,p]`` the flows add up to what is served);
- ``traffic_transfer[s,p]``: ``sum_{l into s} transfer[l,p] = sum_{j training} c_j alloc[s,j,p]``
  (data sets and checkpoints enter the site over any of its links: fiber with an end at s, or
  s's downlinks; where they come from beyond that link is not modelled, the backbone being
  ample -- 10 Tbit/s links against at most ~0.5 Tbit/s of transfer in the baseline);
- ``link_capacity[l,p]``: ``load[l,p] = sum_{k ∋ l} sum_j flow[k,j,p] + transfer[l,p] <=
  cap[l,p]`` with ``cap[l,p] = C_l + W sum_{q + L_l <= p} link_expand[l,q]`` for fiber and
  ``cap[l,p] = C_l (1 + sum_{q + L_a <= p} antennas[st_l,q])`` for a downlink (C_l: contact
  fraction x link rate of one antenna; an antenna adds one more link in contact); a row only
  where it can bind, ``C_l < (sum_{r on l} w_r) sum_j c_j D[j,p]`` (+ all transfer, on a link
  into a site: :func:`link_reach`), the most the regions with a route over l can send; elsewhere
  the link's marginal value is 0;
- with the hourly model (``horizon.hours``), instead, ``link_capacity_hourly[l,p,h]``: the load
  in UTC hour h, ``sum_{k ∋ l} sigma_{r_k}[h] sum_j flow[k,j,p] + transfer[l,p] <= cap[l,p]``,
  sigma_r the region's daily shape by local time (peak-to-mean P;
  :func:`twin.plan.traffic_data.diurnal_shape`; transfer flat). Flows stay per period (the
  routing is the same in every hour, each region's traffic following its own shape); only the
  link rows are per hour, and only in the hours the link can peak (:func:`peak_hours`): one
  when its regions share a time zone, those between their peak hours when these lie within 10
  hours (5 for US regions from -75 to -122 deg), else all 24. The links' capacity
  then holds in the peak hour of the regions' summed load: two regions 12 hours apart fill a
  link at the sum of their means, two in step at P times it. Not per representative day: the
  shape is the same on every day. The rows exist where ``C_l < P x`` the reach above. The compute
  serving the traffic, the downlink and ISL rows stay at the period's mean (inference queues and
  batching, not chips, absorb the peak: an assumption);
- the orbit family's ``downlink[s,p]`` (all of an orbital site's downlinks together) counts the
  routed and transfer traffic served at s and the antennas' capacity too
  (:func:`routed_downlink`);
- ``link_growth[l]``: ``W sum_q link_expand[l,q] <= E_l``; ``antenna_growth[st]``:
  ``sum_q antennas[st,q] <= A``.

An expansion is counted in waves of W = 100 Gbit/s (:data:`WAVE_GBPS`, a leased 100G wavelength;
continuous in the LP), which keeps its cost coefficient ``c_l W dt df_p`` inside the checked range
with quarterly periods. Cash: a fiber expansion is leased, ``c_l W dt sum_{q + L_l <= p}
link_expand[l,q]`` [$M] opex in
every period it is online; an antenna costs its capex [$M] in the period it is started (no
salvage: an assumption). Antennas are counted in the LP relaxation (fractions of an antenna).
The dual of ``link_capacity`` divided by ``df_p dt`` is the marginal value of one Gbit/s on the
link for a year [$M per Gbit/s-year].
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from twin.plan.cash import CashTerms
from twin.plan.data import PlanData
from twin.plan.linear import var_sum, weighted_sum
from twin.plan.rows import sparse_rule
from twin.plan.traffic_data import TrafficData

#: Gbit/s of one unit of ``link_expand`` (a leased 100G wavelength; module docstring)
WAVE_GBPS = 100.0


def define_traffic_variables(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``flow[k,j,p]`` [Gbit/s], ``link_expand[l,p]`` [100G waves started], ``antennas[st,p]``
    [antennas started], ``transfer[l,p]`` [Gbit/s], all >= 0; none when no tenant is routed
    and none transfers."""
    t = d.traffic
    if not t.enabled:
        return
    nn = pyo.NonNegativeReals
    m.flow = pyo.Var(pyo.Set(initialize=t.flow_idx, dimen=3), within=nn)
    m.link_expand = pyo.Var(pyo.Set(initialize=t.expand_idx, dimen=2), within=nn)
    m.antennas = pyo.Var(pyo.Set(initialize=t.antenna_idx, dimen=2), within=nn)
    m.transfer = pyo.Var(pyo.Set(initialize=t.transfer_idx, dimen=2), within=nn)


def link_capacity_expr(m: pyo.ConcreteModel, t: TrafficData, ln: str, p: int) -> object:
    """``cap[l,p]`` [Gbit/s] (module docstring)."""
    if ln in t.downlink_station:
        st = t.downlink_station[ln]
        built = var_sum(m.antennas[st, q] for q in t.online(t.antenna_idx, t.antenna_lead, st, p))
        return t.link_gbps[ln] * (1 + built)
    grown = var_sum(m.link_expand[ln, q] for q in t.online(t.expand_idx, t.link_lead[ln], ln, p))
    grown = WAVE_GBPS * grown
    return t.link_gbps[ln] + grown


def define_traffic_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """The rows of the module docstring (only where they have flows)."""
    t = d.traffic
    if not t.enabled:
        return
    at_site: dict[tuple[str, str, int], list] = {}
    from_region: dict[tuple[str, str, int], list] = {}
    on_link: dict[tuple[str, int], list] = {}  # (region or "" for transfer, flow)
    for (k, j, p), x in m.flow.items():
        at_site.setdefault((t.route_site[k], j, p), []).append(x)
        from_region.setdefault((t.route_region[k], j, p), []).append(x)
        for ln in t.route_links[k]:
            on_link.setdefault((ln, p), []).append((t.route_region[k], x))
    for (ln, p), x in m.transfer.items():
        on_link.setdefault((ln, p), []).append(("", x))
    c, n = t.routed, d.n_periods
    served = [(s, j, p) for s, j, p in d.alloc_idx if j in t.routed]
    m.traffic_serve = pyo.Constraint(
        served,
        rule=lambda m, s, j, p: c[j] * m.alloc[s, j, p] - var_sum(at_site.get((s, j, p), ())) == 0,
    )

    def origin(m: pyo.ConcreteModel, r: str, j: str, p: int) -> object:
        return var_sum(from_region[r, j, p]) <= t.shares[r] * c[j] * d.demand_k[j, p]

    origins = [rjp for rjp in from_region if t.shares[rjp[0]] > 0]
    m.traffic_origin = pyo.Constraint(origins, rule=sparse_rule("traffic_origin", origin))
    grid = [(ln, p) for ln in t.links for p in range(n)]
    m.link_cap = pyo.Expression(grid, rule=lambda m, ln, p: link_capacity_expr(m, t, ln, p))
    m.link_load = pyo.Expression(
        grid, rule=lambda m, ln, p: var_sum(x for _, x in on_link.get((ln, p), ()))
    )
    hourly = d.hours is not None
    reach = link_reach(d, on_link)
    rows = [lp for lp in grid if lp in on_link and t.link_gbps[lp[0]] < reach[lp]]
    if hourly:
        _hourly_link_rows(m, t, on_link, rows)
    else:
        m.link_capacity = pyo.Constraint(
            rows, rule=lambda m, ln, p: m.link_load[ln, p] - m.link_cap[ln, p] <= 0
        )
    _growth_rows(m, t)
    _transfer_rows(m, d)


def link_reach(d: PlanData, on_link: dict[tuple[str, int], list]) -> dict[tuple[str, int], float]:
    """The most traffic link l can carry in p [Gbit/s]: ``P (sum_{r on l} w_r) sum_j c_j D[j,p]``
    over the regions r with a route through l (their origin rows cap them), plus all training
    transfer ``sum_j c_j D[j,p]`` if l leads into a site (P: the largest hourly peak-to-mean,
    1 in the period form). A link whose capacity today is no less cannot bind: no row."""
    t, n = d.traffic, d.n_periods
    peak = max((max(v) for v in t.hour_shape.values()), default=1.0) if d.hours else 1.0
    routed = [sum(c * d.demand_k[j, p] for j, c in t.routed.items()) for p in range(n)]
    moved = [sum(c * d.demand_k[j, p] for j, c in t.transfer.items()) for p in range(n)]
    out = {}
    for (ln, p), terms in on_link.items():
        regions = {r for r, _ in terms}
        share = min(1.0, sum(t.shares[r] for r in regions if r))
        out[ln, p] = peak * (share * routed[p] + (moved[p] if "" in regions else 0.0))
    return out


def peak_hours(t: TrafficData, regions: set[str]) -> list[int]:
    """UTC hours in which a link carrying traffic of ``regions`` ("": flat training transfer)
    can be at its peak. A nonnegative sum of the regions' cosines is a cosine whose phase lies
    on the shortest arc holding theirs when that arc is under 12 hours, and sampled at whole
    hours it peaks at the hour nearest that phase: the hours from the first region's peak hour
    to the last's along the arc (one when the regions share a time zone; flat transfer moves
    no peak). Peak hours spread over more than 10 hours (the phases then may span 12): all 24."""
    peaks = sorted({(sh := t.hour_shape[r]).index(max(sh)) for r in regions if r})
    if len(peaks) <= 1:
        return peaks or [0]
    gaps = [(b - a) % 24 for a, b in zip(peaks, [*peaks[1:], peaks[0]], strict=True)]
    widest = max(range(len(gaps)), key=gaps.__getitem__)  # the arc starts after the widest gap
    start, span = peaks[(widest + 1) % len(peaks)], 24 - gaps[widest]
    return list(range(24)) if span > 10 else [(start + i) % 24 for i in range(span + 1)]


def _hourly_link_rows(
    m: pyo.ConcreteModel, t: TrafficData, on_link: dict[tuple[str, int], list], rows: list
) -> None:
    """``link_capacity_hourly[l,p,h]`` (module docstring): the link's load in UTC hour h,
    ``sum_k sigma_{r_k}[h] flow[k,j,p] + transfer[l,p] <= cap[l,p]``, in the hours it can
    peak (:func:`peak_hours`)."""
    idx = [(ln, p, h) for ln, p in rows for h in peak_hours(t, {r for r, _ in on_link[ln, p]})]

    def row(m: pyo.ConcreteModel, ln: str, p: int, h: int) -> object:
        load = weighted_sum((t.hour_shape[r][h] if r else 1.0, x) for r, x in on_link[ln, p])
        return load - m.link_cap[ln, p] <= 0

    m.link_capacity_hourly = pyo.Constraint(idx, rule=row)


def _transfer_rows(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``traffic_transfer[s,p]`` (module docstring), where training is served at s."""
    t = d.traffic
    need: dict[tuple[str, int], list] = {}
    for s, j, p in d.alloc_idx:
        if j in t.transfer:
            need.setdefault((s, p), []).append(t.transfer[j] * m.alloc[s, j, p])
    m.traffic_transfer = pyo.Constraint(
        [sp for sp in need if sp[0] in t.transfer_links],
        rule=lambda m, s, p: (
            var_sum(m.transfer[ln, p] for ln in t.transfer_links[s]) - sum(need[s, p]) == 0
        ),
    )


def _growth_rows(m: pyo.ConcreteModel, t: TrafficData) -> None:
    """``link_growth[l]`` and ``antenna_growth[st]`` (module docstring)."""
    limit = {ln: e for ln in t.links if (e := t.link_max[ln]) is not None}
    capped = [ln for ln in limit if any(x == ln for x, _ in t.expand_idx)]
    m.link_growth = pyo.Constraint(
        capped,
        rule=lambda m, ln: (
            var_sum(m.link_expand[ln, q] for x, q in t.expand_idx if x == ln)
            <= limit[ln] / WAVE_GBPS
        ),
    )
    m.antenna_growth = pyo.Constraint(
        [st for st in t.stations if any(x == st for x, _ in t.antenna_idx)],
        rule=lambda m, st: (
            var_sum(m.antennas[st, q] for x, q in t.antenna_idx if x == st) <= t.antenna_max
        ),
    )


def routed_downlink(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> tuple[list, Any]:
    """What routed traffic adds to the orbit family's ``downlink[s,p]`` row: the routed
    traffic served at orbital site s, ``c_j alloc[s,j,p]`` [Gbit/s] (it crosses one of the
    site's downlinks), and the capacity the antennas built add, ``sum_st C_st antennas online``
    [Gbit/s] (none when no tenant is routed)."""
    t = d.traffic
    if not t.enabled:
        return [], 0.0
    c = t.routed | t.transfer
    used = [c[j] * m.alloc[s, j, p] for j in d.groups.allocs_at.get((s, p), ()) if j in c]
    added = [
        t.link_gbps[ln] * m.antennas[st, q]
        for ln, st in t.downlink_station.items()
        if t.link_ends[ln][1] == f"site:{s}"
        for q in t.online(t.antenna_idx, t.antenna_lead, st, p)
    ]
    return used, sum(added)


def traffic_cash(m: pyo.ConcreteModel, d: PlanData) -> CashTerms:
    """Leased expansions in ``opex`` while online, antennas in ``capex`` when started [$M]."""
    out, t = CashTerms(d.n_periods), d.traffic
    if not t.enabled:
        return out
    for ln, q in t.expand_idx:
        for p in range(q + t.link_lead[ln], d.n_periods):
            out.add("opex", p, t.link_cost[ln] * WAVE_GBPS * d.dt * m.link_expand[ln, q])
    for st, q in t.antenna_idx:
        out.add("capex", q, t.antenna_capex_musd * m.antennas[st, q])
    return out
