"""The synthetic fleets of :mod:`benchmarks.synthetic` in hours: representative days for them.

A synthetic site has no weather file of its own, so it borrows one: site i takes the hourly
profiles (solar, wind, temperature) of the i-th terrestrial site of ``models/baseline.yaml``
with profiles (cycling through them), aggregated by :func:`twin.hours.representative_days` into
the same days as the baseline's (``n`` typical days, optionally + 2 extreme ones, of ``segments``
time steps). Its hourly PUE keeps its own annual PUE: with the baseline site's profile
``pue0[d,h]`` and annual ``P0``, ``pue[d,h] = 1 + (P - 1) (pue0[d,h] - 1) / (P0 - 1)``, the
cooling overhead's shape of :func:`twin.hours.hourly_pue`, scaled (its weighted mean is ``P``).

Batteries get ``STORAGE_HOURS`` of energy per MW (assumption: a 4-hour Megapack-like block; the
synthetic rows leave ``energy_mwh`` at 0, which the period form never reads), so the hourly
form's state of charge is not a column fixed at 0.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path

import numpy as np

from twin.hours import WEATHER, RepresentativeDays, representative_days
from twin.plan.data import PlanData, plan_data
from twin.spec.spec import Spec

BASELINE = Path(__file__).resolve().parents[1] / "models" / "baseline.yaml"
#: Energy of a synthetic battery per MW of its limit [h] (assumption, module docstring).
STORAGE_HOURS = 4.0

#: (typical days, time steps per day, extreme days): the representative days of one run.
Hours = tuple[int, int, bool]


@lru_cache(maxsize=4)
def baseline_days(hours: Hours) -> tuple[RepresentativeDays, dict[str, float]]:
    """The baseline's representative days and its terrestrial sites' annual PUE by site."""
    from twin.spec.load import load_model

    n, segments, extremes = hours
    spec = load_model(
        BASELINE,
        overrides=[
            ("horizon.hours.representative_days", n),
            ("horizon.hours.segments", segments),
            ("horizon.hours.extreme_days", extremes),
        ],
    )
    pue = {s: float(v.pue) for s, v in spec.model.sites.items() if v.kind == "terrestrial"}
    return representative_days(spec, n), pue


def synthetic_days(spec: Spec, hours: Hours) -> RepresentativeDays:
    """Representative days for ``spec``'s sites (module docstring)."""
    base, base_pue = baseline_days(hours)
    donors = list(dict.fromkeys(s for s, _ in base.availability if base_pue.get(s, 1.0) > 1.0))
    availability: dict[tuple[str, str], np.ndarray] = {}
    pue: dict[str, np.ndarray] = {}
    for i, (name, site) in enumerate(spec.model.sites.items()):
        donor = donors[i % len(donors)]
        for tech in WEATHER:
            availability[name, tech] = base.availability[donor, tech]
        shape = (base.pue[donor] - 1.0) / (base_pue[donor] - 1.0)
        pue[name] = 1.0 + (float(site.pue) - 1.0) * shape
    return RepresentativeDays(base.weight.copy(), availability, pue, base.step_hours)


def with_storage(spec: Spec) -> Spec:
    """``spec`` with every battery holding :data:`STORAGE_HOURS` per MW of its limit."""
    m = spec.model
    sources = {
        g: ps.model_copy(update={"energy_mwh": STORAGE_HOURS * ps.limit_mw})
        if ps.kind == "battery"
        else ps
        for g, ps in m.power_sources.items()
    }
    return dataclasses.replace(spec, model=m.model_copy(update={"power_sources": sources}))


def hourly_data(spec: Spec, days: RepresentativeDays) -> PlanData:
    """:func:`twin.plan.plan_data` of ``spec`` in the hourly form on ``days``."""
    return dataclasses.replace(plan_data(spec), hours=days)


def label(hours: Hours | None) -> str:
    """``"4+2 x 6"`` (typical + extreme days x time steps), or ``"period"``."""
    if hours is None:
        return "period"
    n, segments, extremes = hours
    return f"{n}{'+2' if extremes else ''} x {segments}"


def ladder_inputs(size: list | tuple) -> tuple[Spec, RepresentativeDays | None]:
    """The spec of a ladder entry of :mod:`benchmarks.peer` (``sites, years, chips, tenants,
    period, nonzeros[, hours]``) and, in the hourly form, its representative days."""
    from benchmarks.synthetic import synthetic_spec

    spec = synthetic_spec(*size[:4], period=size[4])
    if len(size) < 7 or not size[6]:
        return spec, None
    spec = with_storage(spec)
    return spec, synthetic_days(spec, tuple(size[6]))


def ladder_data(spec: Spec, days: RepresentativeDays | None) -> PlanData:
    """``plan_data(spec)``, in the hourly form on ``days`` if given."""
    return plan_data(spec) if days is None else hourly_data(spec, days)


def ladder_label(size: list | tuple) -> str:
    """The form of a ladder entry: ``"period"``, or its days (:func:`label`)."""
    return label(tuple(size[6]) if len(size) > 6 and size[6] else None)
