"""Near-optimal alternatives (MGA) on problems whose ranges follow by hand.

Two sites beside one internal tenant wanting D = 10 kH100e (= 10 MW in the tiny model) every
year for 8 years at $1/H100e-hour; capacity is built with no lead time, chips and power are free,
no salvage. Serving D pays, so the optimum builds D in the first period and
``NPV* = D (8.76 sum_p df_p - c s_0)`` with ``df_p = 1.05^-(p + 1/2)`` and capex paid at the
period's start, ``s_p = 1.05^-p``.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import tiny_model

from twin.spec import SpecError, load_dict
from twin.study.alternatives import near_optimal

D, R, YEARS = 10.0, 0.05, 8
DF = (1 + R) ** -(np.arange(YEARS) + 0.5)
START = (1 + R) ** -np.arange(YEARS)  # a purchase is paid at its period's start


def two_sites(capex2: float, max_mw: float) -> dict:
    site = {"max_mw": max_mw, "lead_months": 0, "capex_musd_per_mw": 1.0}
    s2 = {**tiny_model()["sites"]["s1"], **site, "capex_musd_per_mw": capex2}
    return tiny_model(
        sites={"s1": site, "s2": s2},
        power_sources={"g2": {**tiny_model()["power_sources"]["g1"], "site": "s2"}},
    )


def test_equal_sites_range_of_mw_at_one_site_is_zero_to_demand() -> None:
    """Equal cost: any split of D between the sites is optimal, so MW at s1 spans [0, D]
    (each site holds at most D, so no slack buys more than D there)."""
    res = near_optimal(load_dict(two_sites(1.0, D)), 0.05, ["site_mw:s1", "capex"], spores=2)
    npv_star = D * (8.76 * DF.sum() - START[0])
    assert res.optimum_musd == pytest.approx(npv_star, rel=1e-9)
    lo, hi = res.ranges()["site_mw:s1"]
    assert lo == pytest.approx(0.0, abs=1e-6)
    assert hi == pytest.approx(D, rel=1e-9)
    for alt in res.alternatives:
        assert alt.npv_musd >= (1 - 0.05) * npv_star - 1e-6
    assert [a.name for a in res.alternatives][:3] == ["optimum", "min_site_mw-s1", "max_site_mw-s1"]
    assert res.to_dataset()["metric_max"].sel(metric="site_mw:s1") == pytest.approx(D)


def test_dearer_second_site_bounds_the_shift_by_the_slack() -> None:
    """s2 costs 1 + delta per MW. Moving x MW from s1 to s2 costs delta x s_0, so the least MW
    at s1 is D - slack NPV* / (delta s_0); the most adds idle MW at s1 as late as possible,
    at s_{P-1} each: D + slack NPV* / s_{P-1}."""
    slack, delta = 0.001, 0.5
    res = near_optimal(load_dict(two_sites(1 + delta, 1000.0)), slack, ["site_mw:s1"], spores=0)
    npv_star = D * (8.76 * DF.sum() - START[0])
    lo, hi = res.ranges()["site_mw:s1"]
    assert lo == pytest.approx(D - slack * npv_star / (delta * START[0]), rel=1e-7)
    assert hi == pytest.approx(D + slack * npv_star / START[-1], rel=1e-7)


def test_leased_share_is_a_ratio_found_by_dinkelbach() -> None:
    """A full 10 MW site, internal work worth $2/h and a lessee paying $1/h, each wanting more
    than the site has: all 10 kH100e are allocated every year, and the share leased is
    ``sum_p x_p / (10 P)``. Leasing x_p loses (2 - 1) x 8.76 df_p x_p, within the budget
    slack NPV* = slack x 2 x 8.76 x 10 sum df. The share counts years alike while the loss is
    discounted, so the most is leased in the last year (smallest df):
    x = slack x 20 sum df / df_{P-1} (< 10), share x / (10 P); the least is 0."""
    from conftest import FULL_SITE_EVENTS, lessee

    model = tiny_model(
        sites={"s1": {"max_mw": 10.0}},
        chips={"c1": {"available_until": "2029-06-01"}},
        tenants={
            "own": {"demand_k_h100e": 100.0, "value_usd_per_h100e_hour": 2.0},
            "lessee": lessee(1.0),
        },
        events=FULL_SITE_EVENTS,
    )
    res = near_optimal(load_dict(model), 0.03, ["leased_share"], spores=0)
    lo, hi = res.ranges()["leased_share"]
    assert lo == pytest.approx(0.0, abs=1e-9)
    x_last = 0.03 * 20 * DF.sum() / DF[-1]
    assert x_last < 10
    assert hi == pytest.approx(x_last / (10 * YEARS), rel=1e-6)


@pytest.mark.parametrize(
    ("slack", "metrics", "needle"),
    [
        (0.0, None, "--slack"),
        (1.0, None, "--slack"),
        (0.05, ["capx"], "did you mean 'capex'"),
        (0.05, ["site_mw:s9"], "site_mw:SITE"),
    ],
)
def test_bad_slack_or_metric_names_the_option(slack, metrics, needle) -> None:
    with pytest.raises(SpecError, match=needle):
        near_optimal(load_dict(tiny_model()), slack, metrics)


def test_a_members_leased_share_is_the_metrics() -> None:
    """The full 10 MW site, own work worth $2/h and a lessee paying $3/h for 4 kH100e: the
    lessee gets its 4 kH100e and own work the other 6 every year, so the leased share is 0.4,
    the same read off the solved model (the metric) and off the member's report."""
    from conftest import FULL_SITE_EVENTS, lessee

    from twin.plan import plan
    from twin.report.member import leased_share
    from twin.report.study import plan_report
    from twin.study.metrics import Metric, metric_value

    model = tiny_model(
        sites={"s1": {"max_mw": 10.0}},
        chips={"c1": {"available_until": "2029-06-01"}},
        tenants={
            "own": {"demand_k_h100e": 100.0, "value_usd_per_h100e_hour": 2.0},
            "lessee": {**lessee(3.0), "demand_k_h100e": 4.0},
        },
        events=FULL_SITE_EVENTS,
    )
    p = plan(load_dict(model))
    assert metric_value(p.model, p.data, Metric("leased_share")) == pytest.approx(0.4, rel=1e-9)
    assert leased_share(plan_report(p)) == pytest.approx(0.4, rel=1e-9)


