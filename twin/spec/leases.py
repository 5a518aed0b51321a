"""Schemas of leases: signed contracts and tenant offers (what a lease offers, and its clauses).

A contract's notice may be left to the plan (``renew: decide`` or ``notice_given: decide``); an
offer is a lease the plan may take. How the plan decides them: :mod:`twin.plan.lease_terms` and
:mod:`twin.plan.leases`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from twin.spec.base import Frozen, Source


class LeaseTerms(Frozen):
    """What a lease offers: a whole site or a firm quantity, its term, notice and price."""

    tenant: str = Field(description="Tenant served [-]")
    site: str | None = Field(None, description="Site leased (whole_site) or required [-]")
    form: Literal["whole_site", "quantity"] = Field(description="Contract form [-]")
    quantity_k_h100e: float | None = Field(
        None, gt=0, description="Firm compute for the quantity form [1000 H100e]"
    )
    term_months: int = Field(gt=0, le=600, description="Length of one term [months]")
    notice_months: int = Field(0, ge=0, description="Cancellation notice period [months]")
    cancellation: Literal["mutual", "at_term_end"] = Field(
        "mutual",
        description="'mutual': notice ends the lease notice_months later; 'at_term_end': only "
        "at the end of a term [-]",
    )
    price_usd_per_h100e_hour: float | None = Field(
        None, ge=0, le=100, description="Price per H100e-hour [$/H100e-hour]"
    )
    price_usd_per_mw_month: float | None = Field(
        None, ge=0, description="Price per IT MW-month leased [$/MW-month]"
    )
    price_change_per_year: float = Field(
        0.0,
        ge=-0.9,
        le=1.0,
        description="Compound price change from the start, e.g. repricing "
        "renewals to a falling market [1/year]",
    )
    source: str = Source

    @model_validator(mode="after")
    def _form_fields(self) -> LeaseTerms:
        if self.notice_months > self.term_months:
            raise ValueError(
                f"term_months ({self.term_months}) is shorter than notice_months "
                f"({self.notice_months}); expected term_months >= notice_months"
            )
        if self.form == "whole_site" and not self.site:
            raise ValueError("a whole_site contract needs 'site'")
        if self.form == "quantity" and self.quantity_k_h100e is None:
            raise ValueError("a quantity contract needs 'quantity_k_h100e'")
        prices = [self.price_usd_per_h100e_hour, self.price_usd_per_mw_month]
        if sum(p is not None for p in prices) != 1:
            raise ValueError(
                "give exactly one of price_usd_per_h100e_hour and price_usd_per_mw_month"
            )
        if self.price_usd_per_mw_month is not None and self.form != "whole_site":
            raise ValueError("price_usd_per_mw_month is for whole_site contracts")
        return self


class Contract(LeaseTerms):
    """A tenant contract: a whole-site lease or a firm quantity, with term and notice.

    It runs from ``start`` for ``term_months``; ``renew`` extends it term by term to the horizon
    end; ``notice_given`` ends it ``notice_months`` after that date (mutual cancellation), or with
    ``cancellation: at_term_end`` at the first term end at least ``notice_months`` later.
    ``renew: decide`` (renewing, notice left to the plan) or ``notice_given: decide`` leave the
    notice to the plan: see :mod:`twin.plan.lease_terms`.
    """

    start: dt.date = Field(description="First day of the term [date]")
    renew: bool | Literal["decide"] = Field(
        False,
        description="Renews term after term to the horizon end; 'decide': renews unless the "
        "plan gives notice [-]",
    )
    notice_given: dt.date | Literal["decide"] | None = Field(
        None, description="Date notice of cancellation; 'decide': left to the plan [date]"
    )

    @property
    def decided(self) -> bool:
        """Whether the plan decides the notice (``renew: decide`` or ``notice_given: decide``)."""
        return self.notice_given == "decide" or (
            self.renew == "decide" and self.notice_given is None
        )

    @property
    def renewing(self) -> bool:
        """Whether the lease renews term after term unless notice is given."""
        return self.renew is True or self.renew == "decide"


class Offer(LeaseTerms):
    """A tenant's offer the plan may take (once, at a period start from ``earliest``) or decline.

    Taken, it runs as a contract starting that day whose notice is left to the plan; a
    whole-site offer, like every whole-site lease the plan decides, covers the site's as-built
    fleet.
    """

    earliest: dt.date = Field(description="Earliest start [date]")
    latest: dt.date | None = Field(None, description="Latest start; empty: any later [date]")
    renew: bool = Field(False, description="Renews term after term unless notice is given [-]")
    enabled: bool = Field(True, description="Whether the offer is made [-]")
