"""The built-in quantity records (:class:`twin.plan.quantities.Quantity`), in report order.

One section per family module (the module named in its comment holds the math). Units are the
domain strings of :mod:`twin.units`; each record's role and aggregation follow the rules in
:mod:`twin.plan.quantities`.
"""

from __future__ import annotations

from twin.plan.quantity import Agg, Flow, Quantity, Role

Q = Quantity
INV, DE, OP, SL, PA, DU, DR = (
    Role.INVESTMENT,
    Role.DECISION,
    Role.OPERATION,
    Role.SLACK,
    Role.PARAMETER,
    Role.DUAL,
    Role.DERIVED,
)
SUM, MEAN, MAX = Agg.SUM, Agg.MEAN, Agg.MAX
SP = ("site", "period")
MV = "1e6 USD/(MW year)"

#: twin.plan.facility, twin.plan.power: sites, their IT capacity and load
SITES = (
    Q("capacity_mw", SP, "MW", "IT capacity online", DR, SUM),
    Q("build_mw", SP, "MW", "IT capacity whose construction starts in the period", INV, SUM,
      variables=("build", "modules")),
    Q("max_mw", ("site",), "MW", "largest IT capacity the site can hold", PA, MAX),
    Q("it_load_mw", SP, "MW", "IT power drawn by running chips", DR, SUM,
      variables=("it_running",)),  # a variable of the hourly form only (twin.plan.hourly)
    Q("idle_mw", SP, "MW", "IT power of installed chips left switched off", OP, SUM,
      variables=("idle",)),
    # twin.plan.halls
    Q("mothballed_mw", SP, "MW", "IT capacity mothballed: no load, a share of its opex saved",
      OP, SUM, variables=("mothball",), component="mothball"),
    Q("idle_hall_mw", SP, "MW", "IT capacity online but neither drawn nor mothballed", DR, SUM,
      component="idle_hall"),
)

#: twin.plan.chips
CHIPS = (
    Q("chips_active", ("site", "chip", "period"), "1",
      "chips in service (installed, within their life)", DR, SUM),
    Q("chips_installed", ("site", "chip", "period"), "1",
      "chips installed in the period by the plan", INV, SUM, variables=("install",)),
    Q("chips_retired", ("site", "chip", "period"), "1",
      "chips retired early at the start of the period and sold (twin.plan.retire)", INV, SUM,
      variables=("retired",)),
    Q("chips_bought", ("chip", "period"), "1", "chips bought from the vendor", INV, SUM,
      variables=("buy",)),
    Q("chips_vendor_cap", ("chip", "period"), "1",
      "vendor allocation available (inf: unlimited)", PA, MAX),
    Q("chip_unit_cost_usd", ("chip", "period"), "USD", "vendor price per chip paid in the period",
      PA, MEAN),
    Q("fleet_w_per_h100e", ("period",), "W/H100e",
      "IT power per H100e of the chips in service (fleet-weighted chip table figure)", DR, MEAN),
)

#: twin.plan.compute
COMPUTE = (
    Q("compute_h100e", SP, "H100e", "usable compute (availability applied)", DR, SUM),
    Q("allocation_h100e", ("site", "tenant", "period"), "H100e",
      "compute served to the tenant from the site", OP, SUM, variables=("alloc",)),
    Q("demand_h100e", ("tenant", "period"), "H100e", "tenant demand", PA, SUM),
    Q("unmet_h100e", ("tenant", "period"), "H100e",
      "demand not served (with a demand curve: not worth serving)", OP, SUM,
      variables=("unmet",)),
    # twin.plan.demand_curve
    Q("block_served_h100e", ("tenant", "block", "period"), "H100e",
      "demand served from each block of the tenant's demand curve (0: no curve)", OP, SUM,
      variables=("serve",), component="serve", scale=1e3),
)

