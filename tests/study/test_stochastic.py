"""The stochastic program: the critical fractile, non-anticipativity, and the EF's value."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pyomo.environ as pyo
import pytest
from newsvendor import FRACTILE, newsvendor, npv
from scipy import stats

from twin.spec import load_dict
from twin.study.stochastic import solve_extensive_form
from twin.study.tree import tree_of

UNIFORM = {"kind": "uniform", "low": 10.0, "high": 110.0}


def _build(ef) -> float:
    return ef.decisions(1)[("build", ("s1", 0))]


def test_the_build_is_the_critical_fractile_of_the_discretized_demand() -> None:
    n = 20
    ef = solve_extensive_form(load_dict(newsvendor(UNIFORM, tree={"points": n})))
    # point i of n sits at quantile (i + 1/2)/n; the optimum is the first point whose cumulative
    # probability (i + 1)/n reaches the fractile
    i = math.ceil(FRACTILE * n) - 1
    expected = stats.uniform(10.0, 100.0).ppf((i + 0.5) / n)
    assert _build(ef) == pytest.approx(expected, rel=1e-6)
    # and within half a point's spacing of the continuous fractile, 10 + 100 F = 86.03 MW
    assert abs(_build(ef) - (10.0 + 100.0 * FRACTILE)) <= 100.0 / n / 2 + 1e-9


def test_the_build_is_the_sample_quantile_of_a_sampled_tree() -> None:
    law = {"kind": "lognormal", "mean": 60.0, "sd": 20.0}
    spec = load_dict(newsvendor(law, tree={"method": "sample", "samples": 30, "seed": 7}))
    tree = tree_of(spec)
    ef = solve_extensive_form(spec, tree)
    draws = np.sort([s.overrides[0][1] for s in tree.scenarios])
    # equal weights 1/N: the optimum is the ceil(N F)-th smallest draw
    assert _build(ef) == pytest.approx(draws[math.ceil(30 * FRACTILE) - 1], rel=1e-6)


def test_expected_npv_is_the_hand_computed_one_and_leaves_share_the_build() -> None:
    outcomes = [
        {"value": 20.0, "probability": 0.1},
        {"value": 50.0, "probability": 0.1},
        {"value": 80.0, "probability": 0.6},
        {"value": 100.0, "probability": 0.2},
    ]
    spec = load_dict(newsvendor(outcomes))
    ef = solve_extensive_form(spec)
    # P(D > 50) = 0.8 >= 1 - F = 0.24 > P(D > 80) = 0.2: build 80
    assert _build(ef) == pytest.approx(80.0)
    expected = sum(o["probability"] * npv(80.0, o["value"]) for o in outcomes)
    assert ef.result.objective == pytest.approx(expected, rel=1e-9)
    leaf_npv = ef.npv()
    for s, o in zip(ef.tree.scenarios, outcomes, strict=True):
        assert leaf_npv[s.name] == pytest.approx(npv(80.0, o["value"]), rel=1e-9)
        assert ef.blocks[s.name].build["s1", 0].value == pytest.approx(80.0)


def test_a_three_stage_tree_ties_stage_two_builds_within_a_node_only() -> None:
    """Demand (20 MW w.p. 0.8, 100 w.p. 0.2) is known in 2031, the value ($0.1 or $0.2 per
    H100e-hour, mean $0.15) in 2032; before 2032 the model's value, $0.15, is in force. Per MW,
    with df_p = 1.05^-(p + 1/2):

    - a 2030 build below 20 MW earns 8.76 x 0.15 df_1 in 2031 and saves a 2031 build (df_1):
      2.15 > df_0 = 0.98, so build; above 20 MW only with probability 0.2: 0.43 < 0.98, so stop;
    - a 2031 build (online 2032, stage 2) earns 8.76 x 0.15 df_2 = 1.16 > df_1 = 0.93 where
      demand exceeds capacity: 80 MW in the 100-MW node, none in the 20-MW node; the same in
      both leaves below each node.
    """
    data = newsvendor(
        [{"value": 20.0, "probability": 0.8}, {"value": 100.0, "probability": 0.2}],
    )
    data["horizon"]["years"] = 3
    data["tenants"]["own"]["value_usd_per_h100e_hour"] = 0.15
    data["uncertainty"]["inputs"]["value"] = {
        "path": "tenants.own.value_usd_per_h100e_hour",
        "known": "2032-01-01",
        "outcomes": [{"value": 0.1, "probability": 0.5}, {"value": 0.2, "probability": 0.5}],
    }
    ef = solve_extensive_form(load_dict(data))
    assert ef.tree.n_stages == 3 and ef.tree.branching == (2, 2)
    assert ef.decisions(1)[("build", ("s1", 0))] == pytest.approx(20.0, rel=1e-6)
    expected = {"ROOT_0": 0.0, "ROOT_1": 80.0}
    for s in ef.tree.scenarios:
        x = ef.blocks[s.name].build["s1", 1].value
        assert x == pytest.approx(expected[s.nodes[1]], abs=1e-6), s.name


def test_every_plan_variable_is_tied_by_stage_or_recourse() -> None:
    """A family that adds a decision must say whether it waits for information (a stage
    variable) or adapts within its period (recourse); builds in 2030 carry their date."""
    from twin.plan import build_model, plan_data
    from twin.spec import load_model
    from twin.study.stochastic import RECOURSE_VARIABLES, STAGE_VARIABLES, stage_keys

    for spec in (
        load_model("models/baseline.yaml", scenario="terafab"),
        load_model("models/baseline.yaml", scenario="modules"),
        load_model("models/baseline.yaml", scenario="lease_decide"),
    ):
        d = plan_data(spec)
        m = build_model(d)
        tied = {v.parent_component().local_name for p in STAGE_VARIABLES for v, _ in p(m, d)}
        names = {v.local_name for v in m.component_objects(pyo.Var) if len(v)}
        assert names <= tied | set(RECOURSE_VARIABLES), names - tied - set(RECOURSE_VARIABLES)
    spec = load_dict(newsvendor(UNIFORM))
    d = plan_data(spec)
    labels: dict = {}
    keys = stage_keys(build_model(d), d, tree_of(spec), STAGE_VARIABLES, labels)
    # the build of 2030 and every operation of 2030, which ends on the 2031 information date
    assert ("build", ("s1", 0)) in keys[1]
    assert {k[0] for k in keys[1]} >= {"build", "power"}
    assert all(k[1][-1] == 0 for k in keys[1])
    assert labels[("build", ("s1", 0))] == "build[s1, 2030-01-01]"


def test_lease_choices_are_tied_by_the_stage_of_their_notice_date() -> None:
    """In lease_under_uncertainty the lease is decided at each notice date: those in the first
    year (before 2027-07-01) are here and now, the next year's wait for the 2027 revelation."""
    from twin.plan import build_model, plan_data
    from twin.plan.leases import lease_decision_vars
    from twin.spec import load_model
    from twin.study.stochastic import STAGE_VARIABLES, stage_keys

    spec = load_model("models/baseline.yaml", scenario="lease_under_uncertainty")
    d = plan_data(spec)
    m = build_model(d)
    keys = stage_keys(m, d, tree_of(spec), STAGE_VARIABLES)
    by_stage = {k: {key for key in v if key[0] == "lease_keep"} for k, v in keys.items()}
    periods = {
        (v.parent_component().local_name, v.index()): p for v, p in lease_decision_vars(m, d)
    }
    assert by_stage[1] and by_stage[2]
    assert all(d.periods[periods[k]] < dt.date(2027, 7, 1) for k in by_stage[1])
    assert all(
        dt.date(2027, 7, 1) <= d.periods[periods[k]] < dt.date(2028, 7, 1) for k in by_stage[2]
    )


