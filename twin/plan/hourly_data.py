"""Data of the hourly form: representative days and what each unit can do in an hour.

The representative days come from :mod:`twin.hours` (``representative_days(spec, n)``), typed
here by the :class:`Days` protocol so the plan depends on their shape only: ``weight[d]`` days of
the year day d stands for (sum 365), ``duration[d, h]`` hours in time step h of day d (sum 24:
ones for hours, unequal for segments, ``horizon.hours.segments``), ``availability[(site,
technology)]`` a ``(D, H)`` profile in [0, 1] for the weather-driven technologies, ``pue[site]``
a ``(D, H)`` PUE profile. "Hour" below is a time step of ``duration[d, h]`` hours; MW in it
is the step's mean power, so an energy is ``duration x MW``.

A unit's hourly availability ``a[d,h]`` [-] (largest draw per MW of nameplate online) is its
profile where the days carry one for ``(site, technology)`` (a source's ``kind``, a project's
``technology``), else its capacity factor in every hour (gas, grid, nuclear: an availability,
not a weather shape, so the energy available in a period is the period form's
``cf x nameplate``). A site's hourly PUE is its profile, else its annual PUE in every hour.

Storage (today's ``battery`` sources, ``battery`` projects): power P [MW] (a source's limit,
a project's nameplate online), energy ``E = mwh_per_mw x P`` [MWh] (a source's
``energy_mwh / limit_mw``, a project's ``storage_hours``), charge and discharge efficiency
``sqrt(round_trip)`` each. ``solar_storage_ppa`` / ``wind_storage_ppa`` are generation: their
storage is the seller's and shapes what the contract delivers (the profile of their
technology, or their capacity factor flat), with no state of charge in the plan.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pyomo.environ as pyo
from pyomo.core.base import SortComponents

from twin.spec.power import STORAGE_TECHNOLOGIES
from twin.spec.schema import Model
from twin.state import State

HOURS = 24
#: an hourly availability below this is 0 (a sine's 1e-17 at sunset would leave the LP's range)
MIN_AVAILABILITY = 1e-6
DAYS_PER_YEAR = 365.0


class Days(Protocol):
    """Representative days (``twin.hours.RepresentativeDays``; module docstring)."""

    @property
    def weight(self) -> np.ndarray:
        """``(D,)`` days per year each representative day stands for (sum 365)."""

    @property
    def availability(self) -> Mapping[tuple[str, str], np.ndarray]:
        """``(site, technology) -> (D, H)`` availability in [0, 1] (weather-driven only)."""

    @property
    def pue(self) -> Mapping[str, np.ndarray]:
        """``site -> (D, H)`` PUE, the site's annual PUE preserved."""

    @property
    def duration(self) -> np.ndarray:
        """``(D, H)`` hours in each time step (each row sums to 24)."""

    @property
    def days(self) -> int:
        """Number of representative days D."""


@dataclass(frozen=True)
class UnitTerms:
    """Today's sources and the projects as hourly units (module docstring; MW, MWh, -)."""

    #: nameplate limit of today's sources per period [MW]
    source_limit_mw: dict[tuple[str, int], float] = field(default_factory=dict)
    source_kind: dict[str, str] = field(default_factory=dict)
    source_cf: dict[str, float] = field(default_factory=dict)
    #: today's batteries: energy per MW of limit [h]
    source_mwh_per_mw: dict[str, float] = field(default_factory=dict)
    source_efficiency: dict[str, float] = field(default_factory=dict)
    project_storage_hours: dict[str, float] = field(default_factory=dict)
    project_efficiency: dict[str, float] = field(default_factory=dict)


def unit_terms(m: Model, sources: list[str], states: list[State]) -> UnitTerms:
    """The :class:`UnitTerms` of ``m``'s sources (limits per period from the fleet replay)."""
    ps = m.power_sources
    pps = {g: pp for g, pp in m.power_projects.items() if pp.enabled}
    return UnitTerms(
        source_limit_mw={
            (g, p): st.power_limit_mw[g] for g in sources for p, st in enumerate(states)
        },
        source_kind={g: ps[g].kind for g in sources},
        source_cf={g: ps[g].capacity_factor for g in sources},
        source_mwh_per_mw={
            g: ps[g].energy_mwh / ps[g].limit_mw if ps[g].limit_mw > 0 else 0.0 for g in sources
        },
        source_efficiency={g: ps[g].round_trip_efficiency for g in sources},
        project_storage_hours={g: pp.storage_hours for g, pp in pps.items()},
        project_efficiency={g: pp.round_trip_efficiency for g, pp in pps.items()},
    )


