"""The twin's NetworkX graph: sites, tenants, power sources and fiber links.

Nodes are named ``site:<name>``, ``tenant:<name>``, ``power:<name>`` (and, from
:mod:`twin.orbit`, ``station:<name>`` and ``sat:<shell>:<i>``), each with a ``kind`` attribute.
Fiber edges carry ``latency_ms``: one-way latency over a route ``FIBER_ROUTE_FACTOR`` times the
great-circle distance, at the speed of light in fiber ``c / n`` (:mod:`twin.constants`).
"""

from __future__ import annotations

import datetime as dt
import math

import networkx as nx

from twin.constants import (
    EARTH_MEAN_RADIUS_KM,
    FIBER_GROUP_INDEX,
    FIBER_ROUTE_FACTOR,
    SPEED_OF_LIGHT_KM_S,
)
from twin.spec.schema import Model


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere of the Earth's mean radius [km]."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_MEAN_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def fiber_latency_ms(km: float) -> float:
    """One-way latency over ``km`` of great-circle distance by fiber [ms]."""
    return km * FIBER_ROUTE_FACTOR * FIBER_GROUP_INDEX / SPEED_OF_LIGHT_KM_S * 1e3


def build_graph(model: Model) -> nx.Graph:
    """The terrestrial graph of enabled sites, tenants and power sources.

    Every tenant is linked by fiber to every enabled terrestrial site; every power source to its
    site. Orbital layers are added by :func:`twin.orbit.links` onto the same graph.
    """
    g = nx.Graph()
    for name, s in model.sites.items():
        if s.enabled:
            g.add_node(f"site:{name}", kind="site", site_kind=s.kind, lat=s.lat_deg, lon=s.lon_deg)
    for name, t in model.tenants.items():
        if t.enabled:
            g.add_node(f"tenant:{name}", kind="tenant", lat=t.lat_deg, lon=t.lon_deg)
    for name, p in model.power_sources.items():
        if model.sites[p.site].enabled:
            g.add_node(f"power:{name}", kind="power", source_kind=p.kind)
            g.add_edge(f"power:{name}", f"site:{p.site}", kind="supply", latency_ms=0.0)
    for sname, s in model.sites.items():
        if not s.enabled or s.kind != "terrestrial":
            continue
        # the schema requires a terrestrial site's coordinates
        assert s.lat_deg is not None and s.lon_deg is not None
        for tname, t in model.tenants.items():
            if t.enabled:
                km = great_circle_km(s.lat_deg, s.lon_deg, t.lat_deg, t.lon_deg)
                g.add_edge(
                    f"site:{sname}",
                    f"tenant:{tname}",
                    kind="fiber",
                    km=km,
                    latency_ms=fiber_latency_ms(km),
                )
    return g


def build_twin_graph(model: Model, when: dt.datetime) -> nx.Graph:
    """The whole twin at instant ``when``: the terrestrial graph plus ground stations, the
    satellites of every orbit shell, ground-satellite links in view at ``when``, +grid
    inter-satellite links, and fiber from every station to every enabled terrestrial site and
    tenant. Orbital sites (``site:<name>``) are joined to their shell's satellites at zero latency
    (the compute is on board).
    """
    from twin.orbit import constellation_graph

    g = build_graph(model)
    shells = model.orbit.shells
    stations = model.orbit.ground_stations
    if not shells or not stations:
        return g
    g = nx.compose(g, constellation_graph(shells, stations, when))
    for st_name, st in stations.items():
        node = f"station:{st_name}"
        for kind, table in (("site", model.sites), ("tenant", model.tenants)):
            for name, row in table.items():
                if not row.enabled or getattr(row, "kind", "") == "orbital":
                    continue
                # terrestrial sites and tenants have coordinates (the schema requires them)
                assert row.lat_deg is not None and row.lon_deg is not None
                km = great_circle_km(st.lat_deg, st.lon_deg, row.lat_deg, row.lon_deg)
                g.add_edge(
                    node, f"{kind}:{name}", kind="fiber", km=km, latency_ms=fiber_latency_ms(km)
                )
    for name, site in model.sites.items():
        if site.enabled and site.kind == "orbital":
            for sat, data in list(g.nodes(data=True)):
                if data.get("kind") == "satellite" and data.get("shell") == site.shell:
                    g.add_edge(f"site:{name}", sat, kind="on-board", latency_ms=0.0)
    return g


def tenant_to_shell(g: nx.Graph, tenant: str, shell: str) -> tuple[float, list[str]]:
    """Shortest one-way latency [ms] and path from a tenant to any satellite of ``shell`` in a
    snapshot graph from :func:`build_twin_graph` (inf and [] if none is reachable)."""
    from twin.orbit import shortest_latency_path

    try:
        return shortest_latency_path(g, f"tenant:{tenant}", shell)
    except (nx.NetworkXNoPath, nx.NodeNotFound, ValueError):
        return math.inf, []


def latency_ms(g: nx.Graph, site: str, tenant: str) -> float:
    """Shortest one-way latency from tenant to site over the graph [ms]; inf if unreachable."""
    try:
        return nx.shortest_path_length(g, f"tenant:{tenant}", f"site:{site}", weight="latency_ms")
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return math.inf


def eligible_pairs(
    model: Model, orbital_latency_ms: dict[tuple[str, str], float] | None = None
) -> set[tuple[str, str]]:
    """(site, tenant) pairs where the tenant's latency SLA can be met from the site.

    Terrestrial latency is the graph's shortest fiber path. Orbital latency, per (site, tenant), is
    given by the caller from the orbit geometry (:mod:`twin.orbit`); without it an orbital site
    serves only tenants with no SLA.
    """
    g = build_graph(model)
    lat_table = {
        f"tenant:{j}": nx.single_source_dijkstra_path_length(g, f"tenant:{j}", weight="latency_ms")
        for j, t in model.tenants.items()
        if t.enabled
    }
    pairs = set()
    for sname, s in model.sites.items():
        if not s.enabled:
            continue
        for tname, t in model.tenants.items():
            if not t.enabled:
                continue
            if s.kind == "terrestrial":
                lat = lat_table.get(f"tenant:{tname}", {}).get(f"site:{sname}", math.inf)
            else:
                lat = (orbital_latency_ms or {}).get((sname, tname), math.inf)
            if t.latency_sla_ms is None or lat <= t.latency_sla_ms:
                pairs.add((sname, tname))
    return pairs
