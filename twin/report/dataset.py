"""A solved plan as an xarray Dataset with CF-style units and long names, and provenance.

Dimensions: ``period`` (start date of each period), ``site``, ``chip``, ``tenant``, ``source``
(power sources), ``contract``. Compute is reported in H100e (the model works in thousands), chips
in chips, power in MW, money in $M (real, base-year). Marginal values are undiscounted: the dual of
a row divided by the period's discount factor and length.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import time

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from twin.plan import Plan
from twin.plan.chips import chip_life
from twin.plan.compute import compute_capacity_expr
from twin.plan.data import MUSD_PER_KH100E_YEAR_AT_1USD_HOUR, contract_price_factor
from twin.plan.facility import capacity_expr
from twin.plan.objective import FLOWS, INFLOWS, OUTFLOWS
from twin.plan.power import existing_it_mw, idle_term, it_load_expr

SCHEMA_VERSION = "1"

#: name -> (units, long_name) of every data variable; the README's schema table comes from here.
VARIABLES: dict[str, tuple[str, str]] = {
    "capacity_mw": ("MW", "IT capacity online"),
    "build_mw": ("MW", "IT capacity whose construction starts in the period"),
    "max_mw": ("MW", "largest IT capacity the site can hold"),
    "it_load_mw": ("MW", "IT power drawn by running chips"),
    "idle_mw": ("MW", "IT power of installed chips left switched off"),
    "chips_active": ("1", "chips in service (installed, within their life)"),
    "chips_installed": ("1", "chips installed in the period by the plan"),
    "chips_bought": ("1", "chips bought from the vendor"),
    "chips_vendor_cap": ("1", "vendor allocation available (inf: unlimited)"),
    "chip_unit_cost_usd": ("USD", "vendor price per chip paid in the period"),
    "compute_h100e": ("H100e", "usable compute (availability applied)"),
    "allocation_h100e": ("H100e", "compute served to the tenant from the site"),
    "demand_h100e": ("H100e", "tenant demand"),
    "unmet_h100e": ("H100e", "demand not served"),
    "power_mw": ("MW", "average power drawn from the source"),
    "power_limit_mw": ("MW", "firm limit of the source (limit x capacity credit)"),
    "chips_made": ("1", "chips made in own fabs"),
    "fab_build_kwspm": ("1e3 wafer/month", "fab capacity whose construction starts"),
    "fab_capacity_kwspm": ("1e3 wafer/month", "fab capacity past its first wafer"),
    "fab_output_chips": ("1", "good chips made by the fab"),
    "fab_max_output_chips": ("1", "good chips the fab could make (ramp x yield)"),
    "fab_unit_cost_usd": (
        "USD",
        "fab cost per good chip: (capex annuity + opex) / chips + variable",
    ),
    "sunlit_fraction": ("1", "share of time an orbital site's shell is sunlit (NaN: ground)"),
    "downlink_gbps": ("Gbit/s", "downlink capacity of an orbital site (NaN: ground)"),
    "orbital_power_cost_usd_per_kw_year": (
        "USD/(kW yr)",
        "cost of a kW of sunlit orbital power built in the period: "
        "(hardware + launch) / (life x sunlit fraction)",
    ),
    "launch_mass_t": ("t", "mass launched to orbit"),
    "launch_price_usd_per_kg": ("USD/kg", "launch price"),
    "contract_cover": ("1", "share of the period the contract runs"),
    "contract_revenue_musd": ("USD 1e6", "revenue earned under the contract"),
    "discount_factor": ("1", "discount factor (1+r)^-(t+dt/2) at mid-period"),
    "marginal_value_compute": ("USD/(H100e h)", "marginal value of one H100e-hour at the site"),
    "marginal_value_capacity": ("USD 1e6/(MW yr)", "marginal value of one MW of IT capacity"),
    "marginal_value_power": ("USD 1e6/(MW yr)", "marginal value of one MW of firm power supply"),
    **{f"{f}_musd": ("USD 1e6", f"{f.replace('_', ' ')} cash flow in the period") for f in FLOWS},
    "net_cash_musd": ("USD 1e6", "inflows minus outflows in the period"),
}


def _versions() -> str:
    out = {}
    for pkg in ("twin", "pyomo", "highspy", "xarray", "numpy", "networkx", "skyfield", "netCDF4"):
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return json.dumps(out, sort_keys=True)


def _val(x: object) -> float:
    return float(pyo.value(x)) if not isinstance(x, int | float) else float(x)


def _dual(plan: Plan, con: pyo.Constraint, idx: object, scale: float) -> float:
    if idx not in con:
        return np.nan
    y = plan.result.duals.get(con[idx])
    return np.nan if y is None else y / scale


def _fab_report(plan: Plan, bought: np.ndarray) -> tuple[dict, dict]:
    """Fab variables (dims ``fab``, ``period``) and chips made per generation."""
    m, d = plan.model, plan.data
    fd = m.fab_data
    n, fabs = d.n_periods, fd.fabs
    build, cap, made, top = (np.zeros((len(fabs), n)) for _ in range(4))
    for i, f in enumerate(fabs):
        for (b, p), x in m.fab_build.items():
            if b == f:
                build[i, p] = _val(x)
                cap[i, p + fd.lead[f] :] += build[i, p]
        for (b, p), x in m.make.items():
            if b == f:
                made[i, p] = _val(x)
        for (b, pb, q), coef in fd.output.items():
            if b == f:
                top[i, q] += coef * build[i, pb]
    r = plan.spec.model.economics.discount_rate
    unit = np.full((len(fabs), n), np.nan)
    for i, f in enumerate(fabs):
        life = fd.life_years[f]
        annuity = r / (1 - (1 + r) ** -life) if r > 0 else 1 / life
        fixed = cap[i] * (fd.capex[f] * annuity + fd.opex_year[f]) * d.dt
        ok = made[i] > 1e-9
        unit[i, ok] = (fixed[ok] / made[i, ok] + fd.variable_musd_per_k[f]) * 1e3
    by_chip = np.zeros_like(bought)
    for i, f in enumerate(fabs):
        by_chip[d.chips.index(fd.chip[f])] += made[i]
    fp = ("fab", "period")
    return (
        {
            "chips_made": (("chip", "period"), by_chip * 1e3),
            "fab_build_kwspm": (fp, build),
            "fab_capacity_kwspm": (fp, cap),
            "fab_output_chips": (fp, made * 1e3),
            "fab_max_output_chips": (fp, top * 1e3),
            "fab_unit_cost_usd": (fp, unit),
        },
        {
            "fab": np.array(fabs, dtype=object),
            "fab_chip": ("fab", np.array([fd.chip[f] for f in fabs], dtype=object)),
        },
    )


def _orbit_report(plan: Plan) -> dict:
    """Sunlight, downlink, launch mass and price, and the cost of orbital power."""
    from twin.plan.orbit import launch_price_path, specific_mass

    m, d, model = plan.model, plan.data, plan.spec.model
    geo = d.extra["orbit"]
    n = d.n_periods
    price = np.array(launch_price_path(d, model))
    mass = np.zeros(n)
    cost = np.full((len(d.sites), n), np.nan)
    for (s, p), x in m.build.items():
        if s in d.orbital_sites:
            mass[p] += specific_mass(model, s) * _val(x)
    for i, s in enumerate(d.sites):
        if s in d.orbital_sites:
            per_mw = d.capex_mw[s] + price / 1e3 * specific_mass(model, s)  # $M/MW
            cost[i] = per_mw * 1e6 / 1e3 / (d.site_life_years[s] * geo.sunlit[s])
    nan = float("nan")
    return {
        "sunlit_fraction": (("site",), np.array([geo.sunlit.get(s, nan) for s in d.sites])),
        "downlink_gbps": (("site",), np.array([geo.downlink_gbps.get(s, nan) for s in d.sites])),
        "orbital_power_cost_usd_per_kw_year": (("site", "period"), cost),
        "launch_mass_t": (("period",), mass),
        "launch_price_usd_per_kg": (("period",), price),
    }


def to_dataset(plan: Plan) -> xr.Dataset:
    """The report of a solved :class:`~twin.plan.Plan` (see module docstring)."""
    t0 = time.perf_counter()
    m, d, spec = plan.model, plan.data, plan.spec
    S, K, J, P = d.sites, d.chips, d.tenants, range(d.n_periods)
    G = d.sources
    C = sorted({c for (c, _) in d.contract_cover})

    def grid(shape: tuple[int, ...], fill: float = 0.0) -> np.ndarray:
        return np.full(shape, fill, dtype=float)

    cap, build, it, idle = (grid((len(S), d.n_periods)) for _ in range(4))
    comp, mv_c, mv_cap, mv_pow = (
        grid((len(S), d.n_periods)),
        *(grid((len(S), d.n_periods), np.nan) for _ in range(3)),
    )
    for i, s in enumerate(S):
        for p in P:
            cap[i, p] = _val(capacity_expr(m, d, s, p))
            build[i, p] = _val(m.build[s, p]) if (s, p) in m.build else 0.0
            idle[i, p] = _val(idle_term(m, s, p))
            it[i, p] = existing_it_mw(d, s, p) - idle[i, p] + _val(it_load_expr(m, d, s, p))
            comp[i, p] = _val(compute_capacity_expr(m, d, s, p)) * 1e3
            per_year = d.df[p] * d.dt
            mv_c[i, p] = _dual(
                plan, m.compute, (s, p), per_year * MUSD_PER_KH100E_YEAR_AT_1USD_HOUR
            )
            con = m.orbit_power if s in d.orbital_sites else m.it_power
            mv_cap[i, p] = _dual(plan, con, (s, p), per_year)
            mv_pow[i, p] = _dual(plan, m.site_power, (s, p), per_year)
    active, installed = grid((len(S), len(K), d.n_periods)), grid((len(S), len(K), d.n_periods))
    for i, s in enumerate(S):
        for a, k in enumerate(K):
            for p in P:
                active[i, a, p] = d.existing_chips_k.get((s, k, p), 0.0)
            for q in m.installs_of.get((s, k), ()):
                x = _val(m.install[s, k, q])
                installed[i, a, q] = x
                active[i, a, q : min(d.n_periods, q + chip_life(d, s, k))] += x
    bought, vcap, unit = (
        grid((len(K), d.n_periods)),
        grid((len(K), d.n_periods), np.nan),
        grid((len(K), d.n_periods), np.nan),
    )
    for a, k in enumerate(K):
        for p in P:
            if (k, p) in m.buy:
                bought[a, p] = _val(m.buy[k, p])
                vcap[a, p] = d.vendor_cap_k[k, p]
                if d.vendor_cap_k[k, p] > 0:  # a chip the vendor does not sell has no price
                    unit[a, p] = d.chip_price_musd_per_k[k, p] * 1e3
    alloc = grid((len(S), len(J), d.n_periods))
    for (s, j, p), x in m.alloc.items():
        alloc[S.index(s), J.index(j), p] = _val(x)
    demand = np.array([[d.demand_k[j, p] for p in P] for j in J]).reshape(len(J), d.n_periods)
    unmet = demand - alloc.sum(axis=0)
    power, plim = grid((len(G), d.n_periods)), grid((len(G), d.n_periods))
    for b, g in enumerate(G):
        for p in P:
            power[b, p] = _val(m.power[g, p])
            plim[b, p] = d.source_firm_mw[g, p]
    cover, crev = grid((len(C), d.n_periods)), grid((len(C), d.n_periods))
    contracts = spec.model.contracts
    for c_i, c in enumerate(C):
        con = contracts[c]
        for p in P:
            share = d.contract_cover.get((c, p), 0.0)
            cover[c_i, p] = share
            if share == 0:
                continue
            if con.price_usd_per_mw_month is not None:
                s = con.site
                crev[c_i, p] = d.mw_month_revenue[c, p] * it[S.index(s), p]
            else:
                price = (
                    con.price_usd_per_h100e_hour
                    * contract_price_factor(con, d.periods[p], d.dt)
                    * share
                    * MUSD_PER_KH100E_YEAR_AT_1USD_HOUR
                    * d.dt
                )
                crev[c_i, p] = sum(
                    price * _val(x)
                    for s, x in m.allocs_to.get((con.tenant, p), ())
                    if con.site is None or s == con.site
                )
    fab_vars, fab_coords = _fab_report(plan, bought)
    orbit_vars = _orbit_report(plan)
    flows = {f: np.array([_val(m.cash[f, p]) for p in P]) for f in FLOWS}
    net = sum(flows[f] for f in INFLOWS) - sum(flows[f] for f in OUTFLOWS)
    salvage = _val(m.salvage_value)

    k3 = ("site", "chip", "period")
    ds = xr.Dataset(
        {
            "capacity_mw": (("site", "period"), cap),
            "build_mw": (("site", "period"), build),
            "max_mw": (("site",), np.array([d.max_mw[s] for s in S])),
            "it_load_mw": (("site", "period"), it),
            "idle_mw": (("site", "period"), idle),
            "chips_active": (k3, active * 1e3),
            "chips_installed": (k3, installed * 1e3),
            "chips_bought": (("chip", "period"), bought * 1e3),
            "chips_vendor_cap": (("chip", "period"), vcap * 1e3),
            "chip_unit_cost_usd": (("chip", "period"), unit),
            "compute_h100e": (("site", "period"), comp),
            "allocation_h100e": (("site", "tenant", "period"), alloc * 1e3),
            "demand_h100e": (("tenant", "period"), demand * 1e3),
            "unmet_h100e": (("tenant", "period"), np.maximum(unmet, 0.0) * 1e3),
            "power_mw": (("source", "period"), power),
            "power_limit_mw": (("source", "period"), plim),
            **fab_vars,
            **orbit_vars,
            "contract_cover": (("contract", "period"), cover),
            "contract_revenue_musd": (("contract", "period"), crev),
            "discount_factor": (("period",), np.array(d.df)),
            "marginal_value_compute": (("site", "period"), mv_c),
            "marginal_value_capacity": (("site", "period"), mv_cap),
            "marginal_value_power": (("site", "period"), mv_pow),
            **{f"{f}_musd": (("period",), v) for f, v in flows.items()},
            "net_cash_musd": (("period",), net),
        },
        coords={
            "period": np.array(d.periods, dtype="datetime64[ns]"),
            "site": np.array(S, dtype=object),
            "chip": np.array(K, dtype=object),
            "chip_h100e": ("chip", np.array([d.h100e[k] for k in K])),
            "chip_kw": ("chip", np.array([d.kw[k] for k in K])),
            "tenant": np.array(J, dtype=object),
            "source": np.array(G, dtype=object),
            "contract": np.array(C, dtype=object),
            **fab_coords,
            "site_kind": ("site", np.array([spec.model.sites[s].kind for s in S], dtype=object)),
            "tenant_kind": (
                "tenant",
                np.array([spec.model.tenants[j].kind for j in J], dtype=object),
            ),
            "source_site": ("source", np.array([d.source_site[g] for g in G], dtype=object)),
            "source_kind": (
                "source",
                np.array([spec.model.power_sources[g].kind for g in G], dtype=object),
            ),
        },
    )
    for name, (units, long_name) in VARIABLES.items():
        if name in ds:
            ds[name].attrs.update(units=units, long_name=long_name)
    ds["period"].attrs.update(long_name="start of the planning period")
    npv = float(np.sum(ds["discount_factor"].values * net) + d.df_end * salvage)
    res = plan.result
    files = spec.files
    ds.attrs.update(
        title=f"twin plan: {spec.model.name}" + (f" / {spec.scenario}" if spec.scenario else ""),
        Conventions="CF-1.10",
        schema_version=SCHEMA_VERSION,
        model_name=spec.model.name,
        scenario=spec.scenario or "",
        overrides=json.dumps([[k, str(v)] for k, v in spec.overrides]),
        npv_musd=npv,
        objective_musd=float(res.objective),
        salvage_musd=salvage,
        discount_factor_end=float(d.df_end),
        discount_rate=float(spec.model.economics.discount_rate),
        period_years=float(d.dt),
        horizon_end=d.horizon_end.isoformat(),
        solver="HiGHS via Pyomo",
        solver_status=res.status,
        termination_condition="optimal" if res.optimal else res.status,
        is_mip=int(res.is_mip),
        mip_gap=float(res.gap),
        objective_bound_musd=float(res.bound),
        n_columns=int(res.size.get("columns", 0)),
        n_rows=int(res.size.get("rows", 0)),
        n_nonzeros=int(res.size.get("nonzeros", 0)),
        coefficient_ranges=json.dumps(res.ranges),
        geometry_s=float(plan.times.get("geometry_s", 0.0)),
        build_s=float(plan.times.get("build_s", np.nan)),
        handoff_s=float(plan.times.get("handoff_s", np.nan)),
        solve_s=float(plan.times.get("solve_s", np.nan)),
        model_file=str(spec.path),
        model_sha256=files.get(str(spec.path), ""),
        input_sha256=json.dumps(files, sort_keys=True),
        package_versions=_versions(),
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    ds.attrs["report_s"] = time.perf_counter() - t0
    return ds
