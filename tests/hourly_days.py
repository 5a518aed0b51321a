"""Representative days built by hand for the hourly tests (the shape of
``twin.hours.RepresentativeDays``), and a plan solved with them.

Until ``twin.hours`` is on main, the tests build the days here: ``weight[d]`` days of the year
each day stands for (sum 365), ``availability[(site, technology)]`` (D, H) in [0, 1],
``pue[site]`` (D, H), ``step_hours`` (D, H) hours per step (None: H = 24 hours).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from conftest import TEST_SOURCE, tiny_model

from twin.plan import Plan, plan, plan_data
from twin.spec.spec import Spec

LOAD_MW = 100.0


@dataclass(frozen=True)
class RepresentativeDays:
    """Representative days (the interface of ``twin.hours.RepresentativeDays``)."""

    weight: np.ndarray
    availability: Mapping[tuple[str, str], np.ndarray] = field(default_factory=dict)
    pue: Mapping[str, np.ndarray] = field(default_factory=dict)
    step_hours: np.ndarray | None = None  # (D, H) hours per step; None: 24 hours

    @property
    def days(self) -> int:
        """Number of days D."""
        return len(self.weight)

    @property
    def duration(self) -> np.ndarray:
        """(D, H) hours in each time step: one hour each unless ``step_hours`` says."""
        return np.ones((self.days, 24)) if self.step_hours is None else self.step_hours

    def avail(self, site: str, technology: str) -> np.ndarray:
        """(D, H) availability; ones if not weather-driven."""
        return self.availability.get((site, technology), np.ones(self.duration.shape))


def solar_day(peak: float, start: int = 6, end: int = 18) -> np.ndarray:
    """A 24-hour profile: ``peak`` from ``start`` to ``end`` (exclusive), 0 otherwise."""
    out = np.zeros(24)
    out[start:end] = peak
    return out


def source(kind: str, limit: float, **over: object) -> dict:
    """Today's power source at s1 (free unless ``over`` sets a cost)."""
    return {"site": "s1", "kind": kind, "limit_mw": limit, "cost_usd_per_mwh": 0.0,
            "source": TEST_SOURCE, **over}  # fmt: skip


def model(sources: dict, projects: dict | None = None, **over: object) -> dict:
    """s1 with 100 MW of chips from 2029 and a tenant wanting all of it at $1/H100e-h, one
    yearly period (2030), no reserve margin, ``sources`` and ``projects`` its only power."""
    events = {
        "online": {"date": "2029-01-01", "kind": "site_online", "site": "s1", "mw": LOAD_MW,
                   "source": TEST_SOURCE},
        "chips": {"date": "2029-01-01", "kind": "chips_installed", "site": "s1", "chip": "c1",
                  "chips": LOAD_MW * 1000, "source": TEST_SOURCE},
    }  # fmt: skip
    data = tiny_model(
        horizon={"start": "2030-01-01", "years": 1, "period": "year", "end_effects": "none"},
        events=events,
        power_sources=None,
        policy={"reserve_margin": 0.0},
        power_projects=projects or {},
        tenants={"own": {"demand_k_h100e": LOAD_MW}},
        **over,
    )
    data["power_sources"] = sources
    return data


def hourly_plan(spec: Spec, days: RepresentativeDays) -> Plan:
    """``spec`` planned in the hourly form on ``days``."""
    return plan(spec, data=dataclasses.replace(plan_data(spec), hours=days))
