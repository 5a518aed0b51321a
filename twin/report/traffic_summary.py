"""The traffic tables of ``twin show``: inference traffic by tenant and serving site, the ten
most used links, and the latency served per tenant (flow-weighted p50 and p95).

Read from a report's TRAFFIC records (:mod:`twin.plan.quantity_records`); a report without routed
traffic (path dimension of length 0) gives no table.
"""

from __future__ import annotations

from collections.abc import Callable

import xarray as xr

from twin.literal import Table
from twin.report.tables import _fmt

TOP_LINKS = 10


def traffic_by_site(ds: xr.DataArray | xr.Dataset) -> xr.DataArray:
    """Traffic served per tenant, site and period [Gbit/s]: flows summed over the paths ending
    at each site, tenants without traffic dropped."""
    by_site = ds["flow_gbps"].groupby(ds["path_site"]).sum("path")
    served = by_site.sum(("path_site", "period")) > 1e-9
    return by_site.sel(tenant=served)


def link_table(ds: xr.Dataset) -> Table:
    """The :data:`TOP_LINKS` links of highest peak utilisation: capacity online and load at
    the peak, peak utilisation and the largest marginal value of a Gbit/s-year."""
    util = ds["link_utilisation"].fillna(0.0)
    peak = util.max("period")
    order = peak.argsort().values[::-1][:TOP_LINKS]
    t = Table(title=f"Links, top {TOP_LINKS} by peak utilisation", title_justify="left")
    # identifying columns are never cut; headers and figures fold in a narrow terminal
    t.add_column("link", no_wrap=True)
    t.add_column("kind", overflow="fold")
    t.add_column("peak period", no_wrap=True)
    for c in ("capacity [Gbit/s]", "load [Gbit/s]", "use [-]", "value [$M/Gbit/s-yr]"):
        t.add_column(c, justify="right", overflow="fold")
    for i in order:
        p = int(util.isel(link=i).argmax("period"))
        cell = ds.isel(link=i, period=p)
        t.add_row(
            str(ds["link"].values[i]),
            str(ds["link_kind"].values[i]),
            str(ds["period"].values[p])[:10],
            _fmt("{:,.1f}", float(cell["link_capacity_gbps"])),
            _fmt("{:,.1f}", float(cell["link_load_gbps"])),
            _fmt("{:.0%}", float(peak[i])),
            _fmt("{:,.4f}", float(ds["marginal_value_link"].isel(link=i).max(skipna=True))),
        )
    return t


def latency_table(ds: xr.Dataset, tenants: list[str]) -> Table:
    """Latency served per tenant and period: flow-weighted p50 / p95 [ms]."""
    title = "Latency served, one-way [ms]: p50 / p95"
    t = Table(title=title, title_justify="left", min_width=len(title))
    t.add_column("period", no_wrap=True)
    for j in tenants:
        t.add_column(j, justify="right")
    for p in range(ds.sizes["period"]):
        cells = []
        for j in tenants:
            a = float(ds["latency_p50_ms"].sel(tenant=j).isel(period=p))
            b = float(ds["latency_p95_ms"].sel(tenant=j).isel(period=p))
            cells.append(f"{_fmt('{:.1f}', a)} / {_fmt('{:.1f}', b)}")
        t.add_row(str(ds["period"].values[p])[:10], *cells)
    return t


def traffic_tables(ds: xr.Dataset, table: Callable[..., Table]) -> list[Table]:
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
