"""The one place that reads a solved model: primal values and duals -> labelled arrays.

:func:`read_results` returns an :class:`xarray.Dataset` of raw results in report units (MW, chips,
H100e, $M, $/H100e-hour) with dimensions ``site``, ``chip``, ``tenant``, ``source``, ``contract``,
``fab`` and ``period`` (an integer index; the report layer labels it with dates and adds units,
long names and provenance). Variable values are read once per component, vectorised; every money
figure comes from :mod:`twin.plan.economics`.

Marginal values are undiscounted: the dual of a row divided by the period's discount factor and
length (and, for compute, by 8.76 $M per kH100e-year at $1/H100e-hour).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr
from pyomo.core.base.constraint import ConstraintData

from twin.plan import economics as econ
from twin.plan.cash import FLOWS, INFLOWS, OUTFLOWS
from twin.plan.chip_results import chip_results
from twin.plan.data import PlanData
from twin.plan.expressions import capacity, compute_capacity, total_it_load
from twin.plan.hourly_results import hourly_results
from twin.plan.leases import lease_cover_expr, lease_revenue_musd
from twin.plan.orbit import launch_mass_terms
from twin.plan.quantities import reported
from twin.plan.reading import scatter, values_of
from twin.plan.supply_results import supply_results
from twin.plan.traffic_results import traffic_results

__all__ = ["read_results", "values_of"]


def _expression_values(comp: pyo.Expression, known: dict[int, float]) -> np.ndarray:
    """Values of an expression component in its index order: from ``known`` (by ``id``: the
    values the hand-off computed from the solution) where there, else by evaluating it."""
    get = known.get
    return np.fromiter(
        (v if (v := get(id(e))) is not None else pyo.value(e) for e in comp.values()),
        float,
        len(comp),
    )


def _dual_grid(
    duals: dict[ConstraintData, float],
    con: pyo.Constraint | None,
    rows: list[str],
    scale: np.ndarray,
) -> np.ndarray:
    """Duals of a ``(row, period)``-indexed constraint divided by ``scale[p]`` (NaN: no row)."""
    out = np.full((len(rows), len(scale)), np.nan)
    if con is None:
        return out
    row_of = {r: i for i, r in enumerate(rows)}
    for (r, p), c in con.items():
        y = duals.get(c)
        if y is not None and r in row_of:
            out[row_of[r], p] = y / scale[p]
    return out


def _solved_grid(f: Callable[[str, int], Any], rows: list[str], n: int) -> np.ndarray:
    """``value(f(row, p))`` on the ``(row, period)`` grid: the solved value of the expression
    a constraint uses (:mod:`twin.plan.expressions`), read, not re-derived."""
    return np.array([[pyo.value(f(r, p)) for p in range(n)] for r in rows], float).reshape(
        len(rows), n
    )


def _sites(m: pyo.ConcreteModel, d: PlanData, duals: dict) -> dict[str, tuple]:
    """Capacity, builds, IT load, idle power, usable compute and marginal values per site."""
    n, S = d.n_periods, d.sites
    si = {s: i for i, s in enumerate(S)}
    idle = scatter((len(S), n), m.idle.keys(), values_of(m.idle), (si, {}))
    per_year = np.array(d.df) * d.dt
    per_compute = per_year * econ.MUSD_PER_KH100E_YEAR_AT_1USD_HOUR
    orbital = {s for s in d.orbital_sites}
    mv_cap = _dual_grid(duals, m.find_component("it_power"), S, per_year)
    if orbital:
        mv_orb = _dual_grid(duals, m.find_component("orbit_power"), S, per_year)
        rows = [si[s] for s in orbital]
        mv_cap[rows] = mv_orb[rows]
    sp = ("site", "period")
    mv_power = _dual_grid(duals, m.find_component("site_power"), S, per_year)  # hourly: NaN
    return {
        "capacity_mw": (sp, _solved_grid(lambda s, p: capacity(m, d, s, p), S, n)),
        "build_mw": (sp, scatter((len(S), n), m.build.keys(), values_of(m.build), (si, {}))),
        "max_mw": (("site",), np.array([d.max_mw[s] for s in S])),
        "it_load_mw": (sp, _solved_grid(lambda s, p: total_it_load(m, d, s, p), S, n)),
        "idle_mw": (sp, idle),
        "compute_h100e": (sp, _solved_grid(lambda s, p: compute_capacity(m, d, s, p), S, n) * 1e3),
        "marginal_value_compute": (sp, _dual_grid(duals, m.compute, S, per_compute)),
        "marginal_value_capacity": (sp, mv_cap),
        "marginal_value_power": (sp, mv_power),
        "marginal_value_firm": (sp, _dual_grid(duals, m.firm_capacity, S, per_year)),
    }


def _tenants(m: pyo.ConcreteModel, d: PlanData) -> dict[str, tuple]:
    """Allocation, demand and unmet demand."""
    n, S, J = d.n_periods, d.sites, d.tenants
    si, ji = {s: i for i, s in enumerate(S)}, {j: i for i, j in enumerate(J)}
    alloc = scatter((len(S), len(J), n), m.alloc.keys(), values_of(m.alloc), (si, ji, {}))
    demand = np.array([[d.demand_k[j, p] for p in range(n)] for j in J]).reshape(len(J), n)
    # firm tenants: the solved unmet[j,p] of the demand row; price-takers: the slack of their
    # row sum_s alloc <= D (the whole demand where no site can serve them: no row)
    unmet = scatter((len(J), n), m.unmet.keys(), values_of(m.unmet), (ji, {}))
    for (j, p), row in m.demand.items():
        if j not in d.firm:
            unmet[ji[j], p] = max(row.uslack(), 0.0)
    for j in J:
        if j not in d.firm:
            gone = [p for p in range(n) if (j, p) not in m.demand]
            unmet[ji[j], gone] = demand[ji[j], gone]
    return {
        "allocation_h100e": (("site", "tenant", "period"), alloc * 1e3),
        "demand_h100e": (("tenant", "period"), demand * 1e3),
        "unmet_h100e": (("tenant", "period"), unmet * 1e3),
    }


def _contracts(d: PlanData) -> dict[str, tuple]:
    """Share of each period a contract runs (an input); what it earns is the solved
    ``contract_revenue`` expression, read by :func:`_declared`."""
    C = sorted(d.contracts)
    cover = np.zeros((len(C), d.n_periods))
    for (c, p), share in d.contract_cover.items():
        cover[C.index(c), p] = share
    return {"contract_cover": (("contract", "period"), cover)}


def _leases(m: pyo.ConcreteModel, d: PlanData) -> tuple[dict[str, tuple], dict[str, object]]:
    """Decided leases: the share kept past each notice date (dim ``notice``, with the lease, the
    date and the end notice then gives), each lease's cover, and offers taken; none without."""
    leases = d.leases.leases
    if not leases:
        return {}, {}
    rows = [(x, q) for x in leases for q in range(len(x.notice_dates))]
    cover, extra = np.zeros((len(leases), d.n_periods)), np.zeros((len(leases), d.n_periods))
    for i, x in enumerate(leases):
        for t in x.periods:
            cover[i, t] = pyo.value(lease_cover_expr(m, x, t))
            extra[i, t] = cover[i, t] * lease_revenue_musd(d, x, t)
    offers = sorted({o for o, _ in d.leases.take_idx})
    oi = {o: i for i, o in enumerate(offers)}
    taken = scatter(
        (len(offers), d.n_periods), m.offer_take.keys(), values_of(m.offer_take), (oi, {})
    )
    data = {
        "lease_kept": (
            ("notice",),
            np.array([m.lease_keep[x.name, q].value for x, q in rows], float),
        ),
        "lease_cover": (("lease", "period"), cover),
        "lease_extra_revenue_musd": (("lease", "period"), extra),
        "offer_taken": (("offer", "period"), taken),
    }
    coords = {
        "notice_lease": ("notice", np.array([x.name for x, _ in rows], dtype=object)),
        "notice_date": ("notice", np.array([x.notice_dates[q] for x, q in rows], "datetime64[ns]")),
        "notice_end": ("notice", np.array([x.ends[q] for x, q in rows], "datetime64[ns]")),
        "lease": np.array([x.name for x in leases], dtype=object),
        "offer": np.array(offers, dtype=object),
    }
    return data, coords


