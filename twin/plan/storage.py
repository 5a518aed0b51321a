"""Storage in hours: it shifts energy from one hour to another and makes none.

Per storage unit b (today's ``battery`` sources; ``battery`` projects at a site, labelled
``project@site``), period p, representative day d and hour h (:mod:`twin.plan.hourly_data`):

    soc[b,d,h,p] = soc[b,d,h-1,p] + tau[d,h] (eta_c charge[b,d,h,p] - discharge[b,d,h,p] / eta_d)
                      [MWh]  (storage_balance; h-1 of h=0 is the day's last: cyclic per day)
    charge, discharge <= P[b,p]   [MW];   soc <= E[b,p] = mwh_per_mw_b x P[b,p]   [MWh]

with ``P`` a source's limit (variable bounds) or a project's nameplate online (rows
``storage_charge_limit``, ``storage_discharge_limit``, ``storage_energy_limit``), and
``tau[d,h]`` the hours in the step (1, or a segment's length: :mod:`twin.plan.hourly_data`;
``soc`` is then held at the end of each segment only). Summed over a day the balance gives
``eta_c sum tau charge - sum tau discharge / eta_d = 0``, so with efficiencies <= 1 the
energy out never exceeds the energy in: net energy ``sum tau (discharge - charge) <= 0``.
``discharge - charge`` joins the site's hourly balance (:mod:`twin.plan.hourly`). Throughput
costs nothing; a project's fixed O&M is paid on its nameplate online (:mod:`twin.plan.power_build`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo

from twin.plan.data import PlanData
from twin.plan.hourly_data import (
    block_upper,
    efficiencies,
    hourly_index,
    is_storage,
    set_upper,
    steps,
)
from twin.plan.matrix_rows import LinearRows, RowTerms, capacity_rows, csr, member_positions


@dataclass(frozen=True)
class StorageUnit:
    """A storage unit: label, site, the source or project it is, and whether a project."""

    label: str
    site: str
    name: str
    project: bool


def storage_units(d: PlanData) -> list[StorageUnit]:
    """Today's batteries at terrestrial sites, then battery projects by (site, project)."""
    out = [
        StorageUnit(g, d.source_site[g], g, False)
        for g in d.sources
        if d.units.source_kind.get(g) == "battery" and d.source_site[g] not in d.orbital_sites
    ]
    pb = d.power_build
    pairs = dict.fromkeys((s, g) for s, g, _ in pb.build_idx if is_storage(pb.technology[g]))
    return out + [StorageUnit(f"{g}@{s}", s, g, True) for s, g in pairs]


def storage_periods(d: PlanData) -> dict[tuple[str, int], StorageUnit]:
    """``{(label, p): unit}`` where the unit can hold energy in p (a source with a limit, a
    project that can be online)."""
    out = {}
    for u in storage_units(d):
        for p in (p for p in range(d.n_periods) if d.hourly(p)):
            if u.project:
                on = (u.site, u.name, p) in d.power_build.online
            else:
                on = d.units.source_limit_mw.get((u.name, p), 0.0) > 0
            if on:
                out[u.label, p] = u
    return out


def storage_at(d: PlanData) -> dict[tuple[str, int], list[str]]:
    """Labels of the storage units at each (site, period)."""
    out: dict[tuple[str, int], list[str]] = {}
    for (b, p), u in storage_periods(d).items():
        out.setdefault((u.site, p), []).append(b)
    return out


def _limits(d: PlanData, u: StorageUnit, p: int) -> tuple[float | None, float | None]:
    """``(P, E)`` of a source [MW, MWh]; None for a project (rows bound it)."""
    if u.project:
        return None, None
    power = d.units.source_limit_mw[u.name, p]
    return power, d.units.source_mwh_per_mw[u.name] * power


def _balance_terms(m: pyo.ConcreteModel, d: PlanData, at: dict) -> RowTerms:
    """``soc[b,k,h,p] - soc[b,k,h-1,p] - tau eta_c charge + tau / eta_d discharge = 0`` per
    (b, p) in ``at``, k, h (module docstring) as a matrix, in the order of the variables' own
    index: (b, p) block j, then k, then h, at position ``j D H + k H + h``."""
    assert d.hours is not None
    n_steps, tau = steps(d.hours), np.asarray(d.hours.duration, float).ravel()
    dh = np.arange(d.hours.days * n_steps)
    prev = dh - dh % n_steps + (dh % n_steps - 1) % n_steps  # the same day's step before
    comp = np.tile([0, 0, 1, 2], (len(dh), 1))
    blocks = []
    for j, ((_, _), u) in enumerate(at.items()):
        e = d.units.project_efficiency if u.project else d.units.source_efficiency
        eta_c, eta_d = efficiencies(e[u.name])
        base = j * len(dh)
        pos = np.column_stack([base + dh, base + prev, base + dh, base + dh])
        coef = np.column_stack([np.ones_like(tau), -np.ones_like(tau), -(tau * eta_c), tau / eta_d])
        blocks.append((comp, pos, coef))
    zero = np.zeros(len(dh) * len(at))
    return csr(blocks, [m.soc, m.charge, m.discharge], zero, zero)


def define_storage(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``charge``, ``discharge`` [MW] and ``soc`` [MWh] >= 0 per (b, d, h, p), and the rows of
    the module docstring; nothing in the period form (nor in the end buffer's periods,
    :meth:`PlanData.hourly`)."""
    if d.hours is None:
        return
    at = storage_periods(d)
    n_steps = steps(d.hours)
    idx = [(b, k, h, p) for (b, p) in at for k in range(d.hours.days) for h in range(n_steps)]
    dom = hourly_index(idx)
    limits = {(b, p): _limits(d, u, p) for (b, p), u in at.items()}
    m.charge = pyo.Var(dom, within=pyo.NonNegativeReals)
    m.discharge = pyo.Var(dom, within=pyo.NonNegativeReals)
    m.soc = pyo.Var(dom, within=pyo.NonNegativeReals)
    n = d.hours.days * n_steps
    for var, j in ((m.charge, 0), (m.discharge, 0), (m.soc, 1)):
        bound = [None if (x := limits[bp][j]) is None else np.array(float(x)) for bp in at]
        set_upper(var, block_upper(bound, n))

    m.add_component("storage_balance", LinearRows(idx, _balance_terms(m, d, at)))  # a matrix
    built = [(j, b, p, u) for j, ((b, p), u) in enumerate(at.items()) if u.project]
    dh = [(k, h) for k in range(d.hours.days) for h in range(n_steps)]
    keys = [(b, k, h, p) for _, b, p, _ in built for k, h in dh]
    on = member_positions(m.power_online)
    every = np.arange(n)
    for name, var, per_mw in (
        ("storage_charge_limit", m.charge, lambda u: 1.0),
        ("storage_discharge_limit", m.discharge, lambda u: 1.0),
        ("storage_energy_limit", m.soc, lambda u: d.units.project_storage_hours[u.name]),
    ):  # unit <= (1, 1, hours) x online nameplate
        blocks = [(j * n, on.get((u.site, u.name, p)), every, per_mw(u)) for j, _, p, u in built]
        m.add_component(name, LinearRows(keys, capacity_rows(var, m.power_online, blocks)))
