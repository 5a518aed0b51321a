"""An ensemble's outcomes as one Dataset over ``member``: figures, overrides, percentiles.

Scalar figures of each member (NPV, capex, MW built...) become variables over ``member``; figures
by period (capacity online, net cash) variables over ``(member, period)``; each override path a
coordinate over ``member`` with a CF-legal name (:func:`variable_name`) and the path in its
``swept_path`` attribute (:func:`swept` finds it). :func:`summary` adds percentiles over the
members that solved (``<figure>_pct`` over ``percentile``), the numbers a fan chart draws.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import xarray as xr

from twin.spec.errors import SpecError
from twin.study.ensemble import Member
from twin.study.metrics import METRICS

#: figure -> (units, long_name) of the scalar figures a member row may carry.
FIGURES: dict[str, tuple[str, str]] = {
    "npv_musd": ("1e6 USD", "net present value of the member"),
    "capex_musd": ("1e6 USD", "undiscounted capex over horizon"),
    "revenue_musd": ("1e6 USD", "undiscounted revenue"),
    "build_mw": ("MW", "IT capacity whose construction starts over the horizon"),
    "leased_share": METRICS["leased_share"],
    "unmet_h100e": ("H100e", "demand not served, summed over periods"),
    "fab_kwspm": ("1e3 wafer/month", "fab capacity built"),
    "chips_made": ("1", "chips made in own fabs over the horizon"),
    "chips_bought": ("1", "chips bought over the horizon"),
}

#: figure -> (units, long_name) of the figures by period.
SERIES: dict[str, tuple[str, str]] = {
    "capacity_mw": ("MW", "IT capacity online, all sites"),
    "net_cash_musd": ("1e6 USD", "inflows minus outflows in the period"),
}

#: Percentiles kept over the members [%].
PERCENTILES = (5, 25, 50, 75, 95)


def _coord(values: list[Any]) -> np.ndarray:
    try:
        return np.array(values, dtype=float)
    except (TypeError, ValueError):
        return np.array([str(v) for v in values], dtype=object)


def summary(rows: list[dict[str, Any]], members: list[Member]) -> xr.Dataset:
    """The ensemble's results over ``member`` (module docstring); rows in members' order."""
    data: dict[str, Any] = {}
    for name in FIGURES:
        data[name] = ("member", np.array([r.get(name, np.nan) for r in rows], dtype=float))
    for key in ("status", "file", "message"):
        data[key] = ("member", np.array([r.get(key, "") for r in rows], dtype=object))
    data["kept"] = ("member", np.array([bool(r.get("kept", False)) for r in rows]))
    periods = next((r["period"] for r in rows if r.get("period")), None)
    coords: dict[str, Any] = {
        "member": np.array([r["member"] for r in rows], dtype=object),
        "scenario": ("member", np.array([m.scenario or "" for m in members], dtype=object)),
        "input_sha256": ("member", np.array([r.get("input_sha256", "") for r in rows], object)),
    }
    if periods is not None:
        coords["period"] = np.array(periods, dtype="datetime64[ns]")
        for name in SERIES:
            arr = np.full((len(rows), len(periods)), np.nan)
            for i, r in enumerate(rows):
                if r.get(name) is not None and len(r[name]) == len(periods):
                    arr[i] = r[name]
            data[name] = (("member", "period"), arr)
    ds = xr.Dataset(data, coords=coords)
    paths = sorted({p for m in members for p, _ in m.overrides})
    for p in paths:
        attrs = {"swept_path": p, "long_name": f"swept value of {p}", "units": "1"}
        vals = _coord([dict(m.overrides).get(p, np.nan) for m in members])
        ds = ds.assign_coords({variable_name(p): ("member", vals, attrs)})
    ds.attrs["swept_paths"] = json.dumps(paths)
    for name, (units, long_name) in {**FIGURES, **SERIES}.items():
        if name in ds:
            ds[name].attrs.update(units=units, long_name=long_name)
    ds["kept"].attrs.update(long_name="kept from an earlier run with the same inputs (1: yes)")
    ds["status"].attrs.update(long_name="termination condition of the member's solve")
    ds["file"].attrs.update(long_name="member report, relative to the sweep file's directory")
    ds["message"].attrs.update(long_name="why the member failed (empty: it did not)")
    ds = with_percentiles(ds)
    n_failed = int((ds["status"] == "failed").sum())
    ds.attrs.update(
        title="twin sweep", n_members=len(members), n_failed=n_failed,
        n_kept=int(ds["kept"].sum()),
    )  # fmt: skip
    return ds


def with_percentiles(ds: xr.Dataset, q: tuple[int, ...] = PERCENTILES) -> xr.Dataset:
    """``<figure>_pct`` over ``percentile`` (and ``period`` for series) for the members that
    solved; NaN where none did."""
    ok = ds["status"] != "failed"
    out = ds.assign_coords(percentile=np.array(q, dtype=np.int32))  # no _FillValue on a coord
    out["percentile"].attrs.update(units="percent", long_name="percentile over members")
    for name in (*FIGURES, *SERIES):
        if name not in ds:
            continue
        x = ds[name].where(ok)
        if int(x.notnull().sum()) == 0:
            pct = xr.full_like(x.isel(member=0, drop=True), np.nan).expand_dims(percentile=len(q))
        else:
            pct = x.quantile(np.array(q) / 100, dim="member", skipna=True)
            pct = pct.rename(quantile="percentile").drop_vars("percentile")
        out[f"{name}_pct"] = pct.assign_coords(percentile=out["percentile"])
        out[f"{name}_pct"].attrs.update(ds[name].attrs)
    return out


def variable_name(path: str) -> str:
    """The CF-legal name of the coordinate holding a swept ``path`` (letters, digits and
    underscores, starting with a letter): ``vendor.markup`` -> ``vendor_markup``. The path
    itself is kept in the coordinate's ``swept_path`` attribute."""
    out = re.sub(r"[^A-Za-z0-9_]", "_", path)
    return out if out[:1].isalpha() else f"v_{out}"


def swept(ds: xr.Dataset, path: str) -> xr.DataArray:
    """The values of the swept ``path`` per member (the coordinate whose ``swept_path`` is
    ``path``)."""
    for name, c in ds.coords.items():
        if c.attrs.get("swept_path") == path:
            return ds[name]
    raise KeyError(f"{path!r} is not swept in this sweep; swept: {ds.attrs.get('swept_paths')}")


def swept_label(value: object, spec: str = ".3g") -> str:
    """A swept value as a table or a chart prints it: a number in format ``spec``, a word
    (``horizon.period=year,quarter``) as it is."""
    try:
        return format(float(value), spec)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)


def break_even(ds: xr.Dataset, path: str, variable: str = "fab_kwspm") -> float | None:
    """The smallest swept value of ``path`` at which ``variable`` becomes positive (e.g. the
    vendor markup at which the fab is first built), or None if it never does. Its precision is
    the sweep's step: sweep finer around it to narrow it. A path swept over words is refused
    (:class:`SpecError`)."""
    values = swept(ds, path)
    if not np.issubdtype(values.dtype, np.number):
        raise SpecError("path", path, "swept over words, not numbers; expected a numeric path")
    x = np.asarray(values.values, dtype=float)
    y = np.asarray(ds[variable].values, dtype=float)
    order = np.argsort(x)
    for xi, yi in zip(x[order], y[order], strict=True):
        if yi > 1e-9:
            return float(xi)
    return None
