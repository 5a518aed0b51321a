"""Scenario trees: stages by date, probabilities as products, sampling reproducible by seed."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import tiny_model

from twin.spec import load_dict
from twin.study.tree import tree_of


def _inputs(**extra: dict) -> dict:
    base = {
        "demand": {
            "path": "tenants.own.demand_k_h100e",
            "known": "2031-01-01",
            "outcomes": [{"value": 5.0, "probability": 0.2}, {"value": 15.0, "probability": 0.8}],
        },
        "value": {
            "path": "tenants.own.value_usd_per_h100e_hour",
            "known": "2031-01-01",
            "outcomes": [
                {"value": 1.0, "probability": 0.5, "label": "lo"},
                {"value": 2.0, "probability": 0.3, "label": "mid"},
                {"value": 4.0, "probability": 0.2, "label": "hi"},
            ],
        },
    }
    base.update(extra)
    return base


def _tree(inputs: dict, **tree: object):
    section = {"inputs": inputs, "tree": tree} if tree else {"inputs": inputs}
    return tree_of(load_dict(tiny_model(uncertainty=section)))


def test_two_inputs_on_one_date_make_a_two_stage_product_tree() -> None:
    t = _tree(_inputs())
    assert t.n_stages == 2 and t.branching == (6,)
    probs = sorted(s.probability for s in t.scenarios)
    assert probs == pytest.approx(sorted(a * b for a in (0.2, 0.8) for b in (0.5, 0.3, 0.2)))
    leaf = next(s for s in t.scenarios if s.label == "demand=15.0, value=mid")
    assert leaf.probability == pytest.approx(0.8 * 0.3)
    assert dict(leaf.overrides) == {
        "tenants.own.demand_k_h100e": 15.0,
        "tenants.own.value_usd_per_h100e_hour": 2.0,
    }


def test_dates_make_stages_and_decisions_fall_in_the_stage_of_their_date() -> None:
    inputs = _inputs()
    inputs["value"] = {**inputs["value"], "known": "2033-01-01"}
    t = _tree(inputs)
    assert t.n_stages == 3 and t.branching == (2, 3)
    assert len(t.scenarios) == 6
    assert [n.name for n in t.nonleaf_nodes()] == ["ROOT", "ROOT_0", "ROOT_1"]
    assert t.scenarios[4].nodes == ("ROOT", "ROOT_1", "ROOT_1_1")
    assert t.stage_of(dt.date(2030, 1, 1)) == 1
    assert t.stage_of(dt.date(2031, 1, 1)) == 2  # a period starting on the date knows it
    assert t.stage_of(dt.date(2032, 1, 1)) == 2
    assert t.stage_of(dt.date(2033, 1, 1)) == 3
    assert sum(s.probability for s in t.scenarios) == pytest.approx(1.0)


def test_mean_values_average_over_the_leaves() -> None:
    t = _tree(_inputs())
    means = dict(t.mean_values())
    assert means["tenants.own.demand_k_h100e"] == pytest.approx(0.2 * 5 + 0.8 * 15)
    assert means["tenants.own.value_usd_per_h100e_hour"] == pytest.approx(0.5 + 0.6 + 0.8)


def test_sampled_trees_repeat_with_the_seed_and_change_without() -> None:
    law = {
        "path": "tenants.own.demand_k_h100e",
        "known": "2031-01-01",
        "distribution": {"kind": "uniform", "low": 10.0, "high": 20.0},
    }
    a = _tree({"d": law}, method="sample", samples=7, seed=3)
    b = _tree({"d": law}, method="sample", samples=7, seed=3)
    c = _tree({"d": law}, method="sample", samples=7, seed=4)
    values = [s.overrides[0][1] for s in a.scenarios]
    assert values == [s.overrides[0][1] for s in b.scenarios]
    assert values != [s.overrides[0][1] for s in c.scenarios]
    assert all(10.0 <= v <= 20.0 for v in values)
    assert [s.probability for s in a.scenarios] == pytest.approx([1 / 7] * 7)
