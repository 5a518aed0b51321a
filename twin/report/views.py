"""Views of a stochastic report as a plan (no plotting library: ``twin show`` uses them too).

A stochastic report (:mod:`twin.report.stochastic`) holds every leaf's plan along ``scenario``.
:func:`expected_view` is the **expected plan** (each quantity's probability-weighted mean over
the leaves); :func:`leaf_view` is **one leaf** (``--scenario-leaf``). Both close the cash flows
on the NPV they carry: their discounted salvage is what the flows leave of it.
"""

from __future__ import annotations

import numpy as np
import xarray as xr


def is_stochastic(ds: xr.Dataset) -> bool:
    """Whether ``ds`` is a stochastic report (leaves along ``scenario``)."""
    return bool(ds.attrs.get("stochastic")) and "scenario" in ds.dims


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
