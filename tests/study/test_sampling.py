"""Sampling designs and global sensitivity against answers known by hand.

The test function ``y = 10 x1 + x2 + 0 x3`` with ``x_i ~ U(0, 1)`` has, on the Morris grid
mapped to the quantiles ``0.025 + 0.95 u``, elementary effects exactly ``0.95 x (10, 1, 0)``
(a step of the grid moves x by 0.95 steps), and Sobol' indices ``S1 = ST = (100, 1, 0) / 101``
(the shares of Var y = (100 + 1) / 12).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from scipy import stats

from twin.spec import SpecError, load_model
from twin.spec.uncertainty import Marginal
from twin.study.sampling import (
    check_design,
    quantile,
    ranking,
    sample_members,
    sensitivity,
    tornado,
    uncertain_inputs,
    unit_design,
)

KNOWN = dt.date(2030, 1, 1)
INPUTS = [Marginal(f"x{i}", f"p.x{i}", KNOWN, dist=stats.uniform()) for i in (1, 2, 3)]
WEIGHTS = np.array([10.0, 1.0, 0.0])


def evaluate(u: np.ndarray) -> np.ndarray:
    x = np.column_stack([quantile(m, u[:, i]) for i, m in enumerate(INPUTS)])
    return x @ WEIGHTS


def test_morris_ranks_the_influential_input_first_with_exact_effects() -> None:
    u = unit_design(20, 3, "lhs", seed=1, sensitivity="morris")
    assert u.shape == (20 * 4, 3)  # r (d + 1) members
    s = sensitivity(INPUTS, u, {"y": evaluate(u)}, "morris")
    mu = s["morris_mu_star"].sel(output="y").values
    np.testing.assert_allclose(mu, 0.95 * WEIGHTS, atol=1e-9)
    assert list(s["input"].values[np.argsort(-mu)]) == ["x1", "x2", "x3"]


def test_sobol_indices_are_the_shares_of_variance() -> None:
    u = unit_design(512, 3, "lhs", seed=2, sensitivity="sobol")
    assert u.shape == (512 * 5, 3)  # Saltelli without second order: n (d + 2)
    s = sensitivity(INPUTS, u, {"y": evaluate(u)}, "sobol")
    share = WEIGHTS**2 / (WEIGHTS**2).sum()
    np.testing.assert_allclose(s["sobol_S1"].sel(output="y").values, share, atol=0.03)
    np.testing.assert_allclose(s["sobol_ST"].sel(output="y").values, share, atol=0.03)


def test_rbd_fast_on_a_latin_hypercube_finds_the_same_shares() -> None:
    u = unit_design(500, 3, "lhs", seed=3)
    s = sensitivity(INPUTS, u, {"y": evaluate(u)}, "fast")
    share = WEIGHTS**2 / (WEIGHTS**2).sum()
    np.testing.assert_allclose(s["fast_S1"].sel(output="y").values, share, atol=0.05)


@pytest.mark.parametrize("method", ["lhs", "sobol", "random"])
def test_designs_fill_the_unit_cube_and_lhs_hits_each_stratum_once(method: str) -> None:
    u = unit_design(16, 3, method, seed=4)
    assert u.shape == (16, 3) and ((u >= 0) & (u < 1)).all()
    if method == "lhs":
        for col in u.T:
            assert sorted(np.floor(col * 16).astype(int)) == list(range(16))
    assert np.array_equal(u, unit_design(16, 3, method, seed=4)), "a seed repeats its design"


def test_discrete_outcomes_follow_their_cumulative_probabilities() -> None:
    m = Marginal(
        "g", "p.g", KNOWN, outcomes=(("slow", 0.3, 0.25), ("base", 0.6, 0.5), ("fast", 0.9, 0.25))
    )
    assert quantile(m, np.array([0.1, 0.3, 0.74, 0.76, 0.99])) == [0.3, 0.6, 0.6, 0.9, 0.9]


def test_tornado_orders_inputs_by_swing() -> None:
    u = unit_design(200, 3, "lhs", seed=5)
    t = tornado(u, evaluate(u), ["x1", "x2", "x3"], share=0.2)
    assert list(t["input"].values) == ["x1", "x2", "x3"]
    # mean of 10 x1 + ... with x1 in its lowest / highest fifth: 10 x 0.1 and 10 x 0.9, plus 0.5
    assert t["low"].values[0] == pytest.approx(1.0 + 0.5, abs=0.15)
    assert t["high"].values[0] == pytest.approx(9.0 + 0.5, abs=0.15)


def test_members_of_the_baseline_sample_take_their_quantiles() -> None:
    spec = load_model("models/baseline.yaml", scenario="sampled_market")
    names = [m.name for m in uncertain_inputs(spec)]
    u = unit_design(8, len(names), "lhs", seed=6)
    members = sample_members(spec, u)
    rate = [dict(m.overrides)["economics.discount_rate"] for m in members]
    np.testing.assert_allclose(rate, 0.07 + 0.06 * u[:, names.index("discount_rate")], rtol=1e-12)
    assert members[0].name == "sampled_market_0000" and members[0].scenario == "sampled_market"


@pytest.mark.parametrize(
    ("samples", "method", "sens", "needle"),
    [(0, "lhs", "fast", "--samples"), (4, "halton", "fast", "--method"),
     (4, "lhs", "sobel", "did you mean 'sobol'")],
)  # fmt: skip
def test_bad_design_names_the_option(samples, method, sens, needle) -> None:
    with pytest.raises(SpecError, match=needle):
        check_design(samples, method, sens)


def test_a_model_without_uncertainty_names_the_section() -> None:
    with pytest.raises(SpecError, match="uncertainty"):
        uncertain_inputs(load_model("models/baseline.yaml"))


@pytest.mark.parametrize(("sens", "least"), [("fast", 21), ("morris", 2), ("sobol", 2)])
def test_too_few_samples_for_a_sensitivity_are_refused_naming_the_minimum(sens, least) -> None:
    """RBD-FAST needs N > 2M = 20 (SALib's M = 10 harmonics); Morris and Sobol' a spread."""
    with pytest.raises(SpecError, match=f"at least {least} samples for --sensitivity {sens}"):
        check_design(least - 1, "lhs", sens)
    check_design(least, "lhs", sens)


def test_a_sampled_tornado_ranks_inputs_by_index_with_confidence_intervals() -> None:
    """RBD-FAST on y = 10 x1 + x2: x1 first with S1 about 100/101, its interval around it and
    clear of x2's; x3 (no effect) last, its interval reaching 0."""
    u = unit_design(500, 3, "lhs", seed=3)
    s = sensitivity(INPUTS, u, {"y": evaluate(u)}, "fast")
    s.attrs["sensitivity"] = "fast"
    r = ranking(s, "y")
    assert list(r["input"].values) == ["x1", "x2", "x3"]
    assert r["low"].values[0] <= r["index"].values[0] <= r["high"].values[0]
    assert r["index"].values[0] == pytest.approx(100 / 101, abs=0.05)
    assert r["low"].values[0] > r["high"].values[1]  # x1 and x2 told apart
    assert r["low"].values[2] <= 0.02
