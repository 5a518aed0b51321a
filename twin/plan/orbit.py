"""Orbital sites: capacity that needs launched mass, runs on sunlight and wears out.

An orbital site is a share of a shell. Its IT capacity built in p' is online from ``p' + L_s`` for
the satellites' lifetime (then it must be rebuilt); a MW needs ``mu_s`` tonnes launched at the
build, at the year's launch price; its IT load is capped by solar power, ``sunlit_s x cap[s,p]``
(no grid, no PUE cooling term); and work that needs bandwidth is capped by the downlink,
``sum_j b_j alloc[s,j,p] <= sum_stations contact(shell, station) x link rate``.
Geometry (sunlit fraction, contact fractions, latency) comes from :mod:`twin.orbit`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from twin.plan import elastic
from twin.plan.data import PlanData
from twin.plan.facility import capacity_terms
from twin.plan.power import it_load_expr
from twin.plan.rows import sparse_rule
from twin.spec.schema import Model


@dataclass
class OrbitGeometry:
    """Per orbital site: sunlit fraction [-], downlink [Gbit/s], latency to tenants [ms]."""

    sunlit: dict[str, float] = field(default_factory=dict)
    downlink_gbps: dict[str, float] = field(default_factory=dict)
    latency_ms: dict[tuple[str, str], float] = field(default_factory=dict)
    geometry: xr.Dataset | None = None


def orbit_geometry(model: Model) -> OrbitGeometry:
    """Geometry of the shells that enabled orbital sites use (empty when there are none).

    Latency from tenant j to orbital site s is the best, over ground stations, of fiber from the
    tenant to the station plus the shell's mean one-way latency to that station.
    """
    from twin.graph import fiber_latency_ms, great_circle_km
    from twin.orbit import shell_geometry

    sites = {n: s for n, s in model.sites.items() if s.enabled and s.kind == "orbital"}
    out = OrbitGeometry()
    if not sites:
        return out
    shells = {s.shell: model.orbit.shells[s.shell] for s in sites.values()}
    stations = model.orbit.ground_stations
    ds = shell_geometry(shells, stations, model.orbit.window)
    out.geometry = ds
    for name, site in sites.items():
        sh = ds.sel(shell=site.shell)
        out.sunlit[name] = float(sh["sunlit_fraction"])
        rate = min(
            model.orbit.link_gbps_per_contact, model.orbit.shells[site.shell].downlink_gbps_per_sat
        )
        out.downlink_gbps[name] = float(sh["contact_fraction"].sum()) * rate
        for tname, t in model.tenants.items():
            best = math.inf
            for st_name, st in stations.items():
                space = float(sh["mean_latency_ms"].sel(station=st_name))
                if not np.isfinite(space):
                    continue
                ground = fiber_latency_ms(
                    great_circle_km(t.lat_deg, t.lon_deg, st.lat_deg, st.lon_deg)
                )
                best = min(best, ground + space)
            out.latency_ms[name, tname] = best
    return out


def launch_price_usd_per_kg(path: dict[int, float], year: float) -> float:
    """Launch price at ``year`` from a path {year: $/kg}: linear between points, flat beyond."""
    if not path:
        return 0.0
    years = sorted(path)
    return float(np.interp(year, years, [path[y] for y in years]))


def define_orbit_constraints(m: pyo.ConcreteModel, d: PlanData, model: Model) -> None:
    """Orbital families (rows exist only for enabled orbital sites):

    - ``orbit_power[s,p]``: ``IT_new[s,p] <= sunlit_s x cap[s,p]`` (solar only);
    - ``orbit_max[s,p]``: ``cap[s,p] <= max_mw[s]`` (capacity retires, so per period);
    - ``downlink[s,p]``: ``sum_j b_j alloc[s,j,p] <= D_s`` [Gbit/s];
    - ``launch_capacity[p]``: ``sum_s mu_s build[s,p] <= launch capacity x dt`` [t].
    """
    geo: OrbitGeometry = d.extra["orbit"]
    sites = d.orbital_sites
    idx = [(s, p) for s in sites for p in range(d.n_periods)]
    m.orbit_power = pyo.Constraint(
        idx,
        rule=sparse_rule(
            "orbit_power",
            lambda m, s, p: (
                it_load_expr(m, d, s, p) - geo.sunlit[s] * sum(capacity_terms(m, d, s, p)) <= 0
            ),
        ),
    )
    m.orbit_max = pyo.Constraint(
        idx,
        rule=sparse_rule(
            "orbit_max",
            lambda m, s, p: (
                sum(capacity_terms(m, d, s, p)) <= d.max_mw[s] + elastic.slack(m, "orbit_max", s, p)
            ),
        ),
    )
    bw = {j: model.tenants[j].bandwidth_gbps_per_k_h100e for j in d.tenants}

    def downlink(m: pyo.ConcreteModel, s: str, p: int) -> object:
        used = [bw[j] * x for j, x in m.allocs_at.get((s, p), ()) if bw[j] > 0]
        return sum(used) <= geo.downlink_gbps[s] if used else True

    m.downlink = pyo.Constraint(idx, rule=sparse_rule("downlink", downlink))
    cap = model.orbit.launch_capacity_t_per_year
    mass = launch_mass_terms(m, d, model)
    if cap is not None:
        m.launch_capacity = pyo.Constraint(
            [p for p in range(d.n_periods) if mass[p]],
            rule=lambda m, p: sum(mass[p]) <= cap * d.dt + elastic.slack(m, "launch", "*", p),
        )


def launch_mass_terms(m: pyo.ConcreteModel, d: PlanData, model: Model) -> dict[int, list]:
    """Tonnes launched per period: ``mu_s x build[s,p]`` for orbital sites [t]."""
    mass: dict[int, list] = {p: [] for p in range(d.n_periods)}
    for (s, p), x in m.build.items():
        if s in d.orbital_sites:
            mass[p].append(specific_mass(model, s) * x)
    return mass


def specific_mass(model: Model, site: str) -> float:
    """Launched mass per MW of the site's shell [t/MW]."""
    return model.orbit.shells[model.sites[site].shell].specific_mass_t_per_mw


def launch_price_path(d: PlanData, model: Model) -> list[float]:
    """Launch price at each period's mid-point [$/kg]."""
    return [
        launch_price_usd_per_kg(
            model.orbit.launch_usd_per_kg,
            d.periods[p].year + (d.periods[p].timetuple().tm_yday - 1) / 365.25 + d.dt / 2,
        )
        for p in range(d.n_periods)
    ]


def add_orbit_flows(m: pyo.ConcreteModel, d: PlanData, model: Model) -> None:
    """Launch spend ``price[p] x 1000 kg/t x mass / 1e6`` [$M] in the ``launch`` flow, and the
    remaining share of it in the salvage."""
    price = launch_price_path(d, model)
    for (s, p), x in m.build.items():
        if s not in d.orbital_sites:
            continue
        cost = price[p] / 1e3 * specific_mass(model, s)  # $M per MW
        m.flow_terms["launch"][p].append(cost * x)
        share = d.remaining_share(d.online_period(s, p), d.site_life_years[s])
        if share > 0:
            m.salvage_terms.append(share * cost * x)
