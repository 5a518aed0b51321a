"""Consistency checks run after schema validation and before any model is built.

One ``check_*`` function per rule (as in PyPSA's consistency module). Each returns a list of
:class:`SpecError`; :func:`run_checks` raises them together so a user sees every problem at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from twin.dates import add_months
from twin.spec.blame import blame, source
from twin.spec.errors import SpecError, SpecErrors, did_you_mean
from twin.spec.integrity import check_climate, check_integrity
from twin.spec.profiles import check_profiles
from twin.spec.spec import table_file
from twin.spec.traffic_checks import check_traffic
from twin.spec.uncertainty_checks import check_uncertainty

if TYPE_CHECKING:
    from twin.spec.leases import Contract, Offer
    from twin.spec.spec import Spec


def _ref(
    spec: Spec,
    table: str,
    name: str,
    key: str,
    target: str,
    value: str | None,
    choices: Iterable[str],
) -> list[SpecError]:
    if value is None or value in choices:
        return []
    choices = sorted(choices)
    file = table_file(spec, table)
    return [
        SpecError(
            file,
            f"{table}.{name}.{key}",
            f"unknown {target} '{value}'{did_you_mean(value, choices)}; expected one of {choices}",
        )
    ]


def check_references(spec: Spec) -> list[SpecError]:
    """Every name a row refers to (site, tenant, chip, power source, contract, shell) exists."""
    m = spec.model
    out: list[SpecError] = []
    for name, ps in m.power_sources.items():
        out += _ref(spec, "power_sources", name, "site", "site", ps.site, m.sites)
    for name, c in m.contracts.items():
        out += _ref(spec, "contracts", name, "tenant", "tenant", c.tenant, m.tenants)
        out += _ref(spec, "contracts", name, "site", "site", c.site, m.sites)
    for name, o in m.offers.items():
        out += _ref(spec, "offers", name, "tenant", "tenant", o.tenant, m.tenants)
        out += _ref(spec, "offers", name, "site", "site", o.site, m.sites)
    for name, e in m.events.items():
        out += _ref(spec, "events", name, "site", "site", e.site, m.sites)
        out += _ref(spec, "events", name, "chip", "chip", e.chip, m.chips)
        out += _ref(
            spec, "events", name, "power_source", "power source", e.power_source, m.power_sources
        )
        out += _ref(spec, "events", name, "contract", "contract", e.contract, m.contracts)
    for name, f in m.fabs.items():
        out += _ref(spec, "fabs", name, "chip", "chip", f.chip, m.chips)
    for name, s in m.sites.items():
        out += _ref(spec, "sites", name, "shell", "orbit shell", s.shell, m.orbit.shells)
    for name, t in m.tenants.items():
        out += _ref(spec, "tenants", name, "value_ref", "tenant", t.value_ref, m.tenants)
    places = set(m.sites) | {r.region for r in m.regions.values()}
    for name, pp in m.power_projects.items():
        for where in pp.sites:
            out += _ref(spec, "power_projects", name, "sites", "site or region", where, places)
    for name, pm in m.power_markets.items():
        for where in pm.sites:
            out += _ref(spec, "power_markets", name, "sites", "site or region", where, places)
    return out


def check_orphans(spec: Spec) -> list[SpecError]:
    """Every enabled terrestrial site has at least one power source or power project (a
    candidate tranche of a region without any simply stays unbuilt); orbit sites need a shell."""
    m = spec.model
    powered = {ps.site for ps in m.power_sources.values()}
    for pp in m.power_projects.values():
        if pp.enabled:
            powered |= {
                s
                for s, v in m.sites.items()
                if not pp.sites or s in pp.sites or (v.region is not None and v.region in pp.sites)
            }
    out = []
    for name, s in m.sites.items():
        if s.enabled and s.kind == "terrestrial" and name not in powered and s.region is None:
            out.append(
                SpecError(
                    table_file(spec, "sites"),
                    f"sites.{name}",
                    "a terrestrial site with no power source; expected a row in power_sources or a "
                    "power project allowed there",
                )
            )
    return out


def check_horizon(spec: Spec) -> list[SpecError]:
    """Contracts must start before the horizon ends; whole-site leases name a site."""
    m = spec.model
    end_year = m.horizon.start.year + m.horizon.years
    out = []
    for name, c in m.contracts.items():
        if c.start.year > end_year:
            out.append(
                SpecError(
                    table_file(spec, "contracts"),
                    f"contracts.{name}.start",
                    f"starts after the horizon ends ({end_year}); expected an earlier date",
                )
            )
    return out


def check_foresight(spec: Spec) -> list[SpecError]:
    """A myopic window fits in the horizon and commits no more years than it sees."""
    m = spec.model
    sv = m.solver
    if sv.foresight != "myopic":
        return []
    out = []
    if sv.window_years > m.horizon.years:
        out.append(
            SpecError(
                spec.path,
                "solver.window_years",
                f"window of {sv.window_years} years is longer than the horizon "
                f"({m.horizon.years} years); expected at most {m.horizon.years}",
            )
        )
    if sv.step_years > sv.window_years:
        out.append(
            SpecError(
                spec.path,
                "solver.step_years",
                f"step of {sv.step_years} years exceeds the window ({sv.window_years} years); "
                "expected a step no longer than the window",
            )
        )
    return out


def check_servable(spec: Spec) -> list[SpecError]:
    """Every enabled tenant with demand can be served by at least one enabled site (latency)."""
    from twin.graph import eligible_pairs  # the graph knows latency

    m = spec.model
    pairs = eligible_pairs(m)
    served = {j for (_, j) in pairs}
    out = []
    routed = m.traffic.enabled and bool(m.user_regions)  # routed tenants: check_traffic
    for name, t in m.tenants.items():
        if routed and t.inference_share:
            continue
        if t.enabled and t.demand_k_h100e > 0 and name not in served:
            out.append(_unserved(spec, name, t.latency_sla_ms))
    return out


def _unserved(spec: Spec, name: str, sla_ms: float | None) -> SpecError:
    """Tenant ``name`` has demand and no enabled site may serve it: within its latency SLA, or
    (no SLA) at all."""
    where = table_file(spec, "tenants")
    if sla_ms is None:
        return SpecError(
            where, f"tenants.{name}", "no enabled site can serve this tenant; expected an "
            "enabled site (enabled: true) or no demand",
        )  # fmt: skip
    return SpecError(
        where, f"tenants.{name}.latency_sla_ms", f"no enabled site can serve this tenant within "
        f"{sla_ms:g} ms; expected a larger SLA or a site closer to it",
    )  # fmt: skip


def horizon_end(spec: Spec) -> dt.date:
    """The first day after the horizon: ``start`` plus ``years`` calendar years (29 Feb -> 28)."""
    h = spec.model.horizon
    day = min(h.start.day, 28) if h.start.month == 2 else h.start.day
    return h.start.replace(year=h.start.year + h.years, day=day)


def check_dates(spec: Spec) -> list[SpecError]:
    """Dates that must fall inside the horizon ``[start, end)``: build and construction starts,
    event dates, notice dates. A date after the end would silently never happen; a chip's
    ``available_from`` may lie beyond it, and so may a site's ``earliest`` (the dataset's sites
    are options for every horizon: one that opens after a short horizon simply takes no part)."""
    m = spec.model
    end = horizon_end(spec)
    dated: list[tuple[str, str, dt.date | None]] = []
    dated += [("fabs", f"{n}.earliest", f.earliest) for n, f in m.fabs.items() if f.enabled]
    dated += [("events", f"{n}.date", e.date) for n, e in m.events.items()]
    dated += [
        ("contracts", f"{n}.notice_given", c.notice_given)
        for n, c in m.contracts.items()
        if isinstance(c.notice_given, dt.date)  # not 'decide'
    ]
    dated += [("offers", f"{n}.earliest", o.earliest) for n, o in m.offers.items() if o.enabled]
    out = []
    for table, key, day in dated:
        if day is not None and day >= end:
            out.append(
                SpecError(
                    *blame(spec, table, *key.rsplit(".", 1)),  # a row name may hold a dot
                    f"{day} is after the horizon ({m.horizon.start} to {end}); expected a date "
                    "before its end",
                )
            )
    for name, c in m.contracts.items():
        if isinstance(c.notice_given, dt.date) and c.notice_given < c.start:
            out.append(
                SpecError(
                    table_file(spec, "contracts"),
                    f"contracts.{name}.notice_given",
                    f"{c.notice_given} is before the contract starts ({c.start}); expected a "
                    "date on or after its start",
                )
            )
    return out


def check_clean_from(spec: Spec) -> list[SpecError]:
    """``policy.clean_from`` leaves at least one reported period for the clean-power shares
    (they apply in periods starting on or after it): a later date would silently drop them."""
    m = spec.model
    day = m.policy.clean_from
    h = m.horizon
    last = add_months(h.start, h.years * 12 - h.months_per_period)
    if day is None or day <= last:
        return []
    return [
        SpecError(
            spec.path,
            "policy.clean_from",
            f"{day} is after the horizon's last period start ({last}); expected a date on or "
            "before it (the shares apply in periods starting on or after it)",
        )
    ]


def check_decided_leases(spec: Spec) -> list[SpecError]:
    """A whole-site lease the plan decides (or an offer of one) names a site with chips installed
    or committed by dated events: it covers the site's as-built fleet (:mod:`twin.plan.leases`)."""
    m = spec.model
    rows: list[tuple[str, str, Contract | Offer]] = [
        ("contracts", n, c) for n, c in m.contracts.items() if c.decided
    ]
    rows += [("offers", n, o) for n, o in m.offers.items() if o.enabled]
    rows = [(t, n, x) for t, n, x in rows if x.form == "whole_site"]
    if not rows:
        return []
    fleet = {e.site for e in m.events.values() if e.kind == "chips_installed"}
    return [
        SpecError(
            table_file(spec, table),
            f"{table}.{name}.site",
            f"site '{x.site}' has no chips installed or committed, and a whole-site lease the "
            "plan decides covers the as-built fleet; expected a site with chips, or the "
            "quantity form",
        )
        for table, name, x in rows
        if x.site not in fleet
    ]


