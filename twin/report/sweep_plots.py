"""Charts of sweeps: make-vs-buy break-even, tornado, and the fan chart (one implementation).

A sweep is the summary Dataset of :func:`twin.sweep.run_sweep` (dimension ``member``, each swept
path a coordinate whose ``swept_path`` attribute names it; a sampled sweep adds ``input`` with
the members' unit-cube coordinates and global sensitivity indices).
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from twin.report.chart_style import (
    color,
    legend_outside,
    number,
    scenario_label,
    thousands,
    title_text,
)
from twin.report.fan import FAN_BANDS, fan_chart, fan_quantiles
from twin.report.timeline import edges, years
from twin.study.outcomes import swept, swept_label


def swept_paths(sweep: xr.Dataset) -> list[str]:
    """The model paths a sweep varies, in coordinate order."""
    return [str(c.attrs["swept_path"]) for c in sweep.coords.values() if "swept_path" in c.attrs]


def _one_path(sweep: xr.Dataset, path: str | None) -> str:
    """The swept path a break-even runs along: ``path``, or the one swept path with two numbers
    or more; a path swept over words (``horizon.period=year,quarter``) or held at one value has
    no break-even."""
    paths = swept_paths(sweep)
    values = {p: swept(sweep, p) for p in paths}
    numeric = [
        p for p, v in values.items() if np.issubdtype(v.dtype, np.number) and len(set(v.values)) > 1
    ]
    if path is None:
        if len(numeric) != 1:
            raise KeyError(f"--path: one of {numeric}")
        return numeric[0]
    swept(sweep, path)  # raises KeyError naming the swept paths
    if path not in numeric:
        raise KeyError(
            f"--path: {path} was swept over words or one value, not numbers: one of {numeric}"
        )
    return path


def crossing(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float] | None:
    """Where ``y(x)`` first becomes positive, interpolated: ``(x_c, x0, x1)`` with ``x0`` the
    last swept value with ``y <= 0`` before the first ``x1`` with ``y > 0``. ``x_c`` is the zero
    of the line through the first two points with ``y > 0`` (``y`` grows about linearly past
    the break-even), kept within ``[x0, x1]``; the midpoint when there is no such line. None if
    ``y`` never becomes positive; ``(x1, x1, x1)`` if it already is at the first value."""
    o = np.argsort(x)
    x, y = np.asarray(x, float)[o], np.asarray(y, float)[o]
    pos = np.flatnonzero(y > 1e-9)
    if not len(pos):
        return None
    i = int(pos[0])
    if i == 0:
        return float(x[0]), float(x[0]), float(x[0])
    x0, x1 = float(x[i - 1]), float(x[i])
    if i + 1 < len(x) and y[i + 1] > y[i] + 1e-9:
        xc = x1 - y[i] * (x[i + 1] - x1) / (y[i + 1] - y[i])
        return float(np.clip(xc, x0, x1)), x0, x1
    return (x0 + x1) / 2, x0, x1


#: Units as a slide says them.
UNIT_WORDS = {"1e3 wafer/month": "thousand wafer/month", "1e6 USD": "$M", "1": "-"}


def _units(da: xr.DataArray) -> str:
    u = str(da.attrs.get("twin_units", da.attrs.get("units", "1")))
    return UNIT_WORDS.get(u, u)


def _with_units(what: str, da: xr.DataArray) -> str:
    """``what [units]``, or ``what`` alone for a number without units (``[1]`` said nothing)."""
    u = _units(da)
    return what if u == "-" else f"{what} [{u}]"


def sweep_label(sweep: xr.Dataset) -> str:
    """Which model and scenario(s) a sweep ran, for its charts' titles: ``baseline / terafab``."""
    model = str(sweep.attrs.get("model_file", "")).rsplit("/", 1)[-1].removesuffix(".yaml")
    scen = sweep.attrs.get("scenario") or (
        ", ".join(dict.fromkeys(str(v) or "base" for v in sweep["scenario"].values))
        if "scenario" in sweep.coords or "scenario" in sweep
        else ""
    )
    return " / ".join(x for x in (model, str(scen)) if x)


