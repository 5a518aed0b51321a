"""Candidate sites on a regional supply curve: the regional construction rate.

Each region's tranches are ordinary sites (:mod:`twin.spec.regions`): later tranches cost more
per MW and take longer, so the plan fills a region from its cheapest tranche. What a region can
build at once is limited by its contractors, transformers and permits:

    sum_{s in region r} build[s,p] <= cap_r[p]       for every region r and period p

``cap_r[p] = rate_r x dt``, half of it in the region's first period: a build started in p counts
from p's start, so the MW started by p is the mean of what the rate delivers over p
(:func:`twin.plan.calendar.rate_caps`; issue 17, yearly and quarterly plans agree).

Index domain: regions with a tranche site that can be built in p (``d.regions``).
"""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan.data import PlanData
from twin.plan.elastic import slack


def define_region_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``sum_{s in r} build[s,p] <= rate_r x dt`` (module docstring)."""
    rd = d.regions
    builds = set(d.build_idx)
    idx = [
        (r, p)
        for r, sites in rd.sites.items()
        for p in range(d.n_periods)
        if any((s, p) in builds for s in sites)
    ]
    m.region_rate = pyo.Constraint(
        idx,
        rule=lambda m, r, p: (
            sum(m.build[s, p] for s in rd.sites[r] if (s, p) in builds)
            <= rd.cap_mw[r, p] + slack(m, d, "region_rate", r, p)
        ),
    )
