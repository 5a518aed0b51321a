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


def test_snapshot_path_from_tenant_to_orbit_goes_by_fiber_then_radio() -> None:
    """At a snapshot, the path from a tenant to the dawn-dusk shell runs tenant -> fiber ->
    ground station -> satellite (-> ISL hops); the radio hop's latency equals Skyfield's range
    from the station to that satellite over c, to 1 microsecond."""
    import datetime as dt

    from skyfield.api import wgs84

    from twin.graph import build_twin_graph, fiber_latency_ms, tenant_to_shell
    from twin.orbit import shell_satellites, timescale

    m = load_model("models/baseline.yaml", scenario="orbital_2035").model
    when = dt.datetime(2035, 6, 1, 12, 0, tzinfo=dt.UTC)
    g = build_twin_graph(m, when)
    assert g.has_edge("site:orbital_dd", "sat:dawn_dusk:0")
    lat, path = tenant_to_shell(g, "xai_inference", "dawn_dusk")
    assert path[0] == "tenant:xai_inference" and path[1].startswith("station:")
    assert path[2].startswith("sat:dawn_dusk:")
    station = m.orbit.ground_stations[path[1].split(":", 1)[1]]
    tenant = m.tenants["xai_inference"]
    fiber = fiber_latency_ms(
        great_circle_km(tenant.lat_deg, tenant.lon_deg, station.lat_deg, station.lon_deg)
    )
    index = int(path[2].rsplit(":", 1)[1])
    (sat,) = shell_satellites("dawn_dusk", m.orbit.shells["dawn_dusk"], indices=[index])
    t = timescale().from_datetime(when)
    here = wgs84.latlon(station.lat_deg, station.lon_deg, station.elevation_m)
    radio = (sat - here).at(t).distance().km / 299_792.458 * 1e3
    hops = sum(g.edges[a, b]["latency_ms"] for a, b in zip(path[2:], path[3:], strict=False))
    assert lat == pytest.approx(fiber + radio + hops, abs=1e-3)
    assert g.edges[path[1], path[2]]["latency_ms"] == pytest.approx(radio, abs=1e-3)