def _fabs(m: pyo.ConcreteModel, d: PlanData, known: dict) -> dict[str, tuple]:
    """Fab builds, capacity past first wafer (the solved ``fab_capacity`` its opex uses),
    output, attainable output (``fab_top``) and unit cost."""
    fd, n = d.fab, d.n_periods
    fi = {f: i for i, f in enumerate(fd.fabs)}
    shape = (len(fd.fabs), n)
    build = scatter(shape, m.fab_build.keys(), values_of(m.fab_build), (fi, {}))
    made = scatter(shape, m.make.keys(), values_of(m.make), (fi, {}))
    cap = scatter(shape, m.fab_capacity.keys(), _expression_values(m.fab_capacity, known), (fi, {}))
    top = scatter(shape, m.fab_top.keys(), _expression_values(m.fab_top, known), (fi, {}))
    unit = np.full(shape, np.nan)
    for f, i in fi.items():
        unit[i] = econ.fab_unit_cost_usd(
            cap[i],
            made[i],
            fd.capex[f],
            fd.opex_year[f],
            fd.variable_musd_per_k[f],
            fd.life_years[f],
            d.discount_rate,
            d.dt,
        )
    by_chip = np.zeros((len(d.chips), n))
    for f, i in fi.items():
        by_chip[d.chips.index(fd.chip[f])] += made[i]
    fp = ("fab", "period")
    return {
        "chips_made": (("chip", "period"), by_chip * 1e3),
        "fab_build_kwspm": (fp, build),
        "fab_capacity_kwspm": (fp, cap),
        "fab_output_chips": (fp, made * 1e3),
        "fab_max_output_chips": (fp, top * 1e3),
        "fab_unit_cost_usd": (fp, unit),
    }