#: twin.plan.power, twin.plan.power_build, twin.plan.firm, twin.plan.emissions
POWER = (
    Q("power_mw", ("source", "period"), "MW", "average power drawn from the source", OP, SUM,
      variables=("power",), component="power"),
    Q("power_limit_mw", ("source", "period"), "MW",
      "energy limit of the source: limit x capacity factor (0: storage)", PA, MAX),
    Q("source_energy_gwh", ("source", "period"), "GW h",
      "energy drawn from the source in the period (storage: none)", DR, SUM,
      component="source_energy_gwh"),
    Q("source_firm_mw", ("source", "period"), "MW",
      "firm capacity of the source at the peak: limit x capacity credit", PA, MAX),
    Q("facility_mw", SP, "MW", "facility capacity online: IT capacity x PUE", DR, SUM),
    Q("facility_load_mw", SP, "MW", "facility power drawn: IT load x PUE", DR, SUM),
    Q("power_permit_mw", ("project",), "MW",
      "permit: largest nameplate of a power project per site", PA, MAX),
    Q("power_build_mw", ("site", "project", "period"), "MW",
      "nameplate of a power project whose construction starts", INV, SUM,
      variables=("power_build",)),
    Q("power_online_mw", ("site", "project", "period"), "MW",
      "nameplate of a power project online (pro rata in the period it comes online)", DR, SUM,
      variables=("power_online",), component="power_online"),
    Q("power_draw_mw", ("site", "project", "period"), "MW",
      "average power drawn from a built power project", OP, SUM, variables=("power_draw",)),
    Q("project_energy_gwh", ("site", "project", "period"), "GW h",
      "energy drawn from a built power project in the period (storage: none)", DR, SUM,
      component="project_energy_gwh", scale=1.0),
    Q("take_or_pay_unused_mw", ("site", "project", "period"), "MW",
      "take-or-pay volume paid but not drawn (average MW)", OP, SUM, variables=("top_unused",),
      component="top_unused"),
    Q("take_or_pay_unused_musd", ("site", "project", "period"), "1e6 USD",
      "take-or-pay paid for energy not drawn", DR, SUM, component="take_or_pay_unused_musd"),
    Q("firm_capacity_mw", SP, "MW",
      "firm capacity serving the site: sum of capacity credit x nameplate online", DR, SUM,
      component="firm_capacity_mw"),
    Q("peak_load_mw", SP, "MW", "peak facility load: peak/average x PUE x IT load", DR, SUM,
      component="peak_load_mw"),
    Q("reserve_margin", SP, "1", "firm capacity over peak facility load, minus 1 (NaN: no load)",
      DR, MEAN),
    Q("renewable_score", ("period",), "1",
      "share of the ground sites' energy from solar and wind (NaN: none drawn)", DR, MEAN),
    Q("cfe_score", ("period",), "1",
      "share of the ground sites' load met by carbon-free energy in the same hour (24/7 CFE); "
      "the year's match in the period form (NaN: no load)", DR, MEAN),
    Q("co2_kt", SP, "1e3 t", "CO2 from the site's power (on and off site)", DR, SUM),
    Q("nox_t", SP, "t", "NOx from the site's on-site turbines", DR, SUM),
    Q("water_ml", SP, "1e3 m^3",
      "water consumed by cooling and on-site generation (megalitres)", DR, SUM),
    Q("site_build_gain_musd_per_mw", ("site",), "1e6 USD/MW",
      "present value of one more IT MW built at the earliest start, at marginal values", DR,
      MEAN),
    Q("site_cost_musd_per_mw_year", ("site",), MV,
      "cost of a MW of IT capacity at the site: capex annuity over its life + fixed opex", PA,
      MEAN),
)

#: twin.plan.hourly, twin.plan.storage: power in hours on representative days (empty without)
DH = ("day", "hour", "period")
HOURS = (
    Q("day_weight", ("day",), "day", "days of the year the representative day stands for", PA,
      SUM),
    Q("step_hours", ("day", "hour"), "h",
      "hours in the time step ('hour') of the representative day: 1, or a segment's length",
      PA, SUM),
    Q("power_dispatch_mw", ("source", *DH), "MW",
      "power drawn from the source in the hour of the representative day", OP, SUM,
      variables=("dispatch",), component="dispatch"),
    Q("project_dispatch_mw", ("site", "project", *DH), "MW",
      "power drawn from a built power project in the hour of the representative day", OP, SUM,
      variables=("project_dispatch",), component="project_dispatch"),
    Q("storage_charge_mw", ("storage", *DH), "MW", "power taken in by the storage in the hour",
      OP, SUM, variables=("charge",), component="charge"),
    Q("storage_discharge_mw", ("storage", *DH), "MW", "power given out by the storage in the hour",
      OP, SUM, variables=("discharge",), component="discharge"),
    Q("soc_mwh", ("storage", *DH), "MW h", "energy held by the storage at the end of the hour",
      OP, SUM, variables=("soc",), component="soc"),
    Q("curtailed_mw", ("site", "project", "period"), "MW",
      "energy a weather-driven project could give but is not drawn (average MW)", DR, SUM,
      component="curtailed_mw"),
)

