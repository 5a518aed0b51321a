"""Inputs that are legal but do nothing: the yellow notes ``twin validate`` prints (exit 0) and
``twin solve`` prints before solving.

Each check names the file and key of an input the plan will not act on as the user likely
meant, and why; none refuses the model (each input is legal, and may be meant: a disabled tenant
kept with its contracts to switch it back on later).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twin.dates import add_months
from twin.spec.blame import blame, blame_path
from twin.spec.spec import table_file
from twin.state import contract_end

if TYPE_CHECKING:
    from twin.spec.spec import Spec

#: How much shorter than the great circle between its ends a link's ``km`` may be without a note
#: (a rounded figure; 1000 km between ends 1035 km apart is 3.4% short) [-]
SHORT_LINK_TOLERANCE = 0.05

#: ... and at least this much shorter [km]: region and station coordinates are city centres, so
#: a 15 km route between two points 17 km apart is no typo
SHORT_LINK_FLOOR_KM = 25.0


def inert_inputs(spec: Spec) -> list[str]:
    """Notes on every input of ``spec`` (one model and scenario) that does nothing."""
    return [
        *_disabled_owners(spec),
        *_ended_contracts(spec),
        *_short_links(spec),
        *_unpriced_expansions(spec),
        *_certain_inputs(spec),
    ]


def _disabled_owners(spec: Spec) -> list[str]:
    """A signed contract whose tenant or site, or an as-built event whose site, has ``enabled:
    false``: the plan drops the contract or event without a word."""
    m = spec.model
    out = []
    for name, c in m.contracts.items():
        tenant = m.tenants.get(c.tenant)
        site = m.sites.get(c.site) if c.site is not None else None
        owners = [("tenant", c.tenant, tenant is not None and not tenant.enabled),
                  ("site", c.site, site is not None and not site.enabled)]  # fmt: skip
        for what, who, disabled in owners:
            if disabled:
                out.append(
                    f"{table_file(spec, 'contracts')}: contract {name}: its {what} {who} is "
                    "disabled (enabled: false), so the plan leaves the contract out"
                )
    for name, e in m.events.items():
        site = m.sites.get(e.site) if e.site is not None else None
        if site is not None and not site.enabled:
            out.append(
                f"{table_file(spec, 'events')}: event {name}: its site {e.site} is disabled "
                "(enabled: false), so the plan leaves the event out"
            )
    return out


def _ended_contracts(spec: Spec) -> list[str]:
    """A signed contract whose whole term (``start`` plus ``term_months``, with its renewals
    and any notice given, as :func:`twin.state.contract_end` counts them) is over by the day the
    horizon starts: it validates and plays no part in the plan."""
    m = spec.model
    first = m.horizon.start
    last = add_months(first, 12 * m.horizon.years)
    out = []
    for name, c in m.contracts.items():
        end = contract_end(m, name, last)  # renewals carry a renewing lease to the horizon end
        if end <= first:
            out.append(
                f"{table_file(spec, 'contracts')}: contract {name}: its term (start {c.start}, "
                f"{c.term_months} months, with any renewals and notice) ends {end}, before the "
                f"horizon starts ({first}), so the contract does nothing"
            )
    return out


def _short_links(spec: Spec) -> list[str]:
    """A link whose ``km`` is more than :data:`SHORT_LINK_TOLERANCE` and more than
    :data:`SHORT_LINK_FLOOR_KM` shorter than the great-circle distance between its ends'
    coordinates (regions, terrestrial sites and ground stations): a route faster than light in
    fibre, or a typo. The distance is the haversine one on a sphere of the Earth's mean radius,
    6,371.0 km (:func:`twin.graph.great_circle_km`, :data:`twin.constants.EARTH_MEAN_RADIUS_KM`);
    a link with an end without coordinates or without ``km`` (the great circle then) is not
    checked."""
    m = spec.model
    if not any(ln.km is not None for ln in m.links.values()):
        return []
    from twin.graph import great_circle_km  # networkx: only for a model with link lengths
    from twin.network import node_coords

    coords = node_coords(m)
    out = []
    for name, ln in m.links.items():
        ends = coords.get(ln.from_node), coords.get(ln.to_node)
        if ln.km is None or ends[0] is None or ends[1] is None:
            continue
        straight = great_circle_km(*ends[0], *ends[1])
        if straight - ln.km > max(SHORT_LINK_TOLERANCE * straight, SHORT_LINK_FLOOR_KM):
            out.append(
                f"{table_file(spec, 'links')}: links.{name}.km: {ln.km:g} km is "
                f"{1 - ln.km / straight:.0%} shorter than the great circle between "
                f"{ln.from_node} and {ln.to_node} ({straight:.0f} km): faster than light in "
                "fibre, or a typo; expected at least the great-circle distance"
            )
    return out


def _unpriced_expansions(spec: Spec) -> list[str]:
    """A link with an ``expand_max_gbps`` but no lease price (``expand_musd_per_gbps_year`` 0,
    the default): the plan expands only links priced above 0
    (:func:`twin.plan.traffic_data.traffic_data`), so the limit is not read. A note, not a
    refusal: a price of 0 is also how a sweep or ``--set`` says "this link never expands"."""
    out = []
    for name, ln in spec.model.links.items():
        if ln.expand_musd_per_gbps_year <= 0 and ln.expand_max_gbps is not None:
            file, key = blame(spec, "links", name, "expand_musd_per_gbps_year")
            out.append(
                f"{file}: {key}: 0, so the link is never expanded and its expand_max_gbps "
                f"({ln.expand_max_gbps:g} Gbit/s) is not read"
            )
    return out


def _certain_inputs(spec: Spec) -> list[str]:
    """An uncertain input (``uncertainty.inputs``) with a single outcome, of probability 1: it
    is not uncertain, it takes that value in every leaf and adds no branch to the scenario tree
    (every input so: the tree has one leaf, a deterministic plan solved as a stochastic one)."""
    section = spec.model.uncertainty
    if section is None:
        return []
    single = [n for n, u in section.inputs.items() if len(u.outcomes or ()) == 1]
    one_leaf = len(single) == len(section.inputs)
    out = []
    for name in single:
        file, key = blame_path(spec, f"uncertainty.inputs.{name}.outcomes")
        out.append(
            f"{file}: {key}: a single outcome (probability 1), so the input is not uncertain: "
            + ("the scenario tree has one leaf" if one_leaf else "it adds no branch to the tree")
        )
    return out
