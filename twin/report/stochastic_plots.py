"""Charts of stochastic reports: views of the plan, the NPV distribution, fans over the leaves.

A stochastic report (:mod:`twin.report.stochastic`) holds every leaf's plan along ``scenario``.
Every chart of a plan draws from it either the **expected plan** (:func:`expected_view`: each
quantity's probability-weighted mean over the leaves, with the band of the total between the
5 % and 95 % weighted quantiles across the leaves, :func:`leaf_band`) or **one leaf**
(:func:`leaf_view`, ``twin plot --scenario-leaf``).

A fan chart draws, per period, probability-weighted quantile bands of a quantity over the leaves
(5-95 % and 25-75 %) and the median, with :func:`twin.report.sweep_plots.fan_chart` (the one
fan implementation, shared with sweeps).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.axes import Axes

from twin.report.chart_style import legend_outside, scenario_label, thousands
from twin.report.timeline import edges

#: Quantile bands of the fan charts, outer to inner [-].
BANDS = ((0.05, 0.95), (0.25, 0.75))
#: Band of the leaves drawn around an expected plan [-].
LEAF_BAND = (0.05, 0.95)


def _axes(ax: Axes | None) -> Axes:
    return ax if ax is not None else plt.subplots(figsize=(10, 5), layout="constrained")[1]


def is_stochastic(ds: xr.Dataset) -> bool:
    """Whether ``ds`` is a stochastic report (leaves along ``scenario``)."""
    return bool(ds.attrs.get("stochastic")) and "scenario" in ds.dims


def weighted_quantiles(values: np.ndarray, probs: np.ndarray, qs: list[float]) -> np.ndarray:
    """Quantiles of a discrete law along axis 0: for each q the least v with P(V <= v) >= q.

    ``values`` is (leaves, n); returns (len(qs), n).
    """
    order = np.argsort(values, axis=0, kind="stable")
    v = np.take_along_axis(values, order, axis=0)
    cum = np.cumsum(probs[order], axis=0) / probs.sum()
    out = np.empty((len(qs), values.shape[1]))
    for i, q in enumerate(qs):
        idx = (cum < q - 1e-12).sum(axis=0).clip(max=len(probs) - 1)
        out[i] = v[idx, np.arange(values.shape[1])]
    return out


def _leaf_only(name: str) -> bool:
    return name.startswith(("scenario_", "node", "decision", "tied"))


def _close_salvage(view: xr.Dataset, npv: float) -> xr.Dataset:
    """Set the view's discounted salvage so that its cash flows add up to ``npv``:
    ``salvage = (NPV - sum_f sign_f sum_p df_p flow_fp) / df_end`` (NPV is linear in them)."""
    from twin.plan.cash import INFLOWS, OUTFLOWS

    df = view["discount_factor"].values
    flows = sum(float((df * view[f"{f}_musd"].values).sum()) for f in INFLOWS)
    flows -= sum(float((df * view[f"{f}_musd"].values).sum()) for f in OUTFLOWS)
    view.attrs["salvage_musd"] = (npv - flows) / view.attrs["discount_factor_end"]
    return view


def expected_view(ds: xr.Dataset) -> xr.Dataset:
    """The expected plan of a stochastic report: each numeric quantity's probability-weighted
    mean over the leaves (labels and dates: the first leaf's, they are the same), NPV the
    expected NPV; a report every chart of a plan can draw."""
    p = ds["scenario_probability"] / ds["scenario_probability"].sum()
    out = {}
    for name, da in ds.data_vars.items():
        if _leaf_only(str(name)):
            continue
        if "scenario" not in da.dims:
            out[name] = da
        elif np.issubdtype(da.dtype, np.number) or da.dtype == bool:
            out[name] = (da.astype(float) * p).sum("scenario", skipna=False).assign_attrs(da.attrs)
        else:
            out[name] = da.isel(scenario=0, drop=True)
    view = xr.Dataset(out, attrs=dict(ds.attrs))
    view = view.drop_vars([c for c in view.coords if "scenario" in view[c].dims or c == "scenario"])
    view.attrs["twin_view"] = f"expected over {ds.sizes['scenario']} leaves"
    view.attrs.pop("stochastic", None)
    return _close_salvage(view, float(ds.attrs["expected_npv_musd"]))


def leaf_names(ds: xr.Dataset) -> list[str]:
    """The leaves of a stochastic report, as ``--scenario-leaf`` accepts them."""
    return [str(s) for s in ds["scenario"].values]


def leaf_view(ds: xr.Dataset, leaf: str) -> xr.Dataset:
    """Leaf ``leaf`` (its name, e.g. ``scen3``, or its label) of a stochastic report, as a plan
    report with the leaf's NPV; :class:`KeyError` naming the leaves if there is none."""
    labels = [str(s) for s in ds["scenario_label"].values] if "scenario_label" in ds else []
    names = leaf_names(ds)
    if leaf not in names and leaf in labels:
        leaf = names[labels.index(leaf)]
    if leaf not in names:
        raise KeyError(f"{leaf} (leaves: {', '.join(names)})")
    view = ds.sel(scenario=leaf)
    view = view.drop_vars([n for n in view.variables if _leaf_only(str(n)) or n == "scenario"])
    label = labels[names.index(leaf)] if labels else leaf
    view.attrs = dict(ds.attrs, twin_view=f"leaf {leaf}: {label}")
    view.attrs.pop("stochastic", None)
    npv = float(ds["scenario_npv_musd"].sel(scenario=leaf))
    view.attrs["npv_musd"] = npv
    return _close_salvage(view, npv)


def plan_view(ds: xr.Dataset, leaf: str | None = None) -> tuple[xr.Dataset, xr.Dataset | None]:
    """What a chart of a plan draws from ``ds``: ``(plan, leaves)``; ``leaves`` is the
    stochastic report when ``plan`` is its expected view (draw :func:`leaf_band` too)."""
    if not is_stochastic(ds):
        if leaf is not None:
            raise KeyError(f"{leaf} (the file is not a stochastic report: it has no leaves)")
        return ds, None
    if leaf is not None:
        return leaf_view(ds, leaf), None
    return expected_view(ds), ds


def leaf_band(ax: Axes, leaves: xr.Dataset, total: xr.DataArray, scale: float = 1.0) -> None:
    """Shade, over each period, the 5 %-95 % probability-weighted quantiles across the leaves of
    ``total`` (dims scenario x period, divided by ``scale``)."""
    values = total.transpose("scenario", "period").values / scale
    lo, hi = weighted_quantiles(values, leaves["scenario_probability"].values, list(LEAF_BAND))
    x = edges(leaves)
    ax.fill_between(x, np.append(lo, lo[-1]), np.append(hi, hi[-1]), step="post",
                    facecolor="none", edgecolor="k", hatch="..", lw=0.8,
                    label=f"total, {LEAF_BAND[0]:.0%}-{LEAF_BAND[1]:.0%} of leaves")  # fmt: skip


def plot_npv_distribution(ds: xr.Dataset, ax: Axes | None = None) -> Axes:
    """The NPV distribution over the leaves: its cumulative distribution function, with the
    expected NPV, the CVaR and the wait-and-see distribution for comparison [$M]."""
    ax = _axes(ax)
    p = ds["scenario_probability"].values
    for name, label, style in (
        ("scenario_npv_musd", "plan", "-"),
        ("scenario_npv_ws_musd", "wait and see", "--"),
    ):
        v = ds[name].values
        if np.isnan(v).all():
            continue
        order = np.argsort(v, kind="stable")
        ax.step(v[order], np.cumsum(p[order]), where="post", linestyle=style, label=label)
    a = ds.attrs
    ax.axvline(a["expected_npv_musd"], color="k", lw=0.8, label="expected NPV")
    ax.axvline(a["cvar_musd"], color="r", lw=0.8, label=f"CVaR {a['cvar_level']:.0%}")
    ax.set(xlabel="NPV [$M, real]", ylabel="cumulative probability [-]")
    ax.set_title(f"NPV over {ds.sizes['scenario']} leaves -- {scenario_label(ds)}")
    thousands(ax, "x")
    ax.grid(alpha=0.3)
    legend_outside(ax)
    return ax


def plot_fan(
    ds: xr.Dataset,
    variable: str = "capacity_mw",
    ax: Axes | None = None,
    scale: float = 1.0,
    select: dict[str, object] | None = None,
) -> Axes:
    """Fan chart of ``variable`` (after ``select``, e.g. ``{"tenant": "anthropic"}``) summed over
    every dimension but scenario and period, divided by ``scale``, across the leaves."""
    from twin.report.sweep_plots import fan_chart, fan_quantiles

    ax = _axes(ax)
    da = ds[variable].sel(select or {})
    da = da.sum([d for d in da.dims if d not in ("scenario", "period")]) / scale
    units = str(ds[variable].attrs.get("units", ""))
    if scale != 1.0:
        units = f"{scale:g} x {units}"
    values = da.transpose("scenario", "period").values
    q = fan_quantiles(values, ds["scenario_probability"].values)
    fan_chart(ax, edges(ds), q, f"{variable} [{units}]")
    ax.set_title(f"{variable} over {ds.sizes['scenario']} leaves -- {scenario_label(ds)}")
    return ax
