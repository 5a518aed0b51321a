"""The horizon the plan solves and how its end is valued, under PlanData's names.

With ``horizon.end_effects = 'buffer'`` the plan solves ``buffer_years`` more than asked (the
roadmap and every price path simply continue on their trend) and reports the years asked for;
:mod:`twin.plan.end_effects` states the rules that value what is left at the solved end.
"""

from __future__ import annotations

from typing import TypedDict

from twin.spec.schema import Model


def solved_model(m: Model) -> Model:
    """``m`` over the horizon the plan solves: ``buffer_years`` longer with end effects
    'buffer' (the roadmap and every price path simply continue on their trend)."""
    h = m.horizon
    if h.solved_years == h.years:
        return m
    return m.model_copy(update={"horizon": h.model_copy(update={"years": h.solved_years})})


class EndFields(TypedDict):
    """The end-effect choice, the number of periods asked for and the chip resale share (how
    assets are left), under PlanData's names."""

    end_effects: str
    buffer_end: str
    value_decline: float
    reported_periods: int
    chip_resale_share: float | None


def end_fields(asked: Model) -> EndFields:
    """The end-effect choice and the number of periods asked for (before any buffer)."""
    h = asked.horizon
    return {
        "end_effects": h.end_effects,
        "buffer_end": h.buffer_end,
        "value_decline": max((t.value_decline_per_year for t in asked.tenants.values()), default=0),
        "reported_periods": h.years * 12 // h.months_per_period,
        "chip_resale_share": asked.economics.chip_resale_share,  # leaving chips before the end
    }
