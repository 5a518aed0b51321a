"""One declaration per quantity: the report, statistics(), the stage lists, the cash flows and the
README's table all come from the records of twin.plan.quantities, and a family added through the
public registry reaches the report and statistics with nothing else edited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import pytest
import xarray as xr
from conftest import FULL_SITE_EVENTS, TEST_SOURCE, tiny_model
from conftest import lease_offer as offer
from conftest import leased_site as lease
from conftest import leased_site_model as site_model

import twin
from twin.plan import build_model, plan, plan_data
from twin.plan.cash import FLOWS, INFLOWS, OUTFLOWS
from twin.plan.quantities import (
    Agg,
    Quantity,
    Role,
    all_quantities,
    by_name,
    register,
    reported,
    unregister,
)
from twin.report import to_dataset
from twin.solution import statistics
from twin.spec import load_dict
from twin.study.stochastic import RECOURSE_VARIABLES, STAGE_VARIABLES, StageVariable
from twin.units import cf_units

ROOT = Path(__file__).resolve().parents[1]
YEARS = 8


@pytest.fixture(scope="module")
def lease_report() -> xr.Dataset:
    """A plan that decides a lease and an offer, powered by a gas project it may build
    (tests/plan/test_power_build.py): every family's variables are in its report."""
    project = {
        "technology": "gas_simple_cycle",
        "capex_musd_per_mw": 1.0,
        "fixed_musd_per_mw_year": 0.0,
        "variable_usd_per_mwh": 0.0,
        "lead_months": 0,
        "earliest": "2020-01-01",
        "max_mw_per_site": 100.0,
        "capacity_credit": 1.0,
        "source": TEST_SOURCE,
    }
    model = site_model(
        lease(1.0, renew="decide"),
        offers=offer(5.0),
        power_sources=None,
        power_projects={"p1": project},
    )
    return to_dataset(plan(load_dict(model)))


def test_the_report_holds_exactly_the_declared_quantities(lease_report: xr.Dataset) -> None:
    """A declared quantity missing from the report, or an undeclared report variable, fails."""
    declared = [q.name for q in reported()]
    bounds = {c.attrs["bounds"] for c in lease_report.coords.values() if "bounds" in c.attrs}
    assert bounds == {"period_bounds"}  # CF cell bounds of the period coordinate
    assert [v for v in lease_report.data_vars if v not in bounds] == declared
    for q in reported():
        da = lease_report[q.name]
        assert da.dims == tuple("period" if d == "period" else d for d in q.dims), q.name
        assert da.attrs.get("twin_units", da.attrs["units"]) == q.unit, q.name
        assert da.attrs["long_name"] == q.long_name
        assert da.attrs["units"] == cf_units(q.unit)


def test_statistics_covers_every_numeric_report_variable(lease_report: xr.Dataset) -> None:
    """Power-project and lease variables included: one row per element of each variable."""
    stats = statistics(lease_report)
    numeric = {
        str(n)
        for n, v in lease_report.data_vars.items()
        if v.dtype.kind in "fiu" and n != "period_bounds"
    }
    assert numeric == {q.name for q in reported()}
    assert set(stats.metric) == {n for n in numeric if lease_report[n].size}  # no fab, contract
    sizes = stats.groupby("metric").size()
    for name in set(stats.metric):
        assert sizes[name] == lease_report[name].size, name
    # the notice decision of tests/report/test_lease_report.py: notice given at the first date
    kept = stats[stats.metric == "lease_kept"].value.to_numpy()
    assert kept[0] == 0.0 and (stats[stats.metric == "lease_kept"].units == "1").all()
    # 10 MW of chips at PUE 1 and no other source: the project supplies 10 MW in every quarter
    draw = stats[stats.metric == "power_draw_mw"]
    assert len(draw) == 12 and (draw.project == "p1").all() and (draw.units == "MW").all()
    np.testing.assert_allclose(draw.value, 10.0, rtol=1e-6)


def test_stage_lists_are_the_investment_and_decision_records() -> None:
    """Every Pyomo variable of a plan is declared by exactly one record; the tied ones are the
    INVESTMENT records' variables (and the lease decisions), the rest recourse."""
    owner: dict[str, str] = {}
    for q in all_quantities():
        for v in q.variables:
            assert v not in owner, f"{v} declared by {owner[v]} and {q.name}"
            owner[v] = q.name
    tied = {p.component for p in STAGE_VARIABLES if isinstance(p, StageVariable)}
    investments = {v for q in all_quantities() if q.role is Role.INVESTMENT for v in q.variables}
    assert (
        tied
        == investments
        == {
            "build",
            "modules",
            "install",
            "retired",
            "buy",
            "fab_build",
            "fab_modules",
            "power_build",
        }
        | {"link_expand", "antennas"}
    )
    assert set(RECOURSE_VARIABLES) == set(owner) - investments - {"lease_keep", "offer_take"}
    d = plan_data(load_dict(site_model(lease(1.0, renew="decide"), offers=offer(5.0))))
    names = {v.local_name for v in build_model(d).component_objects(pyo.Var)}
    assert names <= set(owner), names - set(owner)