def check_contradictions(spec: Spec) -> list[SpecError]:
    """Settings that contradict each other: a notice the plan decides on a lease that renews
    regardless (``notice_given: decide`` with ``renew: true``), a notice date on a lease whose
    notice the plan decides (``renew: decide``), an offer whose ``latest`` start is before its
    ``earliest``."""
    m = spec.model
    out = []
    for name, c in m.contracts.items():
        if c.notice_given == "decide" and c.renew is True:
            file, where = blame(spec, "contracts", name, "notice_given")
            also = source(spec, "contracts", name, "renew", file)
            out.append(
                SpecError(
                    file,
                    where,
                    f"'decide' contradicts renew: true{also} (renews whatever the plan "
                    "decides); expected renew: decide, or a dated notice_given",
                )
            )
        if c.renew == "decide" and isinstance(c.notice_given, dt.date):
            file, where = blame(spec, "contracts", name, "renew")
            also = source(spec, "contracts", name, "notice_given", file)
            out.append(
                SpecError(
                    file,
                    where,
                    f"'decide' contradicts notice_given: {c.notice_given}{also} (notice "
                    "already given); expected renew: true or false with a dated notice, or no "
                    "date",
                )
            )
    for name, o in m.offers.items():
        if o.latest is not None and o.latest < o.earliest:
            out.append(
                SpecError(
                    table_file(spec, "offers"),
                    f"offers.{name}.latest",
                    f"{o.latest} is before earliest {o.earliest}; expected a date on or after it",
                )
            )
    return out


