"""A snapshot network of ground stations and satellites (NetworkX), weighted by latency.

At one instant ``t``:

* nodes ``station:<name>`` (``kind='station'``) and ``sat:<shell>:<index>``
  (``kind='satellite'``, with ``shell``, ``plane``, ``slot``);
* ``kind='ground-sat'`` edges between a station and every satellite above its minimum elevation;
* ``kind='isl'`` edges along each shell's +grid (in-plane ring and cross-plane neighbours, see
  :func:`twin.orbit.shells.grid_isl_pairs`), attribute ``isl`` = ``'in-plane'``/``'cross-plane'``.

Every edge carries ``range_km`` and ``latency_ms`` = range / c (one way, vacuum light speed; no
processing or queueing delay). Links between shells are not modelled. The graph is undirected;
compose it with a terrestrial graph (``networkx.compose``) to route beyond the stations.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import networkx as nx
import numpy as np
from skyfield.timelib import Time

from twin.orbit.almanac import timescale
from twin.orbit.frames import stations_teme_km
from twin.orbit.geometry import propagate_teme_km
from twin.orbit.shells import grid_isl_pairs, satellite_node, shell_satrecs
from twin.orbit.visibility import SPEED_OF_LIGHT_KM_S, look_angles
from twin.spec.orbit import GroundStation, Shell

__all__ = ["constellation_graph", "shortest_latency_path", "station_node"]


def station_node(name: str) -> str:
    """Graph name of a ground station: ``station:<name>``."""
    return f"station:{name}"


def _as_time(when: datetime | Time) -> Time:
    if isinstance(when, Time):
        return when
    if when.tzinfo is None:
        raise ValueError("constellation_graph needs a timezone-aware datetime (UTC)")
    return timescale().from_datetime(when)


def constellation_graph(
    shells: Mapping[str, Shell],
    stations: Mapping[str, GroundStation],
    when: datetime | Time,
) -> nx.Graph:
    """The station-satellite and +grid inter-satellite link graph at instant ``when``."""
    t = _as_time(when)
    t1 = t if np.ndim(t.tt) else timescale().tt_jd(np.atleast_1d(t.tt))
    g = nx.Graph()
    for name, st in stations.items():
        g.add_node(station_node(name), kind="station", lat_deg=st.lat_deg, lon_deg=st.lon_deg)
    pos, up = stations_teme_km(stations, t1)
    sin_min = np.sin(np.radians([st.min_elevation_deg for st in stations.values()]))
    st_nodes = [station_node(n) for n in stations]
    for shell_name, shell in shells.items():
        r = propagate_teme_km(shell_satrecs(shell), t1)  # (n_sat, 1, 3)
        nodes = [satellite_node(shell_name, i) for i in range(shell.size)]
        for i, node in enumerate(nodes):
            g.add_node(
                node,
                kind="satellite",
                shell=shell_name,
                plane=i // shell.sats_per_plane,
                slot=i % shell.sats_per_plane,
            )
        if stations:
            sin_el, rng = look_angles(r, pos, up)
            sat_i, st_i = np.nonzero(sin_el[:, :, 0] >= sin_min[None, :])
            for a, b in zip(sat_i, st_i, strict=True):
                d = float(rng[a, b, 0])
                g.add_edge(
                    st_nodes[b],
                    nodes[a],
                    kind="ground-sat",
                    range_km=d,
                    latency_ms=d / SPEED_OF_LIGHT_KM_S * 1e3,
                    elevation_deg=float(np.degrees(np.arcsin(min(sin_el[a, b, 0], 1.0)))),
                )
        for label, pairs in zip(("in-plane", "cross-plane"), grid_isl_pairs(shell), strict=True):
            if not len(pairs):
                continue
            d = np.linalg.norm(r[pairs[:, 0], 0] - r[pairs[:, 1], 0], axis=-1)
            for (a, b), dk in zip(pairs, d, strict=True):
                g.add_edge(
                    nodes[a],
                    nodes[b],
                    kind="isl",
                    isl=label,
                    range_km=float(dk),
                    latency_ms=float(dk) / SPEED_OF_LIGHT_KM_S * 1e3,
                )
    return g


def shortest_latency_path(graph: nx.Graph, source: str, shell: str) -> tuple[float, list[str]]:
    """Lowest-latency path (sum of ``latency_ms``) from node ``source`` to any satellite of
    ``shell``: returns ``(latency_ms, [source, ..., satellite])``.

    Raises ``networkx.NodeNotFound`` for an unknown source and ``networkx.NetworkXNoPath`` when
    no satellite of the shell is reachable (e.g. none in view and no links to one).
    """
    if source not in graph:
        raise nx.NodeNotFound(f"node {source!r} is not in the graph")
    targets = {
        n
        for n, d in graph.nodes(data=True)
        if d.get("kind") == "satellite" and d.get("shell") == shell
    }
    if not targets:
        raise nx.NetworkXNoPath(f"shell {shell!r} has no satellites in the graph")
    dist, path = nx.multi_source_dijkstra(graph, targets, target=source, weight="latency_ms")
    return float(dist), list(reversed(path))
