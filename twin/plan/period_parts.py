"""A period in which something opens part-way: its start and its end, as two capacity checks.

The period form balances energy on the period's mean: a power project opening part-way through
p counts for the share of p after its opening (:mod:`twin.plan.power_build`), and the IT load is
flat over p. Alone, that lets chips run from p's start on energy that exists only from the
opening: a yearly plan ran the 2028-07 year's IT on a solar PPA online from 2029-01, where a
quarterly plan could not, and contracted three more 1,000 MW PPAs for it (issue 17,
benchmarks/results/period_agreement.md). Where a power project or a hall opens part-way
through p at a terrestrial site s, the load must fit what exists at both ends of p:

    start:  PUE_s IT_start[s,p] <= E_today[s,p] + sum_{(g,q) online at p's start} cf_g B[s,g,q]
    end:    PUE_s IT_end[s,p]   <= E_today[s,p] + sum_{(g,q) online at p's end}   cf_g B[s,g,q]
    start:  (1 + r) k_s IT_start[s,p] <= F_today[s,p] + sum_{at the start} credit_g B[s,g,q]
    end:    (1 + r) k_s IT_end[s,p]   <= F_today[s,p] + sum_{at the end}   credit_g B[s,g,q]

[MW], with ``IT_start = IT_existing - idle + it_load - it_waiting`` (chips waiting for a hall that
opens in p are not running yet, :mod:`twin.plan.hall_openings`), ``IT_end = IT_start +
it_waiting`` (every chip runs after the opening), ``E_today`` and ``F_today`` the energy (MW
average, capacity factor x limit) and firm MW of today's sources, ``B`` the builds, ``cf`` and
``credit`` a project's capacity factor and capacity credit, ``k_s`` the peak factor of
:func:`twin.plan.firm.peak_factor` and ``r`` the reserve margin. A build is online at p's start
if it opened before p, at its end if it opened in or before p and its term has not ended. The
mean energy balance and the pro-rata firm row stay: they price energy; these rows only bound.
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from twin.plan.data import PlanData
from twin.plan.expressions import idle, it_load, new_capacity
from twin.plan.firm import peak_factor

#: ``{(s, p): (builds online at p's start, at its end, share of p after the first opening)}``
Parts = dict[tuple[str, int], tuple[list[tuple[str, int]], list[tuple[str, int]], float]]


def _parts(d: PlanData) -> Parts:
    """Every (s, p) at a terrestrial site where a project or a hall opens part-way through p,
    with the builds ``(g, q)`` online at p's start and at its end and the share of p after
    the first opening in it."""
    pb = d.power_build
    opening = {sp: a for sp, (a, _) in d.hall_openings.items()}
    start: dict[tuple[str, int], list] = {}
    end: dict[tuple[str, int], list] = {}
    for (s, g, p), qs in pb.online.items():
        for q, a in qs:
            first = p == pb.first_online[s, g, q]
            if first and a < 1 - 1e-9:
                opening[s, p] = max(a, opening.get((s, p), 0.0))
            if not first:
                start.setdefault((s, p), []).append((g, q))
            last = (s, g, p + 1) not in pb.online or q not in dict(pb.online[s, g, p + 1])
            if not (last and a < 1 - 1e-9 and not first):
                end.setdefault((s, p), []).append((g, q))
    ground = set(d.sites) - set(d.orbital_sites)
    return {
        (s, p): (start.get((s, p), []), end.get((s, p), []), a)
        for (s, p), a in sorted(opening.items())
        if s in ground
    }


def _define_idle_ends(m: pyo.ConcreteModel, d: PlanData, parts: Parts) -> tuple[dict, dict]:
    """``idle_start``, ``idle_end`` and their row ``idle_ends`` (:func:`define_period_parts`):
    today's chips may be off before an opening and on after it; the period's idle is their
    mean over the two parts, (1 - a) at the start and a at the end. Returns both as dicts."""
    off = sorted((s, p) for s, p in parts if d.existing_it_mw[s, p] > 0)
    for name in ("idle_start", "idle_end"):
        m.add_component(
            name,
            pyo.Var(
                pyo.Set(initialize=off, dimen=2),
                within=pyo.NonNegativeReals,
                bounds=lambda m, s, p: (0, d.existing_it_mw[s, p]),
            ),
        )
    m.idle_ends = pyo.Constraint(
        off,
        rule=lambda m, s, p: (
            idle(m, s, p)
            - (1 - parts[s, p][2]) * m.idle_start[s, p]
            - parts[s, p][2] * m.idle_end[s, p]
            == 0
        ),
    )
    return dict(m.idle_start.items()), dict(m.idle_end.items())


def define_period_parts(m: pyo.ConcreteModel, d: PlanData) -> None:
    """The rows ``part_halls``, ``part_energy`` and ``part_firm`` ``[s,p,end]`` (module
    docstring; ``end`` 0 at p's start, 1 at its end), and today's chips switched off at each
    end, ``idle_start[s,p]`` and ``idle_end[s,p]`` [MW], whose mean is the period's ``idle``:
    ``idle = (1 - a) idle_start + a idle_end`` (``idle_ends``, ``a`` the share of p after the
    first opening in it)."""
    pb, at = d.power_build, d.groups.sources_at
    parts = _parts(d)
    draws = {g for gs in pb.draws_at.values() for g in gs}
    idx = [(s, p, e) for s, p in parts for e in (0, 1)]

    ends = _define_idle_ends(m, d, parts)
    install = dict(m.install.items())
    waiting = dict(m.waiting.items())
    new_on_sale = {
        (s, p): [
            (k, w) for k in d.chips if (w := d.on_sale_share.get((k, p))) and (s, k, p) in install
        ]
        for s, p in parts
    }

    def load(m: pyo.ConcreteModel, s: str, p: int, e: int) -> Any:
        """IT at p's start (e = 0) or end (1), less today's chips [MW]."""
        it = it_load(m, s, p) - ends[e].get((s, p), 0.0)
        fresh = new_on_sale[s, p]
        if e:  # chips whose sale starts in p run in full at p's end
            return it + sum((1 - w) * d.kw[k] * install[s, k, p] for k, w in fresh)
        new = {k for k, _ in fresh}
        early = [
            d.kw[k] * waiting[s, k, p] for k in d.chips if k not in new and (s, k, p) in waiting
        ]  # waiting chips of a generation on sale at p's start; none of a new one runs yet
        return it - sum(w * d.kw[k] * install[s, k, p] for k, w in fresh) - sum(early)

    def halls(m: pyo.ConcreteModel, s: str, p: int, e: int) -> Any:
        opened = [build[s, q] for q in d.hall_openings.get((s, p), (1.0, ()))[1]] if e else []
        lhs = load(m, s, p, e) - new_capacity(m, s, p) - sum(opened)
        if isinstance(lhs, float):
            return pyo.Constraint.Skip
        return lhs <= d.existing_mw[s, p] - d.existing_it_mw[s, p]

    def online(s: str, p: int, e: int) -> list[tuple[str, int]]:
        return parts[s, p][1] if e else parts[s, p][0]

    def energy(m: pyo.ConcreteModel, s: str, p: int, e: int) -> Any:
        today = sum(d.source_energy_mw.get((g, p), 0.0) for g in at.get(s, ()))
        built = sum(
            pb.capacity_factor[g] * m.power_build[s, g, q] for g, q in online(s, p, e) if g in draws
        )
        lhs = d.pue[s] * load(m, s, p, e) - built
        if isinstance(lhs, float):
            return pyo.Constraint.Skip
        return lhs <= today - d.pue[s] * d.existing_it_mw[s, p]

    def firm(m: pyo.ConcreteModel, s: str, p: int, e: int) -> Any:
        k = (1 + d.reserve_margin) * peak_factor(d, s)
        today = sum(d.source_firm_mw.get((g, p), 0.0) for g in at.get(s, ()))
        built = sum(pb.credit[g] * m.power_build[s, g, q] for g, q in online(s, p, e))
        lhs = k * load(m, s, p, e) - built
        if isinstance(lhs, float):
            return pyo.Constraint.Skip
        return lhs <= today - k * d.existing_it_mw[s, p]

    build = dict(m.build.items())
    m.part_halls = pyo.Constraint(pyo.Set(initialize=idx, dimen=3), rule=halls)
    m.part_energy = pyo.Constraint(pyo.Set(initialize=idx, dimen=3), rule=energy)
    m.part_firm = pyo.Constraint(pyo.Set(initialize=idx, dimen=3), rule=firm)
