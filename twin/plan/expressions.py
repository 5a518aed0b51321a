"""The linear expressions several families share, built once per model as Pyomo ``Expression``
components (so the standard-form compiler also reads each once):

- ``new_capacity[s,p] = sum(a[q,p] build[s,q] for (q, a) in online_builds[s,p])`` [MW of IT
  capacity built by the plan, online in p for the share a of it (:mod:`twin.plan.site_timing`)];
- ``it_load[s,p] = sum_k kW_k sum(w_kq install[s,k,q] for q in active_installs[s,k,p])`` [MW
  drawn by the plan's chip vintages; kchips x kW = MW], ``w_kq`` the share of q chip k is on
  sale in when q = p (its first period on sale, :mod:`twin.plan.chip_market`), else 1;
- ``new_compute[s,p] = sum_k h100e_k sum(install[s,k,q] ...)`` [kH100e of the plan's vintages];
  both less the chips of those vintages retired early (:mod:`twin.plan.retire`).

Each exists only where its sum has a term; the accessors return 0 elsewhere. The capacity online
is ``existing_mw[s,p] + new_capacity[s,p]``, the IT load drawn ``existing_it_mw - idle + it_load
- it_unrun`` and the compute ``new_compute - compute_unrun``, less what chips waiting for a hall
that opens in p do not run (:mod:`twin.plan.hall_openings`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeAlias

import pyomo.environ as pyo

from twin.plan.data import PlanData
from twin.plan.linear import weighted_sum
from twin.plan.retire import retired_in_service

#: A linear Pyomo expression, or a plain number where a sum has no decision in it.
Linear: TypeAlias = Any


def define_shared_expressions(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``new_capacity``, ``it_load`` and ``new_compute`` (module docstring)."""
    g = d.groups
    build = dict(m.build.items())  # plain dict lookups: indexing the component is slower
    m.new_capacity = pyo.Expression(
        list(g.online_builds),
        rule=lambda m, s, p: weighted_sum((a, build[s, q]) for q, a in g.online_builds[s, p]),
    )
    by_sp: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for s, k, p in g.active_installs:
        by_sp.setdefault((s, p), []).append((k, p))
    order = {k: i for i, k in enumerate(d.chips)}
    for installs in by_sp.values():
        installs.sort(key=lambda kp: order[kp[0]])

    install = dict(m.install.items())

    on_sale = d.on_sale_share

    def terms(coef: dict[str, float], s: str, p: int) -> Iterator[tuple[float, Any]]:
        for k, _ in by_sp[s, p]:
            vintages = g.active_installs[s, k, p]
            for q in vintages:  # an install in its chip's first period on sale serves a share
                share = on_sale.get((k, p), 1.0) if q == p else 1.0
                yield coef[k] * share, install[s, k, q]
            yield from ((-coef[k], x) for x in retired_in_service(m, s, k, vintages, p))

    def weighted(coef: dict[str, float]) -> object:
        return lambda m, s, p: weighted_sum(terms(coef, s, p))

    m.it_load = pyo.Expression(list(by_sp), rule=weighted(d.kw))
    m.new_compute = pyo.Expression(list(by_sp), rule=weighted(d.h100e))


def _part(m: pyo.ConcreteModel, name: str, s: str, p: int) -> Linear | None:
    """``m.<name>[s,p]`` of :mod:`twin.plan.hall_openings` where it exists, else None."""
    family = m.component(name)
    return family[s, p] if family is not None and (s, p) in family else None


def it_waiting(m: pyo.ConcreteModel, s: str, p: int) -> Linear:
    """IT of the chips installed at s in p that wait for a hall opening in p [MW]."""
    part = _part(m, "it_waiting", s, p)
    return 0.0 if part is None else part


def running_it_load(m: pyo.ConcreteModel, s: str, p: int) -> Linear:
    """IT load drawn by the plan's vintages at s in p, mean over p [MW]: ``it_load - it_unrun``."""
    unrun = _part(m, "it_unrun", s, p)
    return it_load(m, s, p) if unrun is None else it_load(m, s, p) - unrun


def new_capacity(m: pyo.ConcreteModel, s: str, p: int) -> Linear:
    """Plan-built IT capacity online at s in p [MW]; 0 where none can be."""
    return m.new_capacity[s, p] if (s, p) in m.new_capacity else 0.0


def it_load(m: pyo.ConcreteModel, s: str, p: int) -> Linear:
    """IT load of the plan's vintages at s in p [MW]; 0 where none can be."""
    return m.it_load[s, p] if (s, p) in m.it_load else 0.0


def idle(m: pyo.ConcreteModel, s: str, p: int) -> Linear:
    """``idle[s,p]`` where it exists, else 0 [MW]."""
    return m.idle[s, p] if (s, p) in m.idle else 0.0


def capacity(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> Linear:
    """IT capacity online ``existing[s,p] + new_capacity[s,p]`` [MW]."""
    return d.existing_mw[s, p] + new_capacity(m, s, p)


def mean_capacity(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> Linear:
    """IT capacity online at s, mean over p [MW]: ``capacity[s,p]`` plus the share ``a`` of p
    after their opening of the halls that open part-way through p
    (:mod:`twin.plan.hall_openings`): what pays opex and what the report shows."""
    opening = d.hall_openings.get((s, p))
    if opening is None:
        return capacity(m, d, s, p)
    a, builds = opening
    return capacity(m, d, s, p) + sum(a * m.build[s, q] for q in builds)


def total_it_load(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> Linear:
    """IT power drawn at s in p, mean over p: ``IT_existing - idle + it_load - it_unrun`` [MW]."""
    return d.existing_it_mw[s, p] - idle(m, s, p) + running_it_load(m, s, p)


def it_load_at_start(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> Linear:
    """IT power installed at s at p's start, in the capacity then online [MW]:
    ``IT_existing - idle + it_load - it_waiting``."""
    waiting = _part(m, "it_waiting", s, p)
    load = d.existing_it_mw[s, p] - idle(m, s, p) + it_load(m, s, p)
    return load if waiting is None else load - waiting


def existing_h100e_per_mw(d: PlanData, s: str, p: int) -> float:
    """Compute density of the existing chips at s in p [kH100e/MW]; 0 with none."""
    mw = d.existing_it_mw[s, p]
    return d.existing_k_h100e[s, p] / mw if mw > 0 else 0.0


def compute_capacity(
    m: pyo.ConcreteModel, d: PlanData, s: str, p: int, running: bool = True
) -> Linear:
    """Usable compute at s in p [kH100e]:

    ``a_s * (H_existing[s,p] - rho[s,p] * idle[s,p] + new_compute[s,p] - compute_unrun[s,p])``
    with availability
    ``a_s`` and existing compute density ``rho`` [kH100e/MW]. With ``running=False`` the idle term
    is left out: the compute installed, whether powered or not.
    """
    new = m.new_compute[s, p] if (s, p) in m.new_compute else 0.0
    unrun = _part(m, "compute_unrun", s, p)
    new = new if unrun is None else new - unrun
    off = existing_h100e_per_mw(d, s, p) * idle(m, s, p) if running else 0.0
    return d.availability[s] * (d.existing_k_h100e[s, p] - off + new)