#: twin.plan.fab
FABS = (
    Q("chips_made", ("chip", "period"), "1", "chips made in own fabs", DR, SUM),
    Q("fab_build_kwspm", ("fab", "period"), "1e3 wafer/month",
      "fab capacity whose construction starts", INV, SUM, variables=("fab_build", "fab_modules")),
    Q("fab_capacity_kwspm", ("fab", "period"), "1e3 wafer/month",
      "fab capacity past its first wafer", DR, SUM),
    Q("fab_output_chips", ("fab", "period"), "1", "good chips made by the fab", OP, SUM,
      variables=("make",)),
    Q("fab_max_output_chips", ("fab", "period"), "1",
      "good chips the fab could make (ramp x yield)", DR, SUM),
    Q("fab_unit_cost_usd", ("fab", "period"), "USD",
      "fab cost per good chip: (capex annuity + opex) / chips + variable", DR, MEAN),
)

#: twin.plan.orbit
ORBIT = (
    Q("sunlit_fraction", ("site",), "1",
      "share of time an orbital site's shell is sunlit (NaN: ground)", PA, MEAN),
    Q("downlink_gbps", ("site",), "Gbit/s", "downlink capacity of an orbital site (NaN: ground)",
      PA, SUM),
    Q("orbital_power_cost_usd_per_kw_year", SP, "USD/(kW year)",
      "cost of a kW-year of orbital power built in the period: (launch x 1000 / specific "
      "power + hardware) / sunlit fraction x CRF(r, life) (twin.orbit.power_cost)", PA, MEAN),
    # twin.plan.isl
    Q("isl_capacity_gbps", SP, "Gbit/s",
      "inter-satellite link cut around the satellites in contact with the ground stations "
      "(0: ground)", DR, SUM, component="isl_cap"),
    Q("marginal_value_isl", SP, "1e6 USD/(Gbit/s year)",
      "marginal value of one more Gbit/s of inter-satellite link cut for a year", DU, MEAN,
      dual="isl_capacity[s,p]: NPV per Gbit/s-year of ISL cut (NaN: no row, the downlink "
      "binds first)"),
    Q("launch_mass_t", ("period",), "t", "mass launched to orbit", DR, SUM),
    Q("launch_price_usd_per_kg", ("period",), "USD/kg", "launch price", PA, MEAN),
)

#: twin.plan.contracts, twin.plan.leases
CONTRACTS = (
    Q("contract_cover", ("contract", "period"), "1", "share of the period the contract runs",
      PA, MEAN),
    Q("contract_revenue_musd", ("contract", "period"), "1e6 USD",
      "revenue earned under the contract", DR, SUM, component="contract_revenue"),
    Q("lease_kept", ("notice",), "1",
      "share of a decided lease kept past the notice date (0: notice given)", DE, MEAN,
      variables=("lease_keep",)),
    Q("lease_cover", ("lease", "period"), "1",
      "share of the period a decided lease or a taken offer runs", DR, MEAN),
    Q("lease_extra_revenue_musd", ("lease", "period"), "1e6 USD",
      "revenue of a decided lease beyond what its compute earns at the tenant's market value",
      DR, SUM),
    Q("offer_taken", ("offer", "period"), "1", "share of the offer taken to start in the period",
      DE, SUM, variables=("offer_take",)),
)

