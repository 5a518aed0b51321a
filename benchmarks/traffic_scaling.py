"""Traffic on the graph: build and solve time against the size of the network.

A synthetic fleet of S sites and R user regions scattered over the contiguous US (seeded), one
routed inference tenant with a 15 ms SLA, a backbone joining each region to its 3 nearest
regions (10 Tbit/s) and each site to its 2 nearest regions (400 Gbit/s, expandable); k paths
per (region, site). Per size: the paths generated within the SLA (Yen's algorithm,
``twin.network``; pairs with no path within it are skipped), the flow columns, and the times of
``build_network`` alone, of the plan's build (``plan_data`` + ``build_model``, paths included),
its hand-off to HiGHS and the solve. Loading the spec (not timed) also builds the network once,
with one path per pair, for the SLA check.

Run from the repository root::

    .venv/bin/python benchmarks/traffic_scaling.py           # the ladder up to 200 x 50 (~minutes)
    .venv/bin/python benchmarks/traffic_scaling.py --quick   # two small sizes

The table goes to stdout and ``benchmarks/results/traffic_scaling.md``.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from pathlib import Path
from typing import Any

SLA_MS = 15.0
SOURCE = "assumption: synthetic benchmark row (benchmarks/traffic_scaling.py)"
LADDER = [(13, 4, 3), (50, 10, 3), (100, 25, 3), (200, 50, 1), (200, 50, 3)]
QUICK = [(13, 4, 3), (30, 8, 3)]
RESULTS = Path(__file__).parent / "results" / "traffic_scaling.md"


def _place(rng: random.Random) -> tuple[float, float]:
    return rng.uniform(30.0, 47.0), rng.uniform(-122.0, -72.0)


def _nearest(p: tuple[float, float], others: dict[str, tuple[float, float]], n: int) -> list[str]:
    return sorted(others, key=lambda o: math.dist(p, others[o]))[:n]


def synthetic_traffic_model(regions: int, sites: int, k: int, seed: int = 1) -> dict[str, Any]:
    """The model dict of the module docstring (horizon 4 years, chips free, power free)."""
    rng = random.Random(seed)
    reg = {f"r{i}": _place(rng) for i in range(regions)}
    sit = {f"s{i}": _place(rng) for i in range(sites)}
    site_row = {"max_mw": 500.0, "lead_months": 12, "capex_musd_per_mw": 10.0,
                "opex_musd_per_mw_year": 0.3, "pue": 1.2, "source": SOURCE}  # fmt: skip
    links = {}
    for r, p in reg.items():
        for o in _nearest(p, {q: x for q, x in reg.items() if q != r}, 3):
            a, b = sorted((r, o))
            links[f"{a}-{b}"] = {"from_node": f"region:{a}", "to_node": f"region:{b}",
                                 "capacity_gbps": 10000.0, "source": SOURCE}  # fmt: skip
    for s, p in sit.items():
        for r in _nearest(p, reg, 2):
            links[f"{r}-{s}"] = {"from_node": f"region:{r}", "to_node": f"site:{s}",
                                 "capacity_gbps": 400.0, "expand_musd_per_gbps_year": 0.0012,
                                 "expand_lead_months": 6, "source": SOURCE}  # fmt: skip
    return {
        "name": f"traffic_{regions}x{sites}x{k}",
        "horizon": {"start": "2030-01-01", "years": 4, "period": "year", "end_effects": "none"},
        "sites": {s: {"lat_deg": a, "lon_deg": o, **site_row} for s, (a, o) in sit.items()},
        "chips": {"c1": {"h100e": 1.0, "kw": 1.0, "price_usd": 25000.0,
                         "available_from": "2020-01-01", "life_years": 5, "source": SOURCE}},
        "tenants": {"edge": {"kind": "external", "workload": "inference", "lat_deg": 39.0,
                             "lon_deg": -98.0, "latency_sla_ms": SLA_MS,
                             "demand_k_h100e": 20.0 * sites, "value_usd_per_h100e_hour": 3.0,
                             "inference_share": 1.0, "source": SOURCE}},
        "power_sources": {f"g{s}": {"site": s, "kind": "grid", "limit_mw": 1e4,
                                    "cost_usd_per_mwh": 50.0, "source": SOURCE} for s in sit},
        "user_regions": {r: {"lat_deg": a, "lon_deg": o, "population": rng.uniform(1e5, 2e7),
                             "source": SOURCE} for r, (a, o) in reg.items()},
        "links": links,
        "traffic": {"enabled": True, "paths_k": k},
    }  # fmt: skip


def run(regions: int, sites: int, k: int) -> dict[str, Any]:
    """Times [s] and sizes of one network size."""
    from twin.network import build_network
    from twin.plan import plan
    from twin.spec import load_dict

    spec = load_dict(synthetic_traffic_model(regions, sites, k))
    t0 = time.perf_counter()
    net = build_network(spec.model, max_ms=SLA_MS)  # as the plan does: paths within the SLA
    t1 = time.perf_counter()
    p = plan(spec)
    t = p.times
    return {
        "size": f"{regions} x {sites} x {k}",
        "paths": len(net.routes),
        "flows": len(p.data.traffic.flow_idx),
        "rows": p.result.size["rows"],
        "nonzeros": p.result.size["nonzeros"],
        "paths_s": t1 - t0,
        "build_s": t["build_s"],
        "handoff_s": t["handoff_s"],
        "solve_s": t["solve_s"],
        "optimal": p.result.optimal,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--quick", action="store_true", help="two small sizes")
    args = ap.parse_args()
    head = ("| regions x sites x k | paths | flow columns | rows | nonzeros | paths [s] | "
            "build [s] | hand-off [s] | solve [s] | optimal |")  # fmt: skip
    lines = [head, "|" + "---|" * 10]
    print(head)
    for size in QUICK if args.quick else LADDER:
        r = run(*size)
        line = (f"| {r['size']} | {r['paths']:,} | {r['flows']:,} | {r['rows']:,} | "
                f"{r['nonzeros']:,} | {r['paths_s']:.2f} | {r['build_s']:.2f} | "
                f"{r['handoff_s']:.2f} | {r['solve_s']:.2f} | {r['optimal']} |")  # fmt: skip
        print(line, flush=True)
        lines.append(line)
    if not args.quick:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