def _of(sweep: xr.Dataset) -> str:
    """`` -- baseline / terafab`` for a title, or nothing when the sweep does not say."""
    label = sweep_label(sweep)
    return f" -- {label}" if label else ""


def _varied(sweep: xr.Dataset) -> list[str]:
    """The swept paths that take two values or more (``--vary horizon.years=4``, one value, is
    a setting, not a swept input)."""
    return [p for p in swept_paths(sweep) if len(set(swept(sweep, p).values.tolist())) > 1]


def _name(da: xr.DataArray) -> str:
    return str(da.attrs.get("long_name", da.name))


def plot_breakeven(
    sweep: xr.Dataset, path: str | None = None, variable: str = "fab_kwspm"
) -> Figure:
    """``variable`` (fab capacity built) on the left and NPV [$B] on the right against the
    swept value of ``path``, one colour per scenario, with the break-even -- where ``variable``
    first becomes positive, interpolated by :func:`crossing` -- marked and its grid bracket
    given."""
    path = _one_path(sweep, path)
    fig, ax = plt.subplots(figsize=(11, 5), layout="constrained")
    ax2 = ax.twinx()
    notes = []
    scenarios = list(dict.fromkeys(str(s) for s in sweep["scenario"].values))
    for k, sc in enumerate(scenarios):
        sub = sweep.isel(member=np.flatnonzero(sweep["scenario"].values == sc))
        x = np.asarray(swept(sub, path).values, float)
        o = np.argsort(x)
        label, c = sc or "base", color(2 * k)
        c2 = color(2 * k + 1) if len(scenarios) == 1 else c  # one scenario: fab and NPV apart
        y = sub[variable].values
        ax.plot(x[o], y[o], "-o", color=c, label=f"{label}: {_name(sweep[variable])}")
        ax2.plot(x[o], sub["npv_musd"].values[o] / 1e3, ":s", color=c2, ms=4,
                 label=f"{label}: NPV")  # fmt: skip
        cr = crossing(x, y)
        if cr is not None:
            xc, x0, x1 = cr
            ax.axvline(xc, color=c, ls="--", lw=1, label=f"{label}: break-even {xc:.3g}")
            where = f"at or below {x0:g}" if x0 == x1 else f"between {x0:g} and {x1:g}"
            notes.append(f"{label}: fab first built {where} (line to zero: {xc:.3g})")
    ax.set(xlabel=_with_units(path, swept(sweep, path)),
           ylabel=_with_units(_name(sweep[variable]), sweep[variable]))  # fmt: skip
    ax2.set_ylabel("NPV [$B, real]")
    how = "; ".join(notes) or "no fab within the sweep"
    ax.set_title(f"Make vs buy against {path}{_of(sweep)}\n{how}",
                 fontsize="medium", loc="left")  # fmt: skip
    ax.text(0, -0.16, "break-even: the fab capacity line through the first two swept values "
            "with a fab, extended to zero (kept within its grid bracket)",
            transform=ax.transAxes, fontsize="x-small", va="top")  # fmt: skip
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper left", bbox_to_anchor=(1.08, 1.0), fontsize="small",
              frameon=False, borderaxespad=0.0)  # fmt: skip
    thousands(ax)
    thousands(ax2)
    ax.grid(alpha=0.3)
    return fig


def tornado_ranges(sweep: xr.Dataset, variable: str = "npv_musd") -> dict[str, tuple]:
    """For each swept path with two values or more: (value giving the lowest mean, lowest mean,
    value giving the highest mean, highest mean) of ``variable`` over the members at each value
    of the path (other paths averaged over: for a one-path sweep, the members themselves)."""
    out = {}
    y = sweep[variable]
    for p in _varied(sweep):  # a path held at one value has no range
        means = y.groupby(swept(sweep, p).rename("v")).mean()
        lo, hi = int(np.argmin(means.values)), int(np.argmax(means.values))
        v = means["v"].values
        out[p] = (v[lo], float(means[lo]), v[hi], float(means[hi]))
    return out


#: Sensitivity indices a sampled sweep may hold, best first: (variable, its interval or None).
INDICES = (
    ("sobol_ST", None),
    ("sobol_S1", None),
    ("morris_mu_star", "morris_mu_star_conf"),
    ("fast_S1", None),
)