def _orbit(m: pyo.ConcreteModel, d: PlanData) -> dict[str, tuple]:
    """Sunlight, downlink, launch mass (the solved terms of the launch row) and price, and the
    cost of orbital power."""
    n, geo = d.n_periods, d.orbit
    price = np.array(d.launch_price_usd_per_kg)
    terms = launch_mass_terms(m, d)
    mass = np.array([sum(pyo.value(t) for t in terms[p]) for p in range(n)], float)
    cost = np.full((len(d.sites), n), np.nan)
    for i, s in enumerate(d.sites):
        if s in d.orbital_sites:
            cost[i] = econ.orbital_power_cost_usd_per_kw_year(
                d.capex_mw[s],
                d.specific_mass_t_per_mw[s],
                price,
                d.site_life_years[s],
                geo.sunlit[s],
                d.discount_rate,
            )
    nan = float("nan")
    return {
        "sunlit_fraction": (("site",), np.array([geo.sunlit.get(s, nan) for s in d.sites])),
        "downlink_gbps": (("site",), np.array([geo.downlink_gbps.get(s, nan) for s in d.sites])),
        "orbital_power_cost_usd_per_kw_year": (("site", "period"), cost),
        "launch_mass_t": (("period",), mass),
        "launch_price_usd_per_kg": (("period",), price),
    }


