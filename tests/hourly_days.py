"""Representative days built by hand for the hourly tests (the shape of
``twin.hours.RepresentativeDays``), and a plan solved with them.

Until ``twin.hours`` is on main, the tests build the days here: ``weight[d]`` days of the year
each day stands for (sum 365), ``availability[(site, technology)]`` (D, 24) in [0, 1],
``pue[site]`` (D, 24).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from twin.plan import Plan, plan, plan_data
from twin.spec.spec import Spec


@dataclass(frozen=True)
class RepresentativeDays:
    """Representative days (the interface of ``twin.hours.RepresentativeDays``)."""

    weight: np.ndarray
    availability: Mapping[tuple[str, str], np.ndarray] = field(default_factory=dict)
    pue: Mapping[str, np.ndarray] = field(default_factory=dict)

    @property
    def days(self) -> int:
        """Number of days D."""
        return len(self.weight)

    def avail(self, site: str, technology: str) -> np.ndarray:
        """(D, 24) availability; ones if not weather-driven."""
        return self.availability.get((site, technology), np.ones((self.days, 24)))


def solar_day(peak: float, start: int = 6, end: int = 18) -> np.ndarray:
    """A 24-hour profile: ``peak`` from ``start`` to ``end`` (exclusive), 0 otherwise."""
    out = np.zeros(24)
    out[start:end] = peak
    return out


def hourly_plan(spec: Spec, days: RepresentativeDays) -> Plan:
    """``spec`` planned in the hourly form on ``days``."""
    return plan(spec, data=dataclasses.replace(plan_data(spec), hours=days))