def test_a_growth_rate_compounds_from_its_known_date_and_2030_operations_are_shared() -> None:
    """Demand 50 MW grows at the model's 0%/yr until its rate (0% or 44%/yr, 50/50) is known on
    2031-01-01. Demand is taken at mid-period, so 2031's (t = 1.5) is 50 (1 + 0)^1 (1 + g)^0.5:
    50 or 60 MW (compounding from the horizon start would give 50 or 86.4). A 2030 build is
    worth it while P(D > x) = 0.5 >= 1 - F = 0.24: the build is the high demand, 60 MW, and the
    expected NPV 0.5 NPV(60, 50) + 0.5 NPV(60, 60) (tests/newsvendor.py). Acting on the
    information before it comes would pay (build 50 in one leaf, 60 in the other); the 2030
    operations, run before the information, take one value in both leaves."""
    from twin.study.information import revelations, timed_data

    data = newsvendor([{"value": 50.0, "probability": 1.0}])
    data["tenants"]["own"]["demand_k_h100e"] = 50.0
    data["tenants"]["own"]["demand_growth_per_year"] = 0.0
    data["uncertainty"]["inputs"] = {
        "growth": {
            "path": "tenants.own.demand_growth_per_year",
            "known": "2031-01-01",
            "outcomes": [{"value": 0.0, "probability": 0.5}, {"value": 0.44, "probability": 0.5}],
        }
    }
    spec = load_dict(data)
    ef = solve_extensive_form(spec)
    demand = {
        s.name: timed_data(spec, revelations(ef.tree, s.name))[1].demand_k
        for s in ef.tree.scenarios
    }
    assert [demand[s][("own", 0)] for s in demand] == pytest.approx([50.0, 50.0], rel=1e-12)
    assert [demand[s][("own", 1)] for s in demand] == pytest.approx([50.0, 60.0], rel=1e-12)
    assert _build(ef) == pytest.approx(60.0, rel=1e-6)
    assert ef.result.objective == pytest.approx(0.5 * npv(60, 50) + 0.5 * npv(60, 60), rel=1e-9)
    a, b = (ef.blocks[s.name] for s in ef.tree.scenarios)
    for name in ("alloc", "unmet", "idle"):
        for i in a.component(name):
            if (i if isinstance(i, tuple) else (i,))[-1] == 0:
                assert a.component(name)[i].value == pytest.approx(b.component(name)[i].value)