def _cash(m: pyo.ConcreteModel, d: PlanData, known: dict) -> tuple[dict[str, tuple], float, float]:
    """Cash flows per period [$M], their net, the salvage and the NPV they discount to."""
    n = d.n_periods
    cash = _expression_values(m.cash, known).reshape(len(FLOWS), n)  # index (flow, period)
    flows = {f: cash[i] for i, f in enumerate(FLOWS)}
    net = np.sum([flows[f] for f in INFLOWS], axis=0) - np.sum([flows[f] for f in OUTFLOWS], axis=0)
    salvage = float(_expression_values(m.find_component("salvage_value"), known)[0])
    npv = float(np.sum(np.array(d.df) * net) + d.df_end * salvage)
    out: dict[str, tuple] = {f"{f}_musd": (("period",), v) for f, v in flows.items()}
    out["net_cash_musd"] = (("period",), net)
    out["discount_factor"] = (("period",), np.array(d.df))
    return out, salvage, npv


def read_results(
    m: pyo.ConcreteModel,
    d: PlanData,
    duals: dict[ConstraintData, float],
    expressions: dict[int, float] | None = None,
) -> xr.Dataset:
    """Every primal value and dual of a solved model as labelled arrays (module docstring).

    ``expressions`` are values of named expressions already computed from the solution (the
    matrix hand-off gives them all at once); the others are evaluated. Attributes ``npv_musd``
    (the cash flows discounted: equal to the objective) and ``salvage_musd``.
    """
    known = expressions or {}
    sites = _sites(m, d, duals)
    tenants = _tenants(m, d)
    cash, salvage, npv = _cash(m, d, known)
    leases, lease_coords = _leases(m, d)
    supply, supply_coords = supply_results(m, d, sites)
    traffic, traffic_coords = traffic_results(m, d, duals)
    per_year = np.array(d.df) * d.dt
    isl = _dual_grid(duals, m.find_component("isl_capacity"), d.sites, per_year)
    hourly, hourly_coords = hourly_results(m, d, duals)
    data = {
        **sites,
        **chip_results(m, d),
        **tenants,
        **_fabs(m, d, known),
        **_orbit(m, d),
        "marginal_value_isl": (("site", "period"), isl),
        **_contracts(d),
        **leases,
        **cash,
        **supply,
        **traffic,
        **hourly,
    }
    coords = {
        "period": np.arange(d.n_periods),
        "site": np.array(d.sites, dtype=object),
        "chip": np.array(d.chips, dtype=object),
        "tenant": np.array(d.tenants, dtype=object),
        "source": np.array(d.sources, dtype=object),
        "contract": np.array(sorted(d.contracts), dtype=object),
        "fab": np.array(d.fab.fabs, dtype=object),
        **lease_coords,
        **supply_coords,
        **traffic_coords,
        **hourly_coords,
        "block": np.arange(d.n_blocks),
    }
    data |= _declared(m, data, coords)
    return xr.Dataset(data, coords=coords, attrs={"npv_musd": npv, "salvage_musd": salvage})


def _declared(m: pyo.ConcreteModel, data: dict, coords: dict) -> dict[str, tuple]:
    """The records of :mod:`twin.plan.quantities` with a ``component`` not read above: the
    solved values of the component (a ``Var`` or ``Expression`` indexed by the record's dims in
    order) times its ``scale``, 0 where an index is absent (a sparse family)."""
    out: dict[str, tuple] = {}
    for q in reported():
        comp = m.component(q.component) if q.component and q.name not in data else None
        if comp is None:
            continue
        labels = [np.asarray(c[1] if isinstance(c := coords[d], tuple) else c) for d in q.dims]
        axes = [{k: i for i, k in enumerate(lab.tolist())} for lab in labels]
        keys = [k if isinstance(k, tuple) else (k,) for k in comp]
        values = np.fromiter(
            (np.nan if (v := pyo.value(c, exception=False)) is None else v for c in comp.values()),
            float,
            len(comp),
        )
        grid = scatter(tuple(len(lab) for lab in labels), keys, values * q.scale, axes)
        out[q.name] = (q.dims, grid)
    return out