def check_tle_epochs(spec: Spec) -> list[SpecError]:
    """Every element set of a shell's ``tle_file`` has its epoch within ``tle_epoch_years`` of
    the planning horizon ``[start, end)``: elements from decades away describe another sky."""
    from twin.spec.tle import epoch_gap_years, read_tle

    m = spec.model
    start, end = m.horizon.start, horizon_end(spec)
    out = []
    for name, sh in m.orbit.shells.items():
        if sh.tle_file is None:
            continue
        for es in read_tle(sh.tle_file):
            gap = epoch_gap_years(es, start, end)
            if gap > sh.tle_epoch_years:
                out.append(
                    SpecError(
                        sh.tle_file,
                        f"line {es.line_no} (orbit.shells.{name}.tle_file)",
                        f"epoch {es.epoch.date()} of {es.name} is {gap:.1f} years outside "
                        f"the horizon ({start} to {end}); expected within "
                        f"{sh.tle_epoch_years:g} years "
                        f"(newer elements, or raise orbit.shells.{name}.tle_epoch_years)",
                    )
                )
                break  # one per file
    return out


CHECKS: list[Callable[[Spec], list[SpecError]]] = [
    check_references,
    check_integrity,
    check_orphans,
    check_horizon,
    check_dates,
    check_clean_from,
    check_foresight,
    check_servable,
    check_decided_leases,
    check_climate,
    check_uncertainty,
    check_contradictions,
    check_tle_epochs,
    check_traffic,
    check_profiles,
]


def run_checks(spec: Spec) -> None:
    """Run every check in order; raise all problems found (references first, they gate the rest)."""
    errors = check_references(spec)
    if errors:
        raise errors[0] if len(errors) == 1 else SpecErrors(errors)
    for check in CHECKS[1:]:
        errors += check(spec)
    if errors:
        raise errors[0] if len(errors) == 1 else SpecErrors(errors)
