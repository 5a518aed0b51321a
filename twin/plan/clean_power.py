"""Clean-power shares: a least share of the terrestrial sites' energy from renewables (annual) and
of their load met by carbon-free energy in the same hour (24/7 CFE).

Per period p, over every terrestrial site together (a company's goal, not a site's), with
``E[g,p]`` the average MW drawn from a source or project (``power[g,p]``, ``power_draw[s,g,p]``:
energy, storage excluded: it makes none):

- renewable (``policy.renewable_share`` rho, solar and wind: today's ``solar`` sources, the
  ``solar_storage_ppa`` and ``wind_storage_ppa`` projects)::

      sum_{g renewable} E[g,p] >= rho x sum_g E[g,p]                     (renewable_share[p])

- carbon-free (``policy.cfe_share`` kappa; a source or project that emits no CO2, storage
  excluded: nuclear, solar, wind). With representative days it is the hourly-matching (24/7
  CFE) score: each hour's facility load counts as clean up to the carbon-free energy made in
  that hour at that site,

      matched[s,d,h,p] <= sum_{g cfe at s} dispatch[g,d,h,p]             (cfe_supply)
      matched[s,d,h,p] <= PUE_s[d,h] x it_running[s,p]                    (cfe_load)
      sum_{s,d,h} w_d matched >= kappa x sum_{s,d,h} w_d PUE_s[d,h] it_running[s,p]   (cfe_share[p])

  with ``w_d tau[d,h] / 8760`` a step's weight (:func:`twin.plan.hourly_data.hour_weights`;
  ``tau`` its hours, 1 unless ``horizon.hours.segments`` < 24); a storage
  discharge is not counted as carbon-free (what charged it is not traced: conservative). In the
  period form there are no hours: the row is the annual match ``sum_{g cfe} E[g,p] >= kappa x
  sum_g E[g,p]``, an upper bound of the hourly score (solar at noon counts against load at
  night), and says so in the README.

Both rows are skipped when their share is 0 (the default), and in periods starting before
``policy.clean_from`` where it is set (a goal with a target year).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo

from twin.plan import elastic
from twin.plan.data import PlanData
from twin.plan.hourly_data import hour_weights, pue_profile, steps
from twin.plan.linear import weighted_sum
from twin.plan.rows import sparse_rule
from twin.spec.power import STORAGE_TECHNOLOGIES

#: technologies whose energy counts as renewable (today's sources: kind ``solar``)
RENEWABLE_TECHNOLOGIES = ("solar_storage_ppa", "wind_storage_ppa")
RENEWABLE_SOURCE_KINDS = ("solar",)


def renewable(d: PlanData, g: str, project: bool) -> bool:
    """Whether source or project g makes renewable energy (module docstring)."""
    if project:
        return d.power_build.technology[g] in RENEWABLE_TECHNOLOGIES
    return d.units.source_kind[g] in RENEWABLE_SOURCE_KINDS


def carbon_free(d: PlanData, g: str, project: bool) -> bool:
    """Whether source or project g makes energy without CO2 (storage excluded)."""
    if project:
        pb = d.power_build
        return pb.co2_t_per_mwh[g] == 0 and pb.technology[g] not in STORAGE_TECHNOLOGIES
    return d.emissions.co2[g] == 0 and d.units.source_kind[g] != "battery"


def _ground(d: PlanData) -> list[str]:
    return [s for s in d.sites if s not in d.orbital_sites]


def energy_terms(m: pyo.ConcreteModel, d: PlanData, p: int, share: float, clean: Any) -> list:
    """``(coef, E)`` pairs of ``sum_{g clean} E[g,p] - share x sum_g E[g,p]`` [MW average]."""
    ground = set(_ground(d))
    terms = [
        ((1.0 if clean(d, g, False) else 0.0) - share, m.power[g, q])
        for g, q in d.power_idx
        if q == p and d.source_site[g] in ground
    ]
    terms += [
        ((1.0 if clean(d, g, True) else 0.0) - share, m.power_draw[s, g, q])
        for s, g, q in d.power_build.draw_idx
        if q == p
    ]
    return [(c, x) for c, x in terms if c != 0]


def _annual(m: pyo.ConcreteModel, d: PlanData, p: int, name: str, share: float, clean: Any) -> Any:
    """``name[p]``: ``sum_{g clean} E[g,p] >= share x sum_g E[g,p]``."""
    return (
        weighted_sum(energy_terms(m, d, p, share, clean)) + elastic.slack(m, d, name, "*", p) >= 0
    )


def _annual_rule(d: PlanData, name: str, share: float, clean: Any) -> Any:
    """Rule of ``name[p]`` (:func:`_annual`)."""
    return sparse_rule(name, lambda m, p: _annual(m, d, p, name, share, clean))


def applies(d: PlanData) -> list[int]:
    """The periods the shares apply in: those starting on or after ``policy.clean_from`` (every
    period without it)."""
    return [p for p, start in enumerate(d.periods) if d.clean_from is None or start >= d.clean_from]


def define_clean_power(m: pyo.ConcreteModel, d: PlanData) -> None:
    """The rows ``renewable_share[p]`` and ``cfe_share[p]`` (module docstring), where asked, in
    the periods they apply in (:func:`applies`)."""
    if d.renewable_share > 0:
        rule = _annual_rule(d, "renewable_share", d.renewable_share, renewable)
        m.renewable_share = pyo.Constraint(applies(d), rule=rule)
    if d.cfe_share > 0 and d.hours is None:
        rule = _annual_rule(d, "cfe_share", d.cfe_share, carbon_free)
        m.cfe_share = pyo.Constraint(applies(d), rule=rule)
    elif d.cfe_share > 0:
        define_hourly_cfe(m, d)


def define_hourly_cfe(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``cfe_matched[s,d,h,p] >= 0`` and the rows ``cfe_supply``, ``cfe_load``, ``cfe_share``
    (module docstring; representative days only)."""
    days, pb = d.hours, d.power_build
    assert days is not None
    hw, ground = hour_weights(days), _ground(d)
    pue = {s: pue_profile(days, s, d.pue[s]).tolist() for s in ground}
    hourly = [p for p in applies(d) if d.hourly(p)]  # the end buffer: annual, below
    idx = [(s, k, h, p) for s in ground for p in hourly
           for k in range(days.days) for h in range(steps(days))]  # fmt: skip
    m.cfe_matched = pyo.Var(pyo.Set(initialize=idx, dimen=4), within=pyo.NonNegativeReals)

    def supply(m: pyo.ConcreteModel, s: str, k: int, h: int, p: int) -> Any:
        terms = [(1.0, m.dispatch[g, k, h, p]) for g in d.groups.sources_at.get(s, ())
                 if (g, p) in m.power and carbon_free(d, g, False)]  # fmt: skip
        terms += [(1.0, m.project_dispatch[s, g, k, h, p])
                  for g in pb.draws_at.get((s, p), ()) if carbon_free(d, g, True)]  # fmt: skip
        return weighted_sum(terms)

    m.cfe_supply = pyo.Constraint(
        idx, rule=lambda m, s, k, h, p: m.cfe_matched[s, k, h, p] - supply(m, s, k, h, p) <= 0
    )
    m.cfe_load = pyo.Constraint(
        idx,
        rule=lambda m, s, k, h, p: (
            m.cfe_matched[s, k, h, p] - pue[s][k][h] * m.it_running[s, p] <= 0
        ),
    )
    kappa = d.cfe_share

    def share(m: pyo.ConcreteModel, p: int) -> Any:
        if not d.hourly(p):  # the end buffer keeps the period form: the annual match
            return _annual(m, d, p, "cfe_share", kappa, carbon_free)
        terms = []
        for s in ground:
            load = float((hw * np.asarray(pue[s])).sum())
            terms.append((-kappa * load, m.it_running[s, p]))
            terms += [(float(hw[k, h]), m.cfe_matched[s, k, h, p])
                      for k in range(days.days) for h in range(steps(days))]  # fmt: skip
        return weighted_sum(terms) + elastic.slack(m, d, "cfe_share", "*", p) >= 0

    m.cfe_share = pyo.Constraint(applies(d), rule=sparse_rule("cfe_share", share))


