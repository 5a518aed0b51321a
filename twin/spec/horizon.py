"""The planning horizon and what is worth something at its end (README "End effects")."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from twin.spec.base import Frozen

#: What assets left at the horizon end are worth (README "End effects"): ``buffer`` solves
#: ``buffer_years`` more, values what is left at their end by ``buffer_end`` and reports the
#: horizon asked for; ``straight_line`` credits book value at the end; ``continued_use`` what the
#: assets would earn after it, capped at book value; ``none`` credits nothing.
EndEffects = Literal["buffer", "continued_use", "straight_line", "none"]
#: The rule at the end of a buffer: one of the end effects that is not a buffer.
WallRule = Literal["continued_use", "straight_line", "none"]
#: The override that plans a model in the energy-only period form (``--set PATH=none``): the
#: baseline plans in hours by default; its segments and extreme days go with the days.
ENERGY_ONLY: tuple[str, str] = ("horizon.hours.representative_days", "none")


def is_none_word(value: object) -> bool:
    """An empty value or the word ``none`` (any case, spaces around): the energy-only form."""
    return value is None or (isinstance(value, str) and value.strip().lower() == "none")


class HoursSpec(Frozen):
    """Time inside a period (README "Hourly profiles"): ``representative_days`` days of 24 hours
    chosen by time-series aggregation from a year of hourly profiles, each cut into ``segments``
    time steps (24: hours), or ``None`` for the energy-only period form (one "day" of one
    "hour" with weight = hours in the period)."""

    representative_days: int | None = Field(
        None,
        ge=1,
        le=365,
        description="Representative days of 24 hours per year, in [1, 365]; empty (none): the "
        "energy-only period form [days]",
    )
    segments: int = Field(
        24,
        ge=1,
        le=24,
        description="Time steps per representative day, in [1, 24]: 24 keeps the day's hours; "
        "fewer joins adjacent hours into segments of unequal length (tsam segmentation, "
        "the mean of the hours joined), whose durations weight every energy sum and storage "
        "balance [steps per day]",
    )
    extreme_days: bool = Field(
        False,
        description="Add the year's extreme days to the N typical ones, each standing for "
        "itself (weight 1 day): the day of least mean wind and the day of the hottest hour "
        "(of every site's profile; with one weather year they are the same two days) "
        "[true/false]",
    )
    method: Literal["tsam"] = Field(
        "tsam", description="How the days are chosen: 'tsam' (hierarchical clustering of whole "
        "days, medoids, weights = days each stands for) [-]",
    )  # fmt: skip
    profiles: str | None = Field(
        None,
        description="Folder of the hourly profile CSVs (solar.csv, wind.csv, temperature.csv), "
        "relative to the model file; empty: 'profiles' beside the model's sites table if it "
        "exists, else datasets/profiles in the model's project for a sites table inside it "
        "[path]",
    )

    @field_validator("representative_days", mode="before")
    @classmethod
    def _none_word(cls, value: object) -> object:
        """``none`` (any case) is the energy-only form, as an empty value."""
        return None if is_none_word(value) else value

    @model_validator(mode="after")
    def _days_for_steps(self) -> HoursSpec:
        """Segments and extreme days cut representative days: without days they would be
        ignored, so a file that sets them away from their defaults (24 steps, no extreme days)
        and never names the days is refused."""
        given = [k for k, v in (("segments", 24), ("extreme_days", False)) if getattr(self, k) != v]
        if self.representative_days is None and given:
            raise ValueError(
                f"{' and '.join(given)} given without representative_days (the energy-only "
                "form has no days to cut); expected representative_days in [1, 365] or no "
                f"{' and no '.join(given)}"
            )
        return self


class Horizon(Frozen):
    """The planning horizon: ``years`` years from ``start`` in periods of one ``period``."""

    start: dt.date = Field(description="First day of the first period [date]")
    years: int = Field(ge=1, le=40, description="Length of the horizon [years]")
    period: Literal["year", "quarter"] = Field("year", description="Period length [-]")
    end_effects: EndEffects = Field(
        "buffer",
        description="What assets left at the horizon end are worth: 'buffer' (solve "
        "buffer_years more, report the horizon), 'continued_use' (what they would earn, capped "
        "at book value), 'straight_line' (book value), 'none' [-]",
    )
    buffer_end: WallRule = Field(
        "none",
        description="How assets left at the end of a buffer are valued: 'continued_use', "
        "'straight_line' or 'none' [-]",
    )
    buffer_years: int = Field(
        5, ge=0, le=25, description="Years solved past the horizon with a buffer [years]"
    )

    hours: HoursSpec = Field(
        default_factory=HoursSpec,
        description="Time inside a period: representative days; none: the energy-only form [-]",
    )

    @field_validator("hours", mode="before")
    @classmethod
    def _hours_none(cls, value: object) -> object:
        """``hours: none`` (or empty) is the energy-only form, as no hours block."""
        return {} if is_none_word(value) else value

    @property
    def solved_years(self) -> int:
        """Years the plan solves: ``years`` plus ``buffer_years`` with a buffer [years]."""
        return self.years + (self.buffer_years if self.end_effects == "buffer" else 0)

    @property
    def months_per_period(self) -> int:
        """12 for yearly periods, 3 for quarterly ones [months]."""
        return 12 if self.period == "year" else 3


__all__ = ["EndEffects", "Horizon", "HoursSpec", "WallRule"]
