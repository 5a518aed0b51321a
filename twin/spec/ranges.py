"""Sane ranges for every number and date of a model, by unit, checked for every field at once.

Each schema field states its unit in brackets at the end of its description (``[MW]``,
``[$/kg]``...). :func:`check_value` looks the unit up in :data:`UNIT_RANGES` and refuses a value
outside it, so a typo of a few orders of magnitude (1e308, a 40-digit integer) is an error naming
the key, not a plan. Fields' own ``ge``/``le`` bounds still apply and are usually tighter; these
ranges are the outer fence, wide enough for any real fleet (the whole world's data centres drew
~50 GW in 2025). Non-finite numbers (``.inf``, ``.nan``) are refused for every float by the
schemas' ``allow_inf_nan=False``. Numbers without a known unit get :data:`ANY_NUMBER`, dates
:data:`DATE_RANGE`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

#: Outer range of any number without a unit listed here (|x| at most 1e12).
ANY_NUMBER = (-1e12, 1e12)

#: Smallest magnitude of a nonzero number: anything closer to 0 (1e-266, a lost exponent sign) is
#: a typo that would leave the solver coefficients spanning hundreds of orders of magnitude.
TINY = 1e-12


def underflows(text: str) -> bool:
    """Whether ``text`` writes a nonzero number that reads as 0.0 (``5e-400``, below the smallest
    float): the typo :data:`TINY` refuses, which would otherwise pass as an exact 0."""
    try:
        value = float(text)
    except ValueError:
        return False
    mantissa = re.split("[eE]", text.strip())[0]
    return value == 0.0 and any(c in "123456789" for c in mantissa)


def tiny_expected(text: str) -> str | None:
    """What the model files expect instead of the number written ``text`` if it is nonzero and
    closer to 0 than :data:`TINY`, or underflows to 0 (:func:`underflows`); else None. The one
    rule of a table cell, a profile cell and a numeric command-line option."""
    try:
        value = float(text)
    except ValueError:
        return None
    if underflows(text):
        return (
            f"expected 0 or a number at least {TINY:g} in magnitude, got {text.strip()} (below "
            "the smallest float: it would be read as 0)"
        )
    if 0 < abs(value) < TINY:
        return f"expected 0 or a number at least {TINY:g} in magnitude, got {text.strip()}"
    return None


def number_expected(text: str) -> str | None:
    """What a number written ``text`` (a command-line value) should have been: finite, and 0 or
    at least :data:`TINY` in magnitude, as in a model file; None if it is one, or is not a
    number at all (the reader of the value's own type says so)."""
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value):
        return f"expected a finite number, got {text.strip()}"
    return tiny_expected(text)


#: Dates and datetimes must fall in this range (a plan of AI compute is about this century).
DATE_RANGE = (dt.date(1950, 1, 1), dt.date(2200, 12, 31))

#: Sane range of a value by the unit in its field's description, inclusive.
UNIT_RANGES: dict[str, tuple[float, float]] = {
    "year": (1950, 2200),
    "years": (0, 200),
    "months": (0, 2400),
    "s": (0, 1e7),
    "ms": (0, 1e5),
    "MW": (0, 1e6),
    "kW": (1e-3, 1e3),  # per chip: at least 1 W
    "H100e": (1e-3, 1e3),  # per chip: at least a thousandth of an H100
    "1000 H100e": (0, 1e7),
    "chips": (0, 1e10),
    "1000 chips/year": (0, 1e7),
    "1000 wafer starts/month": (0, 1e4),
    "1000 wspm": (0, 1e4),
    "dies": (0, 1e5),
    "Gbit/s": (0, 1e7),
    "t/year": (0, 1e8),
    "deg": (-360, 360),
    "$": (0, 1e9),
    "$M": (0, 1e7),
    "$M/MW": (0, 1e4),
    "$M/MW-year": (0, 1e4),
    "$M/Gbit/s-year": (0, 1e4),
    "km": (0, 1e6),
    "persons": (0, 1e10),
    "$M/(1000 wspm)/yr": (0, 1e5),
    "$/MWh": (0, 1e5),
    "$/kg": (0, 1e6),
    "$/H100e-hour": (0, 1e4),
    "GB/H100e-hour": (0, 10),  # data moved per unit of training (traffic section)
    "$/MW-month": (0, 1e8),
    "1/year": (-1, 10),
    "MW/yr": (0, 1e6),
    "t/MWh": (0, 10),
    "kg/MWh": (0, 100),
    "L/MWh": (0, 1e5),
    "L/kWh": (0, 100),
    "$/t CO2": (0, 1e4),
    "kt/year": (0, 1e7),
    "$/MMBtu": (0, 1e3),
    "MMBtu/MWh": (0, 100),
    "MWh": (0, 1e8),
    "h": (0, 1e4),
    "days": (0, 366),
    "steps per day": (1, 24),
    "-": (-1e6, 1e6),
    "unit of the path": (-1e10, 1e10),  # uncertainty laws; the path's own field is checked too
}

