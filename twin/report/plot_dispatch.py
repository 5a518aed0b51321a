"""``twin plot --kind dispatch``: one representative day of a period, sources stacked against
the facility load, hour by hour (a report of the hourly form, ``horizon.hours``).

Existing sources are grouped by kind (``existing <kind>``), built projects by technology
(``new <technology>``), storage as its discharge (stacked with the sources) and its charge
(below zero); a report of the period form shows its average MW in every hour (one "day"). The
load line is ``sum of sources + discharge - charge``: the site balance of
:mod:`twin.plan.hourly` makes it the facility load ``PUE(h) x IT`` of every hour.
"""

from __future__ import annotations

from typing import cast

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from twin.report.chart_style import (
    legend_outside,
    power_colors,
    scenario_label,
    slide,
    thousands,
    title_text,
)
from twin.report.views import plan_view

__all__ = ["dispatch_by_technology", "plot_dispatch"]


def _period(ds: xr.Dataset, period: str | None) -> int:
    """Position of the period whose start begins with ``period`` (``2031`` or ``2031-07``);
    without one, the period with the most energy drawn."""
    starts = [str(np.datetime_as_string(p, unit="D")) for p in ds["period"].values]
    if period is None:
        energy = ds["power_mw"].sum("source") + ds["power_draw_mw"].sum(["site", "project"])
        return int(np.argmax(energy.values))
    hits = [i for i, s in enumerate(starts) if s.startswith(period)]
    if not hits:
        raise KeyError(f"{period} (periods start {starts[0]} .. {starts[-1]})")
    return hits[0]


def _hourly(ds: xr.Dataset) -> bool:
    return bool(ds.sizes.get("day"))


def _step_edges(ds: xr.Dataset, day: int) -> np.ndarray:
    """Hour of the day at which each time step of ``day`` starts, and 24: ``0, 1, .., 24``
    for hours, the segments' cumulative hours (``step_hours``) for segments."""
    if not _hourly(ds) or "step_hours" not in ds:
        return np.arange(25.0)
    return np.concatenate([[0.0], np.cumsum(ds["step_hours"].isel(day=day).values)])


def dispatch_by_technology(ds: xr.Dataset, period: int, day: int) -> dict[str, np.ndarray]:
    """``{label: (H,) MW}`` drawn in each time step of ``day`` in ``period`` (24 hours, or
    segments: ``step_hours``; module docstring);
    storage as ``storage discharge`` and ``storage charge`` (negative). A report of the period
    form has one "day" of average MW: its draws, the same in every hour, and no storage."""
    if not _hourly(ds):
        flat = {"period": period}
        src, prj = ds["power_mw"].isel(flat), ds["power_draw_mw"].isel(flat)
        src = src.expand_dims(hour=24, axis=-1)
        prj = prj.expand_dims(hour=24, axis=-1)
        return _by_technology(ds, src, prj)
    at = {"period": period, "day": day}
    out = _by_technology(
        ds, ds["power_dispatch_mw"].isel(at), ds["project_dispatch_mw"].isel(at)
    )
    if ds.sizes.get("storage"):
        out["storage discharge"] = ds["storage_discharge_mw"].isel(at).sum("storage").values
        out["storage charge"] = -ds["storage_charge_mw"].isel(at).sum("storage").values
    return out


def _by_technology(ds: xr.Dataset, src: xr.DataArray, prj: xr.DataArray) -> dict[str, np.ndarray]:
    """Sources (source, hour) by kind and projects (site, project, hour) by technology."""
    out: dict[str, np.ndarray] = {}
    for kind in dict.fromkeys(str(k) for k in ds["source_kind"].values):
        sel = np.flatnonzero(ds["source_kind"].values == kind)
        out[f"existing {kind}"] = src.isel(source=sel).sum("source").values
    if ds.sizes.get("project"):
        prj = prj.sum("site")
        for tech in dict.fromkeys(str(t) for t in ds["project_technology"].values):
            sel = np.flatnonzero(ds["project_technology"].values == tech)
            out[f"new {tech}"] = prj.isel(project=sel).sum("project").values
    return out


@slide
def plot_dispatch(
    ds: xr.Dataset,
    period: str | None = None,
    day: int = 0,
    ax: Axes | None = None,
    leaf: str | None = None,
) -> Figure:
    """Sources stacked against the facility load over the 24 hours of representative ``day``
    in ``period`` [MW] (module docstring); a report of the period form shows its average MW.
    An unknown period or day raises ``KeyError``."""
    ds, _ = plan_view(ds, leaf)
    n_days = ds.sizes.get("day", 0) or 1
    if not 0 <= day < n_days:
        raise KeyError(f"day {day} (the report has days 0 .. {n_days - 1})")
    p = _period(ds, period)
    if ax is None:
        fig, ax = plt.subplots(figsize=(11, 5), layout="constrained")
    else:
        fig = cast(Figure, ax.figure)
    series = dispatch_by_technology(ds, p, day)
    x = _step_edges(ds, day)
    up, down = np.zeros(x.size), np.zeros(x.size)
    colors = power_colors(list(series))  # as --kind power: one colour per technology
    for label, y in series.items():
        if not np.any(np.abs(y) > 1e-9):
            continue
        step = np.append(y, y[-1])
        base = down if label == "storage charge" else up
        ax.fill_between(x, base, base + step, step="post", label=label, color=colors[label],
                        alpha=0.85, lw=0)  # fmt: skip  # as --kind power
        base += step
    load = sum(series.values(), np.zeros(x.size - 1))
    ax.stairs(load, x, baseline=None, color="k", lw=2, label="facility load (IT x PUE)")
    start = np.datetime_as_string(ds["period"].values[p], unit="D")
    what = "period form: average MW in every hour"
    if _hourly(ds):
        what = f"day {day} ({float(ds['day_weight'].values[day]):g} days a year)"
    ax.set(xlabel="hour of the day", ylabel="power [MW]", xlim=(0, 24), xticks=range(0, 25, 3))
    title = f"Dispatch, period from {start}, {what} -- {scenario_label(ds)}"
    ax.set_title(title_text(title), fontsize="medium", loc="left")
    thousands(ax)
    ax.grid(alpha=0.3)
    legend_outside(ax, stacked=True, below=("storage charge",))
    return fig
