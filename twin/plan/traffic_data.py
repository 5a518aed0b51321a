"""Data of the traffic family (:mod:`twin.plan.traffic`), computed once from the spec and the
network (:mod:`twin.network`) in :func:`twin.plan.data.plan_data`.

Routed tenants (:func:`routed_tenants`): enabled tenants with an ``inference_share`` when
``traffic.enabled``; transfer tenants (:func:`transfer_tenants`): training tenants when
``traffic.training_gb_per_h100e_hour`` > 0 (data-set and checkpoint transfer). A route is one of
the k lowest-latency paths from a user region to a site; a flow ``(route, j, p)`` exists only where
the route's latency is within tenant j's SLA and j may be served at the route's site (the sparsity
is the SLA). A training tenant's transfer enters its site over any of the site's links
(:func:`access_links`): one variable per (link into a site, period). A link expansion started in p
is online from ``p + L_l``, ``L_l = ceil(lead / period)``; an antenna likewise with the station
lead. With the hourly model on (``horizon.hours.representative_days``) each user region's traffic
has a daily shape by local solar time (:func:`diurnal_shape`), the same on every day: hour h
(UTC, 0-23) carries ``sigma_r[h]`` times the period's mean. Units: Gbit/s, ms, $M.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from twin.network import Network, Route, build_network
from twin.plan.calendar import Calendar
from twin.plan.orbit_data import OrbitGeometry
from twin.spec.schema import Model


@dataclass(frozen=True)
class TrafficData:
    """Sets and coefficients of the traffic family (module docstring)."""

    routed: dict[str, float] = field(default_factory=dict)  # tenant -> c_j [Gbit/s per kH100e]
    inference_share: dict[str, float] = field(default_factory=dict)  # tenant -> phi_j [-]
    transfer: dict[str, float] = field(default_factory=dict)  # training tenant -> c_j
    transfer_links: dict[str, tuple[str, ...]] = field(default_factory=dict)  # site -> links in
    transfer_idx: tuple[tuple[str, int], ...] = ()  # (link into a site, period)
    shares: dict[str, float] = field(default_factory=dict)  # region -> traffic share
    routes: tuple[str, ...] = ()
    route_region: dict[str, str] = field(default_factory=dict)
    route_site: dict[str, str] = field(default_factory=dict)
    route_latency_ms: dict[str, float] = field(default_factory=dict)
    route_links: dict[str, tuple[str, ...]] = field(default_factory=dict)
    flow_idx: tuple[tuple[str, str, int], ...] = ()
    links: tuple[str, ...] = ()
    link_ends: dict[str, tuple[str, str]] = field(default_factory=dict)
    link_kind: dict[str, str] = field(default_factory=dict)
    link_gbps: dict[str, float] = field(default_factory=dict)
    link_cost: dict[str, float] = field(default_factory=dict)  # $M per Gbit/s-year
    link_lead: dict[str, int] = field(default_factory=dict)
    link_max: dict[str, float | None] = field(default_factory=dict)
    expand_idx: tuple[tuple[str, int], ...] = ()
    stations: tuple[str, ...] = ()
    downlink_station: dict[str, str] = field(default_factory=dict)
    antenna_idx: tuple[tuple[str, int], ...] = ()
    antenna_capex_musd: float = 0.0
    antenna_lead: int = 0
    antenna_max: int = 0
    coords: dict[str, tuple[float, float]] = field(default_factory=dict)
    hour_shape: dict[str, tuple[float, ...]] = field(default_factory=dict)  # region -> sigma_r[h]
    # (read only when the plan has representative days, ``PlanData.hours``)

    @property
    def enabled(self) -> bool:
        """Whether any flow exists (False: the family adds nothing to the model)."""
        return bool(self.flow_idx or self.transfer_idx)

    def online(self, idx: tuple[tuple[str, int], ...], lead: int, key: str, p: int) -> list[int]:
        """Start periods q of ``key`` in ``idx`` online in p: ``q + lead <= p``."""
        return [q for k, q in idx if k == key and q + lead <= p]


def diurnal_shape(lon_deg: float, peak_to_mean: float, peak_hour: float) -> tuple[float, ...]:
    """``sigma[h] = 1 + (P - 1) cos(2 pi (h + 1/2 + lon/15 - h*) / 24)`` for UTC hours h = 0..23
    [-]: a region's traffic in hour h over its daily mean, a cosine of local solar time (the
    hour's middle, ``lon/15`` hours ahead of UTC) with peak-to-mean P at local hour h*. Its
    24 values average exactly 1 (a cosine over whole periods sums to 0)."""
    return tuple(
        1 + (peak_to_mean - 1) * math.cos(2 * math.pi * (h + 0.5 + lon_deg / 15 - peak_hour) / 24)
        for h in range(24)
    )


def transfer_gbps_per_k(gb_per_h100e_hour: float) -> float:
    """Training transfer of 1000 H100e [Gbit/s]: ``GB/H100e-h x 1000 x 8 Gbit/GB / 3600 s/h``."""
    return gb_per_h100e_hour * 1000 * 8 / 3600


def routed_tenants(m: Model, tenants: list[str]) -> dict[str, float]:
    """Routed tenants with c_j = ``g phi_j``, their routed inference per unit of compute [Gbit/s
    per kH100e] (phi_j > 0: the inference share); none when traffic is off or there are no user
    regions."""
    tr = m.traffic
    if not tr.enabled or not m.user_regions:
        return {}
    shares = {j: m.tenants[j].inference_share or 0.0 for j in tenants}
    return {j: tr.gbps_per_k_h100e * phi for j, phi in shares.items() if phi > 0}


def transfer_tenants(m: Model, tenants: list[str]) -> dict[str, float]:
    """Training tenants (none routed as inference) with c_j, their data-set and checkpoint
    transfer per unit of compute [Gbit/s per kH100e] (:func:`transfer_gbps_per_k`); none when
    traffic is off, there is no link or ``training_gb_per_h100e_hour`` is 0."""
    tr = m.traffic
    if not tr.enabled or not m.links or tr.training_gb_per_h100e_hour <= 0:
        return {}
    c = transfer_gbps_per_k(tr.training_gb_per_h100e_hour)
    return {
        j: c
        for j in tenants
        if m.tenants[j].workload == "training" and not m.tenants[j].inference_share
    }


def access_links(net: Network) -> dict[str, tuple[str, ...]]:
    """The links into each site: fiber with an end at ``site:<s>`` and its downlinks."""
    out: dict[str, list[str]] = {}
    for ln in net.links.values():
        for end in (ln.a, ln.b):
            if end.startswith("site:"):
                out.setdefault(end.removeprefix("site:"), []).append(ln.name)
    return {s: tuple(sorted(v)) for s, v in out.items()}


def routed_pairs(m: Model, net: Network, routed: dict[str, float]) -> set[tuple[str, str]]:
    """(site, tenant) pairs of routed tenants with a route within the tenant's SLA."""
    out = set()
    for rt in net.routes:
        for j in routed:
            sla = m.tenants[j].latency_sla_ms
            if sla is None or rt.latency_ms <= sla:
                out.add((rt.site, j))
    return out