def two_projects(capex_b: float, max_a: float) -> dict:
    """Site s1 of the tiny model (10 MW of chips from 2029, no power of its own) with two
    power projects of lead 0 and no running cost: A (simple-cycle gas, $1M/MW, permit
    ``max_a``) and B (combined-cycle gas, ``capex_b`` $M/MW, permit 10 MW)."""
    from conftest import FULL_SITE_EVENTS, TEST_SOURCE

    def project(technology: str, capex: float, permit: float) -> dict:
        return {
            "technology": technology, "capex_musd_per_mw": capex, "fixed_musd_per_mw_year": 0.0,
            "variable_usd_per_mwh": 0.0, "lead_months": 0, "earliest": "2020-01-01",
            "max_mw_per_site": permit, "capacity_credit": 1.0, "source": TEST_SOURCE,
        }  # fmt: skip

    return tiny_model(
        power_sources=None,
        events=FULL_SITE_EVENTS,
        power_projects={
            "a": project("gas_simple_cycle", 1.0, max_a),
            "b": project("gas_combined_cycle", capex_b, 10.0),
        },
        policy={"reserve_margin": 0.0},
    )


def test_power_mix_range_of_equal_projects_is_zero_to_the_load() -> None:
    """Equal projects: any split of the 10 MW load between A and B is optimal, so the MW of
    A's technology span [0, 10] (its permit)."""
    res = near_optimal(load_dict(two_projects(1.0, 10.0)), 0.01, ["power_mw:gas_simple_cycle"])
    lo, hi = res.ranges()["power_mw:gas_simple_cycle"]
    assert lo == pytest.approx(0.0, abs=1e-6)
    assert hi == pytest.approx(10.0, rel=1e-9)
    assert res.to_dataset()["units"].sel(metric="power_mw:gas_simple_cycle") == "MW"


def test_dearer_second_project_bounds_the_power_mix_by_the_slack() -> None:
    """B costs 1 + delta per MW: moving x MW from A to B costs delta x s_0, so the least MW of
    A is 10 - slack NPV* / (delta s_0); the most adds idle A as late as possible, at
    s_{P-1} each: 10 + slack NPV* / s_{P-1} (A's permit is not binding)."""
    slack, delta = 0.001, 0.5
    res = near_optimal(
        load_dict(two_projects(1 + delta, 1000.0)), slack, ["power_mw:gas_simple_cycle"]
    )
    npv_star = res.optimum_musd
    lo, hi = res.ranges()["power_mw:gas_simple_cycle"]
    assert lo == pytest.approx(10 - slack * npv_star / (delta * START[0]), rel=1e-7)
    assert hi == pytest.approx(10 + slack * npv_star / START[-1], rel=1e-7)


