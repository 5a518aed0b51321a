"""Calendar arithmetic used by every layer, defined once (a leaf module)."""

from __future__ import annotations

import datetime as dt

from twin.constants import DAYS_PER_YEAR


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months, the day of the month clipped to the month's length
    (31 January + 1 month = 28 or 29 February)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: day 28 exists in every month


def years_between(start: dt.date, end: dt.date) -> float:
    """``(end - start)`` in Julian years of 365.25 days [years]."""
    return (end - start).days / DAYS_PER_YEAR


def months_between(start: dt.date, end: dt.date) -> float:
    """``(end - start)`` in calendar months, a part month pro rata by its days [months]:
    2030-07-01 -> 2031-01-01 is exactly 6."""

    def index(day: dt.date) -> float:
        days = (add_months(day.replace(day=1), 1) - day.replace(day=1)).days
        return day.year * 12 + day.month - 1 + (day.day - 1) / days

    return index(end) - index(start)
