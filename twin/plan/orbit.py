"""Orbital sites: capacity that needs launched mass, runs on sunlight and wears out.

An orbital site is a share of a shell. Its IT capacity built in p' is online from ``p' + L_s`` for
the satellites' lifetime (then it must be rebuilt); a MW needs ``mu_s`` tonnes launched at the
build, at the year's launch price; its IT load is capped by solar power, ``sunlit_s x cap[s,p]``
(no grid, no PUE cooling term); and work that needs bandwidth is capped by the downlink,
``sum_j b_j alloc[s,j,p] <= sum_stations contact(shell, station) x link rate``.
Geometry (sunlit fraction, contact fractions, latency) comes from :mod:`twin.plan.orbit_data`.
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from twin.plan import elastic
from twin.plan.cash import CashTerms
from twin.plan.data import PlanData
from twin.plan.expressions import it_load, new_capacity
from twin.plan.rows import sparse_rule
from twin.plan.traffic import routed_downlink


def define_orbit_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Orbital families (rows exist only for enabled orbital sites):

    - ``orbit_power[s,p]``: ``it_load[s,p] <= sunlit_s x new_capacity[s,p]`` (solar only);
    - ``orbit_max[s,p]``: ``new_capacity[s,p] <= max_mw[s]`` (capacity retires, so per period);
    - ``downlink[s,p]``: ``sum_j b_j (1 - phi_j) alloc[s,j,p] <= D_s`` [Gbit/s] (phi_j: the
      routed inference share, whose traffic, with training transfer and the antennas' capacity,
      comes from :func:`twin.plan.traffic.routed_downlink`: never counted twice);
    - ``launch_capacity[p]``: ``sum_s mu_s build[s,p] <= launch capacity x dt`` [t].
    """
    geo = d.orbit
    idx = [(s, p) for s in d.orbital_sites for p in range(d.n_periods)]
    m.orbit_power = pyo.Constraint(
        idx,
        rule=sparse_rule(
            "orbit_power",
            lambda m, s, p: it_load(m, s, p) - geo.sunlit[s] * new_capacity(m, s, p) <= 0,
        ),
    )
    m.orbit_max = pyo.Constraint(
        idx,
        rule=sparse_rule(
            "orbit_max",
            lambda m, s, p: (
                new_capacity(m, s, p) <= d.max_mw[s] + elastic.slack(m, d, "orbit_max", s, p)
            ),
        ),
    )

    def downlink(m: pyo.ConcreteModel, s: str, p: int) -> object:
        used, cap = downlink_terms(m, d, s, p)
        return sum(used) <= cap if used else True

    m.downlink = pyo.Constraint(idx, rule=sparse_rule("downlink", downlink))
    cap = d.launch_capacity_t_per_year
    mass = launch_mass_terms(m, d)
    if cap is not None:
        m.launch_capacity = pyo.Constraint(
            [p for p in range(d.n_periods) if mass[p]],
            rule=lambda m, p: sum(mass[p]) <= cap * d.dt + elastic.slack(m, d, "launch", "*", p),
        )


def downlink_terms(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> tuple[list, Any]:
    """The two sides of ``downlink[s,p]``: the traffic terms [Gbit/s] -- ``b_j (1 - phi_j)
    alloc[s,j,p]`` and the routed and transfer traffic of :func:`twin.plan.traffic.routed_downlink`
    -- and the capacity ``D_s + antennas' capacity`` [Gbit/s]."""
    at, phi = d.groups.allocs_at, d.traffic.inference_share
    bw = {j: b * (1 - phi.get(j, 0.0)) for j, b in d.bandwidth_gbps_per_k.items()}
    used = [bw[j] * m.alloc[s, j, p] for j in at.get((s, p), ()) if bw[j] > 0]
    routed, added = routed_downlink(m, d, s, p)  # twin.plan.traffic: routed inference
    return used + routed, d.orbit.downlink_gbps[s] + added


def launch_mass_terms(m: pyo.ConcreteModel, d: PlanData) -> dict[int, list]:
    """Tonnes launched per period: ``mu_s x build[s,p]`` for orbital sites [t]."""
    mass: dict[int, list] = {p: [] for p in range(d.n_periods)}
    for s, p in d.build_idx:
        if s in d.orbital_sites:
            mass[p].append(d.specific_mass_t_per_mw[s] * m.build[s, p])
    return mass


def orbit_cash(m: pyo.ConcreteModel, d: PlanData) -> CashTerms:
    """Launch spend ``price[p] x 1000 kg/t x mass / 1e6`` [$M] in the ``launch`` flow, and the
    remaining share of it in the salvage."""
    out = CashTerms(d.n_periods)
    for s, p in d.build_idx:
        if s not in d.orbital_sites:
            continue
        x = m.build[s, p]
        cost = d.launch_price_usd_per_kg[p] / 1e3 * d.specific_mass_t_per_mw[s]  # $M per MW
        out.add("launch", p, cost * x)
        share = d.remaining_share(d.online_period(s, p), d.site_life_years[s])
        if share > 0:
            out.add_salvage(share * cost * x, site=s)
    return out
