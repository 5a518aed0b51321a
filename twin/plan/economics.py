"""Every money formula of the plan, defined once: the objective, the report and ``twin orbit-cost``
all call these.

Units: money $M (real, base-year) unless a name says USD; compute in thousands of H100e (kH100e);
power MW; time in years.

- Discounting at mid-period: ``df(t) = (1 + r) ** -t`` with ``t`` years from the horizon start.
  Purchases are the exception: what is bought in a period (sites, chips, power projects,
  launches) serves from the period's start, so it is paid then, at the price of that date:
  ``carry = (1 + r) ** (dt / 2)`` brings it to the period's mid-period money (:func:`carry`).
- Value of compute: 1 kH100e for one year at $1 per H100e-hour is ``8760 x 1000 / 1e6 = 8.76`` $M.
- Energy: 1 MW for one year at $1/MWh is ``8760 / 1e6`` $M.
- Capital annuity: ``CRF(r, Y) = r / (1 - (1 + r) ** -Y)`` per $ of capex, ``1 / Y`` at ``r = 0``.
- Salvage: straight-line share left at the horizon end, ``max(0, 1 - age / life)``.
- Price paths: compound change ``(1 + g) ** years`` from a reference date to mid-period.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from twin.constants import HOURS_PER_YEAR
from twin.dates import years_between
from twin.orbit.power_cost import capital_recovery_factor, orbital_power_cost

#: $M for one kH100e over one year at $1 per H100e-hour (1000 x 8760 h / 1e6).
MUSD_PER_KH100E_YEAR_AT_1USD_HOUR = HOURS_PER_YEAR * 1e3 / 1e6
#: $M for one MW over one year at $1 per MWh (8760 h / 1e6).
MUSD_PER_MW_YEAR_AT_1USD_MWH = HOURS_PER_YEAR / 1e6


def discount_factor(rate: float, years: float) -> float:
    """``(1 + r) ** -t`` [-]: the present value of $1 paid ``years`` after the horizon start."""
    return float((1 + rate) ** -years)


def carry(rate: float, dt_years: float) -> float:
    """``(1 + r) ** (dt / 2)`` [-]: $1 paid at a period's start in that period's mid-period money
    (``df_start = carry x df_mid``). Without it a purchase that serves from the period's start
    was paid half a period late, a gain that grows with the period's length: yearly plans
    bought more than quarterly ones (issue 17)."""
    return float((1 + rate) ** (dt_years / 2))


def annuity_factor(rate: float, life_years: float) -> float:
    """Capital recovery factor ``CRF(r, Y)`` [1/year]: the level yearly payment that repays 1."""
    return float(capital_recovery_factor(rate, life_years))


def remaining_share(age_years: float, life_years: float) -> float:
    """Straight-line share of an asset's cost left after ``age_years`` of a ``life_years`` life
    [-]: ``max(0, 1 - age / life)``."""
    return max(0.0, 1.0 - age_years / life_years)


def compound(change_per_year: float, years: float) -> float:
    """``(1 + g) ** years`` [-], a price path's factor after ``years`` (0 before the start)."""
    return float((1 + change_per_year) ** max(0.0, years))


def price_factor(
    change_per_year: float, since: dt.date, period_start: dt.date, dt_years: float
) -> float:
    """Factor of a price that changes by ``g`` a year from ``since`` to the middle of the period
    starting ``period_start`` of length ``dt_years`` [-]."""
    return compound(change_per_year, years_between(since, period_start) + dt_years / 2)


def compute_value_musd(usd_per_h100e_hour: float, dt_years: float) -> float:
    """Value of 1 kH100e served over a period of ``dt_years`` at a price per H100e-hour [$M]."""
    return usd_per_h100e_hour * MUSD_PER_KH100E_YEAR_AT_1USD_HOUR * dt_years


def energy_musd_per_mw_year(usd_per_mwh: float) -> float:
    """Cost of 1 MW drawn for a year at ``usd_per_mwh`` [$M/(MW yr)]."""
    return usd_per_mwh * MUSD_PER_MW_YEAR_AT_1USD_MWH


def mw_month_revenue_musd(usd_per_mw_month: float, dt_years: float, share: float) -> float:
    """Revenue of 1 MW leased at ``usd_per_mw_month`` over ``share`` of a period [$M]."""
    return usd_per_mw_month * 12 * dt_years * share / 1e6


def fab_unit_cost_usd(
    capacity_kwspm: np.ndarray,
    made_kchips: np.ndarray,
    capex_musd_per_kwspm: float,
    opex_musd_per_kwspm_year: float,
    variable_musd_per_kchip: float,
    life_years: float,
    rate: float,
    dt_years: float,
) -> np.ndarray:
    """Cost of a good chip from a fab per period [$]: ``(capex x CRF(r, life) + fixed opex) x
    capacity x dt / chips made + variable``; NaN where it makes nothing."""
    fixed = capacity_kwspm * (capex_musd_per_kwspm * annuity_factor(rate, life_years))
    fixed = (fixed + capacity_kwspm * opex_musd_per_kwspm_year) * dt_years
    out = np.full(np.shape(made_kchips), np.nan)
    ok = made_kchips > 1e-9
    out[ok] = (fixed[ok] / made_kchips[ok] + variable_musd_per_kchip) * 1e3
    return out


def orbital_power_cost_usd_per_kw_year(
    hardware_musd_per_mw: float,
    specific_mass_t_per_mw: float,
    launch_usd_per_kg: np.ndarray,
    life_years: float,
    sunlit_fraction: float,
    rate: float,
) -> np.ndarray:
    """Cost of a kW of continuous orbital power [$/(kW yr)] by
    :func:`twin.orbit.power_cost.orbital_power_cost`: hardware ``1000 x capex`` $/kW, specific
    power ``1000 / mu`` kW/t, annualised over the satellite's life at the plan's discount rate."""
    return np.asarray(
        orbital_power_cost(
            launch_usd_per_kg,
            1000.0 / specific_mass_t_per_mw,
            life_years,
            hardware_musd_per_mw * 1e3,
            sunlit_fraction=sunlit_fraction,
            discount_rate=rate,
        ),
        dtype=float,
    )