def test_an_input_that_changes_one_number_for_the_whole_horizon_is_refused() -> None:
    """The discount rate is one number for the horizon: it cannot keep the model's value
    before its known date, so a tree on it is refused, naming the input's path."""
    from twin.spec.errors import SpecError

    data = newsvendor([{"value": 50.0, "probability": 1.0}])
    data["uncertainty"]["inputs"]["rate"] = {
        "path": "economics.discount_rate",
        "known": "2031-01-01",
        "outcomes": [{"value": 0.03, "probability": 0.5}, {"value": 0.07, "probability": 0.5}],
    }
    with pytest.raises(SpecError, match=r"economics\.discount_rate"):
        solve_extensive_form(load_dict(data))


def test_an_uncertain_value_decline_is_in_force_at_the_end_for_continued_use() -> None:
    """``value_decline`` (the steepest tenant decline, carried past the horizon by
    ``continued_use``) is one number for the whole horizon; a leaf takes it from the last
    period, where the outcome is in force: xai_training's decline 0.20 until 2027-07-01 and 0.5
    from then gives, at the last period's middle t, the rate g_e with (1 - g_e)^t =
    0.8^tau 0.5^(t - tau) (above every other tenant's 0.24). Before, such an input was refused."""
    from pathlib import Path

    from twin.spec import load_model
    from twin.study.information import timed_data

    model = Path(__file__).resolve().parents[2] / "models" / "baseline.yaml"
    spec = load_model(model)
    known = dt.date(2027, 7, 1)
    _, d = timed_data(spec, [("tenants.xai_training.value_decline_per_year", 0.5, known)])
    t_last = d.t[-1] + d.dt / 2
    tau = d.t[1]  # the period starting on the known date
    assert d.periods[1] == known
    want = 1 - math.exp((tau * math.log(0.8) + (t_last - tau) * math.log(0.5)) / t_last)
    assert d.value_decline == pytest.approx(want, rel=1e-12)
