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
is ``existing_mw[s,p] + new_capacity[s,p]``, the IT load ``existing_it_mw - idle + it_load``.
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


def total_it_load(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> Linear:
    """IT power drawn at s in p: ``IT_existing - idle + it_load`` [MW]."""
    return d.existing_it_mw[s, p] - idle(m, s, p) + it_load(m, s, p)


def existing_h100e_per_mw(d: PlanData, s: str, p: int) -> float:
    """Compute density of the existing chips at s in p [kH100e/MW]; 0 with none."""
    mw = d.existing_it_mw[s, p]
    return d.existing_k_h100e[s, p] / mw if mw > 0 else 0.0


def compute_capacity(
    m: pyo.ConcreteModel, d: PlanData, s: str, p: int, running: bool = True
) -> Linear:
    """Usable compute at s in p [kH100e]:

    ``a_s * (H_existing[s,p] - rho[s,p] * idle[s,p] + new_compute[s,p])`` with availability
    ``a_s`` and existing compute density ``rho`` [kH100e/MW]. With ``running=False`` the idle term
    is left out: the compute installed, whether powered or not.
    """
    new = m.new_compute[s, p] if (s, p) in m.new_compute else 0.0
    off = existing_h100e_per_mw(d, s, p) * idle(m, s, p) if running else 0.0
    return d.availability[s] * (d.existing_k_h100e[s, p] - off + new)
