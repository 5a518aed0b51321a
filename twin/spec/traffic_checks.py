"""Consistency checks of traffic on the graph (registered in :data:`twin.spec.checks.CHECKS`).

Each error names the file the row came from, the row and key, and what was expected: a link end that
names no region, site or ground station; a link that joins a node to itself or two sites (no path
can use it); an expansion limit or lead time of a link with no lease price (it never expands); a
second link between two nodes another link joins, either way round (a path takes one link per pair,
so one would carry nothing); a region sending traffic that no path of links joins to a site or
ground station (its demand would vanish); region shares that do not sum to 1 within 1e-6; and, for
each routed tenant (traffic enabled, ``inference_share`` > 0), a region whose light-in-vacuum time
to every enabled site exceeds the tenant's SLA (great-circle km / c; an orbital site at its shell's
altitude), or, with terrestrial sites only, no candidate path from any region within the SLA.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from twin.constants import SPEED_OF_LIGHT_KM_S
from twin.spec.errors import SpecError, did_you_mean
from twin.spec.spec import table_file
from twin.spec.traffic import NODE_KINDS

if TYPE_CHECKING:
    from twin.spec.schema import Model
    from twin.spec.spec import Spec

SHARE_TOLERANCE = 1e-6


def _file(spec: Spec, table: str) -> str | Path:
    return table_file(spec, table)


def _nodes(m: Model) -> dict[str, list[str]]:
    return {
        "region": list(m.user_regions),
        "site": list(m.sites),
        "station": list(m.orbit.ground_stations),
    }


def check_links(spec: Spec) -> list[SpecError]:
    """Every link end is ``<kind>:<name>`` of a known node; no link joins a node to itself or
    two sites."""
    m, out = spec.model, []
    nodes = _nodes(m)
    for name, ln in m.links.items():
        for key in ("from_node", "to_node"):
            value = getattr(ln, key)
            kind, _, node = value.partition(":")
            if kind not in NODE_KINDS:
                expected = f"'<kind>:<name>' with kind one of {list(NODE_KINDS)}"
            elif node not in nodes[kind]:
                choices = sorted(nodes[kind])
                expected = f"a {kind} of the model{did_you_mean(node, choices)}: one of {choices}"
            elif kind == "site" and m.sites[node].kind == "orbital":
                expected = "a terrestrial site (an orbital site is reached over a ground station)"
            else:
                continue
            out.append(
                SpecError(
                    _file(spec, "links"),
                    f"links.{name}.{key}",
                    f"unknown node '{value}'; expected {expected}",
                )
            )
        if ln.from_node == ln.to_node or (
            ln.from_node.startswith("site:") and ln.to_node.startswith("site:")
        ):
            out.append(
                SpecError(
                    _file(spec, "links"),
                    f"links.{name}.to_node",
                    f"a link to nowhere ({ln.from_node} - {ln.to_node}): no path "
                    "can use it; expected two different nodes, not both sites",
                )
            )
    return out + _parallel_links(spec)


def _parallel_links(spec: Spec) -> list[SpecError]:
    """A link between two nodes another link already joins (either way round) is refused: the
    path graph holds one edge per pair, so all but one of them would carry nothing."""
    first: dict[frozenset[str], str] = {}
    out = []
    for name, ln in spec.model.links.items():
        pair = frozenset((ln.from_node, ln.to_node))
        if pair in first and len(pair) == 2:
            out.append(
                SpecError(
                    _file(spec, "links"),
                    f"links.{name}.to_node",
                    f"joins {ln.from_node} and {ln.to_node} as link '{first[pair]}' does; a "
                    "path takes one link per pair of nodes, so one of the two would carry "
                    "nothing; expected one link per pair (give their capacities summed on one "
                    "row)",
                )
            )
        first.setdefault(pair, name)
    return out


def check_shares(spec: Spec) -> list[SpecError]:
    """Given region shares sum to 1 (all given) or to at most 1 (some left to population)."""
    regions = {n: r for n, r in spec.model.user_regions.items() if r.enabled}
    given = [r.share for r in regions.values() if r.share is not None]
    total = math.fsum(given)
    all_given = len(given) == len(regions) and regions
    if (all_given and abs(total - 1) > SHARE_TOLERANCE) or total > 1 + SHARE_TOLERANCE:
        return [
            SpecError(
                _file(spec, "user_regions"),
                "user_regions.*.share",
                f"the enabled regions' shares sum to {total:.9g}; expected 1 within "
                f"{SHARE_TOLERANCE:g} (leave a share empty to use population shares)",
            )
        ]
    return []


def check_reached(spec: Spec) -> list[SpecError]:
    """With traffic on, every enabled region that sends traffic reaches a site or a ground
    station over the links (through other regions too): else its demand silently vanishes."""
    m = spec.model
    if not m.traffic.enabled:
        return []
    # the network leaves out disabled sites, and a ground station serves only an orbital site
    dead = {f"site:{s}" for s, v in m.sites.items() if not v.enabled}
    if not any(v.enabled and v.kind == "orbital" for v in m.sites.values()):
        dead |= {f"station:{g}" for g in m.orbit.ground_stations}
    ends: dict[str, set[str]] = {}
    for ln in m.links.values():
        if ln.from_node in dead or ln.to_node in dead:
            continue
        ends.setdefault(ln.from_node, set()).add(ln.to_node)
        ends.setdefault(ln.to_node, set()).add(ln.from_node)
    out = []
    for name, r in m.user_regions.items():
        if not r.enabled or not (r.share or (r.share is None and r.population > 0)):
            continue
        seen, todo = {f"region:{name}"}, [f"region:{name}"]
        while todo:
            for nxt in ends.get(todo.pop(), set()) - seen:
                seen.add(nxt)
                todo.append(nxt)
        if not any(n.startswith(("site:", "station:")) for n in seen):
            out.append(
                SpecError(
                    _file(spec, "user_regions"),
                    f"user_regions.{name}",
                    f"no link reaches region '{name}' from a site or ground station; expected "
                    f"a link in {_file(spec, 'links')} with an end region:{name} on a path to "
                    "an enabled one (a station only with an orbital site; or the region disabled)",
                )
            )
    return out


def _floor_ms(m: Model, region: str, site: str) -> float:
    """Light-in-vacuum time from a region to a site [ms] (orbit: the shell's altitude)."""
    from twin.graph import great_circle_km

    r, s = m.user_regions[region], m.sites[site]
    if s.kind == "orbital":
        shell = m.orbit.shells.get(str(s.shell))
        return (shell.altitude_km if shell else 0.0) / SPEED_OF_LIGHT_KM_S * 1e3
    assert s.lat_deg is not None and s.lon_deg is not None  # terrestrial: the schema's rule
    km = great_circle_km(r.lat_deg, r.lon_deg, s.lat_deg, s.lon_deg)
    return km / SPEED_OF_LIGHT_KM_S * 1e3


def check_routed_sla(spec: Spec) -> list[SpecError]:
    """Each region of a routed tenant can reach some enabled site within the SLA: not below the
    speed of light; and (terrestrial sites only) some region has a candidate path within it (a
    region without one goes unserved, the others are served)."""
    m = spec.model
    if not m.traffic.enabled:
        return []
    sites = [s for s, v in m.sites.items() if v.enabled]
    regions = [  # the regions that send traffic
        r
        for r, v in m.user_regions.items()
        if v.enabled and (v.share or (v.share is None and v.population > 0))
    ]
    slas = [
        t.latency_sla_ms
        for t in m.tenants.values()
        if t.enabled and t.inference_share and t.latency_sla_ms is not None
    ]
    if not slas:
        return []  # no routed tenant with an SLA
    routes = None
    if all(m.sites[s].kind == "terrestrial" for s in sites):
        from twin.network import build_network

        # the lowest latency decides: one path per pair, none beyond the loosest SLA
        routes = build_network(m, k=1, max_ms=max(slas)).routes
    out = []
    for j, t in m.tenants.items():
        if not t.enabled or not t.inference_share or t.latency_sla_ms is None:
            continue
        sla, key = t.latency_sla_ms, f"tenants.{j}.latency_sla_ms"
        for r in regions:
            best = min((_floor_ms(m, r, s) for s in sites), default=math.inf)
            if best > sla:
                out.append(
                    SpecError(
                        _file(spec, "tenants"),
                        key,
                        f"region '{r}' is {best:.2f} ms from the nearest site at "
                        f"the speed of light; expected an SLA of at least that",
                    )
                )
        if routes is not None and not any(
            rt.latency_ms <= sla and rt.region in regions for rt in routes
        ):
            out.append(
                SpecError(
                    _file(spec, "tenants"),
                    key,
                    f"no path from any user region to any site within {sla} ms; "
                    "expected a larger SLA, more links or a larger paths_k",
                )
            )
    return out


def check_traffic(spec: Spec) -> list[SpecError]:
    """All traffic checks (module docstring)."""
    out = check_links(spec) + check_shares(spec)
    return out if out else check_reached(spec) + check_routed_sla(spec)