#: Units of the orbit schemas, whose descriptions name units in words, by field-name suffix.
SUFFIX_UNITS = {
    "_km": (0, 1e6),
    "_deg": (-360, 360),
    "_hours": (0, 24),
    "_years": (0, 200),
    "_year": (1950, 2200),
    "_m": (-1e4, 1e5),
    "_s": (0, 1e7),
}

#: Counts and sizes of the orbit schemas, by field name [-].
NAME_RANGES: dict[str, tuple[float, float]] = {
    "planes": (1, 1e4),
    "sats_per_plane": (1, 1e5),
    "phasing": (0, 1e4),
    "specific_mass_t_per_mw": (0, 1e4),
    "downlink_gbps_per_sat": (0, 1e5),
    "isl_gbps_per_link": (0, 1e5),
    "months": (1, 2400),
    "days_per_sample": (1, 31),
    "sunlight_satellites": (1, 1e6),
    "coverage_evaluations": (1, 1e10),
}

#: Fields that map years to values: their keys must be years.
YEAR_KEYED = {"launch_usd_per_kg"}

_UNIT = re.compile(r"\[([^\[\]]+)\]\s*$")


def unit_of(name: str, description: str | None) -> tuple[str, tuple[float, float]]:
    """The unit label of a field and its sane range (the unit in brackets, else by suffix)."""
    m = _UNIT.search(description or "")
    if m and m.group(1) in UNIT_RANGES:
        return m.group(1), UNIT_RANGES[m.group(1)]
    if name in NAME_RANGES:
        return "", NAME_RANGES[name]
    for suffix, rng in SUFFIX_UNITS.items():
        if name.endswith(suffix):
            return suffix[1:], rng
    return "", ANY_NUMBER


def _bad(x: Any, lo: float, hi: float) -> bool:
    if isinstance(x, bool):
        return False
    if isinstance(x, float) and not math.isfinite(x):
        return True
    if isinstance(x, int | float):
        return not lo <= x <= hi or 0 < abs(x) < TINY
    if isinstance(x, dt.date):
        d = x.date() if isinstance(x, dt.datetime) else x
        return not DATE_RANGE[0] <= d <= DATE_RANGE[1]
    return False


def check_value(name: str, description: str | None, value: Any) -> Any:
    """Return ``value`` if every number and date in it (lists and dict values included) lies in
    the sane range of the field's unit; else raise ``ValueError`` stating the range."""
    unit, (lo, hi) = unit_of(name, description)
    items: list[Any] = [value]
    if isinstance(value, dict):
        items = list(value.values())
        klo, khi = UNIT_RANGES["year"] if name in YEAR_KEYED else ANY_NUMBER
        bad_keys = [k for k in value if isinstance(k, int | float) and _bad(k, klo, khi)]
        if bad_keys:
            raise ValueError(f"key {bad_keys[0]!r} is out of range; expected {klo:g} to {khi:g}")
    elif isinstance(value, list | tuple):
        items = list(value)
    for x in items:
        if _bad(x, lo, hi):
            if isinstance(x, dt.date):
                a, b = DATE_RANGE
                raise ValueError(f"date out of range; expected {a} to {b}")
            what = f" [{unit}]" if unit else ""
            tiny = (
                f" (0, or at least {TINY:g} in magnitude)"
                if 0 < abs(x) < TINY <= hi and lo <= 0
                else ""
            )
            raise ValueError(f"out of range; expected a finite number {lo:g} to {hi:g}{what}{tiny}")
    return value
