"""A peer: the terrestrial planning LP of :mod:`twin.plan` written in linopy, from the same data.

Reads a :class:`twin.plan.data.PlanData` (the numbers twin's families read) and writes every
variable, row and objective term of twin's LP as labelled N-D arrays, the way a linopy user
would: masks for the sparse index sets, ``shift`` for vintage windows, broadcasting and ``sum``
for the families' sums. The result is the same LP (checked by :mod:`benchmarks.lp_compare`):
rows keep twin's orientation and constants sit on the right-hand side, as Pyomo's compiler puts
them.

Covered: sites, chip vintages and vendor supply, power sources (energy within capacity factor x
limit, firm capacity at the peak plus reserve; batteries firm only), idle existing chips, tenants
(firm and price-taking), whole-site contracts, the internal-share policy and the NPV objective --
everything :mod:`benchmarks.synthetic` makes. Orbital sites, fabs, integer modules, quantity and
MW-month contracts are not written here (a ``ValueError`` says so).

Needs the optional ``bench`` extra (``pip install -e ".[bench]"``).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from benchmarks.peer_linopy_hours import add_hourly, hourly_mask
from twin.plan.data import PlanData
from twin.plan.groups import chip_life
from twin.plan.hourly_data import pue_profile


def _check_supported(d: PlanData) -> None:
    """Refuse the parts of twin's model this peer does not write."""
    problems = {
        "orbital sites": d.orbital_sites,
        "fabs": d.fab.fabs,
        "integer modules": d.integer_modules,
        "power projects": d.power_build.build_idx,
        "elastic rows": d.elastic,
        "MW-month contracts": d.mw_month_revenue,
        "quantity contracts": [
            c for (c, _) in d.contract_cover if d.contracts[c].form != "whole_site"
        ],
    }
    found = [k for k, v in problems.items() if v]
    if found:
        raise ValueError(f"the linopy peer does not write {', '.join(found)}")


def _grid(d: PlanData, dims: tuple[str, ...], values: dict, fill: float = np.nan) -> xr.DataArray:
    """A dense DataArray over ``dims`` from a sparse ``{index tuple: value}`` dict."""
    coords = _coords(d)
    pos = {dim: {v: i for i, v in enumerate(coords[dim])} for dim in dims}
    arr = np.full([len(coords[dim]) for dim in dims], fill, dtype=float)
    for key, v in values.items():
        arr[tuple(pos[dim][k] for dim, k in zip(dims, key, strict=True))] = v
    return xr.DataArray(arr, coords={dim: coords[dim] for dim in dims}, dims=dims)


def _coords(d: PlanData) -> dict[str, list]:
    return {
        "site": list(d.sites),
        "chip": list(d.chips),
        "tenant": list(d.tenants),
        "source": list(d.sources),
        "period": list(range(d.n_periods)),
        "q": list(range(d.n_periods)),
    }


