"""What a kilowatt of power costs in orbit, per year, against the ground.

Launching a satellite whose specific power is ``P`` kW (of array) per tonne costs ``L * 1000 / P``
dollars per kW at a launch price of ``L`` $/kg. Optional hardware (solar arrays, radiators, bus,
chassis) adds ``H`` $ per kW of array. A kW of array delivers ``f`` kW on average, ``f`` the sunlit
fraction (1 for a dawn-dusk orbit; leave it at 1 if ``P`` already counts batteries for eclipses).
Spread over a service life of ``Y`` years with a capital recovery factor
``CRF(r, Y) = r / (1 - (1 + r)**-Y)`` (``= 1 / Y`` at discount rate ``r = 0``):

    C_orbit = (L * 1000 / P + H) / f * CRF(r, Y)        [$ per kW-year of continuous power]

This is the one definition of the cost of orbital power: ``twin orbit-cost`` and the plan's report
(:func:`twin.plan.economics.orbital_power_cost_usd_per_kw_year`) both call it. Setting
``C_orbit = C_ground`` gives the break-even launch price

    L* = (C_ground * f / CRF(r, Y) - H) * P / 1000        [$ per kg]

Specific power has two sourced figures: ~100 kW/t in SpaceX's FCC filing for compute satellites
(the default, ``SPECIFIC_POWER_KW_PER_T``) and ~50 kW/t for today's Starlink satellites, the
figure behind TechCrunch's ~$14,700 per kW-year at $3,600/kg over 5 years
(``SPECIFIC_POWER_STARLINK_KW_PER_T``; the scenario ``orbital_starlink_power``).

Facts: terrestrial data centers pay ~$570-3,000 per kW-year for
power (TechCrunch, 2026-02-11); ~100 kW per tonne of satellite (SpaceX FCC filing); satellite life
~5 years; Falcon 9 ~$3,600/kg today, ~$200/kg hoped for by the mid-2030s (Google Suncatcher).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "SATELLITE_LIFETIME_YEARS",
    "SPECIFIC_POWER_KW_PER_T",
    "SPECIFIC_POWER_STARLINK_KW_PER_T",
    "STARLINK_POWER_USD_PER_KW_YEAR",
    "TERRESTRIAL_POWER_USD_PER_KW_YEAR",
    "break_even_launch_price",
    "capital_recovery_factor",
    "orbital_power_cost",
]

#: Range of what terrestrial data centers pay for power, $/kW-year (TechCrunch, 2026-02-11).
TERRESTRIAL_POWER_USD_PER_KW_YEAR = (570.0, 3000.0)
#: Specific power of a compute satellite, kW per tonne (SpaceX FCC filing via TechCrunch 2026-02).
SPECIFIC_POWER_KW_PER_T = 100.0
#: Specific power of today's Starlink satellites, kW per tonne: about half the filing's figure,
#: as behind TechCrunch's ~$14,700/kW-yr at $3,600/kg over 5 years (TechCrunch 2026-02-11).
SPECIFIC_POWER_STARLINK_KW_PER_T = 50.0
#: Published cost of power from a Starlink satellite, $/kW-year (TechCrunch 2026-02-11).
STARLINK_POWER_USD_PER_KW_YEAR = 14_700.0
#: Typical satellite service life, years (TechCrunch 2026-02-11).
SATELLITE_LIFETIME_YEARS = 5.0


def capital_recovery_factor(rate: ArrayLike, years: ArrayLike) -> NDArray[np.float64]:
    """``r / (1 - (1 + r)**-Y)``: the level yearly payment that repays 1 over ``Y`` years at
    discount rate ``r`` (``1 / Y`` when ``r = 0``)."""
    r = np.asarray(rate, dtype=float)
    y = np.asarray(years, dtype=float)
    if np.any(y <= 0):
        raise ValueError("lifetime years must be > 0")
    with np.errstate(divide="ignore", invalid="ignore"):
        crf = r / (1.0 - (1.0 + r) ** -y)
    return np.where(np.abs(r) < 1e-12, 1.0 / y, crf)


def orbital_power_cost(
    launch_usd_per_kg: ArrayLike,
    specific_power_kw_per_t: ArrayLike = SPECIFIC_POWER_KW_PER_T,
    lifetime_years: ArrayLike = SATELLITE_LIFETIME_YEARS,
    hardware_usd_per_kw: ArrayLike = 0.0,
    *,
    sunlit_fraction: ArrayLike = 1.0,
    discount_rate: ArrayLike = 0.0,
) -> NDArray[np.float64]:
    """Cost of continuous power in orbit, $ per kW-year (see the module docstring)."""
    p = np.asarray(specific_power_kw_per_t, dtype=float)
    f = np.asarray(sunlit_fraction, dtype=float)
    if np.any(p <= 0) or np.any(f <= 0):
        raise ValueError("specific power and sunlit fraction must be > 0")
    capex = np.asarray(launch_usd_per_kg, dtype=float) * 1000.0 / p + np.asarray(
        hardware_usd_per_kw, dtype=float
    )
    return capex / f * capital_recovery_factor(discount_rate, lifetime_years)


def break_even_launch_price(
    terrestrial_usd_per_kw_year: ArrayLike,
    specific_power_kw_per_t: ArrayLike = SPECIFIC_POWER_KW_PER_T,
    lifetime_years: ArrayLike = SATELLITE_LIFETIME_YEARS,
    hardware_usd_per_kw: ArrayLike = 0.0,
    *,
    sunlit_fraction: ArrayLike = 1.0,
    discount_rate: ArrayLike = 0.0,
) -> NDArray[np.float64]:
    """Launch price ($/kg) at which orbital power costs as much as terrestrial power; negative
    when the hardware alone already costs more than the ground."""
    p = np.asarray(specific_power_kw_per_t, dtype=float)
    f = np.asarray(sunlit_fraction, dtype=float)
    crf = capital_recovery_factor(discount_rate, lifetime_years)
    budget = np.asarray(terrestrial_usd_per_kw_year, dtype=float) * f / crf
    return (budget - np.asarray(hardware_usd_per_kw, dtype=float)) * p / 1000.0
