"""Bad traffic input: each error names the file, the row and key, and what was expected."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from traffic_model import traffic_model

from twin.spec import SpecError, load_dict, load_model


def edit_csv(path: Path, row: str | None, **cells: str) -> None:
    """Set ``cells`` of the row named ``row`` (every row when None) in a dataset CSV."""
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    for r in rows:
        if row is None or r["name"] == row:
            r.update(cells)
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def error_of(model: Path, *sets: tuple[str, object]) -> str:
    with pytest.raises(SpecError) as info:
        load_model(model, overrides=list(sets))
    return str(info.value)


def test_unknown_node_names_the_links_file_row_and_a_close_name(model_copy: Path) -> None:
    links = model_copy.parent.parent / "datasets" / "links.csv"
    edit_csv(links, "atlanta-colossus1", to_node="site:colosus1")
    msg = error_of(model_copy)
    assert str(links) in msg and "links.atlanta-colossus1.to_node" in msg
    assert "did you mean 'colossus1'" in msg


def test_link_to_nowhere_and_fiber_to_orbit_are_refused(model_copy: Path) -> None:
    links = model_copy.parent.parent / "datasets" / "links.csv"
    edit_csv(links, "atlanta-colossus1", from_node="site:colossus2")
    edit_csv(links, "dallas-colossus1", to_node="site:orbital_dd")
    msg = error_of(model_copy)
    assert "links.atlanta-colossus1.to_node: a link to nowhere" in msg
    assert "links.dallas-colossus1.to_node" in msg and "ground station" in msg


def test_region_shares_must_sum_to_one(model_copy: Path) -> None:
    regions = model_copy.parent.parent / "datasets" / "user_regions.csv"
    edit_csv(regions, None, share="0.1")  # 13 x 0.1 = 1.3
    msg = error_of(model_copy)
    assert str(regions) in msg and "user_regions.*.share" in msg and "sum to 1.3" in msg


def test_region_without_coordinates_and_negative_capacity(model_copy: Path) -> None:
    data = model_copy.parent.parent / "datasets"
    edit_csv(data / "user_regions.csv", "boston", lat_deg="")
    msg = error_of(model_copy)
    assert str(data / "user_regions.csv") in msg and "boston" in msg and "lat_deg" in msg
    edit_csv(data / "user_regions.csv", "boston", lat_deg="42.3601")
    edit_csv(data / "links.csv", "dallas-abilene", capacity_gbps="-5")
    msg = error_of(model_copy)
    assert str(data / "links.csv") in msg and "dallas-abilene" in msg
    assert "capacity_gbps" in msg


def test_k_below_one_is_refused(model_copy: Path) -> None:
    msg = error_of(model_copy, ("traffic.paths_k", 0))
    assert "traffic.paths_k" in msg and "greater than or equal to 1" in msg


def test_sla_below_light_names_the_region(model_copy: Path) -> None:
    """Seattle is 1,794 km from the nearest shipped site (the arizona_1 tranche): light needs
    1,794 / 299,792 s = 5.98 ms in vacuum, more than a 5 ms SLA; Dallas (277 km from Abilene,
    0.92 ms) is within it."""
    msg = error_of(
        model_copy,
        ("tenants.edge_inference.enabled", True),
        ("tenants.edge_inference.latency_sla_ms", 5.0),
    )
    assert "tenants.edge_inference.latency_sla_ms" in msg
    assert "region 'seattle' is 5.98 ms from the nearest site at the speed of light" in msg
    assert "region 'dallas'" not in msg


def test_routed_tenant_with_no_path_within_its_sla() -> None:
    """r1 -> s1 is 1,000 km of fiber (4.9 ms), r1 -> s2 ~7 ms: a 2 ms SLA, above the light
    floor (s1 is 11 km away), leaves no path."""
    model = traffic_model(sla_ms=2.0, links={"r1_s1": {"km": 1000.0}})
    with pytest.raises(SpecError, match=r"tenants.edge.latency_sla_ms: no path from any user"):
        load_dict(model)


def test_bad_traffic_input_exits_2_without_traceback(model_copy: Path) -> None:
    edit_csv(model_copy.parent.parent / "datasets" / "links.csv", "dallas-abilene", km="-1")
    run = subprocess.run(
        [sys.executable, "-m", "twin", "validate", str(model_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "links.dallas-abilene.km" in run.stderr + run.stdout
    assert "Traceback" not in run.stderr


def _validate(model: Path, *sets: str) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "twin", "validate", str(model)]
    for s in sets:
        args += ["--set", s]
    return subprocess.run(args, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    ("table", "row", "cells", "sets", "expected"),
    [
        ("user_regions", "boston", {"lon_deg": ""}, (), ("user_regions.csv", "boston", "lon_deg")),
        ("links", "dallas-abilene", {"capacity_gbps": "-5"}, (),
         ("links.csv", "dallas-abilene", "capacity_gbps")),
        (None, None, {}, ("traffic.paths_k=0",), ("--set: traffic.paths_k", "equal to 1")),
        (None, None, {}, ("tenants.xai_inference.latency_sla_ms=5",),
         ("tenants.csv: tenants.xai_inference.latency_sla_ms", "region 'seattle' is 5.98 ms")),
        (None, None, {}, ("traffic.peak_to_mean=0.5",),
         ("--set: traffic.peak_to_mean", "greater than or equal to 1")),
        (None, None, {}, ("orbit.shells.dawn_dusk.isl_gbps_per_link=-1",),
         ("--set: orbit.shells.dawn_dusk.isl_gbps_per_link", "> 0")),
    ],
    ids=["region_without_coordinates", "negative_capacity", "k_below_one", "sla_below_light",
         "peak_below_mean", "negative_isl_rate"],
)  # fmt: skip
def test_each_bad_traffic_input_exits_2_naming_file_and_key(
    model_copy: Path,
    table: str | None,
    row: str | None,
    cells: dict[str, str],
    sets: tuple[str, ...],
    expected: tuple[str, ...],
) -> None:
    """The CLI exits 2 without a traceback, naming the file (the CSV, or ``--set``) and the key:
    a region without coordinates, a negative capacity, k < 1, and an SLA of 5 ms for the routed
    xai_inference, below light's 5.98 ms from Seattle to the nearest site (test above)."""
    if table is not None:
        edit_csv(model_copy.parent.parent / "datasets" / f"{table}.csv", row, **cells)
    run = _validate(model_copy, *sets)
    out = run.stderr + run.stdout
    assert run.returncode == 2, out
    assert "Traceback" not in out
    flat = " ".join(out.split())
    for text in expected:
        assert text in flat, (text, out)
