"""Peer check: twin's hourly families against PyPSA (HiGHS) on one site, built from one data set.

The site: a data centre of 100 MW IT with an hourly PUE (1.1 at night, 1.3 in the afternoon),
two representative days (weights 120 and 245 days), and
- solar and wind projects (weather profiles below), a gas project (availability 0.95 in every
  hour) and a battery project (4 h, 81% round trip): capacities are decisions;
- 1 GW of grid today at $200/MWh (it also carries the firm capacity, so twin's firm row does
  not bind and PyPSA, which has none, solves the same problem).

Mapping (twin -> PyPSA), one yearly period, no capex, no discounting inside the year:
- twin's fixed O&M [$M per MW-year] of a project -> ``capital_cost`` [$ per MW] of an extendable
  component (``p_nom_extendable``): both count once per MW built for the year;
- ``variable_usd_per_mwh`` -> ``marginal_cost``; twin weighs an hour of day d by ``w_d`` days
  (energy ``sum_d w_d sum_h x`` MWh) -> ``snapshot_weightings.objective`` = ``generators`` =
  ``w_d`` per hourly snapshot, ``stores`` = 1 (the state of charge moves by the hour's MWh);
- a project's hourly availability ``a[d,h]`` -> ``p_max_pu``; today's grid -> a fixed
  ``p_nom`` = 1,000 MW generator;
- the battery: ``StorageUnit`` with ``max_hours`` 4, ``efficiency_store`` =
  ``efficiency_dispatch`` = sqrt(0.81) = 0.9. twin's state of charge is cyclic within each day;
  PyPSA's cyclic state of charge wraps the whole horizon, so the battery is one StorageUnit per
  day, free to run on its own day only (``p_max_pu`` = -``p_min_pu`` = 0 on the other day: its
  charge holds there), cyclic, with one ``p_nom`` for all (an added equality) and the capital
  cost on the first;
- the load: ``PUE[d,h] x 100`` MW (twin: IT load 100 MW worth $1,000/MWh, always served).

Checked: the optimal cost (twin: the period's capex + fixed O&M + energy cash flows; PyPSA:
the objective; both $41.44M here) within 1e-6 relative, the capacities built (pv 126.8, wind
167.6, gas 41.5, battery 70.1 MW) within 1e-5, each source's energy per day, and the hourly
dispatch of solar, wind and grid; gas hours of equal cost are interchangeable through the
battery (the LP is degenerate there), so gas is compared per day.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest
from hourly_days import LOAD_MW, RepresentativeDays, hourly_plan, model, source

from twin.spec import load_dict

pypsa = pytest.importorskip("pypsa")

HOURS = np.arange(24)
_SUN = np.round(np.clip(np.sin((HOURS - 6) / 12 * np.pi), 0.0, None), 6)
DATA = {
    "weight": np.array([120.0, 245.0]),
    "pue": np.array([np.where((HOURS >= 12) & (HOURS < 17), 1.3, 1.1)] * 2),
    "grid": {"limit_mw": 1000.0, "usd_per_mwh": 200.0},
    "projects": {  # name: technology, profile (None: availability flat), $M/MW-yr, $/MWh
        "pv": ("solar_storage_ppa", np.stack([0.9 * _SUN, 0.4 * _SUN]), 0.06, 1.0),
        "wind": ("wind_storage_ppa",
                 np.stack([0.25 + 0.1 * np.cos(HOURS / 24 * 2 * np.pi),
                           0.6 - 0.2 * np.sin(HOURS / 24 * 2 * np.pi)]), 0.12, 2.0),
        "gas": ("gas_simple_cycle", None, 0.08, 60.0),
    },
    "gas_availability": 0.95,
    "battery": {"hours": 4.0, "round_trip": 0.81, "musd_per_mw_year": 0.03},
}
REL = 1e-6
#: sources whose hourly dispatch is unique; gas hours of equal cost are interchangeable
#: through the battery (a degenerate LP: each HiGHS run may pick another vertex)
HOURLY_UNIQUE = ("pv", "wind", "grid")


def _project(technology: str, fixed: float, variable: float, **over: object) -> dict:
    return {"technology": technology, "capex_musd_per_mw": 0.0,
            "fixed_musd_per_mw_year": fixed, "variable_usd_per_mwh": variable,
            "lead_months": 0, "earliest": "2020-01-01", "max_mw_per_site": 1e4,
            "capacity_credit": 0.5, "source": "assumption: test value", **over}  # fmt: skip


def twin_plan():
    """The site solved by twin's hourly form."""
    projects = {
        g: _project(tech, fixed, var, capacity_factor=DATA["gas_availability"])
        for g, (tech, _, fixed, var) in DATA["projects"].items()
    }
    bat = DATA["battery"]
    projects["bat"] = _project(
        "battery", bat["musd_per_mw_year"], 0.0,
        storage_hours=bat["hours"], round_trip_efficiency=bat["round_trip"],
    )  # fmt: skip
    grid = DATA["grid"]
    data = model({"grid": source("grid", grid["limit_mw"], cost_usd_per_mwh=grid["usd_per_mwh"])},
                 projects)  # fmt: skip
    profiles = {("s1", tech): prof for tech, prof, _, _ in DATA["projects"].values()
                if prof is not None}  # fmt: skip
    days = RepresentativeDays(DATA["weight"], profiles, {"s1": DATA["pue"]})
    return hourly_plan(load_dict(data), days)


