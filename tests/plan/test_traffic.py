"""Traffic on the graph, answers by hand.

The tiny network: user region r1 beside site s1 (share 1) and a transit region r2 (share 0)
beside site s2, ~1,000 km away. Links r1-s1 10 Gbit/s (the cheap path), r1-r2 and r2-s2 1000
Gbit/s. Both sites hold 20 MW of 1 kW, 1 H100e chips (1 MW = 1 kH100e), switched off when idle.
Power is free at s1 and $100/MWh at s2: a kH100e served for a year at s2 costs
8,760 MWh x $100 = 0.876 $M more than at s1, and at 2 Gbit/s per kH100e a Gbit/s served at s2
instead of s1 costs 0.876 / 2 = 0.438 $M per year. The tenant `edge` wants 7.5 kH100e (15 Gbit/s
of inference) worth $10/H100e-hour, far above either cost: all of it is served.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from conftest import ROOT, TEST_SOURCE
from traffic_model import GBPS_YEAR_AT_S2, tiny_merge, traffic_model

from twin.graph import great_circle_km
from twin.network import build_network, light_floor_ms
from twin.plan import plan
from twin.report import to_dataset
from twin.spec import load_dict, load_model


def solve(model: dict) -> Any:
    return to_dataset(plan(load_dict(model)))


def served_at(ds: Any, site: str) -> np.ndarray:
    return ds["allocation_h100e"].sel(site=site, tenant="edge").values / 1e3


def test_binding_link_sends_the_rest_elsewhere_and_its_dual_is_the_cost_difference() -> None:
    """15 Gbit/s wanted, 10 fit on r1-s1: s1 serves 5 kH100e, s2 the other 2.5 (over r1-r2-s2),
    and one more Gbit/s on r1-s1 would save 0.438 $M a year: the link's marginal value."""
    ds = solve(traffic_model())
    np.testing.assert_allclose(served_at(ds, "s1"), 5.0, atol=1e-6)
    np.testing.assert_allclose(served_at(ds, "s2"), 2.5, atol=1e-6)
    load = ds["link_load_gbps"]
    np.testing.assert_allclose(load.sel(link="r1_s1").values, 10.0, atol=1e-6)
    np.testing.assert_allclose(load.sel(link="r2_s2").values, 5.0, atol=1e-6)
    np.testing.assert_allclose(ds["link_utilisation"].sel(link="r1_s1").values, 1.0, atol=1e-9)
    np.testing.assert_allclose(
        ds["marginal_value_link"].sel(link="r1_s1").values, GBPS_YEAR_AT_S2, rtol=1e-6
    )
    np.testing.assert_allclose(ds["marginal_value_link"].sel(link="r1_r2").values, 0.0, atol=1e-9)


def test_expansion_cheaper_than_the_detour_is_bought_and_prices_the_link() -> None:
    """Leasing a Gbit/s on r1-s1 costs 0.1 $M a year (< 0.438): 5 Gbit/s are leased in the
    first period, everything is served at s1. A lease runs to the horizon end, so the link's
    duals price it as a whole: ``sum_p df_p mv_p = 0.1 sum_p df_p`` (the column's reduced cost
    is 0), each ``mv_p`` between 0 and the detour's 0.438."""
    ds = solve(traffic_model(expand=0.1))
    np.testing.assert_allclose(served_at(ds, "s1"), 7.5, atol=1e-6)
    np.testing.assert_allclose(
        ds["link_expand_gbps"].sel(link="r1_s1").values, [5, 0, 0, 0, 0, 0, 0, 0], atol=1e-6
    )
    mv = ds["marginal_value_link"].sel(link="r1_s1").values
    df = ds["discount_factor"].values
    assert float(np.sum(df * mv)) == pytest.approx(0.1 * float(np.sum(df)), rel=1e-6)
    assert (mv >= -1e-9).all() and (mv <= GBPS_YEAR_AT_S2 + 1e-9).all()
    assert float(ds["opex_musd"].sum()) == pytest.approx(5 * 0.1 * 8, rel=1e-6)


def test_sla_removes_the_far_path() -> None:
    """A 5 ms SLA excludes s2 (r1 -> r2 -> s2 is ~7 ms): only the 10 Gbit/s that fit on r1-s1
    are served (5 kH100e); the latency of all traffic is that of the one route r1 -> s1."""
    ds = solve(traffic_model(sla_ms=5.0))
    assert "r1>s2#1" not in ds["path"].values
    np.testing.assert_allclose(served_at(ds, "s1"), 5.0, atol=1e-6)
    np.testing.assert_allclose(ds["unmet_h100e"].sel(tenant="edge").values, 2500.0, atol=1e-3)
    lat = float(ds["path_latency_ms"].sel(path="r1>s1#1"))
    np.testing.assert_allclose(ds["latency_p95_ms"].sel(tenant="edge").values, lat)


def test_no_path_is_faster_than_light() -> None:
    """Every candidate path of the shipped network is at least the vacuum light time over the
    great circle from its region to its (terrestrial) site."""
    model = load_model(ROOT / "models" / "baseline.yaml").model
    net = build_network(model)
    assert net.routes
    sites = model.sites
    for rt in net.routes:
        reg, site = model.user_regions[rt.region], sites[rt.site]
        if site.lat_deg is None or site.lon_deg is None:
            continue
        km = great_circle_km(reg.lat_deg, reg.lon_deg, site.lat_deg, site.lon_deg)
        if site.kind == "terrestrial":
            assert rt.latency_ms >= light_floor_ms(km), rt.name


