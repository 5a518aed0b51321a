"""Checks within one row of a table that its schema class runs (kept here: schema.py is long).

Each raises ``ValueError`` with what was expected; pydantic and the loader name the file, row
and key (:func:`twin.spec.validation.translate`).
"""

from __future__ import annotations

from typing import Any


def tenant_bounds(t: Any) -> None:
    """A tenant's cap on demand growth is at or above its first period's demand, and the
    long-run floor its value falls toward is at or below that value (both were taken without a
    word: the cap bound from the first period, the value rose)."""
    cap = t.demand_max_k_h100e
    if cap is not None and cap < t.demand_k_h100e:
        raise ValueError(
            f"demand_max_k_h100e {cap:g} is below demand_k_h100e {t.demand_k_h100e:g}: "
            "expected a cap on growth at or above the first period's demand"
        )
    if t.value_floor_usd_per_h100e_hour > t.value_usd_per_h100e_hour:
        raise ValueError(
            f"value_floor_usd_per_h100e_hour {t.value_floor_usd_per_h100e_hour:g} is above "
            f"value_usd_per_h100e_hour {t.value_usd_per_h100e_hour:g}: expected the long-run "
            "level the value falls toward, at or below it"
        )


def whole_chips(chips: float | None) -> None:
    """An event installs or retires whole chips (20000.5 was taken)."""
    if chips is not None and chips != int(chips):
        raise ValueError(f"chips: {chips:g} is not a whole number; expected whole chips")
