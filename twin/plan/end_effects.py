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

**Continued use, per site.** Each site's assets left at the solved end (its halls, the chip
vintages installed there, its power projects) are credited what *they* earn after it: the
margin the site earns in the last period, carried forward at the stated value decline, capped at
their own book value. With ``S_s`` the book value of site ``s``'s assets at the end
(straight-line; chips at the least a new chip costs, ``c_kv`` of :mod:`twin.plan.retire`) and
``G_s`` its margin in the last period ``P - 1`` per year [$M/yr]: the value of the compute it
serves (contracted or not) less the energy its sources and projects deliver and its carbon, the
terms the families tag with the site (:class:`twin.plan.cash.CashTerms`), the credit of each
site is ``W_s`` [$M at the solved end] with

    W_s <= S_s                                              (continued_use_book[s])
    W_s <= A_s x G_s,   A_s = sum_{y=1..L_s} (1 - delta) ** y x (1 + r) ** -(y - 1/2)
                                                            (continued_use_earn[s])

maximised with the NPV, so ``W_s = min(S_s, A_s G_s)``. A site
idle in the last period serves nothing and draws nothing (``G_s = 0``) and is credited nothing,
whatever its book. ``G_s`` leaves out the costs that do not scale with use (hall opex, fixed O&M,
capacity charges, unused take-or-pay): with them an idle site would be charged its fixed costs
for ``L_s`` years, and a linear program cannot take the better of running a site and leaving
it; without them ``G_s >= 0`` wherever serving pays for its energy, and ``W_s`` is never
negative there. ``delta`` is the steepest stated value decline of the tenants (the margin falls
at least as fast as the market price of compute), ``L_s`` the site's hall life [years] (its
assets' remaining lives are shorter: the book cap and ``delta`` make the tail small). A fleet
row ``sum_s W_s <= A x M`` with ``M`` the fleet's whole operating margin (fixed costs and
penalties included) was dropped: where ``M < 0`` (a firm tenant's unmet penalty) it charged
the plan ``A`` years of penalties, and without sites it required ``M >= 0``, making feasible
plans infeasible. Known: ``G_s`` counts a curve tenant's compute at its full value ``v`` (the
curve's discount is not tagged with a site) and leaves out lease revenue above the market (not
tagged either): an upper bound at sites serving curve tenants, a lower one at leased sites.
Assets at no site (fabs; the part of a chip's book above the least it costs) keep their book
value: the wall credit is ``S - sum_s (S_s - W_s)``, ``S`` the straight-line book value.

What the plan's objective counts for the time after the reported end ``T``, valued at ``T``, is
the *value after the horizon*

    V = ( sum_{p >= N} df_p net_p + df_end x salvage ) / df_T,      df_T = (1 + r) ** -T

so that ``NPV = sum_{p < N} df_p net_p + df_T V`` equals the objective for every choice. It has
two parts, reported apart:

- the *buffer cash* ``B_c = sum_{p >= N} df_p net_p / df_T``: the buffer years' modelled
  operations and investments (prices and demand on their trend), zero without a buffer; no rule
  decides it, the plan earns or spends it;
- the *end credit* ``E = df_end x salvage / df_T``: what the end-effect rule credits for the
  assets left at the end of the solved horizon, less the debt owed there. This is the part a
  rule decides, and its share ``df_T E / NPV`` is the figure to keep small (``neocloud`` with the
  5-year buffer and nothing credited at its end: -0.05%, the take-or-pay owed; straight-line at
  the buffer's end: 0.38%; straight-line at ``T``: 3.7%; benchmarks/results/end_effects.md).
  Without a buffer ``V = E``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from twin.plan import economics as econ
from twin.plan.cash import CashTerms
from twin.plan.data import PlanData
from twin.plan.linear import term_sum


def continued_use_years_factor(d: PlanData, life: float | None = None) -> float:
    """``A`` [years]: a yearly margin's value at the solved end, carried forward ``L = life``
    years (default: the longest hall life) at the value decline ``delta`` and discounted
    (module docstring)."""
    if life is None:
        life = max(d.site_life_years.values(), default=0.0)
    r, delta = d.discount_rate, d.value_decline
    return sum((1 - delta) ** y * (1 + r) ** -(y - 0.5) for y in range(1, round(life) + 1))


def wall_rule(d: PlanData) -> str:
    """The rule that values what is left at the solved end: ``buffer_end`` with a buffer,
    else the end-effect choice itself."""
    return d.buffer_end if d.end_effects == "buffer" else d.end_effects


def _margin(pairs: list) -> Any:
    """``sum sign x term`` of ``(sign, term)`` pairs (:class:`CashTerms` ``margin_at``)."""
    return term_sum([t if sign > 0 else -t for sign, t in pairs])


def define_continued_use(m: pyo.ConcreteModel, d: PlanData, terms: CashTerms) -> None:
    """``continued_use[s]`` [$M at the solved end] and the rows ``continued_use_book[s]`` and
    ``continued_use_earn[s]``; ``site_book[s]``, the expression ``S_s`` (module docstring)."""
    last = d.n_periods - 1
    sites = sorted(terms.book_at)
    m.site_book = pyo.Expression(sites, rule=lambda m, s: term_sum(terms.book_at[s]))
    m.continued_use = pyo.Var(sites, within=pyo.Reals)
    m.continued_use_book = pyo.Constraint(
        sites, rule=lambda m, s: m.continued_use[s] - m.site_book[s] <= 0
    )

    def earn(m: pyo.ConcreteModel, s: str) -> object:
        a = continued_use_years_factor(d, d.site_life_years[s])
        return m.continued_use[s] - a / d.dt * _margin(terms.margin_at.get((s, last), [])) <= 0

    m.continued_use_earn = pyo.Constraint(sites, rule=earn)


def define_wall(m: pyo.ConcreteModel, d: PlanData, terms: CashTerms) -> None:
    """``salvage_value``: the wall credit less the debt, ``W - D`` [$M at the solved end]; with
    ``continued_use`` its variables and rows (:func:`define_continued_use`)."""
    book, debt = term_sum(terms.salvage), term_sum(terms.debt)
    if wall_rule(d) != "continued_use" or d.elastic:
        m.salvage_value = pyo.Expression(expr=book - debt)
        return
    define_continued_use(m, d, terms)
    forgone = sum(m.site_book[s] - m.continued_use[s] for s in m.continued_use)
    m.salvage_value = pyo.Expression(expr=book - forgone - debt)


def after_horizon(raw: xr.Dataset, d: PlanData) -> tuple[float, float]:
    """``(V, df_T)``: the value after the horizon at the reported horizon end [$M] and its
    discount factor [-] (module docstring), from the per-period ``net_cash_musd`` and
    ``salvage_musd``."""
    n = d.n_reported
    df_t = econ.discount_factor(d.discount_rate, n * d.dt) if n < d.n_periods else d.df_end
    net = np.asarray(raw["net_cash_musd"].values, dtype=float)
    after = float(np.sum(np.asarray(d.df[n:]) * net[n:]))
    return (after + d.df_end * float(raw.attrs["salvage_musd"])) / df_t, df_t


def reported(raw: xr.Dataset, d: PlanData) -> tuple[xr.Dataset, dict[str, float]]:
    """``raw`` cut to the first ``N`` periods, and the attributes of its end (module docstring):
    ``after_horizon_musd`` (``V``) and its parts ``buffer_cash_musd`` (``B_c``) and
    ``end_credit_musd`` (``E``), the shares ``df_T x / NPV`` of ``V`` and ``E``,
    ``discount_factor_end`` (``df_T``) and the salvage the solved model credited at its own
    end, ``solved_salvage_musd``."""
    value, df_t = after_horizon(raw, d)
    npv = float(raw.attrs["npv_musd"])
    credit = d.df_end * float(raw.attrs["salvage_musd"]) / df_t
    attrs = {
        "after_horizon_musd": value,
        "after_horizon_share": df_t * value / npv if npv else float("nan"),
        "buffer_cash_musd": value - credit,
        "end_credit_musd": credit,
        "end_credit_share": df_t * credit / npv if npv else float("nan"),
        "discount_factor_end": df_t,
        "solved_salvage_musd": float(raw.attrs["salvage_musd"]),
    }
    return raw.isel(period=slice(0, d.n_reported)), attrs