#: twin.plan.traffic (results: twin.plan.traffic_results): routes, links and ground stations
TRAFFIC = (
    Q("flow_gbps", ("path", "tenant", "period"), "Gbit/s",
      "inference traffic of the tenant on the path (user region to site)", OP, SUM,
      variables=("flow",)),
    Q("link_expand_gbps", ("link", "period"), "Gbit/s",
      "link capacity ordered in the period (online after the link's lead time)", INV, SUM,
      variables=("link_expand",)),
    Q("antennas_built", ("station", "period"), "1",
      "ground-station antennas started in the period (LP: fractions of one)", INV, SUM,
      variables=("antennas",)),
    Q("transfer_gbps", ("link", "period"), "Gbit/s",
      "training data-set and checkpoint transfer entering a site over the link", OP, SUM,
      variables=("transfer",)),
    Q("link_capacity_gbps", ("link", "period"), "Gbit/s",
      "link capacity online: today's plus expansions (downlinks: per antenna x antennas)", DR,
      SUM),
    Q("link_load_gbps", ("link", "period"), "Gbit/s", "traffic carried by the link", DR, SUM),
    Q("link_utilisation", ("link", "period"), "1", "traffic carried over capacity online", DR,
      MEAN),
    Q("marginal_value_link", ("link", "period"), "1e6 USD/(Gbit/s year)",
      "marginal value of one more Gbit/s on the link for a year", DU, MEAN,
      dual="link_capacity[l,p]: NPV per Gbit/s-year of link capacity"),
    Q("marginal_value_antenna", ("station", "period"), "1e6 USD/year",
      "marginal value of one more antenna at the ground station for a year", DU, MEAN,
      dual="link_capacity of the station's downlinks x Gbit/s per antenna: NPV per "
      "antenna-year"),
    Q("latency_p50_ms", ("tenant", "period"), "ms",
      "median one-way latency of the tenant's routed traffic, weighted by flow", DR, MEAN),
    Q("latency_p95_ms", ("tenant", "period"), "ms",
      "95th percentile one-way latency of the tenant's routed traffic, weighted by flow", DR,
      MAX),
)

#: twin.plan.objective, twin.plan.values: discounting and marginal values (row duals)
VALUES = (
    Q("discount_factor", ("period",), "1", "discount factor (1+r)^-(t+dt/2) at mid-period", PA,
      MEAN),
    Q("marginal_value_compute", SP, "USD/(H100e h)",
      "marginal value of one H100e-hour at the site", DU, MEAN,
      dual="compute[s,p]: NPV gained by one more usable H100e-hour at the site in the period"),
    Q("marginal_value_capacity", SP, MV, "marginal value of one MW of IT capacity", DU, MEAN,
      dual="it_power[s,p] (orbit_power in orbit): NPV per MW-year of IT capacity"),
    Q("marginal_value_power", SP, MV, "marginal value of one MW-year of energy supply", DU, MEAN,
      dual="site_power[s,p]: NPV per MW-year of energy (average MW) at the site"),
    Q("marginal_value_firm", SP, MV, "marginal value of one MW of firm capacity at the peak", DU,
      MEAN, dual="firm_capacity[s,p]: NPV per MW-year of firm capacity (credit x nameplate)"),
)


def _flow(name: str, sign: Flow) -> Quantity:
    start = " (paid at its start, in mid-period money)" if name in ("capex", "launch") else ""
    return Q(f"{name}_musd", ("period",), "1e6 USD",
             f"{name.replace('_', ' ')} cash flow in the period{start}", DR, SUM, flow=sign)


#: twin.plan.cash, twin.plan.objective: the cash flows; ``net = sum(IN) - sum(OUT)``
CASH = (
    *(_flow(f, Flow.IN) for f in ("revenue", "internal_value", "resale")),
    *(_flow(f, Flow.OUT) for f in ("capex", "launch", "opex", "energy", "carbon", "penalty")),
    Q("net_cash_musd", ("period",), "1e6 USD", "inflows minus outflows in the period", DR, SUM),
    # twin.plan.end_effects: what the objective counts after the reported horizon, valued at it
    Q("after_horizon_musd", (), "1e6 USD",
      "value after the horizon: what the objective counts for the time after the reported "
      "horizon, valued at its end (buffer cash + end credit)", DR, SUM),
    Q("buffer_cash_musd", (), "1e6 USD",
      "part of the value after the horizon: the buffer years' discounted net cash, valued at "
      "the horizon end", DR, SUM),
    Q("end_credit_musd", (), "1e6 USD",
      "end credit: what the end-effect rule credits for the assets left at the solved "
      "horizon's end, less what is owed there, valued at the horizon end", DR, SUM),
    Q("npv_musd", (), "1e6 USD",
      "net present value of the plan: discounted net cash of the reported horizon + value "
      "after the horizon",
      DR, SUM),
)

#: twin.plan.elastic: the slack of an elastic row (phase-one models only; not in the report)
ELASTIC = (
    Q("slack", ("row",), "1", "slack of an elastic row", SL, SUM, variables=("slack",),
      reported=False),
)

BUILTIN: tuple[Quantity, ...] = (
    SITES + CHIPS + COMPUTE + POWER + HOURS + FABS + ORBIT + CONTRACTS + TRAFFIC + VALUES + CASH
    + ELASTIC
)
