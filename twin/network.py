"""The traffic network: user regions, capacitated links and candidate paths to every site.

Nodes are named ``region:<name>``, ``site:<name>`` and ``station:<name>`` (as in
:mod:`twin.graph`). Links are the fiber rows of the model's ``links`` table -- latency
``km x n / c`` over the row's route length, or over the great-circle distance x the 1.5 route
factor (:func:`twin.graph.fiber_latency_ms`), about 7.3 us per great-circle km -- and, for each
orbital site, one downlink per ground station that sees its shell: usable capacity
``contact fraction x link rate`` (the share of time a satellite is in view times the rate of one
link, :class:`twin.plan.orbit_data.OrbitGeometry`), latency the shell's mean one-way latency to
the station.

Why paths rather than arcs: a tenant's latency SLA bounds the latency of the whole path from a
user region to the serving site, a property of a path, not of any one arc. An arc formulation
would need a latency budget carried along every arc (a resource-constrained flow, or a copy of
the network per latency level); with the k lowest-latency simple paths per (region, site),
generated once here by Yen's algorithm (``networkx.shortest_simple_paths``), the SLA is simply
which path variables exist, and the LP stays a plain multicommodity flow over few columns. The
cost: a path beyond the k-th lowest latency is never used, even when the first k are full; k
(``traffic.paths_k``) trades that against size.

Paths are searched on a directed graph per site: transit only through regions (a site is no
router, and another site's campus carries no transit), a station only as the last hop to an
orbital site (region -> station -> site).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import networkx as nx

from twin.constants import FIBER_GROUP_INDEX, SPEED_OF_LIGHT_KM_S
from twin.graph import fiber_latency_ms, great_circle_km
from twin.spec.schema import Model

__all__ = [
    "NetLink",
    "Network",
    "Route",
    "build_network",
    "k_paths",
    "light_floor_ms",
    "region_shares",
]


def light_floor_ms(km: float) -> float:
    """One-way time for light in vacuum over ``km`` [ms]: no path can be faster."""
    return km / SPEED_OF_LIGHT_KM_S * 1e3


def route_latency_ms(km: float) -> float:
    """One-way latency over ``km`` of fiber route (not great-circle distance) [ms]."""
    return km * FIBER_GROUP_INDEX / SPEED_OF_LIGHT_KM_S * 1e3


@dataclass(frozen=True)
class NetLink:
    """A link: ends, capacity today [Gbit/s], one-way latency [ms] and what expanding it costs."""

    name: str
    a: str
    b: str
    kind: str  # "fiber" or "downlink"
    capacity_gbps: float
    latency_ms: float
    cost_musd_per_gbps_year: float = 0.0
    lead_months: int = 0
    max_expand_gbps: float | None = None
    station: str | None = None  # a downlink's ground station


@dataclass(frozen=True)
class Route:
    """A candidate path from a user region to a site: its links in order and its latency [ms]."""

    name: str
    region: str
    site: str
    links: tuple[str, ...]
    latency_ms: float


@dataclass(frozen=True)
class Network:
    """Links, candidate routes, traffic shares of the regions and the nodes' coordinates."""

    links: dict[str, NetLink] = field(default_factory=dict)
    routes: tuple[Route, ...] = ()
    shares: dict[str, float] = field(default_factory=dict)
    coords: dict[str, tuple[float, float]] = field(default_factory=dict)


def region_shares(model: Model) -> dict[str, float]:
    """Traffic share of every enabled region: its ``share``, else its population share among
    the regions without one, scaled to what the given shares leave [-]."""
    regions = {n: r for n, r in model.user_regions.items() if r.enabled}
    given = {n: r.share for n, r in regions.items() if r.share is not None}
    rest = {n: r.population for n, r in regions.items() if r.share is None}
    left, pop = max(0.0, 1.0 - sum(given.values())), sum(rest.values())
    out = {n: float(v) for n, v in given.items()}
    out |= {n: (left * p / pop if pop > 0 else 0.0) for n, p in rest.items()}
    return {n: out[n] for n in regions}


def node_coords(model: Model) -> dict[str, tuple[float, float]]:
    """(lat, lon) of every region, enabled terrestrial site and ground station [deg]."""
    out = {f"region:{n}": (r.lat_deg, r.lon_deg) for n, r in model.user_regions.items()}
    for n, s in model.sites.items():
        if s.kind == "terrestrial" and s.lat_deg is not None and s.lon_deg is not None:
            out[f"site:{n}"] = (s.lat_deg, s.lon_deg)
    for n, st in model.orbit.ground_stations.items():
        out[f"station:{n}"] = (st.lat_deg, st.lon_deg)
    return out


def fiber_links(model: Model, coords: dict[str, tuple[float, float]]) -> dict[str, NetLink]:
    """The ``links`` table as :class:`NetLink` (latency from ``km`` or the great circle)."""
    out = {}
    for name, ln in model.links.items():
        if ln.km is not None:
            lat = route_latency_ms(ln.km)
        else:
            (la, lo), (lb, lob) = coords[ln.from_node], coords[ln.to_node]
            lat = fiber_latency_ms(great_circle_km(la, lo, lb, lob))
        out[name] = NetLink(
            name,
            ln.from_node,
            ln.to_node,
            "fiber",
            ln.capacity_gbps,
            lat,
            ln.expand_musd_per_gbps_year,
            ln.expand_lead_months,
            ln.expand_max_gbps,
        )
    return out


