"""``twin plot --kind network``: the traffic network of a report on a map.

Each fiber link is a line between its ends' latitude and longitude (equirectangular axes in
degrees, the basemap of :mod:`twin.report.map_plot`), its width growing with the traffic it
carries and its colour the utilisation (traffic over capacity online), both in the period of
peak total traffic. A ground station's downlinks to orbit are drawn as a triangle at the
station, coloured by their utilisation. User regions are dots sized by the traffic they send,
sites squares. A plan without routed traffic draws the basemap and says so.
"""

from __future__ import annotations

from typing import cast

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from twin.report.chart_style import number, scenario_label, title_text
from twin.report.map_plot import _basemap, close_groups, place_labels
from twin.report.views import plan_view

CMAP = "plasma"
MAX_WIDTH = 7.0  # points: the busiest link


def peak_period(ds: xr.Dataset) -> int:
    """Index of the period with the most traffic on all links (0 without links)."""
    if not ds.sizes.get("link"):
        return 0
    return int(ds["link_load_gbps"].sum("link").argmax("period"))


def _nodes(ds: xr.Dataset) -> dict[str, tuple[float, float]]:
    """(lat, lon) of every link end with coordinates, by node name."""
    out = {}
    for end in ("from", "to"):
        names = ds[f"link_{end}"].values
        lat, lon = ds[f"link_{end}_lat"].values, ds[f"link_{end}_lon"].values
        for n, a, o in zip(names, lat, lon, strict=True):
            if np.isfinite(a) and np.isfinite(o):
                out[str(n)] = (float(a), float(o))
    return out


def _extent(ax: Axes, nodes: dict[str, tuple[float, float]]) -> None:
    lat = np.array([p[0] for p in nodes.values()])
    lon = np.array([p[1] for p in nodes.values()])
    ax.set_xlim(lon.min() - 4, lon.max() + 4)
    ax.set_ylim(lat.min() - 3, lat.max() + 3)


def _draw_links(ax: Axes, ds: xr.Dataset, p: int) -> None:
    load = ds["link_load_gbps"].isel(period=p).values
    util = np.nan_to_num(ds["link_utilisation"].isel(period=p).values)
    cmap, top = plt.get_cmap(CMAP), max(float(load.max()), 1e-9)
    for i, kind in enumerate(ds["link_kind"].values):
        a = (float(ds["link_from_lat"][i]), float(ds["link_from_lon"][i]))
        b = (float(ds["link_to_lat"][i]), float(ds["link_to_lon"][i]))
        colour = cmap(min(util[i], 1.0))
        if kind == "downlink":  # to orbit: a triangle at the station
            ax.plot(a[1], a[0], marker="^", ms=12, color=colour, mec="k", zorder=4)
            continue
        if not all(np.isfinite([*a, *b])):
            continue
        width = 0.6 + MAX_WIDTH * load[i] / top
        ax.plot([a[1], b[1]], [a[0], b[0]], color=colour, lw=width, zorder=2,
                solid_capstyle="round")  # fmt: skip
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(0, 1))
    cast(Figure, ax.figure).colorbar(sm, ax=ax, label="link utilisation [-]", shrink=0.8)


