"""Results of the traffic family (:mod:`twin.plan.traffic`), read with :mod:`twin.plan.results`.

Flows, expansions (x :data:`twin.plan.traffic.WAVE_GBPS` Gbit/s a unit) and antennas are the solved
variables; link capacity and load the solved values of the expressions ``link_cap`` and
``link_load`` the capacity row uses; utilisation is their ratio. ``marginal_value_link`` is the
dual of ``link_capacity[l,p]`` over ``df_p dt`` [$M per Gbit/s-year] (0 where the link has no row:
it cannot bind; with the hourly model the sum over the hours of ``link_capacity_hourly[l,p,h]``,
one more Gbit/s being there in every hour; the load reported is the period's mean);
``marginal_value_antenna`` the sum over the station's downlinks of that value x the Gbit/s one
antenna adds. Latency percentiles per tenant and period are the flow-weighted
percentiles of the path latencies: the least latency L with at least q of the tenant's traffic on
paths of latency <= L (NaN: no traffic). Without routed tenants every array has path, link and
station dimensions of length 0 (a path: a route of :mod:`twin.network`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo
from pyomo.core.base.constraint import ConstraintData

from twin.plan.data import PlanData
from twin.plan.traffic import WAVE_GBPS

__all__ = ["traffic_results", "weighted_percentile"]


def weighted_percentile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """Least value v with ``sum(weights[values <= v]) >= q sum(weights)`` (NaN if no weight)."""
    total = float(weights.sum())
    if total <= 0:
        return float("nan")
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, q * total - 1e-9 * total)])


def _grid(comp: Any, axes: tuple[dict, ...], shape: tuple[int, ...]) -> np.ndarray:
    """Solved values of an indexed Var or Expression on a full grid (0 where absent)."""
    out = np.zeros(shape)
    for key, c in comp.items() if comp is not None else ():
        idx = key if isinstance(key, tuple) else (key,)
        out[tuple(ax[k] if ax else k for ax, k in zip(axes, idx, strict=True))] += pyo.value(c)
    return out


def _coords(d: PlanData) -> dict[str, object]:
    t = d.traffic
    nan = (float("nan"), float("nan"))
    ends = [t.link_ends[ln] for ln in t.links]

    def at(i: int, j: int) -> np.ndarray:
        return np.array([t.coords.get(e[i], nan)[j] for e in ends], float)

    return {
        "path": np.array(t.routes, dtype=object),
        "path_region": ("path", np.array([t.route_region[k] for k in t.routes], dtype=object)),
        "path_site": ("path", np.array([t.route_site[k] for k in t.routes], dtype=object)),
        "path_latency_ms": ("path", np.array([t.route_latency_ms[k] for k in t.routes], float)),
        "link": np.array(t.links, dtype=object),
        "link_from": ("link", np.array([e[0] for e in ends], dtype=object)),
        "link_to": ("link", np.array([e[1] for e in ends], dtype=object)),
        "link_kind": ("link", np.array([t.link_kind[ln] for ln in t.links], dtype=object)),
        "link_from_lat": ("link", at(0, 0)),
        "link_from_lon": ("link", at(0, 1)),
        "link_to_lat": ("link", at(1, 0)),
        "link_to_lon": ("link", at(1, 1)),
        "station": np.array(t.stations, dtype=object),
    }


def _latency(d: PlanData, flow: np.ndarray) -> dict[str, tuple]:
    lat = np.array([d.traffic.route_latency_ms[k] for k in d.traffic.routes], float)
    out = {q: np.full((len(d.tenants), d.n_periods), np.nan) for q in (0.5, 0.95)}
    for i in range(len(d.tenants)):
        for p in range(d.n_periods):
            for q, grid in out.items():
                grid[i, p] = weighted_percentile(lat, flow[:, i, p], q)
    tp = ("tenant", "period")
    return {"latency_p50_ms": (tp, out[0.5]), "latency_p95_ms": (tp, out[0.95])}


def _items(rows: Any) -> list:
    return list(rows.items()) if rows is not None else []


def traffic_results(
    m: pyo.ConcreteModel, d: PlanData, duals: dict[ConstraintData, float]
) -> tuple[dict[str, tuple], dict[str, object]]:
    """Variables and coordinates of the traffic family (module docstring)."""
    t, n = d.traffic, d.n_periods
    ki = {k: i for i, k in enumerate(t.routes)}
    li = {ln: i for i, ln in enumerate(t.links)}
    si = {st: i for i, st in enumerate(t.stations)}
    ji = {j: i for i, j in enumerate(d.tenants)}
    find = m.find_component
    flow = _grid(find("flow"), (ki, ji, {}), (len(ki), len(ji), n))
    cap = _grid(find("link_cap"), (li, {}), (len(li), n))
    load = _grid(find("link_load"), (li, {}), (len(li), n))
    mv = np.zeros((len(li), n))  # a link without a capacity row there cannot bind: 0
    antenna = np.zeros((len(si), n))
    rows = [*_items(find("link_capacity")), *_items(find("link_capacity_hourly"))]
    for (ln, p, *_), c in rows:  # hourly: the sum over the link's peak hours
        y = duals.get(c)
        mv[li[ln], p] += np.nan if y is None else y / (d.df[p] * d.dt)  # a MIP's: unknown
    for ln, st in t.downlink_station.items():
        antenna[si[st]] += mv[li[ln]] * t.link_gbps[ln]
    lp, sp = ("link", "period"), ("station", "period")
    data = {
        "flow_gbps": (("path", "tenant", "period"), flow),
        "link_expand_gbps": (lp, WAVE_GBPS * _grid(find("link_expand"), (li, {}), (len(li), n))),
        "antennas_built": (sp, _grid(find("antennas"), (si, {}), (len(si), n))),
        "transfer_gbps": (lp, _grid(find("transfer"), (li, {}), (len(li), n))),
        "link_capacity_gbps": (lp, cap),
        "link_load_gbps": (lp, load),
        "link_utilisation": (
            lp,
            np.divide(load, cap, out=np.full_like(cap, np.nan), where=cap > 0),
        ),
        "marginal_value_link": (lp, mv),
        "marginal_value_antenna": (sp, antenna),
        **_latency(d, flow),
    }
    return data, _coords(d)
