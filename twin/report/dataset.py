"""A solved plan as an xarray Dataset with CF-style units and long names, and provenance.

Dimensions: ``period`` (start date of each period), ``site``, ``chip``, ``tenant``, ``source``
(power sources), ``contract``. Compute is reported in H100e (the model works in thousands), chips
in chips, power in MW, money in $M (real, base-year); the units attributes follow
:mod:`twin.units` (CF ``units`` plus the domain quantity in ``twin_units``). Marginal values
are undiscounted: the dual of a row divided by the period's discount factor and length.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import time
from typing import TYPE_CHECKING

import numpy as np
import xarray as xr

from twin.plan import Plan
from twin.plan.data import PlanData
from twin.plan.end_effects import reported as reported_horizon
from twin.plan.quantities import reported
from twin.plan.results import read_results
from twin.report.cf import annotate
from twin.report.idle import idle_assets

if TYPE_CHECKING:
    from twin.spec.spec import Spec

SCHEMA_VERSION = "2"

#: name -> (units, long_name) of every built-in data variable, from the declared records of
#: :mod:`twin.plan.quantities` (the report itself reads the registry when it is built, so
#: registered families appear too).
VARIABLES: dict[str, tuple[str, str]] = {q.name: (q.unit, q.long_name) for q in reported()}


def _versions() -> str:
    out = {}
    for pkg in ("twin", "pyomo", "highspy", "xarray", "numpy", "networkx", "skyfield", "netCDF4"):
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return json.dumps(out, sort_keys=True)


def _supply_coords(spec: Spec, sites: list[str], chips: list[str]) -> dict:
    """Region of each candidate tranche site (empty: a named site) and whether each chip is
    extrapolated from the roadmap's trend."""
    m = spec.model
    return {
        "site_region": ("site", np.array([m.sites[s].region or "" for s in sites], dtype=object)),
        "chip_extrapolated": ("chip", np.array([m.chips[k].extrapolated for k in chips], bool)),
        "chip_w_per_h100e": (
            "chip",
            np.array([1e3 * m.chips[k].kw / m.chips[k].h100e for k in chips], dtype=float),
        ),
    }


def _site_lat_lon(spec: Spec, sites: list[str]) -> dict:
    """Latitude and longitude of each site [deg] (NaN for orbital sites)."""
    nan = float("nan")
    ss = [spec.model.sites[s] for s in sites]
    lat = [nan if x.lat_deg is None else x.lat_deg for x in ss]
    lon = [nan if x.lon_deg is None else x.lon_deg for x in ss]
    return {"site_lat_deg": ("site", np.array(lat)), "site_lon_deg": ("site", np.array(lon))}


def _horizon_end(d: PlanData) -> dt.date:
    """End of the reported horizon: the start of the first buffer period, or the solved end."""
    return d.periods[d.n_reported] if d.n_reported < d.n_periods else d.horizon_end


def _tenant_coords(spec: Spec, tenants: list[str]) -> dict:
    """Each tenant's kind and workload, as coordinates on ``tenant``."""
    t = spec.model.tenants
    return {
        "tenant_kind": ("tenant", np.array([t[j].kind for j in tenants], dtype=object)),
        "tenant_workload": ("tenant", np.array([t[j].workload for j in tenants], dtype=object)),
    }


def _check_plan(plan: object) -> None:
    """``plan`` is a :class:`~twin.plan.Plan` (None raised AttributeError before)."""
    if not isinstance(plan, Plan):
        from twin.spec.errors import SpecError

        raise SpecError("plan", repr(plan)[:80], "expected a solved plan (twin.plan(spec))")


def to_dataset(plan: Plan) -> xr.Dataset:
    """The report of a solved :class:`~twin.plan.Plan` (see module docstring): the labelled
    results of :func:`twin.plan.results.read_results`, with dates, units, long names and
    provenance. Anything but a :class:`~twin.plan.Plan` is a :class:`SpecError` naming
    ``plan``."""
    _check_plan(plan)
    t0 = time.perf_counter()
    m, d, spec = plan.model, plan.data, plan.spec
    raw, end = reported_horizon(read_results(m, d, plan.result.duals, plan.result.expressions), d)
    fd = d.fab
    ds = raw.assign_coords(
        period=np.array(d.periods[: d.n_reported], dtype="datetime64[ns]"),
        chip_h100e=("chip", np.array([d.h100e[k] for k in d.chips])),
        chip_kw=("chip", np.array([d.kw[k] for k in d.chips])),
        fab_chip=("fab", np.array([fd.chip[f] for f in fd.fabs], dtype=object)),
        site_kind=("site", np.array([spec.model.sites[s].kind for s in d.sites], dtype=object)),
        site_pue=("site", np.array([d.pue[s] for s in d.sites], dtype=float)),
        **_site_lat_lon(spec, d.sites),
        **_supply_coords(spec, d.sites, d.chips),
        **_tenant_coords(spec, d.tenants),
        source_site=("source", np.array([d.source_site[g] for g in d.sources], dtype=object)),
        source_kind=(
            "source",
            np.array([spec.model.power_sources[g].kind for g in d.sources], dtype=object),
        ),
    )
    parts = ("after_horizon_musd", "buffer_cash_musd", "end_credit_musd")
    ds = ds.assign({k: end[k] for k in parts} | {"npv_musd": raw.attrs["npv_musd"]})
    records = [q for q in reported() if q.name in ds]
    ds = ds[[q.name for q in records]]
    ds.attrs = {}
    npv = raw.attrs["npv_musd"]
    for q in records:
        ds[q.name].attrs.update(units=q.unit, long_name=q.long_name)
    ds["period"].attrs.update(long_name="start of the planning period")
    res = plan.result
    files = spec.files
    ds.attrs.update(
        title=f"twin plan: {spec.model.name}" + (f" / {spec.scenario}" if spec.scenario else ""),
        schema_version=SCHEMA_VERSION,
        model_name=spec.model.name,
        scenario=spec.scenario or "",
        overrides=json.dumps([[k, str(v)] for k, v in spec.overrides]),
        npv_musd=npv,
        objective_musd=float(res.objective),
        salvage_musd=end["after_horizon_musd"],  # NPV = sum_p df_p net_p + df_end x salvage
        **end,
        end_effects=spec.model.horizon.end_effects,
        buffer_years=int(spec.model.horizon.solved_years - spec.model.horizon.years),
        buffer_end=spec.model.horizon.buffer_end,
        solved_horizon_end=d.horizon_end.isoformat(),
        discount_rate=float(d.discount_rate),
        money_base_year=int(spec.model.economics.base_year),
        period_years=float(d.dt),
        horizon_end=_horizon_end(d).isoformat(),
        solver=res.route,
        foresight=spec.model.solver.foresight,
        solver_status=res.status,
        termination_condition="optimal" if res.optimal else res.status,
        optimal=int(res.optimal),  # 0: a feasible plan the solver did not prove optimal
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
        package_versions=_versions(),
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    ds.attrs["idle_assets"] = "; ".join(idle_assets(ds))  # halls, projects idle > 2 years
    annotate(ds, model_file=spec.path, files=files, action=f"solved {ds.attrs['title']}")
    ds.attrs["report_s"] = time.perf_counter() - t0
    return ds