def pypsa_network():
    """The same site as a PyPSA network (module docstring)."""
    n_days = len(DATA["weight"])
    pypsa.options.api.legacy_string_dtype = True  # today's behaviour, without its warning
    n = pypsa.Network()
    n.set_snapshots(range(24 * n_days))
    w = np.repeat(DATA["weight"], 24)
    n.snapshot_weightings["objective"] = w
    n.snapshot_weightings["generators"] = w
    n.snapshot_weightings["stores"] = 1.0
    n.add("Bus", "s1")
    n.add("Load", "dc", bus="s1", p_set=(DATA["pue"] * LOAD_MW).ravel())
    n.add("Generator", "grid", bus="s1", p_nom=DATA["grid"]["limit_mw"],
          marginal_cost=DATA["grid"]["usd_per_mwh"])  # fmt: skip
    for g, (_, prof, fixed, var) in DATA["projects"].items():
        pu = (prof.ravel() if prof is not None
              else np.full(24 * n_days, DATA["gas_availability"]))  # fmt: skip
        n.add("Generator", g, bus="s1", p_nom_extendable=True, p_max_pu=pu,
              capital_cost=fixed * 1e6, marginal_cost=var)  # fmt: skip
    bat, eta = DATA["battery"], np.sqrt(DATA["battery"]["round_trip"])
    for k in range(n_days):
        on = np.repeat(np.arange(n_days) == k, 24).astype(float)
        n.add("StorageUnit", f"bat_d{k}", bus="s1", p_nom_extendable=True,
              max_hours=bat["hours"], efficiency_store=eta, efficiency_dispatch=eta,
              cyclic_state_of_charge=True, p_max_pu=on, p_min_pu=-on,
              capital_cost=bat["musd_per_mw_year"] * 1e6 if k == 0 else 0.0)  # fmt: skip
    return n


def _one_battery(n, snapshots) -> None:
    """Every day's battery unit has the first one's power (one battery)."""
    p_nom = n.model["StorageUnit-p_nom"]
    for k in range(1, len(DATA["weight"])):
        first = p_nom.sel(name="bat_d0", drop=True)
        other = p_nom.sel(name=f"bat_d{k}", drop=True)
        n.model.add_constraints(first - other == 0, name=f"one_battery_{k}")


@pytest.mark.slow
def test_twin_and_pypsa_agree_on_cost_capacities_and_dispatch():
    p = twin_plan()
    m = p.model
    twin_cost = sum(pyo.value(m.cash[f, 0]) for f in ("capex", "opex", "energy")) * 1e6
    n = pypsa_network()
    status, condition = n.optimize(
        solver_name="highs", extra_functionality=_one_battery, include_objective_constant=False
    )
    assert (status, condition) == ("ok", "optimal")
    assert twin_cost == pytest.approx(n.objective + n.objective_constant, rel=REL)
    built = {g: pyo.value(m.power_build["s1", g, 0]) for g in (*DATA["projects"], "bat")}
    peer = n.generators.p_nom_opt.to_dict() | {"bat": n.storage_units.p_nom_opt["bat_d0"]}
    assert built["bat"] > 1.0 and built["pv"] > 1.0  # the case exercises storage and solar
    for g, mw in built.items():
        assert mw == pytest.approx(peer[g], rel=1e-5, abs=1e-4), g
    got = {g: [pyo.value(m.project_dispatch["s1", g, k, h, 0]) for k in range(2)
               for h in range(24)] for g in DATA["projects"]}  # fmt: skip
    got["grid"] = [pyo.value(m.dispatch["grid", k, h, 0]) for k in range(2) for h in range(24)]
    for g, series in got.items():
        peer_mw = n.generators_t.p[g].to_numpy().reshape(2, 24)
        twin_mw = np.reshape(series, (2, 24))
        np.testing.assert_allclose(twin_mw.sum(axis=1), peer_mw.sum(axis=1), rtol=1e-6,
                                   atol=1e-3, err_msg=g)  # fmt: skip
        if g in HOURLY_UNIQUE:
            np.testing.assert_allclose(twin_mw, peer_mw, atol=1e-4, err_msg=g)
