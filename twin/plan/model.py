"""Wire the constraint families into one Pyomo model: a flat list of ``define_*`` calls.

Every family takes ``(m, d)``: the model it adds components to and the :class:`PlanData` it reads.
Variables first, then the shared expressions, then the rows, then the objective.
"""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan.chips import define_chip_supply_constraints, define_chip_variables
from twin.plan.clean_power import define_clean_power
from twin.plan.compute import (
    define_compute_constraints,
    define_compute_variables,
    define_demand_constraints,
)
from twin.plan.contracts import define_contract_constraints, define_contract_revenue
from twin.plan.data import PlanData
from twin.plan.demand_curve import define_curve
from twin.plan.elastic import define_slack_variables
from twin.plan.emissions import define_emission_constraints
from twin.plan.expressions import define_shared_expressions
from twin.plan.fab import define_fab_constraints, define_fab_variables
from twin.plan.facility import define_facility_max_constraints, define_facility_variables
from twin.plan.firm import define_firm_capacity
from twin.plan.halls import define_halls
from twin.plan.hourly import define_hourly_balance, define_hourly_dispatch
from twin.plan.isl import define_isl_constraints
from twin.plan.leases import define_lease_constraints, define_lease_variables
from twin.plan.objective import define_objective
from twin.plan.orbit import define_orbit_constraints
from twin.plan.policy import define_policy_constraints
from twin.plan.power import (
    define_it_power_constraints,
    define_power_variables,
    define_site_power_constraints,
)
from twin.plan.power_build import define_power_build_constraints, define_power_build_variables
from twin.plan.power_markets import define_power_market_constraints
from twin.plan.quantities import registered_defines
from twin.plan.regions import define_region_constraints
from twin.plan.retire import define_retire_constraints, define_retire_variables
from twin.plan.storage import define_storage
from twin.plan.traffic import define_traffic_constraints, define_traffic_variables


def build_model(d: PlanData) -> pyo.ConcreteModel:
    """The planning model for ``d``; with ``d.elastic`` the phase-one model of
    :mod:`twin.plan.elastic` that finds the rows in conflict."""
    m = pyo.ConcreteModel(name=d.name)
    define_slack_variables(m, d)
    define_facility_variables(m, d)
    define_chip_variables(m, d)
    define_power_variables(m, d)
    define_power_build_variables(m, d)
    define_hourly_dispatch(m, d)  # representative days only: power as hourly dispatch
    define_storage(m, d)
    define_compute_variables(m, d)
    define_fab_variables(m, d)
    define_lease_variables(m, d)
    define_retire_variables(m, d)
    define_traffic_variables(m, d)
    define_shared_expressions(m, d)
    for define in registered_defines():  # families added through twin.plan.quantities.register
        define(m, d)
    define_facility_max_constraints(m, d)
    define_it_power_constraints(m, d)
    define_site_power_constraints(m, d)
    define_hourly_balance(m, d)
    define_firm_capacity(m, d)
    define_chip_supply_constraints(m, d)
    define_retire_constraints(m, d)
    define_compute_constraints(m, d)
    define_demand_constraints(m, d)
    define_curve(m, d)
    define_halls(m, d)
    define_contract_constraints(m, d)
    define_contract_revenue(m, d)
    define_lease_constraints(m, d)
    define_policy_constraints(m, d)
    define_clean_power(m, d)
    define_fab_constraints(m, d)
    define_orbit_constraints(m, d)
    define_isl_constraints(m, d)
    define_power_build_constraints(m, d)
    define_power_market_constraints(m, d)
    define_region_constraints(m, d)
    define_emission_constraints(m, d)
    define_traffic_constraints(m, d)
    define_objective(m, d)
    return m