def network_of(m: Model, geo: OrbitGeometry, routed: dict[str, float]) -> Network:
    """The traffic network with the orbit geometry's downlinks, paths within the loosest SLA
    of the routed tenants (none: no limit; no routed tenant: no path is needed)."""
    slas = [m.tenants[j].latency_sla_ms for j in routed]
    if not slas:
        limit = 0.0
    elif any(x is None for x in slas):
        limit = math.inf
    else:
        limit = max(x for x in slas if x is not None)
    return build_network(m, geo.station_gbps, geo.station_latency_ms, max_ms=limit)


def traffic_pairs(
    m: Model, geo: OrbitGeometry, tenants: list[str], pairs: set[tuple[str, str]]
) -> tuple[set[tuple[str, str]], Network | None, dict[str, float]]:
    """The (site, tenant) pairs that may be served -- a routed tenant's where a route is within
    its SLA, a training tenant's with transfer where a link reaches the site, the others' as
    ``pairs`` says -- the network (None without routed or transfer tenants) and the routed
    tenants with c_j (:func:`routed_tenants`)."""
    routed, moved = routed_tenants(m, tenants), transfer_tenants(m, tenants)
    if not routed and not moved:
        return pairs, None, routed
    net = network_of(m, geo, routed)
    reached = access_links(net)
    kept = {(s, j) for s, j in pairs if j not in routed and (j not in moved or s in reached)}
    return kept | routed_pairs(m, net, routed), net, routed


