"""The traffic network (twin.network): shares, path search and which nodes may carry transit."""

from __future__ import annotations

import pytest
from traffic_model import traffic_model

from twin.network import NetLink, k_paths, region_shares, site_graph
from twin.spec import load_dict


def test_population_shares_fill_what_given_shares_leave() -> None:
    """r1 given 0.2; r2 and r3 (populations 1 and 3) share the other 0.8 as 1:3."""
    model = traffic_model(
        user_regions={
            "r1": {"share": 0.2},
            "r2": {"share": None, "population": 1.0},
            "r3": {"lat_deg": 36.0, "lon_deg": -85.0, "population": 3.0,
                   "source": "assumption: test value"},
        },
        links={"r3_r1": {"from_node": "region:r3", "to_node": "region:r1", "capacity_gbps": 10.0,
                         "source": "assumption: test value"}},  # a region no link reaches: refused
    )  # fmt: skip
    shares = region_shares(load_dict(model).model)
    assert shares == pytest.approx({"r1": 0.2, "r2": 0.2, "r3": 0.6})


def _link(name: str, a: str, b: str, ms: float) -> NetLink:
    return NetLink(name, a, b, "fiber", 10.0, ms)


LINKS = {
    ln.name: ln
    for ln in (
        _link("ab", "region:a", "region:b", 1.0),
        _link("bs", "region:b", "site:s", 1.0),
        _link("as", "site:s", "region:a", 5.0),  # written site-first: still region -> site
        _link("at", "region:a", "site:t", 0.5),
        _link("ts", "site:t", "site:s", 0.1),  # another site carries no transit
        _link("ag", "region:a", "station:g", 0.2),
        _link("gb", "station:g", "region:b", 0.1),  # a station is no router either
    )
}


def test_paths_come_in_latency_order_and_transit_only_through_regions() -> None:
    """a -> s: via b (2 ms), then direct (5 ms); never via site t (0.6 ms) or station g (1.3 ms)."""
    g = site_graph(LINKS, "s")
    paths = k_paths(g, "region:a", "site:s", 5)
    assert [(p, pytest.approx(ms)) for p, ms in paths] == [
        (["region:a", "region:b", "site:s"], 2.0),
        (["region:a", "site:s"], 5.0),
    ]
    assert k_paths(g, "region:a", "site:s", 1) == paths[:1]
    assert k_paths(g, "region:a", "site:s", 5, max_ms=3.0) == paths[:1]
    assert k_paths(g, "region:a", "site:nowhere", 3) == []


def test_a_network_is_built_once_per_distinct_input() -> None:
    """The same inputs give the same (frozen) network without a rebuild; a link's capacity, a
    site switched off or another k give a new one, with the new figures."""
    from twin.network import build_network

    base = load_dict(traffic_model()).model
    again = load_dict(traffic_model()).model  # equal, not the same object
    net = build_network(base)
    assert build_network(again) is net
    wider = load_dict(traffic_model(links={"r1_s1": {"capacity_gbps": 25.0}})).model
    assert build_network(wider).links["r1_s1"].capacity_gbps == 25.0
    assert net.links["r1_s1"].capacity_gbps == 10.0
    off = load_dict(traffic_model(sites={"s2": {"enabled": False}})).model
    assert {r.site for r in build_network(off).routes} == {"s1"}
    assert {r.site for r in net.routes} == {"s1", "s2"}
    assert build_network(base, k=2) is not net