@pytest.mark.parametrize("section", [{"traffic": {"enabled": False}}, {}])
def test_disabled_traffic_leaves_the_plan_unchanged(section: dict) -> None:
    """The section off (or absent) adds no row and no column: the NPV is the model's without
    it, and the traffic arrays have path, link and station dimensions of length 0."""
    without = traffic_model()
    for key in ("traffic", "user_regions", "links"):
        without.pop(key)
    without["tenants"]["edge"].pop("inference_share")
    ref = solve(without)
    ds = solve(tiny_merge(traffic_model(), {"traffic": None, **section}))
    assert ds.attrs["npv_musd"] == pytest.approx(ref.attrs["npv_musd"], rel=1e-9)
    assert ds.sizes["path"] == ds.sizes["link"] == ds.sizes["station"] == 0


def test_served_traffic_equals_the_min_cut() -> None:
    """20 Gbit/s wanted (10 kH100e); r1 -> s1 carries 10 and r1 -> r2 only 4 (r2 -> s2 1000): the
    cut {r1-s1, r1-r2} of 14 Gbit/s separates the users from every site, so 14 Gbit/s (7 kH100e)
    are served, 3 kH100e go unserved, and both cut links are full."""
    ds = solve(
        traffic_model(
            tenants={"edge": {"demand_k_h100e": 10.0}}, links={"r1_r2": {"capacity_gbps": 4.0}}
        )
    )
    served = served_at(ds, "s1") + served_at(ds, "s2")
    np.testing.assert_allclose(served, 7.0, atol=1e-6)
    np.testing.assert_allclose(ds["flow_gbps"].sum(("path", "tenant")).values, 14.0, atol=1e-6)
    util = ds["link_utilisation"].sel(link=["r1_s1", "r1_r2"]).values
    np.testing.assert_allclose(util, 1.0, atol=1e-9)


def _orbital_inference(max_antennas: int) -> dict:
    """tests/plan/test_orbit_plan.py's orbit model (ground full, a 4-satellite dawn-dusk shell,
    one station at Svalbard), its tenant routed: users in Longyearbyen, fiber to the station."""
    from test_orbit_plan import orbit_model

    return orbit_model(
        100.0,
        tenants={"own": {"workload": "inference", "inference_share": 1.0}},
        user_regions={
            "lyr": {"lat_deg": 78.22, "lon_deg": 15.65, "population": 2500.0, "source": TEST_SOURCE}
        },
        links={
            "lyr_sval": {
                "from_node": "region:lyr",
                "to_node": "station:svalsat",
                "capacity_gbps": 1000.0,
                "source": TEST_SOURCE,
            }
        },
        traffic={
            "enabled": True,
            "gbps_per_k_h100e": 1.0,
            "station_max_antennas": max_antennas,
            "station_capex_musd": 0.001,
            "station_lead_months": 0,
        },
    )


@pytest.mark.parametrize("antennas", [0, 2])
def test_orbital_inference_is_capped_by_its_downlink(antennas: int) -> None:
    """At 1 Gbit/s per 1000 H100e, inference served in orbit is the station's downlink --
    contact fraction x 10 Gbit/s, the site's whole downlink with one station -- over 1: less
    than the 50 kH100e wanted; cheap antennas (at most 2) triple it from the first period."""
    ds = solve(_orbital_inference(antennas))
    downlink = float(ds["downlink_gbps"].sel(site="o1"))
    assert 0 < downlink * (1 + antennas) < 50
    served = ds["allocation_h100e"].sel(site="o1", tenant="own").values / 1e3
    np.testing.assert_allclose(served, downlink * (1 + antennas), rtol=1e-6)
    cap = ds["link_capacity_gbps"].sel(link="downlink:svalsat>o1").values
    np.testing.assert_allclose(cap, downlink * (1 + antennas), rtol=1e-6)


def test_sla_excludes_the_cheap_far_site() -> None:
    """Power now costs $100/MWh at s1 and nothing at s2 (~1,000 km away, ~7.7 ms over
    r1-r2-s2): without an SLA all 7.5 kH100e are served at the cheap far s2; a 5 ms SLA leaves
    only s1, behind its 10 Gbit/s link: 5 kH100e served there, 2.5 unserved."""
    dear_near = {"g1": {"cost_usd_per_mwh": 100.0}, "g2": {"cost_usd_per_mwh": 0.0}}
    free = solve(traffic_model(power_sources=dear_near))
    np.testing.assert_allclose(served_at(free, "s2"), 7.5, atol=1e-6)
    np.testing.assert_allclose(served_at(free, "s1"), 0.0, atol=1e-6)
    tight = solve(traffic_model(sla_ms=5.0, power_sources=dear_near))
    np.testing.assert_allclose(served_at(tight, "s1"), 5.0, atol=1e-6)
    np.testing.assert_allclose(served_at(tight, "s2"), 0.0, atol=1e-6)
    np.testing.assert_allclose(tight["unmet_h100e"].sel(tenant="edge").values, 2500.0, atol=1e-3)


def test_routed_share_crosses_the_downlink_once() -> None:
    """A routed tenant that also states a bandwidth (as xai_inference's 2 Gbit/s per 1000 H100e
    in the baseline): with inference_share 1 its traffic is counted once on the downlink, so
    the inference served in orbit is still the downlink over 1 Gbit/s per kH100e, not half."""
    over = {"tenants": {"own": {"bandwidth_gbps_per_k_h100e": 1.0}}}
    ds = solve(tiny_merge(_orbital_inference(0), over))
    downlink = float(ds["downlink_gbps"].sel(site="o1"))
    served = ds["allocation_h100e"].sel(site="o1", tenant="own").values / 1e3
    np.testing.assert_allclose(served, downlink, rtol=1e-6)