def test_cash_flows_are_the_declared_flow_records() -> None:
    flows = [q for q in all_quantities() if q.flow is not None]
    assert [q.name for q in flows] == [f"{f}_musd" for f in FLOWS]
    assert INFLOWS == ("revenue", "internal_value", "resale")
    assert OUTFLOWS == ("capex", "launch", "opex", "energy", "carbon", "penalty")
    assert all(q.aggregate is Agg.SUM and q.unit == "1e6 USD" for q in flows)


def test_intensive_quantities_never_sum() -> None:
    """Marginal values, prices, unit costs and shares average or take a max; a dual that
    declares SUM is refused."""
    for q in reported():
        intensive = (
            q.role is Role.DUAL
            or "_per_" in q.name
            or q.name.endswith(("_cost_usd", "_fraction", "_cover", "lease_kept"))
            or q.name == "discount_factor"
        )
        if intensive:
            assert q.aggregate is not Agg.SUM, q.name
    with pytest.raises(ValueError, match="never sums"):
        Quantity("mv", ("site",), "USD", "x", Role.DUAL, Agg.SUM, dual="row x")
    with pytest.raises(ValueError, match="already declared"):
        register(Quantity("capacity_mw", ("site",), "MW", "x", Role.DERIVED, Agg.SUM))


def _readme_table() -> dict[str, tuple[str, str, str]]:
    text = (ROOT / "README.md").read_text().split("## Report schema (netCDF)", 1)[1]
    rows = {}
    for line in text.split("\n## ", 1)[0].splitlines():
        if line.startswith("| `"):
            name, units, cf, meaning = (c.strip() for c in line.strip("|").split(" | "))
            rows[name.strip("`")] = (units, cf, meaning)
    return rows


def test_readme_table_is_the_records_both_ways() -> None:
    table = _readme_table()
    assert list(table) == [q.name for q in reported()]
    for q in reported():
        assert table[q.name] == (q.unit, cf_units(q.unit), q.long_name), q.name


# The "Adding a family" recipe of the README, test-sized: served compute per tenant summed over
# sites, an Expression over (tenant, period), declared and registered in one place.
SERVED = Quantity(
    "toy_served_h100e",
    ("tenant", "period"),
    "H100e",
    "compute served to the tenant from all sites",
    Role.OPERATION,
    Agg.SUM,
    component="toy_served",
    scale=1e3,  # the model works in thousands of H100e
)


def define_toy(m: pyo.ConcreteModel, d: object) -> None:
    """``toy_served[j,p] = sum_s alloc[s,j,p]`` [kH100e]."""
    keys = list(m.alloc.keys())
    m.toy_served = pyo.Expression(
        sorted({(j, p) for _, j, p in keys}),
        rule=lambda m, j, p: sum(m.alloc[s, jj, pp] for s, jj, pp in keys if (jj, pp) == (j, p)),
    )


@pytest.fixture
def toy_family() -> Iterator[Quantity]:
    register(SERVED, define=define_toy)
    try:
        yield SERVED
    finally:
        unregister(SERVED, define=define_toy)


def test_a_registered_family_reaches_the_report_and_statistics(toy_family: Quantity) -> None:
    """10 MW of one-H100e chips and 10,000 H100e of demand (tests/test_solution.py): the toy
    family's served compute is 10,000 H100e in every year, with its unit and long name."""
    res = twin.solve(tiny_model(sites={"s1": {"max_mw": 10.0}}, events=FULL_SITE_EVENTS))
    da = res.dataset["toy_served_h100e"]
    np.testing.assert_allclose(da.sel(tenant="own").values, np.full(YEARS, 10_000.0), rtol=1e-9)
    assert da.attrs["twin_units"] == "H100e" and da.attrs["units"] == "1"
    assert da.attrs["long_name"] == toy_family.long_name
    rows = res.statistics().query("metric == 'toy_served_h100e'")
    assert len(rows) == YEARS and (rows.units == "H100e").all() and (rows.tenant == "own").all()
    assert "toy_served_h100e" in by_name()


def test_an_unregistered_family_leaves_no_trace() -> None:
    assert "toy_served_h100e" not in by_name()
    d = plan_data(load_dict(tiny_model()))
    assert build_model(d).component("toy_served") is None
