"""Results of the hourly form, read with :mod:`twin.plan.results`: the representative days'
weights and the hours of their time steps (``step_hours``), and the coordinates ``day``,
``hour`` and ``storage`` of the hourly records.

Hourly dispatch, charge, discharge, state of charge and curtailment are the solved values of
their components (:mod:`twin.plan.hourly`, :mod:`twin.plan.storage`), read generically from
their records; in the period form they are empty (no day). With representative days the marginal
value of power is the sum over a period's hours of the hourly balance's duals: one more MW in
every hour of the period, per MW-year like the period form's ``site_power`` dual (which it is in
the end buffer's periods, solved in the period form: :meth:`PlanData.hourly`).
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
from pyomo.core.base.constraint import ConstraintData

from twin.plan.data import PlanData
from twin.plan.hourly_data import HOURS, steps
from twin.plan.quantities import by_name
from twin.plan.storage import storage_units

__all__ = ["hourly_results"]

_HOURLY = ("power_dispatch_mw", "project_dispatch_mw", "storage_charge_mw",
           "storage_discharge_mw", "soc_mwh", "curtailed_mw")  # fmt: skip


def _marginal_value_power(
    m: pyo.ConcreteModel, d: PlanData, duals: dict[ConstraintData, float]
) -> np.ndarray:
    """``sum_{d,h} dual(site_power_hourly[s,d,h,p]) / (df_p dt)`` [$M per MW-year]; in a
    period-form period ``dual(site_power[s,p]) / (df_p dt)``."""
    out = np.full((len(d.sites), d.n_periods), np.nan)
    si = {s: i for i, s in enumerate(d.sites)}
    for (s, p), c in m.site_power.items():
        if (y := duals.get(c)) is not None:
            out[si[s], p] = y / (d.df[p] * d.dt)
    for (s, _, _, p), c in m.site_power_hourly.items():
        y = duals.get(c)
        if y is not None:
            i = si[s]
            out[i, p] = (0.0 if np.isnan(out[i, p]) else out[i, p]) + y / (d.df[p] * d.dt)
    return out


def hourly_results(
    m: pyo.ConcreteModel, d: PlanData, duals: dict[ConstraintData, float]
) -> tuple[dict[str, tuple], dict[str, object]]:
    """Data variables and coordinates of the hourly form (module docstring)."""
    days = d.hours
    n_days = 0 if days is None else days.days
    labels = [u.label for u in storage_units(d)]
    coords: dict[str, object] = {
        "day": np.arange(n_days),
        "hour": np.arange(HOURS if days is None else steps(days)),
        "storage": np.array(labels, dtype=object),
    }
    weight = np.zeros(0) if days is None else np.asarray(days.weight, dtype=float)
    tau = np.zeros((0, HOURS)) if days is None else np.asarray(days.duration, dtype=float)
    data: dict[str, tuple] = {
        "day_weight": (("day",), weight),
        "step_hours": (("day", "hour"), tau),
    }
    if days is not None:
        mv = _marginal_value_power(m, d, duals)
        data["marginal_value_power"] = (("site", "period"), mv)
        return data, coords
    sizes = {
        "period": d.n_periods,
        "site": len(d.sites),
        "source": len(d.sources),
        "project": len(d.power_build.projects),
        "day": 0,
        "hour": HOURS,
        "storage": len(labels),
    }
    records = by_name()
    for name in _HOURLY:
        dims = records[name].dims
        data[name] = (dims, np.zeros(tuple(sizes[x] for x in dims)))
    return data, coords
