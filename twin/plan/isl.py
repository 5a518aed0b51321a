"""Inter-satellite links: the cut around the satellites where traffic enters an orbital shell.

Traffic to an orbital site comes down (and goes up) a ground station's link, which lands on the
satellite in contact, the entry satellite. The site's compute is spread evenly over its shell's
N satellites, so a share 1/N of what enters is served on the entry satellite itself and the rest,
``(N-1)/N``, must leave it over its inter-satellite links: ``d`` +grid links (the shell's mean
degree ``2|E|/N``: 4 in a Walker delta, 2 in a single-plane ring;
:func:`twin.orbit.shells.grid_isl_pairs`) of rate R each (``Shell.isl_gbps_per_link``). Each link
in contact has one entry satellite, for the same share of the time as the downlink it feeds, so
the cut is time-averaged as the downlink is (:mod:`twin.plan.orbit_data`):

    isl_cap[s,p] = sum_st cf[s,st] (1 + antennas online[st,p]) d R
                 = (d R / r_s) x (D_s + antennas' capacity[s,p])          [Gbit/s]

with ``r_s = min(link rate, satellite downlink)`` the rate of one link in contact and ``D_s =
sum_st cf[s,st] r_s`` the site's downlink. The row, over the same traffic terms T[s,p] as the
orbit family's ``downlink[s,p]`` (bandwidth tenants, routed inference, training transfer;
:func:`twin.plan.orbit.downlink_terms`):

- ``isl_capacity[s,p]``:  ``((N-1)/N) T[s,p] <= isl_cap[s,p]``  [Gbit/s]

Why the cut around the entry satellites: with the traffic spread evenly over the shell, the
links leaving the entry satellite carry all of it that is served elsewhere, and every ring of
satellites further out has at least as many links (in a single-plane ring every cut is 2 links).
Several entry satellites in contact at once (antennas) are separate cuts; links between two
entry satellites are not netted out. The traffic is the period's mean, as on the downlink.

A row only where it can bind: ``(N-1)/N x r_s > d R``; otherwise ``downlink[s,p]`` implies it
(the ISL load is (N-1)/N of the downlink's, the ISL cut ``d R / r_s`` times its capacity). With
the default 100 Gbit/s per ISL and 100 Gbit/s per ground link no shipped shell has a row: ISLs
bind only for slow (RF) crosslinks or fast ground links. The row's dual over ``df_p dt`` is the
marginal value of one Gbit/s of ISL cut for a year [$M per Gbit/s-year].
"""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan.data import PlanData
from twin.plan.orbit import downlink_terms
from twin.plan.rows import sparse_rule


def isl_share(d: PlanData, s: str) -> float:
    """``(N-1)/N``: the share of the traffic entering orbital site s that crosses its ISLs [-]."""
    n = d.orbit.satellites[s]
    return (n - 1) / n


def isl_binds(d: PlanData, s: str) -> bool:
    """Whether ``isl_capacity[s,p]`` can bind: ``(N-1)/N x r_s > d R`` (module docstring)."""
    geo = d.orbit
    return isl_share(d, s) * geo.link_rate_gbps[s] > geo.isl_out_gbps[s]


def define_isl_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``isl_cap[s,p]`` (an expression, every orbital site) and the rows ``isl_capacity[s,p]``
    where they can bind (module docstring)."""
    geo = d.orbit
    idx = [(s, p) for s in d.orbital_sites for p in range(d.n_periods)]
    m.isl_cap = pyo.Expression(
        idx,
        rule=lambda m, s, p: (
            geo.isl_out_gbps[s] / geo.link_rate_gbps[s] * downlink_terms(m, d, s, p)[1]
        ),
    )

    def row(m: pyo.ConcreteModel, s: str, p: int) -> object:
        used, _ = downlink_terms(m, d, s, p)
        return isl_share(d, s) * sum(used) - m.isl_cap[s, p] <= 0 if used else True

    m.isl_capacity = pyo.Constraint(
        [(s, p) for s, p in idx if isl_binds(d, s)], rule=sparse_rule("isl_capacity", row)
    )
