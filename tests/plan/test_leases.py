"""Leases as decisions: renew or give notice, take or decline offers, against NPVs by hand.

The site: 10 MW full of 10,000 c1 chips (10 kH100e, no new chips on sale), free power, no capex
worth spending, quarterly periods over 3 years from 2030-01-01 at 5%. Own work is worth $3/H100e-h
and wants more than the site; the lessee's own market value is $0.5/h. So the NPV is
``sum_p df_p x 10 kH100e x 8.76 x 0.25 x v_p`` with ``v_p`` the price earned in quarter p,
``df_p = 1.05 ** -(0.25 p + 0.125)``.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest
from conftest import lease_offer as offer
from conftest import leased_site as lease
from conftest import leased_site_model as site_model

from twin.plan import plan
from twin.plan.leases import lease_decision_vars
from twin.spec import load_dict

OWN = 3.0
QUARTER_VALUE = 10 * 8.76 * 0.25  # $M per quarter per $/H100e-hour on the whole site
DF = np.array([1.05 ** -(0.25 * p + 0.125) for p in range(12)])


def npv_by_hand(prices: list[float]) -> float:
    return float(np.sum(DF * QUARTER_VALUE * np.array(prices)))


@pytest.mark.parametrize("integer", [False, True], ids=["lp", "milp"])
def test_decide_renews_when_the_lease_price_beats_own_value(integer: bool) -> None:
    """$4 > $3: every notice date renews; the lease runs all 12 quarters."""
    p = plan(load_dict(site_model(lease(4.0, renew="decide"), solver={"integer_leases": integer})))
    assert p.result.is_mip is integer
    assert p.result.objective == pytest.approx(npv_by_hand([4.0] * 12), rel=1e-6)
    kept = [pyo.value(v) for v, _ in lease_decision_vars(p.model, p.data)]
    assert kept and np.allclose(kept, 1.0)


@pytest.mark.parametrize("integer", [False, True], ids=["lp", "milp"])
def test_decide_gives_notice_at_the_first_date_when_own_work_is_worth_more(integer: bool) -> None:
    """$1 < $3: notice on the first notice date, 2030-01-01, ends the lease 3 months later."""
    p = plan(load_dict(site_model(lease(1.0, renew="decide"), solver={"integer_leases": integer})))
    assert p.result.objective == pytest.approx(npv_by_hand([1.0] + [OWN] * 11), rel=1e-6)
    x = p.data.leases.leases[0]
    assert str(x.notice_dates[0]) == "2030-01-01" and str(x.ends[0]) == "2030-04-01"
    assert pyo.value(p.model.lease_keep["lease", 0]) == pytest.approx(0.0, abs=1e-9)


def test_without_mutual_cancellation_the_lease_ends_only_at_a_term_end() -> None:
    """at_term_end: notice by 2030-04-01 ends it at the first term end, 2030-07-01 (2 quarters);
    the mutual cancellation is worth one quarter of ($3 - $1) on the site, discounted."""
    spec = load_dict(site_model(lease(1.0, renew="decide", cancellation="at_term_end")))
    p = plan(spec)
    assert [str(n) for n in p.data.leases.leases[0].notice_dates][:2] == [
        "2030-04-01",
        "2030-10-01",
    ]
    assert p.result.objective == pytest.approx(npv_by_hand([1.0, 1.0] + [OWN] * 10), rel=1e-6)


def test_notice_given_decide_without_renewal_can_only_end_the_first_term_early() -> None:
    """renew: false, notice_given: decide, $1: notice on 2030-01-01 ends it after one quarter;
    at $4 it runs its one 6-month term and no longer."""
    low = plan(load_dict(site_model(lease(1.0, notice_given="decide"))))
    assert low.result.objective == pytest.approx(npv_by_hand([1.0] + [OWN] * 11), rel=1e-6)
    high = plan(load_dict(site_model(lease(4.0, notice_given="decide"))))
    assert high.result.objective == pytest.approx(npv_by_hand([4.0] * 2 + [OWN] * 10), rel=1e-6)


def test_fixed_notice_on_a_renewing_contract_ends_it_three_months_later() -> None:
    """renew: true with a notice date given: no decision is left; it ends 3 months later.
    (``renew: decide`` with a date contradicts itself and is refused: tests/spec.)"""
    p = plan(load_dict(site_model(lease(4.0, renew=True, notice_given="2030-07-01"))))
    assert not p.data.leases.leases
    assert p.result.objective == pytest.approx(npv_by_hand([4.0] * 3 + [OWN] * 9), rel=1e-6)


@pytest.mark.parametrize("integer", [False, True], ids=["lp", "milp"])
def test_an_offer_above_own_value_is_taken_at_its_earliest_start(integer: bool) -> None:
    """$5 for 4 of the 10 kH100e, a year from 2030-07-01 (quarters 2-5): the plan earns
    ($5 - $3) x 4/10 of the site's quarter on top of own work; earlier is better (discounting)."""
    p = plan(load_dict(site_model(offers=offer(5.0), solver={"integer_leases": integer})))
    extra = np.zeros(12)
    extra[2:6] = (5.0 - OWN) * 0.4
    assert p.result.objective == pytest.approx(npv_by_hand(list(OWN + extra)), rel=1e-6)
    taken = {p_: pyo.value(x) for (_, p_), x in p.model.offer_take.items()}
    assert taken[2] == pytest.approx(1.0) and sum(taken.values()) == pytest.approx(1.0)


def test_an_offer_below_own_value_is_declined() -> None:
    p = plan(load_dict(site_model(offers=offer(2.0))))
    assert p.result.objective == pytest.approx(npv_by_hand([OWN] * 12), rel=1e-6)
    assert all(pyo.value(x) == pytest.approx(0.0, abs=1e-9) for x in p.model.offer_take.values())


def test_decision_vars_carry_the_period_of_their_date() -> None:
    p = plan(load_dict(site_model(lease(4.0, renew="decide"), offers=offer(5.0))))
    x = p.data.leases.leases[0]
    pairs = lease_decision_vars(p.model, p.data)
    assert len(pairs) == len(p.model.lease_keep) + len(p.model.offer_take)
    for q, n in enumerate(x.notice_dates):
        period = dict((v.name, per) for v, per in pairs)[p.model.lease_keep["lease", q].name]
        assert p.data.periods[period] <= n < ([*p.data.periods, p.data.horizon_end])[period + 1]


def test_a_decided_mw_month_lease_earns_its_price_on_the_fleets_it_mw() -> None:
    """$100,000 per MW-month on the 10 MW fleet is $3M a quarter, far below own work's $65.7M:
    notice at once; the first quarter earns the lease's $3M and nothing from the lessee's $0.5/h
    (the leased compute is paid by the MW-month, not by the hour)."""
    terms = {"price_usd_per_h100e_hour": None, "price_usd_per_mw_month": 100_000.0}
    p = plan(load_dict(site_model(lease(1.0, renew="decide", **terms))))
    want = DF[0] * 3.0 + float(np.sum(DF[1:] * QUARTER_VALUE * OWN))
    assert p.result.objective == pytest.approx(want, rel=1e-6)


def test_a_renewing_offer_runs_to_the_horizon_once_taken() -> None:
    """renew: true, $5: taken at 2030-07-01 and never given notice: quarters 2-11."""
    p = plan(load_dict(site_model(offers=offer(5.0, renew=True))))
    extra = np.zeros(12)
    extra[2:] = (5.0 - OWN) * 0.4
    assert p.result.objective == pytest.approx(npv_by_hand(list(OWN + extra)), rel=1e-6)
