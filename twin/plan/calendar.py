"""The periods of a plan's horizon and their discount factors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from twin.dates import add_months
from twin.plan import economics as econ
from twin.spec.schema import Model


class CalendarFields(TypedDict):
    """The calendar under PlanData's names: period starts, length ``dt`` [years], start offsets
    ``t`` [years], discount factors ``df`` at period starts and ``df_end`` at ``horizon_end``."""

    periods: list[date]
    dt: float
    t: list[float]
    df: list[float]
    df_end: float
    horizon_end: date


@dataclass(frozen=True)
class Calendar:
    """Periods of the horizon: starts, the horizon end, length [years], offsets and discounting."""

    starts: list[date]
    end: date
    dt: float
    t: list[float]
    mid: list[float]
    df: list[float]
    df_end: float

    def fields(self) -> CalendarFields:
        """The calendar as :class:`~twin.plan.data.PlanData` names it."""
        return {
            "periods": self.starts,
            "dt": self.dt,
            "t": self.t,
            "df": self.df,
            "df_end": self.df_end,
            "horizon_end": self.end,
        }

    @property
    def bounds(self) -> list[date]:
        """Period starts followed by the horizon end."""
        return [*self.starts, self.end]


def calendar(m: Model) -> Calendar:
    """Periods and mid-period discount factors of the model's horizon."""
    h = m.horizon
    step = h.months_per_period
    n = h.years * 12 // step
    dt_years = step / 12
    bounds = [add_months(h.start, step * p) for p in range(n + 1)]
    t = [p * dt_years for p in range(n)]
    mid = [tp + dt_years / 2 for tp in t]
    r = m.economics.discount_rate
    return Calendar(
        starts=bounds[:-1],
        end=bounds[-1],
        dt=dt_years,
        t=t,
        mid=mid,
        df=[econ.discount_factor(r, x) for x in mid],
        df_end=econ.discount_factor(r, n * dt_years),
    )
