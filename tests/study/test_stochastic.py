"""The stochastic program: the critical fractile, non-anticipativity, and the EF's value."""

from __future__ import annotations

import math

import numpy as np
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
