"""Enumerated futures as a two-stage tree of the one stochastic program (twin.study.stochastic).

The futures are a tree (:func:`twin.study.tree.futures_tree`): identical futures give the plan's
NPV, a lease strategy fixed in every leaf costs what it forgoes, and a future's values hold from
the news only (before it, every future is the model's world and its operations are tied).
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import leased_site, leased_site_model
from newsvendor import newsvendor, npv

from twin.plan import plan
from twin.plan.leases import lease_decision_vars
from twin.spec import load_dict
from twin.study.risk import expected_npv
from twin.study.stochastic import solve_extensive_form
from twin.study.tree import futures_tree

QUARTER = 10 * 8.76 * 0.25  # $M per quarter on the site at $1/H100e-h
START = dt.date(2030, 1, 1)


def test_identical_futures_give_the_plans_npv() -> None:
    spec = load_dict(leased_site_model(leased_site(1.0, renew="decide")))
    tree = futures_tree(
        START, dt.date(2030, 7, 1), [(0.2, (), "a"), (0.3, (), "b"), (0.5, (), "c")]
    )
    ef = solve_extensive_form(spec, tree)
    assert ef.result.objective == pytest.approx(plan(spec).result.objective, rel=1e-9)
    assert list(ef.npv().values()) == pytest.approx([ef.result.objective] * 3, rel=1e-9)


def test_a_fixed_strategy_costs_what_it_forgoes() -> None:
    """$1 lease on the $3 site: the plan gives notice at once (ends after a quarter); fixing
    every keep to 1 in every leaf (lease to the end) forgoes ($3 - $1) in each of the other 11
    quarters."""
    spec = load_dict(leased_site_model(leased_site(1.0, renew="decide")))
    tree = futures_tree(START, dt.date(2030, 4, 1), [(1.0, (), "one")])

    def keep(m, d) -> None:
        for v, _ in lease_decision_vars(m, d):
            v.fix(1)

    free = expected_npv(spec, tree)
    fixed = expected_npv(spec, tree, leaf_fix=keep)
    lost = sum((3.0 - 1.0) * QUARTER * 1.05 ** -(0.25 * p + 0.125) for p in range(1, 12))
    assert free - fixed == pytest.approx(lost, rel=1e-6)


def test_a_futures_values_hold_from_the_news_only() -> None:
    """Own work worth $3 today; from 2031-01-01 it is worth $0.5 in one future (p = 0.4). The
    lessee pays $1 on a lease the plan may end with a quarter's notice. Before the news both
    futures are today's world (own work at $3: notice at once, the lease ends 2030-04-01, own
    work runs the site); in the low future the plan has no lease left to take back up, so the
    site earns $0.5 from 2031. The leaf NPVs are, by hand, with ``df(p) = 1.05^-(p/4 + 1/8)``:

        high: $1 in quarter 0, then $3;   low: $1 in quarter 0, $3 in quarters 1-3, $0.5 after.
    """
    spec = load_dict(leased_site_model(leased_site(1.0, renew="decide")))
    tree = futures_tree(
        START,
        dt.date(2031, 1, 1),
        [(0.6, (), "high"), (0.4, (("tenants.own.value_usd_per_h100e_hour", 0.5),), "low")],
    )
    ef = solve_extensive_form(spec, tree)

    def df(p: int) -> float:
        return 1.05 ** -(0.25 * p + 0.125)

    high = QUARTER * (1.0 * df(0) + sum(3.0 * df(p) for p in range(1, 12)))
    low = QUARTER * (
        1.0 * df(0) + sum(3.0 * df(p) for p in range(1, 4)) + sum(0.5 * df(p) for p in range(4, 12))
    )
    npv = ef.npv()
    assert [npv["scen0"], npv["scen1"]] == pytest.approx([high, low], rel=1e-6)
    assert ef.result.objective == pytest.approx(0.6 * high + 0.4 * low, rel=1e-6)


def test_enumerated_futures_solve_the_newsvendor_as_its_uncertainty_section_does() -> None:
    """The newsvendor of tests/newsvendor.py (critical fractile F = 0.7544) with demand 20, 50,
    80 or 100 kH100e (p = 0.1, 0.1, 0.6, 0.2), given as four futures instead of an
    ``uncertainty:`` section: P(D <= 50) = 0.2 < F <= P(D <= 80) = 0.8, so 80 MW are built, and
    E[NPV] = sum p NPV(80, D) by hand."""
    outcomes = [(20.0, 0.1), (50.0, 0.1), (80.0, 0.6), (100.0, 0.2)]
    law = [{"value": v, "probability": p} for v, p in outcomes]
    model = newsvendor(law)
    del model["uncertainty"]
    tree = futures_tree(
        START,
        dt.date(2031, 1, 1),
        [(p, (("tenants.own.demand_k_h100e", v),), f"D={v:g}") for v, p in outcomes],
    )
    ef = solve_extensive_form(load_dict(model), tree)
    assert ef.decisions(1)[("build", ("s1", 0))] == pytest.approx(80.0)
    want = sum(p * npv(80.0, v) for v, p in outcomes)
    assert ef.result.objective == pytest.approx(want, rel=1e-9)
    # the same program from the uncertainty section gives the same optimum
    assert expected_npv(load_dict(newsvendor(law))) == pytest.approx(want, rel=1e-9)


def test_probabilities_must_sum_to_one() -> None:
    with pytest.raises(ValueError, match="summing to 1"):
        futures_tree(START, dt.date(2031, 1, 1), [(0.5, (), "a"), (0.6, (), "b")])