def test_power_mw_names_the_technologies() -> None:
    with pytest.raises(SpecError, match=r"power_mw:TECH with TECH one of .*did you mean 'grid'"):
        near_optimal(load_dict(tiny_model()), 0.05, ["power_mw:gird"])


def test_warm_alternatives_are_the_cold_ones() -> None:
    """The alternatives re-solved warm from the optimum's basis (twin.study.warm_lp) find the
    same ranges as each LP solved cold through Pyomo, and say that they were solved warm."""
    model = load_dict(two_projects(1.5, 1000.0))
    seen: dict[str, list] = {"warm": [], "cold": []}

    def floor_dual(key: str):
        def note(alt, p, _) -> None:
            duals = {c.name: y for c, y in p.result.duals.items()}
            seen[key].append((p.result.route, p.result.size["rows"], duals.get("mga_floor")))

        return note

    metrics = ["power_mw:gas_simple_cycle", "capex"]
    warm = near_optimal(model, 0.001, metrics, spores=2, on_solution=floor_dual("warm"))
    cold = near_optimal(model, 0.001, metrics, 2, on_solution=floor_dual("cold"), warm_start=False)
    assert all("warm from the optimum's basis" in r for r, _, _ in seen["warm"][1:])
    assert not any("warm" in r for r, _, _ in seen["cold"])
    pairs = zip(seen["warm"][1:5], seen["cold"][1:5], strict=True)  # the min/max alternatives
    for (_, rows_w, y_w), (_, rows_c, y_c) in pairs:
        assert rows_w == rows_c  # the floor row counted
        assert y_w == pytest.approx(y_c, rel=1e-7, abs=1e-9)  # the floor's dual, reported
    for label, (lo, hi) in cold.ranges().items():
        assert warm.ranges()[label] == pytest.approx((lo, hi), rel=1e-7, abs=1e-6)
    for a, b in zip(warm.alternatives, cold.alternatives, strict=True):
        assert a.npv_musd == pytest.approx(b.npv_musd, rel=1e-9)
        assert a.npv_musd >= warm.floor_musd - 1e-6


def test_a_warm_solve_stopped_by_the_time_limit_keeps_its_feasible_point() -> None:
    """A warm alternative that runs out of time reports the feasible point primal simplex had
    reached (the optimum's basis is feasible under the floor), with HiGHS's time-limit status,
    not a cold re-solve: here the limit is hit before the first iteration, so the point is the
    optimum (NPV* >= the floor) and the MW it reports fall short of the alternative's own
    maximum, ``D + slack NPV* / s_{P-1}`` (idle MW of A bought last, as
    test_dearer_second_project_bounds_the_power_mix_by_the_slack), reached once the limit is
    lifted."""
    import pyomo.environ as pyo

    from twin.plan import plan
    from twin.plan.solve_result import SolveStatus
    from twin.study.alternatives import npv_floor
    from twin.study.warm_lp import WarmLP

    spec = load_dict(two_projects(1.5, 1000.0))
    best = plan(spec, exact=True, keep_session=True)
    m, optimum = best.model, float(best.result.objective)
    floor = npv_floor(optimum, 0.001)
    npv = m.npv.expr
    m.npv.deactivate()
    m.mga_floor = pyo.Constraint(expr=npv >= floor)
    mw = sum(m.power_build.values())
    at_optimum = float(pyo.value(mw))
    stopped = spec.model.solver.model_copy(update={"time_limit_s": 1e-9})
    warm = WarmLP(best.result.session, best.result, stopped, floor, m.mga_floor)
    res = warm.solve(mw, pyo.maximize)
    assert res is not None and res.kind is SolveStatus.LIMIT and res.feasible
    assert "warm from the optimum's basis" in res.route
    assert res.objective == pytest.approx(optimum, rel=1e-9)  # the NPV of the point kept
    assert float(pyo.value(npv)) >= floor - 1e-9
    assert float(pyo.value(mw)) == pytest.approx(at_optimum, rel=1e-9)
    warm.options = spec.model.solver  # the limit lifted: the same LP solved to its optimum
    full = warm.solve(mw, pyo.maximize)
    assert full is not None and full.kind is SolveStatus.OPTIMAL
    assert float(pyo.value(mw)) == pytest.approx(D + 0.001 * optimum / START[-1], rel=1e-7)
