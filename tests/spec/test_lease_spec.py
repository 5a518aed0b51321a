"""Lease choices in the model file: renew/notice left to the plan, cancellation, offers."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import lease_offer, leased_site, leased_site_model

from twin.spec import SpecError, load_dict, load_model
from twin.state import contract_end


def test_renew_and_notice_accept_decide_and_keep_their_fixed_forms() -> None:
    m = load_dict(leased_site_model(leased_site(1.0, renew="decide"))).model
    assert m.contracts["lease"].decided and m.contracts["lease"].renewing
    m = load_dict(leased_site_model(leased_site(1.0, renew=False, notice_given="decide"))).model
    assert m.contracts["lease"].decided and not m.contracts["lease"].renewing
    m = load_dict(leased_site_model(leased_site(1.0, renew=True, notice_given="2030-10-01"))).model
    assert not m.contracts["lease"].decided
    assert m.contracts["lease"].notice_given == dt.date(2030, 10, 1)


def test_baseline_csv_contract_still_reads_renew_false() -> None:
    c = load_model("models/baseline.yaml").model.contracts["colossus1_anthropic"]
    assert c.renew is False and not c.decided and c.cancellation == "mutual"


def test_bad_renew_value_names_the_key() -> None:
    with pytest.raises(SpecError, match=r"contracts\.lease\.renew"):
        load_dict(leased_site_model(leased_site(1.0, renew="maybe")))


def test_offer_for_an_unknown_tenant_is_named() -> None:
    bad = lease_offer(5.0, tenant="lesse")
    with pytest.raises(SpecError, match=r"offers\.q\.tenant.*did you mean 'lessee'"):
        load_dict(leased_site_model(offers=bad))


def test_at_term_end_notice_ends_the_lease_at_the_next_term_end() -> None:
    """6-month terms from 2030-01-01, 3 months' notice given 2030-02-01: mutual ends it
    2030-05-01; at_term_end at the first term end on or after that, 2030-07-01."""
    end = dt.date(2033, 1, 1)
    for cancel, want in (("mutual", dt.date(2030, 5, 1)), ("at_term_end", dt.date(2030, 7, 1))):
        lease = leased_site(1.0, renew=True, notice_given="2030-02-01", cancellation=cancel)
        m = load_dict(leased_site_model(lease)).model
        assert contract_end(m, "lease", end) == want


def test_a_decided_whole_site_lease_needs_a_site_with_chips() -> None:
    """It covers the as-built fleet: on a site with none it would cover nothing."""
    model = leased_site_model(offers=lease_offer(5.0, form="whole_site", quantity_k_h100e=None))
    model["events"] = {}
    with pytest.raises(SpecError, match=r"offers\.q\.site.*no chips installed or committed"):
        load_dict(model)


def test_contradicting_lease_settings_are_refused_naming_the_key() -> None:
    """A notice the plan decides on a lease that renews regardless, and a notice date on a lease
    whose notice the plan decides, contradict each other (issue 21): refused, never one winning."""
    with pytest.raises(SpecError, match=r"contracts\.lease\.notice_given: 'decide' contradicts"):
        load_dict(leased_site_model(leased_site(1.0, renew=True, notice_given="decide")))
    with pytest.raises(SpecError, match=r"contracts\.lease\.renew: 'decide' contradicts"):
        load_dict(leased_site_model(leased_site(1.0, renew="decide", notice_given="2030-10-01")))


def test_an_offer_whose_latest_start_is_before_its_earliest_is_refused() -> None:
    bad = lease_offer(5.0)
    (row,) = bad.values()
    row["latest"] = "2029-01-01"
    with pytest.raises(SpecError, match=r"offers\.q\.latest: 2029-01-01 is before earliest"):
        load_dict(leased_site_model(offers=bad))
