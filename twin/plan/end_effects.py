"""What the plan leaves at the horizon end, and the report cut to the horizon asked for.

``horizon.end_effects`` chooses how assets left at the end ``T`` are valued:

- ``straight_line``: each asset is credited its book value ``max(0, 1 - age / life) x cost``
  at ``T`` (the salvage of :mod:`twin.plan.objective`).
- ``continued_use``: the assets left at the end are credited what they would earn after it, the
  last period's operating margin carried forward at the stated value decline, capped at their
  book value (below).
- ``none``: nothing is credited; an asset bought late must pay for itself before ``T``.
- ``buffer`` (default): the plan solves ``B = buffer_years`` more years, the roadmap and every
  price and demand path continuing on their trend, and values what is left at ``T + B`` by the
  rule ``horizon.buffer_end`` (one of the three above); the report shows the ``N`` periods asked
  for. Decisions near ``T`` then see the years after it instead of a rule, and the remaining
  wall is ``B`` years further and discounted.

Whatever the rule, what is still *owed* after the solved end (a take-or-pay contract's minimum
for the rest of its term, :mod:`twin.plan.power_build`) is charged: ``D = sum debt``.

**Continued use.** With ``S`` the book value at the solved end (the straight-line salvage) and
``M`` the last period's operating margin (revenue, internal value, less opex, energy, carbon
and penalties, per year: ``M = (sum_IN - sum_OUT)[P-1] / dt`` without capex, launch and resale),
the wall credit is ``W`` with

    0 <= W <= S                                             (continued_use_book)
    W <= A x M,   A = sum_{y=1..L} (1 - delta) ** y x (1 + r) ** -(y - 1/2)   (continued_use_earn)

maximised with the NPV, so ``W = min(S, A x M)`` (never below 0: assets that earn nothing are
left, not paid for). ``delta`` is the steepest stated value decline of the tenants
(``value_decline_per_year``: the margin falls at least as fast as the market price of compute),
``L`` the longest hall life [years] (the assets' remaining lives are shorter; the book-value cap
and ``delta`` make the tail small). It is the fleet's margin, not each asset's: an asset idle in
the last period adds to ``S`` but not to ``M``, so a fleet idle at the end is credited little.

The *end credit* is what the plan's objective counts for the time after ``T``, valued at ``T``:

    E = ( sum_{p >= N} df_p net_p + df_end x salvage ) / df_T,      df_T = (1 + r) ** -T

so that ``NPV = sum_{p < N} df_p net_p + df_T E`` equals the objective for every choice. Its
share of the NPV is ``df_T E / NPV``. ``E`` has two parts, reported apart:

- the *buffer cash* ``B_c = sum_{p >= N} df_p net_p / df_T``: the buffer years' modelled
  operations and investments (prices and demand on their trend), zero without a buffer;
- the *wall credit* ``W = df_end x salvage / df_T``: what a rule credits at the end of the
  solved horizon, less the debt owed there. This is the part a rule decides; its share
  ``df_T W / NPV`` is the figure to keep small (``neocloud`` with the 5-year buffer and nothing
  credited at its end: -0.13%, the take-or-pay owed; straight-line at the buffer's end: 0.31%;
  straight-line at ``T``: 3.8%).
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from twin.plan import economics as econ
from twin.plan.cash import FLOWS, INFLOWS, CashTerms
from twin.plan.data import PlanData
from twin.plan.linear import term_sum

#: flows left out of the operating margin ``M``: investments and the resale of assets
NOT_OPERATING = ("capex", "launch", "resale")


def continued_use_years_factor(d: PlanData) -> float:
    """``A`` [years]: a yearly margin's value at the solved end, carried forward ``L`` years
    at the value decline ``delta`` and discounted (module docstring)."""
    life = max(d.site_life_years.values(), default=0.0)
    r, delta = d.discount_rate, d.value_decline
    return sum((1 - delta) ** y * (1 + r) ** -(y - 0.5) for y in range(1, round(life) + 1))


def wall_rule(d: PlanData) -> str:
    """The rule that values what is left at the solved end: ``buffer_end`` with a buffer,
    else the end-effect choice itself."""
    return d.buffer_end if d.end_effects == "buffer" else d.end_effects


def define_wall(m: pyo.ConcreteModel, d: PlanData, terms: CashTerms) -> None:
    """``salvage_value``: the wall credit less the debt, ``W - D`` [$M at the solved end]; with
    ``continued_use`` the variable ``continued_use`` and its two rows (module docstring)."""
    book, debt = term_sum(terms.salvage), term_sum(terms.debt)
    if wall_rule(d) != "continued_use" or d.elastic:
        m.salvage_value = pyo.Expression(expr=book - debt)
        return
    last = d.n_periods - 1
    margin = sum(
        (1 if f in INFLOWS else -1) * m.cash[f, last] for f in FLOWS if f not in NOT_OPERATING
    )
    m.continued_use = pyo.Var(within=pyo.NonNegativeReals)
    m.continued_use_book = pyo.Constraint(expr=m.continued_use - book <= 0)
    a = continued_use_years_factor(d)
    m.continued_use_earn = pyo.Constraint(expr=m.continued_use - a / d.dt * margin <= 0)
    m.salvage_value = pyo.Expression(expr=m.continued_use - debt)


def end_credit(raw: xr.Dataset, d: PlanData) -> tuple[float, float]:
    """``(E, df_T)``: the end credit at the reported horizon end [$M] and its discount factor
    [-] (module docstring), from the per-period ``net_cash_musd`` and ``salvage_musd``."""
    n = d.n_reported
    df_t = econ.discount_factor(d.discount_rate, n * d.dt) if n < d.n_periods else d.df_end
    net = np.asarray(raw["net_cash_musd"].values, dtype=float)
    after = float(np.sum(np.asarray(d.df[n:]) * net[n:]))
    return (after + d.df_end * float(raw.attrs["salvage_musd"])) / df_t, df_t


def reported(raw: xr.Dataset, d: PlanData) -> tuple[xr.Dataset, dict[str, float]]:
    """``raw`` cut to the first ``N`` periods, and the attributes of its end: ``end_credit_musd``
    (``E``), ``end_credit_share`` (of the NPV), ``discount_factor_end`` (``df_T``) and the
    salvage the solved model credited at its own end, ``solved_salvage_musd``."""
    credit, df_t = end_credit(raw, d)
    npv = float(raw.attrs["npv_musd"])
    wall = d.df_end * float(raw.attrs["salvage_musd"]) / df_t
    attrs = {
        "end_credit_musd": credit,
        "end_credit_share": df_t * credit / npv if npv else float("nan"),
        "buffer_cash_musd": credit - wall,
        "wall_credit_musd": wall,
        "wall_credit_share": df_t * wall / npv if npv else float("nan"),
        "discount_factor_end": df_t,
        "solved_salvage_musd": float(raw.attrs["salvage_musd"]),
    }
    return raw.isel(period=slice(0, d.n_reported)), attrs
