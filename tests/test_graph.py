"""The terrestrial graph: great-circle fiber latency and SLA eligibility."""

from __future__ import annotations

import itertools

import pytest

from twin.graph import build_graph, eligible_pairs, great_circle_km
from twin.spec import load_model


def test_great_circle_distance_memphis_to_san_francisco() -> None:
    """Memphis (35.15 N, 90.05 W) to San Francisco (37.77 N, 122.42 W) is about 2,900 km
    (published great-circle distance 2,897 km); 0.5% tolerance covers the spherical Earth."""
    assert great_circle_km(35.1495, -90.0490, 37.7749, -122.4194) == pytest.approx(2897, rel=5e-3)


def test_fiber_latency_is_about_five_microseconds_per_route_km() -> None:
    """Light in standard single-mode fiber takes ~4.9 us per km (ITU-T G.652 group index ~1.468;
    the industry rule of thumb is "5 us per km"); routes run ~1.5x the great circle, so 1,000 km of
    great circle is ~7.3 ms one way (within 2%)."""
    from twin.graph import fiber_latency_ms

    assert fiber_latency_ms(1000.0) == pytest.approx(7.35, rel=0.02)
    g = build_graph(load_model("models/baseline.yaml").model)
    fibers = [data for _, _, data in g.edges(data=True) if data["kind"] == "fiber"]
    assert fibers
    for data in fibers:
        per_route_km_us = data["latency_ms"] * 1e3 / (1.5 * data["km"]) if data["km"] else 4.9
        assert per_route_km_us == pytest.approx(4.9, rel=0.02)


def test_latency_sla_makes_pairs_ineligible() -> None:
    """An inference tenant in Memphis with a 10 ms one-way SLA reaches ~1,360 km of great circle
    (10 ms x 204 km/ms / 1.5): Memphis itself and Atlanta (~540 km) qualify, Phoenix (~2,030 km)
    does not; a training tenant with no SLA is served from anywhere. Disabled sites serve nobody."""
    from conftest import TEST_SOURCE, tiny_model

    from twin.spec import load_dict

    site = tiny_model()["sites"]["s1"]
    sites = {
        "memphis": {**site, "lat_deg": 35.15, "lon_deg": -90.05},
        "atlanta": {**site, "lat_deg": 33.75, "lon_deg": -84.39},
        "phoenix": {**site, "lat_deg": 33.45, "lon_deg": -112.07},
        "off": {**site, "lat_deg": 35.15, "lon_deg": -90.05, "enabled": False},
    }
    grid = {"site": "memphis", "kind": "grid", "limit_mw": 1.0, "cost_usd_per_mwh": 0.0}
    power = {f"g_{s}": {**grid, "site": s, "source": TEST_SOURCE} for s in sites}
    tenant = tiny_model()["tenants"]["own"]
    tenants = {
        "inference": {
            **tenant,
            "workload": "inference",
            "latency_sla_ms": 10.0,
            "lat_deg": 35.15,
            "lon_deg": -90.05,
        },
        "training": tenant,
    }
    model = tiny_model(sites=None, power_sources=None, tenants=None)
    model.update(sites=sites, power_sources=power, tenants=tenants)
    pairs = eligible_pairs(load_dict(model).model)
    assert {s for s, j in pairs if j == "inference"} == {"memphis", "atlanta"}
    assert {s for s, j in pairs if j == "training"} == {"memphis", "atlanta", "phoenix"}


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
    hops = sum(g.edges[a, b]["latency_ms"] for a, b in itertools.pairwise(path[2:]))
    assert lat == pytest.approx(fiber + radio + hops, abs=1e-3)
    assert g.edges[path[1], path[2]]["latency_ms"] == pytest.approx(radio, abs=1e-3)
