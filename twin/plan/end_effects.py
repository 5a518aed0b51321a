"""What the plan leaves at the horizon end, and the report cut to the horizon asked for.

``horizon.end_effects`` chooses how assets left at the end ``T`` are valued:

- ``straight_line``: each asset is credited its book value ``max(0, 1 - age / life) x cost``
  at ``T`` (the salvage of :mod:`twin.plan.objective`).
- ``none``: nothing is credited; an asset bought late must pay for itself before ``T``.
- ``buffer`` (default): the plan solves ``B = buffer_years`` more years, the roadmap and every
  price and demand path continuing on their trend, with straight-line book value at ``T + B``;
  the report shows the ``N`` periods asked for. Decisions near ``T`` then see the years after
  it instead of a book value, and the remaining wall is ``B`` years further and discounted.

The *end credit* is what the plan's objective counts for the time after ``T``, valued at ``T``:

    E = ( sum_{p >= N} df_p net_p + df_end x salvage ) / df_T,      df_T = (1 + r) ** -T

so that ``NPV = sum_{p < N} df_p net_p + df_T E`` equals the objective for every choice. Its
share of the NPV is ``df_T E / NPV``. ``E`` has two parts, reported apart:

- the *buffer cash* ``B_c = sum_{p >= N} df_p net_p / df_T``: the buffer years' modelled
  operations and investments (prices and demand on their trend), zero without a buffer;
- the *wall credit* ``W = df_end x salvage / df_T``: what a rule (book value) credits at the end
  of the solved horizon. This is the part a rule decides; its share ``df_T W / NPV`` is the
  figure to keep small (``neocloud`` with the 5-year buffer: 0.3%; straight-line at ``T``: 4.0%).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from twin.plan import economics as econ
from twin.plan.data import PlanData


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