def build_linopy(d: PlanData):
    """The planning LP of ``d`` as a :class:`linopy.Model` (module docstring for the scope)."""
    import warnings

    import linopy

    _check_supported(d)
    # linopy's legacy semantics (a masked slot adds nothing to a sum) are what twin's sparse sums
    # mean; its warning about the coming change is silenced, not the behaviour.
    warnings.filterwarnings("ignore", category=linopy.LinopySemanticsWarning)
    c = _coords(d)
    n = d.n_periods
    per = xr.DataArray(np.arange(n), coords={"period": c["period"]}, dims="period")
    df = xr.DataArray(np.array(d.df), coords={"period": c["period"]}, dims="period")
    site = lambda v: xr.DataArray(  # noqa: E731
        np.array([v[s] for s in d.sites], float), coords={"site": c["site"]}, dims="site"
    )
    chip = lambda v: xr.DataArray(  # noqa: E731
        np.array([v[k] for k in d.chips], float), coords={"chip": c["chip"]}, dims="chip"
    )
    m = linopy.Model(force_dim_names=True)

    # ---- variables, masked to twin's sparse index sets
    build_on = _grid(d, ("site", "period"), {k: 1 for k in d.build_idx}, 0).astype(bool)
    build = m.add_variables(0, coords=build_on.coords, name="build", mask=build_on)
    inst_on = _grid(d, ("site", "chip", "period"), {k: 1 for k in d.install_idx}, 0).astype(bool)
    install = m.add_variables(0, coords=inst_on.coords, name="install", mask=inst_on)
    buy_on = _grid(d, ("chip", "period"), {k: 1 for k in d.buy_idx}, 0).astype(bool)
    buy_ub = _grid(d, ("chip", "period"), d.vendor_cap_k, np.inf)
    buy = m.add_variables(0, buy_ub, coords=buy_on.coords, name="buy", mask=buy_on)
    power_on = _grid(d, ("source", "period"), {k: 1 for k in d.power_idx}, 0).astype(bool)
    power_ub = _grid(d, ("source", "period"), d.source_energy_mw, 0)
    if d.hours is not None:  # an hourly period's average is bounded by its dispatch, hour by hour
        power_ub = power_ub.where(~hourly_mask(d), np.inf)
    power = m.add_variables(0, power_ub, coords=power_ub.coords, name="power", mask=power_on)
    ex_it = _grid(d, ("site", "period"), d.existing_it_mw, 0)
    idle = m.add_variables(0, ex_it, coords=ex_it.coords, name="idle", mask=ex_it > 0)
    alloc_on = _grid(d, ("site", "tenant", "period"), {k: 1 for k in d.alloc_idx}, 0)
    alloc = m.add_variables(0, coords=alloc_on.coords, name="alloc", mask=alloc_on.astype(bool))
    firm = xr.DataArray([j in d.firm for j in d.tenants], coords={"tenant": c["tenant"]})
    unmet_on = firm.broadcast_like(per).transpose("tenant", "period")
    unmet = m.add_variables(0, coords=unmet_on.coords, name="unmet", mask=unmet_on)

    # ---- shared sums: capacity online, IT load and compute of new vintages
    first_on = _grid(  # the first period a build started in q is online (twin.plan.site_timing)
        d, ("site", "period"), {(s, q): d.online_period(s, q) for s, q in d.build_idx}, 0
    ).rename(period="q")
    online = (first_on <= per) & build_on.rename(period="q")
    cap = build.rename(period="q").where(online).sum("q")  # [MW]
    life = xr.DataArray(
        [[chip_life(d.life, d.capacity_life, s, k) for k in d.chips] for s in d.sites],
        coords={"site": c["site"], "chip": c["chip"]},
    )
    # an install in its chip's first, partial period on sale serves that share (chip_market)
    first = _grid(d, ("chip", "period"), d.on_sale_share, 1.0)
    lags = [
        install.shift(period=lag).where(lag < life).to_linexpr() for lag in range(int(life.max()))
    ]
    lags[0] = lags[0] * first
    active = lags[0] if len(lags) == 1 else linopy.merge(lags, dim="_term")  # kchips in service
    it_new = (active * chip(d.kw)).sum("chip")  # [MW]
    h100e_new = (active * chip(d.h100e)).sum("chip")  # [kH100e]
    ex_k = _grid(d, ("site", "period"), d.existing_k_h100e, 0)
    rho = xr.where(ex_it > 0, ex_k / ex_it.where(ex_it > 0, 1.0), 0.0)
    ex_mw = _grid(d, ("site", "period"), d.existing_mw, 0)
    avail, pue = site(d.availability), site(d.pue)

    # ---- rows, each only where it has a decision in it (twin skips the others)
    last = n - 1
    fmax = [s for s in d.sites if any(b == s for b, _ in d.build_idx)]
    m.add_constraints(
        build.sum("period").sel(site=fmax)
        <= (site(d.max_mw) - ex_mw.sel(period=last)).sel(site=fmax),
        name="facility_max",
    )
    lhs = it_new - idle - cap
    m.add_constraints(lhs <= ex_mw - ex_it, name="it_power", mask=lhs.has_terms)
    src_at = xr.DataArray(
        [[float(d.source_site[g] == s) for g in d.sources] for s in d.sites],
        coords={"site": c["site"], "source": c["source"]},
    )
    lhs = (it_new - idle) * pue - (power * src_at).sum("source")
    period_form = lhs.has_terms if d.hours is None else lhs.has_terms & ~hourly_mask(d)
    m.add_constraints(lhs == -pue * ex_it, name="site_power", mask=period_form)
    peak = (1 + d.reserve_margin) * _peak_factor(d, pue)  # firm capacity at the peak
    firm_today = (_grid(d, ("source", "period"), d.source_firm_mw, 0) * src_at).sum("source")
    lhs = (it_new - idle) * peak
    m.add_constraints(lhs <= firm_today - peak * ex_it, name="firm_capacity", mask=lhs.has_terms)
    m.add_constraints(install.sum("site") - buy == 0, name="chip_supply", mask=buy_on)
    lhs = alloc.sum("tenant") + (avail * rho) * idle - h100e_new * avail
    m.add_constraints(lhs <= avail * ex_k, name="compute", mask=lhs.has_terms)
    served = alloc.sum("site")
    demand = _grid(d, ("tenant", "period"), d.demand_k, 0)
    m.add_constraints(served + unmet == demand, name="demand_firm", mask=unmet_on)
    m.add_constraints(served <= demand, name="demand", mask=~unmet_on & served.has_terms)
    if d.hours is not None:
        add_hourly(m, d, lambda dims, v, fill: _grid(d, dims, v, fill), power, it_new, idle)
    _contracts(m, d, alloc, h100e_new, avail, ex_k)
    a = d.internal_share_min
    if a > 0:
        internal = xr.DataArray(
            [j in d.internal for j in d.tenants], coords={"tenant": c["tenant"]}
        )
        m.add_constraints(
            (alloc * xr.where(internal, 1 - a, -a)).sum(["site", "tenant"]) >= 0, name="policy"
        )
    m.add_objective(_npv(d, build, buy, power, alloc, unmet, cap, df, site), sense="max")
    return m


