"""The traffic tables of ``twin show``: inference traffic by tenant and serving site, the ten
most used links, and the latency served per tenant (flow-weighted p50 and p95).

Read from a report's TRAFFIC records (:mod:`twin.plan.quantity_records`); a report without routed
traffic (path dimension of length 0) gives no table.
"""

from __future__ import annotations

from collections.abc import Callable

import xarray as xr

from twin.report.period_tables import period_labels
from twin.report.tables import Column, Grid, _fmt

TOP_LINKS = 10


def traffic_by_site(ds: xr.DataArray | xr.Dataset) -> xr.DataArray:
    """Traffic served per tenant, site and period [Gbit/s]: flows summed over the paths ending
    at each site, tenants without traffic dropped."""
    by_site = ds["flow_gbps"].groupby(ds["path_site"]).sum("path")
    served = by_site.sum(("path_site", "period")) > 1e-9
    return by_site.sel(tenant=served)


def _gbps(v: float) -> str:
    """A link figure [Gbit/s]: whole numbers from 100 up, one decimal below."""
    return _fmt("{:,.0f}" if abs(v) >= 100 else "{:,.1f}", v)


def link_table(ds: xr.Dataset) -> Grid:
    """The :data:`TOP_LINKS` links of highest peak utilisation: capacity online and load at
    the peak, peak utilisation and the largest marginal value of a Gbit/s-year."""
    util = ds["link_utilisation"].fillna(0.0)
    peak = util.max("period")
    order = peak.argsort().values[::-1][:TOP_LINKS]
    labels = period_labels(ds["period"].values)
    rows: list[list[object]] = []
    for i in order:
        p = int(util.isel(link=i).argmax("period"))
        cell = ds.isel(link=i, period=p)
        rows.append([
            str(ds["link"].values[i]), str(ds["link_kind"].values[i]), labels[p],
            float(cell["link_capacity_gbps"]), float(cell["link_load_gbps"]), float(peak[i]),
            float(ds["marginal_value_link"].isel(link=i).max(skipna=True)),
        ])  # fmt: skip
    heads = ("link", "kind", "peak", "capacity", "load", "use", "value [$M/Gbit/s-yr]")
    shows = (str, str, str, _gbps, _gbps, lambda v: _fmt("{:.0%}", v),
             lambda v: _fmt("{:,.4f}", v))  # fmt: skip
    units = ("", "", "", " [Gbit/s]", " [Gbit/s]", " [share]", "")
    cols = [
        Column(h, [show(r[k]) for r in rows], numeric=k > 2, raw=[r[k] for r in rows],  # type: ignore[operator]
               csv_header=h + u)
        for k, (h, show, u) in enumerate(zip(heads, shows, units, strict=True))
    ]
    title = f"Links, top {TOP_LINKS} by peak utilisation; capacity and load [Gbit/s] at the peak"
    return Grid(title, cols, fixed=3,
                csv_name="links_top_by_peak_utilisation")  # fmt: skip


def latency_table(ds: xr.Dataset, tenants: list[str]) -> Grid:
    """Latency served per tenant and period: flow-weighted p50 / p95 [ms] (in the CSV, a
    column for each)."""
    labels = period_labels(ds["period"].values)
    cols, raw = [Column("period", labels, numeric=False)], [Column("period", labels, False)]
    for j in tenants:
        a = [float(v) for v in ds["latency_p50_ms"].sel(tenant=j).values]
        b = [float(v) for v in ds["latency_p95_ms"].sel(tenant=j).values]
        cells = [f"{_fmt('{:.1f}', x)} / {_fmt('{:.1f}', y)}" for x, y in zip(a, b, strict=True)]
        cols.append(Column(j, cells))
        raw += [Column(f"{j} p50 [ms]", [], raw=a), Column(f"{j} p95 [ms]", [], raw=b)]
    return Grid("Latency served, one-way [ms]: p50 / p95", cols, csv_columns=raw,
                csv_name="latency_served_ms")  # fmt: skip


def traffic_tables(ds: xr.Dataset, table: Callable[..., Grid]) -> list[Grid]:
    """The tables of the module docstring; ``table`` is :func:`twin.report.summary._table`
    (one row per period, a column per entry of a dimension)."""
    if not ds.sizes.get("path"):
        return []
    served = traffic_by_site(ds)
    title = "Inference traffic served by {} by site [Gbit/s]"
    out = [
        table(title.format(j), served.sel(tenant=j), "path_site", fmt="{:,.1f}")
        for j in served["tenant"].values
    ]
    out.append(link_table(ds))
    out.append(latency_table(ds, [str(j) for j in served["tenant"].values]))
    return out