def _draw_nodes(
    ax: Axes, ds: xr.Dataset, nodes: dict[str, tuple[float, float]], p: int
) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    """Draw regions (sized by the traffic they send) and sites; return the labels to place:
    sites and stations (co-located ones once, :func:`close_groups`) and regions."""
    sent: dict[str, float] = {}
    if ds.sizes.get("path"):
        flow = ds["flow_gbps"].isel(period=p).sum("tenant")
        for r, f in zip(ds["path_region"].values, flow.values, strict=True):
            sent[f"region:{r}"] = sent.get(f"region:{r}", 0.0) + float(f)
    top = max(sent.values(), default=0.0) or 1.0
    labels, regions = {}, {}
    for name, (lat, lon) in nodes.items():
        kind, _, short = name.partition(":")
        if kind == "region":
            ax.plot(lon, lat, "o", ms=4 + 10 * sent.get(name, 0.0) / top, color="tab:blue",
                    mec="k", zorder=5)  # fmt: skip
            regions[short.replace("_", " ")] = (lat, lon)
        elif kind == "site":
            ax.plot(lon, lat, "s", ms=8, color="tab:green", mec="k", zorder=5)
            labels[short] = (lat, lon)
        elif kind == "station":
            labels[short] = (lat, lon)
    near = [q for n, q in nodes.items() if not n.startswith("region:")]
    regions = {  # a region in a site's city: the site's label names the place
        r: q for r, q in regions.items()
        if all(abs(q[0] - a) > 0.8 or abs(q[1] - b) > 0.8 for a, b in near)
    }  # fmt: skip
    return close_groups(labels), regions


def _key(ax: Axes, top: float) -> None:
    """A legend below the map: what the symbols are and link widths for round traffic."""
    steps = [v for v in (10.0, 100.0, 500.0, 1000.0, 5000.0) if v <= top] or [top]
    handles = [
        Line2D([], [], ls="", marker="s", ms=8, color="tab:green", mec="k", label="site"),
        Line2D([], [], ls="", marker="o", ms=9, color="tab:blue", mec="k",
               label="user region (size: traffic sent)"),
        *(Line2D([], [], color="0.4", lw=0.6 + MAX_WIDTH * v / top,
                 label=f"{number(v)} Gbit/s") for v in steps[-3:]),
    ]  # fmt: skip
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.13),
              ncols=len(handles), fontsize="small", frameon=False)  # fmt: skip


def _size(nodes: dict[str, tuple[float, float]]) -> tuple[float, float]:
    """A figure size whose map (equal aspect) fills its width: no blank bands above and below."""
    if not nodes:
        return 12.0, 6.5
    lat = [q[0] for q in nodes.values()]
    lon = [q[1] for q in nodes.values()]
    ratio = (max(lon) - min(lon) + 8) / (max(lat) - min(lat) + 6)
    return 12.0, float(np.clip(9.3 / ratio + 1.9, 4.5, 9.0))


def plot_network(ds: xr.Dataset, ax: Axes | None = None, leaf: str | None = None) -> Figure:
    """The traffic network of a report (module docstring); ``leaf`` of a stochastic report."""
    ds, _ = plan_view(ds, leaf)
    nodes = _nodes(ds) if ds.sizes.get("link") else {}
    if ax is None:
        fig, ax = plt.subplots(figsize=_size(nodes), layout="constrained")
    fig = cast(Figure, ax.figure)
    _basemap(ax)
    p = peak_period(ds)
    when = str(ds["period"].values[p])[:4] if ds.sizes.get("period") else ""
    labels: dict[str, tuple[float, float]] = {}
    regions: dict[str, tuple[float, float]] = {}
    if nodes:
        _draw_links(ax, ds, p)
        labels, regions = _draw_nodes(ax, ds, nodes, p)
        _extent(ax, nodes)
        _key(ax, max(float(ds["link_load_gbps"].isel(period=p).max()), 1e-9))
    else:
        ax.text(0.5, 0.5, "no routed traffic in this plan", transform=ax.transAxes,
                ha="center", va="center")  # fmt: skip
    ax.set(xlabel="longitude [deg]", ylabel="latitude [deg]", aspect="equal")
    ax.set_title(title_text(f"Traffic network, {when} (peak traffic): width = traffic, colour = "
                            f"utilisation -- {scenario_label(ds)}"), loc="left",
                 fontsize="medium")  # fmt: skip
    if nodes:
        fig.canvas.draw()  # lay out the axes before placing labels in display space
        avoid = np.array([(lo, la) for la, lo in nodes.values()], float)
        placed = place_labels(ax, labels, None, avoid)
        place_labels(ax, regions, placed, avoid, fontsize=8, color="tab:blue")
    return fig