def _peak_factor(d: PlanData, pue: xr.DataArray) -> xr.DataArray:
    """``k PUE_s``; with representative days the largest hourly PUE (:func:`twin.plan.firm`)."""
    if d.hours is None:
        return d.peak_to_average * pue
    days = d.hours
    top = [float(pue_profile(days, s, d.pue[s]).max()) for s in d.sites]
    return xr.DataArray(np.array(top), coords=pue.coords, dims=pue.dims)


def _contracts(m, d: PlanData, alloc, h100e_new, avail, ex_k) -> None:
    """Whole-site leases: ``alloc[s,j,p] - c[p] a_s new[s,p] >= c[p] a_s H_existing[s,p]``."""
    for name in sorted({n for n, _ in d.contract_cover}):
        ct = d.contracts[name]
        ps = [p for (n, p) in d.contract_cover if n == name]
        share = xr.DataArray(
            [d.contract_cover[name, p] for p in ps], coords={"period": ps}, dims="period"
        )
        a_s = float(avail.sel(site=ct.site))
        lhs = alloc.sel(site=ct.site, tenant=ct.tenant, period=ps) - h100e_new.sel(
            site=ct.site, period=ps
        ) * (share * a_s)
        m.add_constraints(lhs >= share * (a_s * ex_k.sel(site=ct.site, period=ps)), name=name)


def _npv(d: PlanData, build, buy, power, alloc, unmet, cap, df, site):
    """``sum_p df_p (revenue + internal - carry capex - opex - energy - penalty) + df_T salvage``,
    the objective of :mod:`twin.plan.objective` without its constant (existing capacity's opex);
    purchases (sites, chips) are paid at the period's start: ``carry = (1 + r)^(dt / 2)``."""
    c = _coords(d)
    value = _grid(d, ("site", "tenant", "period"), d.alloc_value_musd_per_k, 0)
    price = _grid(d, ("chip", "period"), d.chip_price_musd_per_k, 0)
    energy = _grid(
        d, ("source", "period"), {k: v * d.dt for k, v in d.energy_musd_per_mw_year.items()}, 0
    )
    pen = xr.DataArray(
        [d.penalty_musd_per_k_year[j] * d.dt for j in d.tenants], coords={"tenant": c["tenant"]}
    )
    site_share = _grid(
        d,
        ("site", "period"),
        {
            (s, p): d.remaining_share(d.online_period(s, p), d.site_life_years[s])
            for s, p in d.build_idx
        },
        0,
    )
    chip_share = _grid(
        d,
        ("chip", "period"),
        {(k, p): d.remaining_share(p, d.chip_life_years[k]) for k, p in d.buy_idx},
        0,
    )
    capex = site(d.capex_mw)
    start = (1 + d.discount_rate) ** (d.dt / 2)  # paid at the period's start, in mid-period money
    flows = (
        (alloc * (value * df)).sum()
        - (build * (capex * df * start)).sum()
        - (buy * (price * df * start)).sum()
        - (cap * (site(d.opex_mw_year) * d.dt * df)).sum()
        - (power * (energy * df)).sum()
        - (unmet * (pen * df)).sum()
    )
    salvage = (build * (site_share * capex * d.df_end)).sum() + (
        buy * (chip_share * price * d.df_end)
    ).sum()
    return flows + salvage
