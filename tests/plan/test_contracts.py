"""Contracts: a whole-site lease holds exactly over its term and ends at its notice date."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import FULL_SITE_EVENTS, TEST_SOURCE, lessee, tiny_model

from twin.plan import plan
from twin.report import to_dataset
from twin.spec import load_dict

LESSEE = lessee(0.5)


def lease_model(**contract: object) -> dict:
    """A full 10 MW site; own work is worth $3/h, the lessee's contract pays only $1/h, so the
    lessee gets compute only because, and only while, the contract binds."""
    lease = {
        "tenant": "lessee",
        "site": "s1",
        "form": "whole_site",
        "start": "2030-01-01",
        "term_months": 6,
        "notice_months": 3,
        "price_usd_per_h100e_hour": 1.0,
        "source": TEST_SOURCE,
        **contract,
    }
    return tiny_model(
        horizon={"period": "quarter", "years": 3},
        sites={"s1": {"max_mw": 10.0}},
        chips={"c1": {"available_until": "2029-06-01"}},
        tenants={
            "own": {"demand_k_h100e": 100.0, "value_usd_per_h100e_hour": 3.0},
            "lessee": LESSEE,
        },
        events=FULL_SITE_EVENTS,
        contracts={"lease": lease},
    )


def lessee_share(model: dict) -> np.ndarray:
    ds = to_dataset(plan(load_dict(model)))
    return ds["allocation_h100e"].sel(site="s1", tenant="lessee").values / 10_000.0


def test_whole_site_lease_holds_over_its_term_then_ends() -> None:
    """Term 6 months from 2030-01-01, no renewal: the two quarters of 2030H1 go to the lessee."""
    np.testing.assert_allclose(lessee_share(lease_model()), [1, 1] + [0] * 10, atol=1e-9)


def test_renewed_lease_runs_to_the_horizon() -> None:
    np.testing.assert_allclose(lessee_share(lease_model(renew=True)), 1.0, atol=1e-9)


def test_cancelled_lease_ends_at_its_notice_date() -> None:
    """Renewing lease, notice given 2030-10-01 with 3 months' notice: it ends 2031-01-01, after
    four quarters (Q1-Q4 2030)."""
    share = lessee_share(lease_model(renew=True, notice_given="2030-10-01"))
    np.testing.assert_allclose(share, [1, 1, 1, 1] + [0] * 8, atol=1e-9)


def test_notice_cannot_extend_a_term() -> None:
    """Notice given late in the last term: the term's own end comes first."""
    share = lessee_share(lease_model(notice_given="2030-05-01"))
    np.testing.assert_allclose(share, [1, 1] + [0] * 10, atol=1e-9)


def test_quantity_contract_gets_exactly_its_quantity() -> None:
    model = lease_model(form="quantity", site=None, quantity_k_h100e=4.0, renew=True)
    np.testing.assert_allclose(lessee_share(model), 0.4, atol=1e-9)


def test_mw_month_lease_earns_price_times_it_load() -> None:
    """$100,000 per MW-month on 10 MW of IT load for the 6-month term = $6M of revenue."""
    model = lease_model(price_usd_per_h100e_hour=None, price_usd_per_mw_month=100_000.0)
    ds = to_dataset(plan(load_dict(model)))
    assert float(ds["contract_revenue_musd"].sum()) == pytest.approx(6.0, rel=1e-9)
    assert float(ds["revenue_musd"].sum()) == pytest.approx(6.0, rel=1e-9)


def test_contract_revenue_is_the_objectives_own_expression() -> None:
    """$1/H100e-h on the whole 10 MW site (10,000 H100e) from 2030-02-15 for 6 months. Cover:
    Q1 45/90 = 0.5, Q2 1, Q3 45/92. The lessee (market $0.5/h) is served exactly the covered share
    of the site; of each H100e-hour, the contract pays cover x $1 and the market value the rest:
    Q1 0.5 x 1 x 5 kH100e x 8.76 x 0.25 = 5.475 $M (market part 0.5 x 0.5 x 5 x 2.19 = 2.7375),
    Q2 10 x 2.19 = 21.9 $M. The report's contract revenue is the solved value of the expression
    the objective's revenue flow adds, so revenue = contract revenue + the market part."""
    p = plan(load_dict(lease_model(start="2030-02-15")))
    ds = to_dataset(p)
    rev = ds["contract_revenue_musd"].sel(contract="lease").values
    q3 = 45 / 92
    want = [5.475, 21.9, q3 * q3 * 10 * 2.19] + [0.0] * 9
    np.testing.assert_allclose(rev, want, rtol=1e-9, atol=1e-9)
    market = [2.7375, 0.0, (1 - q3) * 0.5 * q3 * 10 * 2.19] + [0.0] * 9
    np.testing.assert_allclose(ds["revenue_musd"].values, np.add(want, market), rtol=1e-9)
    solved = [p.model.contract_revenue["lease", t].expr() for t in range(3)]
    np.testing.assert_allclose(solved, want[:3], rtol=1e-12)
