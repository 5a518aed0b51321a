"""The tiny traffic network of tests/plan/test_traffic.py (its module docstring gives the hand
figures), shared with the spec and view tests."""

from __future__ import annotations

from typing import Any

from conftest import TEST_SOURCE, merge, tiny_model

GBPS_YEAR_AT_S2 = 8760 * 100 / 1e6 / 2  # $M per Gbit/s-year served at s2 rather than s1


def _site(lat: float, lon: float) -> dict[str, Any]:
    return {"lat_deg": lat, "lon_deg": lon, "opex_musd_per_mw_year": 0.0}


def _events() -> dict[str, Any]:
    out = {}
    for s in ("s1", "s2"):
        out[f"{s}_on"] = {
            "date": "2029-01-01",
            "kind": "site_online",
            "site": s,
            "mw": 20.0,
            "source": TEST_SOURCE,
        }
        out[f"{s}_chips"] = {
            "date": "2029-01-01",
            "kind": "chips_installed",
            "site": s,
            "chip": "c1",
            "chips": 20000.0,
            "source": TEST_SOURCE,
        }
    return out


def _link(a: str, b: str, gbps: float, **more: Any) -> dict[str, Any]:
    return {"from_node": a, "to_node": b, "capacity_gbps": gbps, "source": TEST_SOURCE, **more}


def traffic_model(sla_ms: float | None = None, expand: float = 0.0, **over: Any) -> dict:
    """The tiny network of tests/plan/test_traffic.py, with ``over`` merged in."""
    cheap = {"expand_musd_per_gbps_year": expand} if expand else {}
    model = tiny_model(
        sites={
            "s1": {"max_mw": 20.0},
            "s2": {**tiny_model()["sites"]["s1"], **_site(40.1, -80.0), "max_mw": 20.0},
        },
        events=_events(),
        tenants={
            "own": None,
            "edge": {
                "kind": "internal",
                "workload": "inference",
                "lat_deg": 35.0,
                "lon_deg": -90.0,
                "latency_sla_ms": sla_ms,
                "demand_k_h100e": 7.5,
                "value_usd_per_h100e_hour": 10.0,
                "inference_share": 1.0,
                "source": TEST_SOURCE,
            },
        },
        power_sources={
            "g2": {
                "site": "s2",
                "kind": "grid",
                "limit_mw": 1e4,
                "cost_usd_per_mwh": 100.0,
                "source": TEST_SOURCE,
            },
        },
        user_regions={
            "r1": {
                "lat_deg": 35.1,
                "lon_deg": -90.0,
                "population": 1.0,
                "share": 1.0,
                "source": TEST_SOURCE,
            },
            "r2": {
                "lat_deg": 40.0,
                "lon_deg": -80.0,
                "population": 1.0,
                "share": 0.0,
                "source": TEST_SOURCE,
            },
        },
        links={
            "r1_s1": _link("region:r1", "site:s1", 10.0, **cheap),
            "r1_r2": _link("region:r1", "region:r2", 1000.0),
            "r2_s2": _link("site:s2", "region:r2", 1000.0),
        },
        traffic={"enabled": True},
    )
    return tiny_merge(model, over)


def tiny_merge(model: dict, over: dict) -> dict:
    return merge(model, over)