def _index(sweep: xr.Dataset, variable: str) -> tuple[str, np.ndarray, np.ndarray | None] | None:
    for name, conf in INDICES:
        if name in sweep and "output" in sweep[name].dims and variable in sweep["output"].values:
            s = sweep[name].sel(output=variable).values
            if np.isfinite(s).any():
                c = sweep[conf].sel(output=variable).values if conf and conf in sweep else None
                return name, s, c
    return None


def _tornado_index(ax: Axes, sweep: xr.Dataset, variable: str, found: tuple) -> None:
    name, s, conf = found
    order = np.argsort(np.nan_to_num(s, nan=-np.inf))  # largest on top
    names = [str(v) for v in sweep["input"].values]
    y = np.arange(len(order))
    xerr = None if conf is None else np.nan_to_num(conf[order])
    ax.barh(
        y,
        np.nan_to_num(s[order]),
        xerr=xerr,
        color=color(0),
        height=0.6,
        capsize=4,
        label=_name(sweep[name]) + (" (bar: bootstrap interval)" if conf is not None else ""),
    )
    ax.set_yticks(y, [names[i] for i in order])
    ax.set(xlabel=f"{_name(sweep[name])} of {variable} [{_units(sweep[name])}]")
    n = sweep.sizes["member"]
    title = f"What drives {variable}: inputs ranked by {name} ({n} members){_of(sweep)}"
    ax.set_title(title_text(title, 70), fontsize="medium", loc="left")


def _tornado_swing(ax: Axes, sweep: xr.Dataset, variable: str, share: float = 0.2) -> float:
    from twin.study.sampling import tornado

    t = tornado(sweep["unit_coordinate"].values, sweep[variable].values,
                [str(v) for v in sweep["input"].values], share)  # fmt: skip
    mid, scale = float(t.attrs["median"]), 1e3 if variable.endswith("_musd") else 1.0
    y = np.arange(t.sizes["input"])[::-1]
    for key, c, what in (("low", color(3), "lowest"), ("high", color(0), "highest")):
        ax.barh(y, (t[key].values - mid) / scale, left=mid / scale, color=c, alpha=0.8,
                height=0.6, label=f"mean with the input in its {what} {share:.0%}")  # fmt: skip
    ax.set_yticks(y, [str(v) for v in t["input"].values])
    ax.set_title(title_text(f"Tornado: {variable} by input, widest swing on top "
                            f"({sweep.sizes['member']} members){_of(sweep)}", 70),
                 fontsize="medium", loc="left")  # fmt: skip
    return mid / scale


def _tornado_grid(ax: Axes, sweep: xr.Dataset, variable: str) -> float:
    ranges = tornado_ranges(sweep, variable)
    scale = 1e3 if variable.endswith("_musd") else 1.0
    order = sorted(ranges, key=lambda p: ranges[p][3] - ranges[p][1])
    for i, p in enumerate(order):
        vlo, lo, vhi, hi = ranges[p]
        ax.barh(i, (hi - lo) / scale, left=lo / scale, color=color(0), height=0.6)
        for v, at, side, dx in ((vlo, lo, "right", -4), (vhi, hi, "left", 4)):
            ax.annotate(f"{p.rsplit('.', 1)[-1]} {swept_label(v, 'g')}", (at / scale, i),
                        ha=side, va="center", xytext=(dx, 0), textcoords="offset points",
                        fontsize="small")  # fmt: skip
    ax.set_yticks(range(len(order)), order)
    title = (f"Range of the mean {_name(sweep[variable])} over each swept input "
             f"({sweep.sizes['member']} members){_of(sweep)}")  # fmt: skip
    ax.set_title(title_text(title, 70), fontsize="medium", loc="left")
    if ranges:  # room for the end labels: bars are sticky at their ends, margins do not apply
        lo = min(r[1] for r in ranges.values()) / scale
        hi = max(r[3] for r in ranges.values()) / scale
        pad = 0.3 * (hi - lo) or 0.1 * max(abs(hi), 1.0)
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_ylim(-0.8, len(order) - 0.2)
    return float(sweep[variable].mean()) / scale


