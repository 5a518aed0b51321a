"""The terrestrial graph: great-circle fiber latency and SLA eligibility."""

from __future__ import annotations

import pytest

from twin.graph import build_graph, eligible_pairs, great_circle_km, latency_ms
from twin.spec import load_model


def test_great_circle_distance_memphis_to_san_francisco() -> None:
    """Memphis (35.15 N, 90.05 W) to San Francisco (37.77 N, 122.42 W) is about 2,900 km
    (published great-circle distance 2,897 km); 0.5% tolerance covers the spherical Earth."""
    assert great_circle_km(35.1495, -90.0490, 37.7749, -122.4194) == pytest.approx(2897, rel=5e-3)


def test_fiber_latency_is_distance_over_light_in_glass() -> None:
    """1,000 km of great circle by fiber: 1,500 km of route at c/1.468 ~ 7.35 ms one way."""
    g = build_graph(load_model("models/baseline.yaml").model)
    for _, _, data in g.edges(data=True):
        if data["kind"] == "fiber":
            assert data["latency_ms"] == pytest.approx(data["km"] * 1.5 * 1.468 / 299.792458)


def test_latency_sla_makes_pairs_ineligible() -> None:
    m = load_model("models/baseline.yaml").model
    g = build_graph(m)
    pairs = eligible_pairs(m)
    assert not m.sites["orbital_dd"].enabled
    assert not any(s == "orbital_dd" for s, _ in pairs)  # disabled sites serve nobody
    for s in [n for n, site in m.sites.items() if site.enabled]:
        assert (s, "xai_training") in pairs  # no SLA: anywhere
        lat = latency_ms(g, s, "xai_inference")
        assert ((s, "xai_inference") in pairs) == (lat <= 40.0)
