"""What every chart of twin shares so that it reads on a slide: colours, legends, numbers, titles.

- :data:`PALETTE`: 24 colours, pairwise at least 27 apart in CIE76 Lab distance (the tab10
  colours, then greedily the xkcd colour farthest from those chosen, lightness 25-88). More than
  24 series: the 23 largest keep a colour and the rest are summed into ``other (N)``
  (:func:`top_and_other`).
- Colours by name, the same on every chart of a model: a site by its position in the report's
  ``site`` coordinate (:func:`site_colors`), a power series from :data:`POWER_COLORS`
  (``--kind power`` and ``dispatch`` alike); a series left out as zero keeps its slot.
- :func:`slide`: the :data:`SLIDE` fonts, wrapped around every chart function.
- :func:`legend_outside`: the legend right of the axes, never over the data; for a stack, top
  layer first.
- :class:`Thousands`: tick labels with thousands separators, the decimals the ticks need and
  no ``-0``; :func:`number` formats one figure the same way.
- :func:`equal_groups`: series equal in every period are drawn once, labelled with every name.
- :func:`time_axis`, :func:`chart_title`, :func:`figure_axes`: the frame of a chart over periods.
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ParamSpec, TypeVar, cast

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend

from twin.report.timeline import period_axis

_P = ParamSpec("_P")
_R = TypeVar("_R")

#: matplotlib settings of every chart: large enough to read on a slide
SLIDE = {"font.size": 13, "axes.titlesize": 15, "legend.fontsize": 11, "lines.linewidth": 2}


def slide(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Draw ``func``'s chart with the :data:`SLIDE` settings (every chart kind is wrapped)."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        # the stubs key rc_context by a Literal of every rcParam; a plain dict of a few is fine
        with plt.rc_context(SLIDE):  # type: ignore[arg-type]
            return func(*args, **kwargs)

    return wrapper


#: 24 distinct colours (module docstring).
PALETTE: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#0804f9", "#0aff02", "#ff08e8", "#3c4d03", "#b7e1a1", "#0165fc",
    "#ffb07c", "#ff0789", "#eecffe", "#01f9c6", "#750851", "#11875d", "#9a6200", "#9cef43",
)  # fmt: skip

#: Most series a chart colours one by one; the smallest of the rest are summed into "other".
MAX_SERIES = len(PALETTE)


def color(i: int) -> str:
    """The ``i``-th colour of :data:`PALETTE` (``i`` < 24 is guaranteed distinct)."""
    return PALETTE[i % len(PALETTE)]


#: The colour of each power series a chart draws (``twin plot --kind power`` and ``dispatch``
#: alike): existing sources by kind, built projects by technology (the order of
#: :data:`twin.spec.power.Technology`), storage; a fixed mapping, so a technology has one colour
#: on every slide whichever series a plan happens to leave at zero.
POWER_COLORS: dict[str, str] = {
    "existing grid": "#7f7f7f", "existing turbine": "#8c564b", "existing battery": "#2ca02c",
    "existing solar": "#bcbd22", "new gas_combined_cycle": "#ff7f0e",
    "new gas_simple_cycle": "#ffbb78", "new grid": "#1f77b4", "new solar_storage_ppa": "#e6b800",
    "new wind_storage_ppa": "#17becf", "new nuclear_ppa": "#9467bd", "new battery": "#98df8a",
    "storage discharge": "#e377c2", "storage charge": "#f7b6d2",
}  # fmt: skip

#: The colour of a series summed into ``other (N)`` (:func:`top_and_other`).
OTHER_COLOR = "#c7c7c7"


def name_colors(names: Sequence[str], fixed: Mapping[str, str] | None = None) -> dict[str, str]:
    """One colour per name, for every chart of a model: ``fixed[name]`` where given, else the
    :data:`PALETTE` slot of the name's position in ``names`` (pass every name in model order,
    e.g. a report's ``site`` coordinate, not only the series drawn: a series dropped as zero
    keeps its slot, so a site has the same colour in two reports whatever each one built)."""
    fixed = fixed or {}
    return {n: fixed.get(n, color(i)) for i, n in enumerate(dict.fromkeys(names))}


def colour_of(colors: Mapping[str, str], label: str) -> str:
    """The colour of a drawn ``label``: its own, or for ``other (N)`` :data:`OTHER_COLOR`."""
    if label in colors:
        return colors[label]
    return OTHER_COLOR if label.startswith("other (") else color(len(colors))


def site_colors(ds: xr.Dataset) -> dict[str, str]:
    """Each site of a report (its ``site`` coordinate, in model order) with its colour."""
    return name_colors([str(s) for s in ds["site"].values])


def power_colors(labels: Sequence[str] = ()) -> dict[str, str]:
    """:data:`POWER_COLORS`, and a palette slot for any label it lacks (a new technology)."""
    extra = [x for x in labels if x not in POWER_COLORS]
    return dict(POWER_COLORS) | {x: color(10 + i) for i, x in enumerate(extra)}


def top_and_other(
    values: np.ndarray, labels: Sequence[str], most: int = MAX_SERIES
) -> tuple[np.ndarray, list[str]]:
    """At most ``most`` rows of ``values`` (series x period): the ``most - 1`` largest by total
    magnitude in their order, and the rest summed into one ``other (N)`` row."""
    labels = list(labels)
    if len(labels) <= most:
        return values, labels
    size = np.nansum(np.abs(values), axis=1)
    keep = sorted(int(i) for i in np.argsort(-size, kind="stable")[: most - 1])
    rest = [i for i in range(len(labels)) if i not in keep]
    rows = np.vstack([values[keep], np.nansum(values[rest], axis=0)])
    return rows, [labels[i] for i in keep] + [f"other ({len(rest)})"]


def equal_groups(
    series: dict[str, np.ndarray], what: str = "", rtol: float = 1e-9
) -> dict[str, np.ndarray]:
    """Series with the same values (NaN equal to NaN) merged into one entry labelled by every
    name (``all 13 sites (equal)`` when every series is equal), first occurrence order."""
    return {label: v for label, _, v in equal_groups_named(series, what, rtol)}


def equal_groups_named(
    series: dict[str, np.ndarray], what: str = "", rtol: float = 1e-9
) -> list[tuple[str, str, np.ndarray]]:
    """:func:`equal_groups` as ``(label, first name, values)``: the first name gives a group
    its colour (:func:`name_colors`)."""
    groups: list[tuple[list[str], np.ndarray]] = []
    for name, v in series.items():
        for names, ref in groups:
            if ref.shape == v.shape and np.allclose(ref, v, rtol=rtol, atol=1e-12, equal_nan=True):
                names.append(name)
                break
        else:
            groups.append(([name], np.asarray(v)))
    if len(groups) == 1 and len(series) > 1:
        names, v = groups[0]
        return [(f"all {len(names)} {what} (equal)".replace("  ", " "), names[0], v)]
    out = []
    for names, v in groups:
        label = names[0] if len(names) == 1 else ", ".join(names[:3])
        if len(names) > 3:
            label += f" +{len(names) - 3}"
        out.append((label + (" (equal)" if len(names) > 1 else ""), names[0], v))
    return out


def number(v: float, decimals: int = 0, sign: bool = False) -> str:
    """``v`` with thousands separators and ``decimals`` digits; a value that rounds to zero
    prints as ``0`` (never ``-0``)."""
    if not math.isfinite(v):
        return "-" if math.isnan(v) else f"{v}"
    if round(v, decimals) == 0:
        v = 0.0
    return f"{v:{'+' if sign and v != 0 else ''},.{decimals}f}"


def share(v: float) -> str:
    """``v`` [-] as a percentage with three significant digits: a slack of 1e-4 prints as
    ``0.01%``, not ``0.0%``; 0.05 as ``5%``."""
    return f"{100 * v:.3g}%" if math.isfinite(v) else "-"


class Thousands(ticker.Formatter):
    """Tick labels with thousands separators, as many decimals as the tick step needs, no -0."""

    decimals = 0

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        """The labels of ticks at ``values``, with the decimals the step between them needs."""
        self.decimals = self._decimals(values)
        return [number(v, self.decimals) for v in values]

    def __call__(self, x: float, pos: int | None = None) -> str:
        """The label of one value (as the last ticks were labelled)."""
        return number(x, self.decimals)

    @staticmethod
    def _decimals(locs: Sequence[float]) -> int:
        """The fewest decimals (at most 6) that print every tick exactly: 2.5 needs 1, 0.25
        needs 2 (taking the step's leading digit alone printed 2.5 as "2" and 7.5 as "8")."""
        v = np.asarray(locs, float)
        v = v[np.isfinite(v)]
        steps = np.abs(np.diff(v))
        steps = steps[steps > 0]
        if not len(steps):
            return 0
        tol = 1e-6 * float(steps.min())
        for d in range(7):
            if np.all(np.abs(np.round(v, d) - v) <= tol):
                return d
        return 6


def thousands(ax: Axes, axis: str = "y") -> None:
    """Use :class:`Thousands` on ``axis`` ('x', 'y' or 'both') of ``ax``."""
    for a in ("x", "y") if axis == "both" else (axis,):
        getattr(ax, f"{a}axis").set_major_formatter(Thousands())


#: Most legend entries in one column (a 5-inch chart holds about 14 at the small font).
LEGEND_ROWS = 14


def legend_outside(
    ax: Axes, stacked: bool = False, below: Sequence[str] = (), **kw: object
) -> Legend:
    """The legend of ``ax`` right of its axes (outside the data), top-aligned; a column per
    :data:`LEGEND_ROWS` entries. ``stacked``: the filled areas listed top layer first, as the
    stack reads (those labelled in ``below``, stacked downwards from zero, after them), then
    the lines."""
    handles, labels = ax.get_legend_handles_labels()
    if stacked:
        fills = [i for i, h in enumerate(handles) if isinstance(h, PolyCollection)]
        down = [i for i in fills if labels[i] in below]
        up = [i for i in fills if labels[i] not in below]
        order = [*up[::-1], *down, *(i for i in range(len(handles)) if i not in fills)]
        handles, labels = [handles[i] for i in order], [labels[i] for i in order]
    opts: dict[str, Any] = {
        "ncols": max(1, -(-len(labels) // LEGEND_ROWS)),
        "loc": "upper left",
        "bbox_to_anchor": (1.01, 1.0),
        "borderaxespad": 0.0,
        "fontsize": "small",
        "frameon": False,
    }
    opts.update(kw)
    return ax.legend(handles, labels, **opts)


def scenario_label(ds: xr.Dataset) -> str:
    """What a chart of ``ds`` shows, for its title: the model / scenario and, for a view of a
    stochastic report, which view (``expected over 27 leaves``, or a leaf with its outcomes
    short: ``leaf scen3 (slow / base / q0.167)``)."""
    a = ds.attrs
    name = str(a.get("title", "")).removeprefix("twin plan: ") or str(a.get("scenario") or "base")
    view = str(a.get("twin_view") or "")
    leaf, _, outcomes = view.partition(": ")
    if leaf.startswith("leaf ") and outcomes:
        view = f"{leaf}: " + " / ".join(o.partition("=")[2] or o for o in outcomes.split(", "))
    return f"{name} ({view})" if view else name


#: Most characters on one line of a chart title at the slide font (an 11-inch figure).
TITLE_WIDTH = 95


def title_text(text: str, width: int = TITLE_WIDTH) -> str:
    """``text`` wrapped on lines of at most ``width`` characters (a title made of a leaf's
    outcomes ran off the right edge of the figure)."""
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def figure_axes(ax: Axes | None, size: tuple[float, float] = (11, 5)) -> tuple[Figure, Axes]:
    """``ax`` and its figure, or a new slide-sized figure with one axes."""
    if ax is not None:
        # stubs say Figure | SubFigure; callers hand axes of a top-level Figure
        return cast(Figure, ax.figure), ax
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    return fig, ax


def time_axis(ax: Axes, x: np.ndarray) -> None:
    """The x axis of a chart over the period edges ``x`` [decimal years]: spanning them, the
    periods named as the tables name them (:func:`twin.report.timeline.period_axis`), a grid
    and thousands separators on y."""
    ax.set_xlim(x[0], x[-1])
    ax.grid(alpha=0.3)
    period_axis(ax, x)
    thousands(ax)


def chart_title(ax: Axes, what: str, ds: xr.Dataset) -> None:
    """The title of a chart of ``ds``: ``what -- model / scenario (view)``, wrapped."""
    ax.set_title(title_text(f"{what} -- {scenario_label(ds)}"), fontsize="medium", loc="left")
