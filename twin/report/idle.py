"""Idle assets named: halls and power contracts that sit idle more than two consecutive years.

A data hall at site s is *idle* in period p when at least half of its IT capacity online is
neither drawn nor mothballed (``idle_hall_mw >= capacity_mw / 2``, capacity above 1 MW); a
power project (not storage, which draws nothing by definition) is idle when it is online
(nameplate above 1 MW) and draws less than 1% of it (``power_draw_mw < 0.01 power_online_mw``;
a take-or-pay contract then pays its minimum for nothing). A run of idle periods longer than
``YEARS`` years is named, with its first and last year: the plan had the choice to mothball a
hall (``mothball_keep_share``), to sell chips and to let a contract end at its term, and kept
it anyway, so the report says so.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from twin.spec.power import STORAGE_TECHNOLOGIES

#: a run of idle periods longer than this many years is named [years]
YEARS = 2.0
#: an asset below this many MW online is not named [MW]
FLOOR_MW = 1.0


def idle_runs(idle: np.ndarray, dt: float) -> list[tuple[int, int]]:
    """``(first, last)`` period of each run of ``True`` in ``idle`` longer than ``YEARS``."""
    out, start = [], None
    for p, flag in enumerate([*idle.tolist(), False]):
        if flag and start is None:
            start = p
        elif not flag and start is not None:
            if (p - start) * dt > YEARS + 1e-9:
                out.append((start, p - 1))
            start = None
    return out


def _named(kind: str, name: str, runs: list[tuple[int, int]], years: np.ndarray) -> list[str]:
    return [f"{kind} {name} idle {years[a]}-{years[b]}" for a, b in runs]


def idle_assets(ds: xr.Dataset) -> list[str]:
    """One line per hall or power project idle more than ``YEARS`` consecutive years."""
    dt = float(ds.attrs.get("period_years", 1.0))
    years = ds["period"].dt.year.values
    out: list[str] = []
    if "idle_hall_mw" in ds:
        for s in ds["site"].values:
            cap = ds["capacity_mw"].sel(site=s).values
            idle = (cap > FLOOR_MW) & (ds["idle_hall_mw"].sel(site=s).values >= cap / 2)
            out += _named("hall", str(s), idle_runs(idle, dt), years)
    if "power_online_mw" in ds and "power_draw_mw" in ds:
        for s in ds["site"].values:
            for g, tech in zip(ds["project"].values, ds["project_technology"].values, strict=True):
                if str(tech) in STORAGE_TECHNOLOGIES:
                    continue
                on = ds["power_online_mw"].sel(site=s, project=g).values
                draw = ds["power_draw_mw"].sel(site=s, project=g).values
                idle = (on > FLOOR_MW) & (draw < 0.01 * on)
                out += _named("power project", f"{g} at {s}", idle_runs(idle, dt), years)
    return out