def _flows(
    m: Model, net: Network, routed: dict[str, float], alloc: set, n: int
) -> tuple[list[tuple[str, str, int]], list[Route]]:
    """Flow index (route within the SLA, region with a share, tenant served at its site in the
    period: a flow to a site that cannot serve the tenant then would serve nothing) and the
    routes it uses."""
    flow_idx: list[tuple[str, str, int]] = []
    used: set[str] = set()
    for rt in net.routes:
        for j in routed:
            sla = m.tenants[j].latency_sla_ms
            ok = sla is None or rt.latency_ms <= sla
            if ok and net.shares.get(rt.region, 0.0) > 0:
                here = [(rt.name, j, p) for p in range(n) if (rt.site, j, p) in alloc]
                flow_idx += here
                used.update(k for k, _, _ in here)
    return flow_idx, [rt for rt in net.routes if rt.name in used]


def traffic_data(
    m: Model,
    net: Network | None,
    routed: dict[str, float],
    alloc_idx: list[tuple[str, str, int]],
    cal: Calendar,
) -> TrafficData:
    """The family's data (module docstring); empty without routed or transfer tenants."""
    alloc_pairs = {(s, j) for s, j, _ in alloc_idx}
    moved = transfer_tenants(m, sorted({j for _, j in alloc_pairs}))
    if net is None or not (routed or moved):
        return TrafficData()
    n, months_per_period = len(cal.starts), round(cal.dt * 12)
    flow_idx, routes = _flows(m, net, routed, set(alloc_idx), n)
    access = access_links(net)
    into = {s: access[s] for s in sorted({s for s, j in alloc_pairs if j in moved}) if s in access}
    links = sorted({ln for rt in routes for ln in rt.links} | {x for v in into.values() for x in v})
    nl = net.links
    lead = {ln: math.ceil(nl[ln].lead_months / months_per_period) for ln in links}
    expand = [
        (ln, p)
        for ln in links
        if nl[ln].kind == "fiber" and nl[ln].cost_musd_per_gbps_year > 0
        for p in range(n)
        if p + lead[ln] < n
    ]
    station_of = {ln: str(nl[ln].station) for ln in links if nl[ln].kind == "downlink"}
    stations = sorted(set(station_of.values()))
    a_lead = math.ceil(m.traffic.station_lead_months / months_per_period)
    return TrafficData(
        routed=routed,
        inference_share={j: phi for j in routed if (phi := m.tenants[j].inference_share or 0.0)},
        transfer=moved,
        transfer_links=into,
        transfer_idx=_transfer_idx(into, {(s, p) for s, j, p in alloc_idx if j in moved}, n),
        shares=dict(net.shares),
        routes=tuple(rt.name for rt in routes),
        route_region={rt.name: rt.region for rt in routes},
        route_site={rt.name: rt.site for rt in routes},
        route_latency_ms={rt.name: rt.latency_ms for rt in routes},
        route_links={rt.name: rt.links for rt in routes},
        flow_idx=tuple(flow_idx),
        links=tuple(links),
        link_ends={ln: (nl[ln].a, nl[ln].b) for ln in links},
        link_kind={ln: nl[ln].kind for ln in links},
        link_gbps={ln: nl[ln].capacity_gbps for ln in links},
        link_cost={ln: nl[ln].cost_musd_per_gbps_year for ln in links},
        link_lead=lead,
        link_max={ln: nl[ln].max_expand_gbps for ln in links},
        expand_idx=tuple(expand),
        stations=tuple(stations),
        downlink_station=station_of,
        antenna_idx=tuple((st, p) for st in stations for p in range(n) if p + a_lead < n),
        antenna_capex_musd=m.traffic.station_capex_musd,
        antenna_lead=a_lead,
        antenna_max=m.traffic.station_max_antennas,
        coords=dict(net.coords),
        hour_shape=_hour_shapes(m, net),
    )


def _transfer_idx(
    into: dict[str, tuple[str, ...]], need: set[tuple[str, int]], n: int
) -> tuple[tuple[str, int], ...]:
    """(link into a site, period) where a training tenant may be served at the site then (a
    transfer elsewhere would carry nothing); a link between two sites once."""
    out = ((ln, p) for p in range(n) for s, links in into.items() if (s, p) in need for ln in links)
    return tuple(sorted(dict.fromkeys(out), key=lambda x: (x[0], x[1])))


def _hour_shapes(m: Model, net: Network) -> dict[str, tuple[float, ...]]:
    """:func:`diurnal_shape` of every region (read only by the hourly model)."""
    tr = m.traffic
    lon = {r: net.coords[f"region:{r}"][1] for r in net.shares}
    return {r: diurnal_shape(x, tr.peak_to_mean, tr.peak_hour_local) for r, x in lon.items()}