def plot_tornado(sweep: xr.Dataset, variable: str = "npv_musd", ax: Axes | None = None) -> Figure:
    """Tornado chart of ``variable`` over a sweep, largest effect on top. A sampled sweep with
    sensitivity indices: the inputs ranked by the index (:data:`INDICES`), with its interval
    where the data has one. A sampled sweep without (too few members): the mean of ``variable``
    with each input in its lowest and highest 20 % against the median. A grid sweep: the range
    of the mean over each swept path's values. NPV is drawn in $B."""
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 5), layout="constrained")
    found = _index(sweep, variable) if "input" in sweep.dims else None
    if found is not None:
        _tornado_index(ax, sweep, variable, found)
    else:
        swing = "input" in sweep.dims and "unit_coordinate" in sweep
        ref = (_tornado_swing if swing else _tornado_grid)(ax, sweep, variable)
        unit = "$B, real" if variable.endswith("_musd") else _units(sweep[variable])
        ax.axvline(ref, color="k", lw=1, label=f"{'median' if swing else 'mean'} of all "
                   f"members ({number(ref, 1)})")  # fmt: skip
        ax.set_xlabel(f"{_name(sweep[variable])} [{unit}]")
    thousands(ax, "x")
    ax.grid(alpha=0.3, axis="x")
    legend_outside(ax)
    return cast(Figure, ax.figure)  # stubs say Figure | SubFigure; drawn on a Figure


def member_reports(sweep: xr.Dataset, directory: str | Path) -> list[xr.Dataset]:
    """The reports of a sweep's members that solved (files relative to ``directory``)."""
    from twin.report.io import open as open_report

    return [open_report(Path(directory) / f) for f in sweep["file"].values if f]


def fan_series(reports: list[xr.Dataset], variable: str) -> np.ndarray:
    """``variable`` summed over every dimension but ``period``, one row per report."""
    rows = []
    for ds in reports:
        da = ds[variable]
        rows.append(da.sum([d for d in da.dims if d != "period"]).values)
    return np.array(rows)


def sweep_edges(sweep: xr.Dataset, reports: list[xr.Dataset] | None = None) -> np.ndarray:
    """Period edges of a sweep [decimal years]: a member report's, else the period starts and
    one more period of the last length."""
    if reports:
        return edges(reports[0])
    x = years(sweep["period"].values)
    return np.append(x, x[-1] + (x[-1] - x[-2] if len(x) > 1 else 1.0))


def plot_fan(
    data: xr.Dataset | list[xr.Dataset],
    variable: str = "capacity_mw",
    reports: list[xr.Dataset] | None = None,
) -> Figure:
    """Fan chart of ``variable`` (summed over all but period) across a sweep's members: from the
    sweep's own percentiles (``<variable>_pct``) when it has them, else from the member
    ``reports`` (``data`` may be that list itself)."""
    if isinstance(data, list):
        reports, data = data, xr.Dataset()
    fig, ax = plt.subplots(figsize=(11, 5), layout="constrained")
    pct = f"{variable}_pct"
    if pct in data and "period" in data[pct].dims:
        p = data[pct].transpose("percentile", "period")
        by = {float(v): p.values[i] for i, v in enumerate(p["percentile"].values)}
        want = [100 * q for band in FAN_BANDS for q in band] + [50.0]
        q = np.array([by[w] for w in want])
        n, da, x = int(data.sizes["member"]), data[variable], sweep_edges(data, reports)
    elif reports:
        q = fan_quantiles(fan_series(reports, variable))
        n, da, x = len(reports), reports[0][variable], edges(reports[0])
    else:
        raise KeyError(variable)
    fan_chart(ax, x, q, f"{_name(da)} [{_units(da)}]")
    label = sweep_label(data) if "member" in data.dims else ""
    if not label and reports:  # member reports alone: their model and scenario
        label = scenario_label(reports[0])
    title = f"{_name(da)} over {n} members" + (f" -- {label}" if label else "")
    ax.set_title(title_text(title), fontsize="medium", loc="left")
    if n < 20:  # 5-95 % of 3 values is an interpolation, not a distribution
        ax.plot([], [], " ", label=f"(only {n} members: bands interpolate)")
        legend_outside(ax)
    return fig
