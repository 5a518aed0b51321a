"""The futures' extensive form: identical futures give the plan's NPV; strategies can be fixed."""

from __future__ import annotations

import pytest
from conftest import leased_site, leased_site_model

from twin.plan import plan
from twin.plan.leases import lease_decision_vars
from twin.spec import load_dict
from twin.study.futures import solve_futures

QUARTER = 10 * 8.76 * 0.25  # $M per quarter on the site at $1/H100e-h


def test_identical_futures_give_the_plans_npv() -> None:
    spec = load_dict(leased_site_model(leased_site(1.0, renew="decide")))
    f = solve_futures([spec, spec, spec], [0.2, 0.3, 0.5], known_from=2)
    assert f.expected_npv == pytest.approx(plan(spec).result.objective, rel=1e-9)
    assert f.npv == pytest.approx([f.expected_npv] * 3, rel=1e-9)


def test_a_fixed_strategy_costs_what_it_forgoes() -> None:
    """$1 lease on the $3 site: the plan gives notice at once (ends after a quarter); fixing
    every keep to 1 (lease to the end) forgoes ($3 - $1) in each of the other 11 quarters."""
    spec = load_dict(leased_site_model(leased_site(1.0, renew="decide")))

    def keep(m, d) -> None:
        for v, _ in lease_decision_vars(m, d):
            v.fix(1)

    free = solve_futures([spec], [1.0], known_from=1).expected_npv
    fixed = solve_futures([spec], [1.0], known_from=1, fix=keep).expected_npv
    lost = sum((3.0 - 1.0) * QUARTER * 1.05 ** -(0.25 * p + 0.125) for p in range(1, 12))
    assert free - fixed == pytest.approx(lost, rel=1e-6)


def test_probabilities_must_sum_to_one() -> None:
    spec = load_dict(leased_site_model())
    with pytest.raises(ValueError, match="summing to 1"):
        solve_futures([spec, spec], [0.5, 0.6], known_from=1)