def _share(m: pyo.ConcreteModel, d: PlanData, p: int, clean: Any) -> float:
    """``sum_{g clean} E[g,p] / sum_g E[g,p]`` at the solution (NaN: no energy drawn)."""
    def drawn(counted: Any) -> float:  # sum of E over the units ``counted`` (coefficient 1)
        return sum(c * (x.value or 0.0) for c, x in energy_terms(m, d, p, 0.0, counted))

    total, part = drawn(lambda *_: True), drawn(clean)
    return part / total if total > 1e-9 else float("nan")


def _hourly_cfe(m: pyo.ConcreteModel, d: PlanData, p: int) -> float:
    """``sum_{s,d,h} w min(CFE dispatch at s, PUE_s it_running[s,p]) / sum w PUE_s it_running``
    at the solution: the 24/7 CFE score of period p (storage discharge not carbon-free)."""
    days, pb = d.hours, d.power_build
    assert days is not None
    hw, matched, load = hour_weights(days), 0.0, 0.0
    for s in _ground(d):
        supply = np.zeros(hw.shape)
        for g in d.groups.sources_at.get(s, ()):
            if (g, p) in m.power and carbon_free(d, g, False):
                supply += _day_grid(m.dispatch, (g,), p, hw.shape)
        for g in pb.draws_at.get((s, p), ()):
            if carbon_free(d, g, True):
                supply += _day_grid(m.project_dispatch, (s, g), p, hw.shape)
        need = pue_profile(days, s, d.pue[s]) * (m.it_running[s, p].value or 0.0)
        matched += float((hw * np.minimum(supply, need)).sum())
        load += float((hw * need).sum())
    return matched / load if load > 1e-9 else float("nan")


def _day_grid(var: Any, unit: tuple, p: int, shape: tuple[int, int]) -> np.ndarray:
    """``(D, H)`` solved values of an hourly variable's members ``(*unit, d, h, p)``."""
    return np.array([[var[(*unit, k, h, p)].value or 0.0 for h in range(shape[1])]
                     for k in range(shape[0])])  # fmt: skip


def clean_scores(m: pyo.ConcreteModel, d: PlanData) -> dict[str, tuple]:
    """``renewable_score[p]`` (annual energy share of solar and wind) and ``cfe_score[p]`` (the
    hourly 24/7 CFE score in hourly periods, the year's match in the others), over the ground
    sites together, whether or not a share is asked [-]."""
    n = d.n_periods
    renew = [_share(m, d, p, renewable) for p in range(n)]
    cfe = [_hourly_cfe(m, d, p) if d.hourly(p) else _share(m, d, p, carbon_free) for p in range(n)]
    return {
        "renewable_score": (("period",), np.array(renew, dtype=float)),
        "cfe_score": (("period",), np.array(cfe, dtype=float)),
    }
