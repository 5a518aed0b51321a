"""Results of the supply-side families, read with :mod:`twin.plan.results`: power projects,
emissions and water, facility MW, and why each candidate site was built or not.

Facility MW is IT MW times the site's PUE: published per-GW figures (Epoch AI's ~$38B per GW,
"Colossus 2 is ~1 GW") usually mean facility power, twin's ``capacity_mw`` means IT power.

``site_build_gain_musd_per_mw`` is the present value of one more MW built at the site's earliest
start q, priced at the plan's marginal values of IT capacity ``mv``:
``sum_{p >= q + L} df_p dt (mv_p - opex) - df_q capex + df_T salvage share x capex``; about 0
where the plan builds short of the ceiling, > 0 where the ceiling binds, <= 0 where it does not
build. ``site_cost_musd_per_mw_year`` is ``capex x CRF(r, life) + opex``.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from twin.plan import economics as econ
from twin.plan.clean_power import clean_scores
from twin.plan.data import PlanData
from twin.plan.emissions import co2_kt, nox_t, water_ml

__all__ = ["supply_results"]


def _v(x: object) -> float:
    return float(pyo.value(x)) if not isinstance(x, int | float) else float(x)


def _projects(m: pyo.ConcreteModel, d: PlanData) -> dict[str, tuple]:
    pb, S, n = d.power_build, d.sites, d.n_periods
    G = list(pb.projects)
    si, gi = {s: i for i, s in enumerate(S)}, {g: i for i, g in enumerate(G)}
    build, draw = (np.zeros((len(S), len(G), n)) for _ in range(2))
    for s, g, p in pb.build_idx:
        build[si[s], gi[g], p] = _v(m.power_build[s, g, p])
    for s, g, p in pb.draw_idx:
        draw[si[s], gi[g], p] = _v(m.power_draw[s, g, p])
    sgp = ("site", "project", "period")
    permit = np.array([pb.max_mw_per_site[g] for g in G])
    return {
        "power_permit_mw": (("project",), permit),
        "power_build_mw": (sgp, build),
        "power_draw_mw": (sgp, draw),
    }


def _reserve(m: pyo.ConcreteModel, d: PlanData) -> dict[str, tuple]:
    """``firm / peak - 1`` from the solved firm-capacity and peak-load expressions
    (:mod:`twin.plan.firm`); NaN where a site has no load."""
    out = np.full((len(d.sites), d.n_periods), np.nan)
    si = {s: i for i, s in enumerate(d.sites)}
    for (s, p), peak in m.peak_load_mw.items():
        load = _v(peak)
        if load > 1e-9:
            out[si[s], p] = _v(m.firm_capacity_mw[s, p]) / load - 1.0
    return {"reserve_margin": (("site", "period"), out)}


def _sources(d: PlanData) -> dict[str, tuple]:
    """Today's sources: energy limit (limit x capacity factor; 0 for storage) and firm capacity
    (limit x credit) [MW]; what they supply is ``power_mw``, read from ``power`` generically."""
    n, G = d.n_periods, d.sources
    limit = np.array([[d.source_energy_mw.get((g, p), 0.0) for p in range(n)] for g in G])
    firm = np.array([[d.source_firm_mw[g, p] for p in range(n)] for g in G])
    return {
        "power_limit_mw": (("source", "period"), limit.reshape(len(G), n)),
        "source_firm_mw": (("source", "period"), firm.reshape(len(G), n)),
    }


def _environment(m: pyo.ConcreteModel, d: PlanData) -> dict[str, tuple]:
    n = d.n_periods
    grids = {k: np.zeros((len(d.sites), n)) for k in ("co2_kt", "nox_t", "water_ml")}
    for i, s in enumerate(d.sites):
        if s in d.orbital_sites:
            continue
        for p in range(n):
            grids["co2_kt"][i, p] = _v(co2_kt(m, d, s, p))
            grids["nox_t"][i, p] = _v(nox_t(m, d, s, p))
            grids["water_ml"][i, p] = _v(water_ml(m, d, s, p))
    return {k: (("site", "period"), v) for k, v in grids.items()}


def _site_choices(d: PlanData, mv_capacity: np.ndarray) -> tuple[dict, np.ndarray]:
    n, S = d.n_periods, d.sites
    cost = np.array(
        [d.capex_mw[s] * econ.annuity_factor(d.discount_rate, d.site_life_years[s]) for s in S]
    ) + np.array([d.opex_mw_year[s] for s in S])
    first = np.full(len(S), np.datetime64("NaT"), dtype="datetime64[ns]")
    gain = np.full(len(S), np.nan)
    for i, s in enumerate(S):
        starts = d.groups.builds_of.get(s, [])
        if not starts or s in d.orbital_sites:
            continue
        q = min(starts)
        on = d.online_period(s, q)
        first[i] = np.datetime64(d.periods[on].isoformat(), "ns")
        mv = np.nan_to_num(mv_capacity[i])
        gain[i] = (
            sum(d.df[p] * d.dt * (mv[p] - d.opex_mw_year[s]) for p in range(on, n))
            - d.df[q] * econ.carry(d.discount_rate, d.dt) * d.capex_mw[s]
            + d.df_end * d.remaining_share(on, d.site_life_years[s]) * d.capex_mw[s]
        )
    return {
        "site_build_gain_musd_per_mw": (("site",), gain),
        "site_cost_musd_per_mw_year": (("site",), cost),
    }, first


def supply_results(
    m: pyo.ConcreteModel, d: PlanData, sites: dict[str, tuple]
) -> tuple[dict[str, tuple], dict[str, object]]:
    """Variables and coordinates of the supply side; ``sites`` holds the site variables of
    :func:`twin.plan.results.read_results` (capacity, IT load, marginal values)."""
    pue = np.array([d.pue[s] for s in d.sites])[:, None]
    choices, first = _site_choices(d, sites["marginal_value_capacity"][1])
    data = {
        "facility_mw": (("site", "period"), sites["capacity_mw"][1] * pue),
        "facility_load_mw": (("site", "period"), sites["it_load_mw"][1] * pue),
        **_projects(m, d),
        **_environment(m, d),
        **clean_scores(m, d),
        **_reserve(m, d),
        **_sources(d),
        **choices,
    }
    pb = d.power_build
    coords = {
        "project": np.array(list(pb.projects), dtype=object),
        "project_technology": (
            "project",
            np.array([pb.technology[g] for g in pb.projects], dtype=object),
        ),
        "site_first_online": ("site", first),
    }
    return data, coords
