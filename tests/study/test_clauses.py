"""The value of a lease clause, against first principles.

A one-site, two-year problem: the site (10 kH100e, no new chips) is leased whole at $2/H100e-h for
one year from 2030-01-01, renewable at its term end with no notice period. Own work is worth
$3/h this year; next year it stays at $3 (probability p) or falls to $1 (1 - p), and that is
known at the start of next year, when the renewal is decided. Renewing pays ``$2 - v1`` per
H100e-hour over the year, so the right to renew is worth, in expectation,

    (1 - p) x (2 - 1) $/h x 10 kH100e x 8.76 x df_1,   df_1 = 1.05 ** -1.5

(renew only when own work falls to $1). Committed before knowing, the renewal is taken or not in
both futures: it is taken since ``E[v1] = 3p + (1 - p) < 2`` and is worth ``2 - E[v1]`` instead.
The mutual cancellation is priced the same way, as the option to give notice when the lease's
price falls below own work's value. The two futures are a two-stage tree of the one stochastic
program (:func:`twin.study.tree.futures_tree`, :func:`twin.study.risk.expected_npv`).
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import FULL_SITE_EVENTS, TEST_SOURCE, lessee, tiny_model

from twin.plan.leases import lease_decision_vars
from twin.spec.spec import Spec
from twin.study.clauses import clause_value
from twin.study.risk import expected_npv
from twin.study.stochastic import STAGE_VARIABLES
from twin.study.tree import futures_tree

P_HIGH = 0.3
DF1 = 1.05**-1.5
YEAR = 10 * 8.76  # $M per year per $/H100e-hour on the whole site
OWN = "tenants.own.value_usd_per_h100e_hour"
START, NEWS = dt.date(2030, 1, 1), dt.date(2031, 1, 1)
#: the lease decisions committed now (tied at the root), whatever their notice dates
COMMITTED = (
    *(p for p in STAGE_VARIABLES if p is not lease_decision_vars),
    lambda m, d: [(v, 0) for v, _ in lease_decision_vars(m, d)],
)


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


def two_futures(path: str, low: float, committed: bool = False):
    """An expected-NPV solver over two futures learnt on 2031-01-01: ``path`` keeps the model's
    value (probability p) or takes ``low`` from then on (1 - p); with ``committed`` the lease
    decisions are taken now, before the news."""
    tree = futures_tree(START, NEWS, [(P_HIGH, (), "high"), (1 - P_HIGH, ((path, low),), "low")])

    def solve(spec: Spec) -> float:
        return expected_npv(spec, tree, stage_vars=COMMITTED if committed else STAGE_VARIABLES)

    return solve


def test_the_right_to_renew_is_worth_its_option_value() -> None:
    """Renewal decided once the year-1 value is known: ``(1 - p) x $1/h`` on the site."""
    c = clause_value(model(), "lease", "renewal", solve=two_futures(OWN, 1.0))
    want = (1 - P_HIGH) * (2.0 - 1.0) * YEAR * DF1
    assert c.value == pytest.approx(want, rel=1e-6)


def test_committed_before_the_news_the_renewal_is_worth_only_its_expectation() -> None:
    """With the renewal committed before the news it is taken in both futures:
    ``2 - E[v1] = 2 - (3p + (1 - p))`` per H100e-hour, less than the option."""
    c = clause_value(model(), "lease", "renewal", solve=two_futures(OWN, 1.0, committed=True))
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
    year $3 (p) or $1 (1 - p); own work is worth $2 throughout. With the mutual
    cancellation (no notice period) the plan gives notice at the start of next year in the low
    future only, avoiding ``$2 - $1``; without it the lease runs its two-year term. Option
    value: ``(1 - p) x (2 - 1) x 10 kH100e x 8.76 x df_1``."""
    two_year = model()
    two_year["tenants"]["own"]["value_usd_per_h100e_hour"] = 2.0
    two_year["contracts"]["lease"]["term_months"] = 24
    two_year["contracts"]["lease"]["price_usd_per_h100e_hour"] = 3.0
    solve = two_futures("contracts.lease.price_usd_per_h100e_hour", 1.0)
    c = clause_value(two_year, "lease", "notice", solve=solve)
    assert c.value == pytest.approx((1 - P_HIGH) * (2.0 - 1.0) * YEAR * DF1, rel=1e-6)


def test_an_override_of_what_the_clause_sets_is_refused() -> None:
    """The clause's settings win on both sides, so an override of one, of the contract above
    it, or of a key inside the clause's, is refused before any solve (naming ``--set``)."""
    from twin.spec import SpecError

    lease = model()["contracts"]["lease"]
    for path, value in (
        ("contracts.lease.renew", False),
        ("contracts.lease", {**lease, "renew": False}),
        ("contracts.lease.notice_given", "decide"),  # the without-side sets it
    ):
        with pytest.raises(SpecError, match="renewal clause sets") as err:
            clause_value(model(), "lease", "renewal", overrides=[(path, value)], solve=len)
        assert err.value.file == "--set" and err.value.key == path
    term = [("contracts.lease.term_months", 12)]
    fine = clause_value(model(), "lease", "renewal", overrides=term,
                        solve=lambda s: s.model.contracts["lease"].term_months)  # fmt: skip
    assert fine.value == 0.0 and fine.with_npv == 12
