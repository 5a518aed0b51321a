"""The value of a lease clause, against first principles.

A one-site, two-year problem: the site (10 kH100e, no new chips) is leased whole at $2/H100e-h for
one year from 2030-01-01, renewable at its term end with no notice period. Own work is worth
$3/h this year; next year it stays at $3 (probability p) or falls to $1 (1 - p), and that is
known at the start of next year, when the renewal is decided. Renewing pays ``$2 - v1`` per
H100e-hour over the year, so the right to renew is worth, in expectation,

    (1 - p) x (2 - 1) $/h x 10 kH100e x 8.76 x df_1,   df_1 = 1.05 ** -1.5

(renew only when own work falls to $1). Decided before knowing, the renewal is taken or not in
both futures: it is taken since ``E[v1] = 3p + (1 - p) < 2`` and is worth ``2 - E[v1]`` instead.
The mutual cancellation is priced the same way, as the option to give notice when the lease's
price falls below own work's value.
"""

from __future__ import annotations

import pytest
from conftest import FULL_SITE_EVENTS, TEST_SOURCE, lessee, tiny_model

from twin.spec.spec import Spec
from twin.study.clauses import clause_value
from twin.study.futures import future_spec, solve_futures

P_HIGH = 0.3
DF1 = 1.05**-1.5
YEAR = 10 * 8.76  # $M per year per $/H100e-hour on the whole site
#: own work's (value, decline): $3 in year 0 in both; $3 or $1 in year 1 (mid-years 0.5, 1.5)
HIGH = (3.0, 0.0)
LOW = (3.0 / (1 / 3) ** 0.5, 2 / 3)


def model() -> dict:
    return tiny_model(
        horizon={"years": 2},
        sites={"s1": {"max_mw": 10.0}},
        chips={"c1": {"available_until": "2029-06-01"}},
        tenants={
            "own": {"demand_k_h100e": 100.0, "value_usd_per_h100e_hour": 3.0},
            "lessee": lessee(0.5),
        },
        events=FULL_SITE_EVENTS,
        contracts={
            "lease": {
                "tenant": "lessee",
                "site": "s1",
                "form": "whole_site",
                "start": "2030-01-01",
                "term_months": 12,
                "notice_months": 0,
                "cancellation": "at_term_end",
                "price_usd_per_h100e_hour": 2.0,
                "source": TEST_SOURCE,
            }
        },
    )


def expected_npv(known_from: int):
    """An expected-NPV solver over the two futures, information at period ``known_from``."""

    def solve(spec: Spec) -> float:
        futures = [
            future_spec(
                spec,
                [
                    ("tenants.own.value_usd_per_h100e_hour", v),
                    ("tenants.own.value_decline_per_year", dcl),
                ],
            )
            for v, dcl in (HIGH, LOW)
        ]
        return solve_futures(futures, [P_HIGH, 1 - P_HIGH], known_from).expected_npv

    return solve


def test_the_futures_value_own_work_as_stated() -> None:
    for (v, dcl), want in ((HIGH, (3.0, 3.0)), (LOW, (3.0, 1.0))):
        got = tuple(v * (1 - dcl) ** mid for mid in (0.5, 1.5))
        assert got == pytest.approx(want, rel=1e-12)


def test_the_right_to_renew_is_worth_its_option_value() -> None:
    """Renewal decided once the year-1 value is known: ``(1 - p) x $1/h`` on the site."""
    c = clause_value(model(), "lease", "renewal", solve=expected_npv(known_from=1))
    want = (1 - P_HIGH) * (2.0 - 1.0) * YEAR * DF1
    assert c.value == pytest.approx(want, rel=1e-6)


def test_decided_before_the_news_the_renewal_is_worth_only_its_expectation() -> None:
    """With no information before the decision the renewal is taken in both futures:
    ``2 - E[v1] = 2 - (3p + (1 - p))`` per H100e-hour, less than the option."""
    c = clause_value(model(), "lease", "renewal", solve=expected_npv(known_from=2))
    e_v1 = P_HIGH * 3.0 + (1 - P_HIGH) * 1.0
    assert c.value == pytest.approx((2.0 - e_v1) * YEAR * DF1, rel=1e-6)


def test_deterministic_clause_values_by_hand() -> None:
    """One future only (own work stays at $3): renewing at $2 is never worth it; and a mutual
    cancellation with no notice lets the plan drop the lease at once, worth ($3 - $2) for the
    first year."""
    renewal = clause_value(model(), "lease", "renewal")
    assert renewal.value == pytest.approx(0.0, abs=1e-6)
    notice = clause_value(model(), "lease", "notice")
    assert notice.value == pytest.approx((3.0 - 2.0) * YEAR * 1.05**-0.5, rel=1e-6)


def test_the_notice_clause_is_worth_the_loss_it_avoids_in_the_low_future() -> None:
    """A two-year lease at a price that follows a market: $3/h this year in both futures, next
    year $3 (p) or about $1 (1 - p); own work is worth $2 throughout. With the mutual
    cancellation (no notice period) the plan gives notice at the start of next year in the low
    future only, avoiding ``$2 - $1``; without it the lease runs its two-year term. Option
    value: ``(1 - p) x (2 - 1) x 10 kH100e x 8.76 x df_1``."""
    two_year = model()
    two_year["tenants"]["own"]["value_usd_per_h100e_hour"] = 2.0
    two_year["contracts"]["lease"]["term_months"] = 24
    high, low = (3.0, 0.0), (3.0 / (1 / 3) ** 0.5, -2 / 3)  # (price, change): 3 then 3 or 1

    def solve(spec: Spec) -> float:
        sets = [
            [
                ("contracts.lease.price_usd_per_h100e_hour", price),
                ("contracts.lease.price_change_per_year", change),
            ]
            for price, change in (high, low)
        ]
        futures = [future_spec(spec, s) for s in sets]
        return solve_futures(futures, [P_HIGH, 1 - P_HIGH], known_from=1).expected_npv

    c = clause_value(two_year, "lease", "notice", solve=solve)
    # a contract price moves from its start to mid-period in Julian years: next year's middle is
    # 365/365.25 + 0.5 years after 2030-01-01, so the low price is a hair above $1
    low_price = low[0] * (1 + low[1]) ** (365 / 365.25 + 0.5)
    assert low_price == pytest.approx(1.0, rel=1e-3)
    assert c.value == pytest.approx((1 - P_HIGH) * (2.0 - low_price) * YEAR * DF1, rel=1e-6)
