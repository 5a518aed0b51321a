"""Wire the constraint families into one Pyomo model: a flat list of ``define_*`` calls."""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan import elastic
from twin.plan.chips import define_chip_supply_constraints, define_chip_variables
from twin.plan.compute import (
    define_compute_constraints,
    define_compute_variables,
    define_demand_constraints,
)
from twin.plan.contracts import define_contract_constraints
from twin.plan.data import PlanData
from twin.plan.fab import add_fab_flows, define_fab_constraints, define_fab_variables, fab_data
from twin.plan.facility import define_facility_max_constraints, define_facility_variables
from twin.plan.objective import add_base_flows, define_objective, new_flows
from twin.plan.orbit import add_orbit_flows, define_orbit_constraints
from twin.plan.policy import define_policy_constraints
from twin.plan.power import (
    define_it_power_constraints,
    define_power_variables,
    define_site_power_constraints,
)
from twin.spec.schema import Model


def build_model(d: PlanData, model: Model, elastic_rows: bool = False) -> pyo.ConcreteModel:
    """The planning model for ``d``; with ``elastic_rows`` the phase-one model of
    :mod:`twin.plan.elastic` that finds the rows in conflict."""
    m = pyo.ConcreteModel(name=model.name)
    fd = fab_data(d, model.fabs)
    m.fab_data = fd
    m.flow_terms = new_flows(d)
    m.salvage_terms = []
    if elastic_rows:
        elastic.enable(m)
    define_facility_variables(m, d)
    define_chip_variables(m, d)
    define_power_variables(m, d)
    define_compute_variables(m, d)
    define_fab_variables(m, d, fd)
    define_facility_max_constraints(m, d)
    define_it_power_constraints(m, d)
    define_site_power_constraints(m, d)
    define_chip_supply_constraints(m, d)
    define_compute_constraints(m, d)
    define_demand_constraints(m, d)
    define_contract_constraints(m, d, model.contracts)
    define_policy_constraints(m, d)
    define_fab_constraints(m, d, fd)
    define_orbit_constraints(m, d, model)
    add_base_flows(m, d, model.contracts)
    add_fab_flows(m, d, fd)
    add_orbit_flows(m, d, model)
    define_objective(m, d)
    return m
