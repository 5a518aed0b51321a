"""The hourly families of :mod:`twin.plan.hourly` and :mod:`twin.plan.storage` in linopy, for
:mod:`benchmarks.peer_linopy`, from the same :class:`~twin.plan.data.PlanData`.

Per source g, storage unit b, site s, period p, representative day d and time step h (a step of
``tau[d,h]`` hours; ``w_d tau / 24`` days of the year, :func:`twin.plan.hourly_data.step_days`):

- ``0 <= dispatch[g,d,h,p] <= a_g[d,h] limit_g[p]``                                   (bounds)
- ``365 power[g,p] - sum_{d,h} (w_d tau / 24) dispatch[g,d,h,p] = 0``             (power_mean)
- ``soc[b,d,h,p] - soc[b,d,h-1,p] - tau eta_c charge + tau / eta_d discharge = 0``, cyclic per
  day (storage_balance); ``charge, discharge <= P_b[p]``, ``soc <= E_b[p]`` (bounds)
- ``it_running[s,p] - it_load[s,p] + idle[s,p] = IT_existing[s,p]``           (it_running_def)
- ``PUE_s[d,h] it_running[s,p] - sum_{g at s} dispatch - sum_{b at s} (discharge - charge) = 0``
  (site_power_hourly)

written with linopy's own tools: masks for the sparse sets, ``roll`` for the cyclic day,
``groupby`` over each unit's site for the balance's sums. Storage here is today's batteries
(twin's ``battery`` sources); power projects are not written (``_check_supported``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from twin.plan.data import PlanData
from twin.plan.hourly import source_availability
from twin.plan.hourly_data import DAYS_PER_YEAR, efficiencies, pue_profile, step_days, steps
from twin.plan.storage import storage_periods


def hour_coords(d: PlanData) -> dict[str, list[int]]:
    """The ``day`` and ``hour`` (time step) coordinates of ``d``'s representative days."""
    assert d.hours is not None
    return {"day": list(range(d.hours.days)), "hour": list(range(steps(d.hours)))}


def hourly_mask(d: PlanData) -> xr.DataArray:
    """``(period,)`` True where the period's energy rows are hourly (``d.hourly(p)``)."""
    p = list(range(d.n_periods))
    return xr.DataArray([d.hourly(q) for q in p], coords={"period": p}, dims="period")


def _dh(d: PlanData, values: np.ndarray) -> xr.DataArray:
    return xr.DataArray(np.asarray(values, float), coords=hour_coords(d), dims=("day", "hour"))


def _by(d: PlanData, dim: str, keys: list, values: list) -> xr.DataArray:
    return xr.DataArray(values, coords={dim: keys}, dims=dim)


def add_hourly(m: Any, d: PlanData, grid: Any, power: Any, it_new: Any, idle: Any) -> None:
    """Add the variables and rows of the module docstring to the linopy model ``m``;
    ``grid(dims, values, fill)`` makes a dense array over named dims (peer_linopy's ``_grid``)."""
    days = d.hours
    assert days is not None
    hp = hourly_mask(d)
    a = source_availability(d, days)
    shape = days.duration.shape
    avail = xr.concat(
        [_dh(d, a.get(g, np.zeros(shape))) for g in d.sources], dim="source"
    ).assign_coords(source=list(d.sources))
    lim = grid(("source", "period"), d.units.source_limit_mw, 0)
    on = grid(("source", "period"), {k: 1 for k in d.power_idx}, 0).astype(bool) & hp
    ub = (avail * lim).transpose("source", "day", "hour", "period")
    dispatch = m.add_variables(0, ub, coords=ub.coords, name="dispatch", mask=on & (ub >= 0))
    wd = _dh(d, step_days(days))
    m.add_constraints(
        DAYS_PER_YEAR * power - (dispatch * wd).sum(["day", "hour"]) == 0,
        name="power_mean",
        mask=on,
    )
    net = _storage(m, d, grid, lim, hp)
    ground = [s for s in d.sites if s not in d.orbital_sites]
    g_on = grid(("site", "period"), {(s, p): 1 for s in ground for p in range(d.n_periods)}, 0)
    sp_on = g_on.astype(bool) & hp
    it_running = m.add_variables(0, coords=sp_on.coords, name="it_running", mask=sp_on)
    ex_it = grid(("site", "period"), d.existing_it_mw, 0)
    m.add_constraints(it_running - it_new + idle == ex_it, name="it_running_def", mask=sp_on)
    site_of = xr.DataArray([d.source_site[g] for g in d.sources], coords={"source": d.sources})
    supply = dispatch.to_linexpr().groupby(site_of.rename("site")).sum()
    pue = xr.concat(
        [_dh(d, pue_profile(days, s, d.pue[s])) for s in d.sites], dim="site"
    ).assign_coords(site=list(d.sites))
    lhs = pue * it_running - supply.reindex(site=d.sites)
    if net is not None:
        lhs = lhs - net.groupby(site_of.sel(source=net.coords["source"]).rename("site")).sum()
    m.add_constraints(lhs == 0, name="site_power_hourly", mask=sp_on & (pue > 0))


def _storage(m: Any, d: PlanData, grid: Any, lim: xr.DataArray, hp: xr.DataArray) -> Any:
    """``charge``, ``discharge``, ``soc`` and ``storage_balance`` of today's batteries; their
    ``discharge - charge`` by (source, day, hour, period), or None without storage."""
    at = storage_periods(d)
    if any(u.project for u in at.values()):
        raise ValueError("the linopy peer does not write storage projects")
    units = [g for g in d.sources if any(b == g for b, _ in at)]
    if not units:
        return None
    days = d.hours
    assert days is not None
    on = grid(("source", "period"), {k: 1 for k in at}, 0).astype(bool).sel(source=units)
    power = lim.sel(source=units)
    dh = _dh(d, np.ones(days.duration.shape))
    mwh = _by(d, "source", units, [d.units.source_mwh_per_mw[g] for g in units])
    p_ub = (power * dh).transpose("source", "day", "hour", "period")
    e_ub = ((mwh * power) * dh).transpose("source", "day", "hour", "period")
    mask = on & (dh > 0)
    charge = m.add_variables(0, p_ub, coords=p_ub.coords, name="charge", mask=mask)
    discharge = m.add_variables(0, p_ub, coords=p_ub.coords, name="discharge", mask=mask)
    soc = m.add_variables(0, e_ub, coords=e_ub.coords, name="soc", mask=mask)
    eta = [efficiencies(d.units.source_efficiency[g]) for g in units]
    tau = _dh(d, days.duration)
    eta_c = _by(d, "source", units, [e[0] for e in eta])
    eta_d = _by(d, "source", units, [e[1] for e in eta])
    balance = soc - soc.roll(hour=1) - (tau * eta_c) * charge + (tau / eta_d) * discharge
    m.add_constraints(balance == 0, name="storage_balance", mask=mask)
    return discharge - charge