def availability(days: Days, site: str, technology: str, cf: float) -> np.ndarray:
    """``a[d,h]`` of a unit (module docstring): its profile (below :data:`MIN_AVAILABILITY`:
    0), else ``cf`` in every hour."""
    profile = days.availability.get((site, technology))
    if profile is None:
        return np.full(days.duration.shape, cf)
    out = np.asarray(profile, dtype=float)
    return np.where(out < MIN_AVAILABILITY, 0.0, out)


def pue_profile(days: Days, site: str, annual: float) -> np.ndarray:
    """``PUE_s[d,h]``: the site's profile, else its annual PUE in every hour."""
    profile = days.pue.get(site)
    if profile is None:
        return np.full(days.duration.shape, annual)
    return np.asarray(profile, dtype=float)


def steps(days: Days) -> int:
    """H, the time steps of a representative day (24 hours, or ``horizon.hours.segments``)."""
    return int(days.duration.shape[1])


def step_days(days: Days) -> np.ndarray:
    """``(D, H)`` ``w_d x duration[d,h] / 24`` [days]: the days of the year a step stands for,
    so that ``365 x`` a period's average MW is ``sum_d sum_h step_days[d,h] x[d,h]``."""
    return np.asarray(days.weight, dtype=float)[:, None] * np.asarray(days.duration) / HOURS


def hour_weights(days: Days) -> np.ndarray:
    """``(D, H)`` ``w_d x duration[d,h] / (365 x 24)`` [-]: a step's share of the year, so
    that the average MW in a period is ``sum_d sum_h hour_weights[d,h] x[d,h]`` and its energy
    ``8.76 dt`` times that [GWh]."""
    return step_days(days) / DAYS_PER_YEAR


def hourly_index(keys: list[tuple]) -> Any:
    """An ordered Pyomo index over ``keys`` (distinct tuples, in the order given) that keeps
    the list as it is (``SetOf``): an hourly variable has hundreds of thousands of members, and
    a ``Set`` checks and stores each key again (~0.5 us each). Members are looked up through
    the variable (its data dict), never by scanning the list."""
    return pyo.SetOf(keys)


def set_upper(var: Any, upper: list[float | None]) -> None:
    """Give the members of the indexed variable ``var``, in its index's order, the upper bounds
    ``upper`` (None: none; the lower bound 0 is its domain's, ``NonNegativeReals``).

    A number is stored as Pyomo's ``setub`` stores one (its bound check passes native numbers
    through unchanged), without the call: these variables have hundreds of thousands of
    members."""
    members = list(var.values(SortComponents.ORDERED_INDICES))
    if len(members) != len(upper):
        raise ValueError(f"{len(upper)} upper bounds for {len(members)} members of {var.name}")
    for v, u in zip(members, upper, strict=True):
        if type(u) is float:
            v._ub = u
        elif u is not None:
            v.setub(u)


def block_upper(blocks: list[np.ndarray | None], n: int) -> list[float | None]:
    """Upper bounds of an hourly variable's members from one ``(n,)`` array per (unit, p)
    block in its index's order (NaN or a None block: no bound)."""
    out: list[float | None] = []
    for b in blocks:
        if b is None:
            out.extend([None] * n)
        else:
            out.extend(None if math.isnan(x) else x for x in np.broadcast_to(b, n).tolist())
    return out


def efficiencies(round_trip: float) -> tuple[float, float]:
    """``(eta_c, eta_d)``: charge and discharge efficiency, ``sqrt(round_trip)`` each."""
    eta = math.sqrt(round_trip)
    return eta, eta


def is_storage(technology: str) -> bool:
    """True for a storage technology (no energy of its own)."""
    return technology in STORAGE_TECHNOLOGIES
