"""The periods of a plan's horizon and their discount factors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from twin.dates import add_months, months_between
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


def rate_caps(
    cal: Calendar, rate: float, since: date, until: date | None = None
) -> list[float]:
    """Most of a flow at ``rate`` per year from ``since`` (to ``until``) that purchases in each
    period may take when what is bought in p serves from p's start (issue 17):

        cap_p = rate x (A_p - A_{p-1}),   A_p = years from ``since`` to the middle of p's part
                                                 inside [since, until)  (0 before it)

    so the stock bought by p, ``rate x A_p``, is the mean over p of what the flow has delivered.
    A full period gets ``rate x dt``; the first, partial one ``rate x w dt / 2`` for the share w
    of it after ``since`` (never before the horizon start: what flowed before is not the plan's).
    With ``rate x dt`` in every period instead, a yearly plan took each
    year's flow at its start, half a year before a quarterly one could.

    The period in which the flow ends (``since < until <= end_p``) is the last in which it can be
    bought: there ``A_p`` is the years from ``since`` to ``until``, so what the plan may hold by
    then is the whole flow, ``rate x (until - since)``, in every period length (with the middle
    rule, the flow's last half-period was never on sale, and yearly and quarterly plans lost
    different amounts of it).
    """
    out, before, since = [], 0.0, max(since, cal.starts[0])  # the plan buys from its start
    for start, end in zip(cal.starts, cal.bounds[1:], strict=True):
        lo, hi = max(start, since), end if until is None else min(end, until)
        mid = months_between(since, lo) + months_between(lo, hi) / 2  # months to the middle
        if until is not None and lo < until <= end:  # the flow's last period: all of it
            mid = months_between(since, until)
        accrued = mid / 12 if lo < hi else before
        accrued = max(accrued, before)
        out.append(rate * (accrued - before))
        before = accrued
    return out
