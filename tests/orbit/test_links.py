"""Snapshot link graph: structure, and shortest paths against direct geometry from Skyfield."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from skyfield.api import wgs84

from twin.orbit.almanac import timescale
from twin.orbit.examples import walker_shell
from twin.orbit.links import constellation_graph, shortest_latency_path, station_node
from twin.orbit.shells import shell_satellites
from twin.spec.orbit import EARTH_RADIUS_KM, read_ground_stations

DATASETS = Path(__file__).resolve().parents[2] / "datasets"
C_KM_S = 299792.458
WHEN = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
#: Latency from Skyfield's topocentric range vs the graph's: sub-metre ranges -> 1e-5 ms.
LATENCY_TOL_MS = 1e-5


@pytest.fixture(scope="module")
def setup():
    stations = read_ground_stations(DATASETS / "ground_stations.csv")
    shells = {"a": walker_shell(12, 20), "b": walker_shell(4, 6, inclination_deg=97.6)}
    return shells, stations, constellation_graph(shells, stations, WHEN)


def test_nodes_and_edges_are_typed(setup):
    _shells, stations, g = setup
    kinds = nx.get_node_attributes(g, "kind")
    assert sum(k == "satellite" for k in kinds.values()) == 12 * 20 + 4 * 6
    assert sum(k == "station" for k in kinds.values()) == len(stations)
    assert {"sat:a:0", "sat:b:23", "station:memphis"} <= set(g)
    for _, _, d in g.edges(data=True):
        assert d["kind"] in {"ground-sat", "isl"}
        assert d["latency_ms"] == pytest.approx(d["range_km"] / C_KM_S * 1e3)
    # +grid: every satellite of a 12 x 20 Walker delta has 4 ISL neighbours
    isl_degree = [
        sum(1 for _, _, d in g.edges(f"sat:a:{i}", data=True) if d["kind"] == "isl")
        for i in range(240)
    ]
    assert set(isl_degree) == {4}


def test_in_plane_isl_is_the_orbit_chord(setup):
    _, _, g = setup
    d = g.edges["sat:a:0", "sat:a:1"]
    chord = 2 * (EARTH_RADIUS_KM + 550.0) * np.sin(np.pi / 20)
    assert d["isl"] == "in-plane"
    assert d["range_km"] == pytest.approx(chord, rel=0.003)


def test_ground_edges_and_direct_path_match_skyfield(setup):
    """Every satellite Skyfield sees above 25 deg from Memphis is linked, and the shortest path
    to shell 'a' is the one hop to the nearest of them."""
    shells, stations, g = setup
    st = stations["memphis"]
    topos = wgs84.latlon(st.lat_deg, st.lon_deg, elevation_m=st.elevation_m)
    t = timescale().from_datetime(WHEN)
    visible = {}
    for sat in shell_satellites("a", shells["a"]):
        alt, _, dist = (sat - topos).at(t).altaz()
        if alt.degrees >= st.min_elevation_deg:
            visible[sat.name] = dist.km / C_KM_S * 1e3
    linked = {v for v in g.neighbors(station_node("memphis")) if g.nodes[v]["shell"] == "a"}
    assert linked == set(visible)
    assert visible, "pick a time with a satellite in view"
    latency, path = shortest_latency_path(g, station_node("memphis"), "a")
    assert path[0] == "station:memphis" and len(path) == 2
    assert latency == pytest.approx(min(visible.values()), abs=LATENCY_TOL_MS)


def test_multi_hop_path_sums_its_links_and_respects_the_straight_line(setup):
    """Across shells there are no links, so sat:a:0 reaches shell b only through stations; the
    path's latency is the sum of its links and no less than the straight line / c."""
    shells, _, g = setup
    latency, path = shortest_latency_path(g, "sat:a:0", "b")
    assert len(path) >= 3 and any(n.startswith("station:") for n in path)
    hops = sum(g.edges[u, v]["latency_ms"] for u, v in itertools.pairwise(path))
    assert latency == pytest.approx(hops)
    t = timescale().from_datetime(WHEN)
    a0 = shell_satellites("a", shells["a"], [0])[0].at(t).position.km
    target = int(path[-1].rsplit(":", 1)[1])
    b = shell_satellites("b", shells["b"], [target])[0].at(t).position.km
    assert latency >= np.linalg.norm(a0 - b) / C_KM_S * 1e3


def test_unreachable_shell_raises_no_path():
    stations = read_ground_stations(DATASETS / "ground_stations.csv")
    g = constellation_graph(
        {"eq": walker_shell(2, 4, inclination_deg=0.0)}, {"svalsat": stations["svalsat"]}, WHEN
    )
    with pytest.raises(nx.NetworkXNoPath):
        shortest_latency_path(g, "station:svalsat", "eq")
    with pytest.raises(nx.NodeNotFound):
        shortest_latency_path(g, "station:nowhere", "eq")