def downlinks(
    station_gbps: dict[tuple[str, str], float], station_latency_ms: dict[tuple[str, str], float]
) -> dict[str, NetLink]:
    """One downlink per (orbital site, station) with capacity > 0 and a finite latency."""
    out = {}
    for (site, st), gbps in station_gbps.items():
        lat = station_latency_ms.get((site, st), math.inf)
        if gbps > 0 and math.isfinite(lat):
            name = f"downlink:{st}>{site}"
            out[name] = NetLink(
                name, f"station:{st}", f"site:{site}", "downlink", gbps, lat, station=st
            )
    return out


def site_graph(links: dict[str, NetLink], site: str) -> nx.DiGraph:
    """Directed graph of the paths to ``site``: region-region both ways, region -> site,
    region -> station and station -> site (module docstring)."""
    g = nx.DiGraph()
    target = f"site:{site}"
    for ln in links.values():
        kinds = {ln.a.split(":")[0], ln.b.split(":")[0]}
        attrs = {"latency_ms": ln.latency_ms, "link": ln.name}
        if kinds == {"region"}:
            g.add_edge(ln.a, ln.b, **attrs)
            g.add_edge(ln.b, ln.a, **attrs)
        elif target in (ln.a, ln.b) or kinds == {"region", "station"}:
            a, b = (ln.a, ln.b) if ln.b == target or ln.a.startswith("region") else (ln.b, ln.a)
            g.add_edge(a, b, **attrs)
    return g


def k_paths(
    g: nx.DiGraph, source: str, target: str, k: int, max_ms: float = math.inf
) -> list[tuple[list[str], float]]:
    """Up to ``k`` lowest-latency simple paths from ``source`` to ``target`` (Yen's algorithm)
    with their latency [ms], none above ``max_ms`` (they come in increasing latency, so the
    search stops at the first one above); none if either node is absent or no path exists."""
    if source not in g or target not in g:
        return []
    out: list[tuple[list[str], float]] = []
    try:
        for path in nx.shortest_simple_paths(g, source, target, "latency_ms"):
            lat = nx.path_weight(g, path, "latency_ms")
            if lat > max_ms or len(out) == k:
                break
            out.append((path, lat))
    except nx.NetworkXNoPath:
        return []
    return out


#: networks built, by what they are built from (:func:`build_network`); a stochastic leaf's plan
#: data per period rebuilds the same network many times (growth rates do not touch it)
_NETWORKS: dict[str, Network] = {}
_NETWORKS_KEPT = 32


def build_network(
    model: Model,
    station_gbps: dict[tuple[str, str], float] | None = None,
    station_latency_ms: dict[tuple[str, str], float] | None = None,
    k: int | None = None,
    max_ms: float = math.inf,
) -> Network:
    """The traffic network of ``model`` (:func:`network_from`), built once per distinct input:
    the regions, sites, ground stations, links, ``traffic.paths_k``, the downlinks, ``k`` and
    ``max_ms`` (a :class:`Network` is frozen and never changed by its users)."""
    key = repr(
        (
            model.user_regions,
            [(n, s.kind, s.enabled, s.lat_deg, s.lon_deg) for n, s in model.sites.items()],
            model.orbit.ground_stations,
            model.links,
            model.traffic.paths_k,
            sorted((station_gbps or {}).items()),
            sorted((station_latency_ms or {}).items()),
            k,
            max_ms,
        )
    )
    hit = _NETWORKS.get(key)
    if hit is None:
        while len(_NETWORKS) >= _NETWORKS_KEPT:
            _NETWORKS.pop(next(iter(_NETWORKS)))
        hit = _NETWORKS[key] = network_from(model, station_gbps, station_latency_ms, k, max_ms)
    return hit


def network_from(
    model: Model,
    station_gbps: dict[tuple[str, str], float] | None = None,
    station_latency_ms: dict[tuple[str, str], float] | None = None,
    k: int | None = None,
    max_ms: float = math.inf,
) -> Network:
    """The traffic network of ``model`` (module docstring); orbital downlinks from the orbit
    geometry's per-station capacity and latency, keyed (orbital site, station); ``k`` paths per
    (region, site), default ``traffic.paths_k``, none slower than ``max_ms`` (the loosest SLA of
    a routed tenant: a slower path could carry no flow). A region whose shortest path to a site
    is slower is skipped before Yen's algorithm runs (one Dijkstra per site, from the site on the
    reversed graph)."""
    coords = node_coords(model)
    links = fiber_links(model, coords)
    links |= downlinks(station_gbps or {}, station_latency_ms or {})
    shares = region_shares(model)
    k = model.traffic.paths_k if k is None else k
    routes = []
    for s, site in model.sites.items():
        if not site.enabled:
            continue
        g = site_graph(links, s)
        target = f"site:{s}"
        back = g.reverse(copy=False)
        near = (
            nx.single_source_dijkstra_path_length(back, target, max_ms, weight="latency_ms")
            if target in g
            else {}
        )
        for r in shares:
            if f"region:{r}" not in near:
                continue
            for i, (path, lat) in enumerate(k_paths(g, f"region:{r}", f"site:{s}", k)):
                used = tuple(g.edges[a, b]["link"] for a, b in itertools.pairwise(path))
                routes.append(Route(f"{r}>{s}#{i + 1}", r, s, used, lat))
    return Network(links, tuple(routes), shares, coords)
