"""Firm capacity at the peak: what serves a site covers its peak facility load plus a reserve.

Separate from energy (:mod:`twin.plan.power`: average draw within each source's capacity factor):
per terrestrial site s and period p,

    firm[s,p] = sum_{g at s} credit_g limit_g[p] + sum_{g built at s} credit_g online[s,g,p]  [MW]
    peak[s,p] = k PUE_s IT[s,p],   IT = IT_existing - idle + it_load                          [MW]
    firm[s,p] >= (1 + r) peak[s,p]                                         (firm_capacity[s,p])

with ``credit`` the capacity credit (ELCC) of a source or project, ``online`` its nameplate online
(pro rata in the period it comes online, :mod:`twin.plan.power_build`), ``r`` the reserve margin
and ``k`` the peak-to-average ratio of facility load (``policy``); with representative days
``peak[s,p] = max_{d,h} PUE_s[d,h] IT[s,p]``, the largest hourly facility load. A battery
counts here with its credit; in the energy balance only as storage. A credit is never energy.

Reported: ``firm_capacity_mw`` and ``peak_load_mw`` (the two expressions) and the reserve margin
``firm / peak - 1`` (:mod:`twin.plan.supply_results`).
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from twin.plan.data import PlanData
from twin.plan.expressions import total_it_load
from twin.plan.hourly_data import pue_profile
from twin.plan.power_build import online_nameplate
from twin.plan.rows import sparse_rule


def firm_capacity(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> Any:
    """``firm[s,p]`` [MW] (module docstring)."""
    pb = d.power_build
    today = sum(d.source_firm_mw[g, p] for g in d.groups.sources_at.get(s, ()))
    built = [pb.credit[g] * online_nameplate(m, d, s, g, p) for g in pb.firm_at.get((s, p), ())]
    return today + sum(built)


def peak_factor(d: PlanData, s: str) -> float:
    """``k PUE_s``; with representative days ``max_{d,h} PUE_s[d,h]`` (IT flat in a period)."""
    if d.hours is None:
        return d.peak_to_average * d.pue[s]
    return float(pue_profile(d.hours, s, d.pue[s]).max())


def peak_load(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> Any:
    """``peak[s,p] = k PUE_s IT[s,p]`` [MW] (module docstring; :func:`peak_factor`)."""
    return peak_factor(d, s) * total_it_load(m, d, s, p)


def define_firm_capacity(m: pyo.ConcreteModel, d: PlanData) -> None:
    """The expressions ``firm_capacity_mw[s,p]``, ``peak_load_mw[s,p]`` and the rows
    ``firm_capacity[s,p]`` (module docstring)."""
    idx = d.ground_periods
    m.firm_capacity_mw = pyo.Expression(idx, rule=lambda m, s, p: firm_capacity(m, d, s, p))
    m.peak_load_mw = pyo.Expression(idx, rule=lambda m, s, p: peak_load(m, d, s, p))
    m.firm_capacity = pyo.Constraint(
        idx,
        rule=sparse_rule(
            "firm_capacity",
            lambda m, s, p: (
                (1 + d.reserve_margin) * peak_load(m, d, s, p) - firm_capacity(m, d, s, p) <= 0
            ),
        ),
    )
