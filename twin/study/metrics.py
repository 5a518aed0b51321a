"""Metrics a strategist reads off a plan, as Pyomo expressions of its decisions.

Each metric is linear (``value = num``) or a ratio of two linear expressions
(``value = num / den``, ``den > 0``), so it can be minimised or maximised over the plan's
feasible set: a linear one directly, a ratio by Dinkelbach's method
(:mod:`twin.study.alternatives`).

- ``orbit_mw``: IT capacity online in orbit in the last period,
  ``sum_{s orbital} cap[s,P-1]`` [MW];
- ``site_mw:SITE``: IT capacity online at SITE in the last period, ``cap[SITE,P-1]`` [MW];
- ``fab_share``: share of acquired compute made in own fabs,
  ``sum_{f,p} h_f make[f,p] / sum (h_f make + h_k buy)`` [-] (``h``: H100e per chip);
- ``leased_share``: share of allocated compute served to external tenants,
  ``sum_{s,j ext,p} alloc / sum_{s,j,p} alloc`` [-];
- ``capex``: undiscounted capital spending over the horizon, ``sum_p capex[p]`` [$M]
  (sites, chips, fabs; launch is its own flow);
- ``power_mw:TECH``: nameplate of the power technology TECH built or contracted over the
  reported horizon, summed over sites, ``sum_{s, g of TECH, q < P_r} power_build[s,g,q]`` [MW]
  (the report's ``power_build_mw`` summed; ``P_r`` the reported periods, a buffer's builds
  excluded). How far the power mix moves within a slack of the NPV (issue 17: within 1e-4 of
  the NPV, the baseline's MW per technology span hundreds of MW, benchmarks/results/
  period_agreement.md).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, get_args

import pyomo.environ as pyo

from twin.plan.data import PlanData
from twin.plan.expressions import capacity
from twin.spec.errors import SpecError, did_you_mean
from twin.spec.power import Technology

#: metric name -> (units, description)
METRICS: dict[str, tuple[str, str]] = {
    "orbit_mw": ("MW", "IT capacity online in orbit in the last period"),
    "site_mw": ("MW", "IT capacity online at a site in the last period (site_mw:SITE)"),
    "fab_share": ("1", "share of acquired compute (H100e) made in own fabs"),
    "leased_share": ("1", "share of allocated compute served to external tenants"),
    "capex": (
        "1e6 USD",
        "capital spending over the horizon, undiscounted across periods (each paid at its "
        "period's start, in that period's mid-period money)",
    ),
    "power_mw": (
        "MW",
        "nameplate of a power technology built or contracted over the reported horizon, summed "
        "over sites (power_mw:TECH)",
    ),
}

#: the technologies ``power_mw:TECH`` takes
TECHNOLOGIES: tuple[str, ...] = get_args(Technology)


@dataclass(frozen=True)
class Metric:
    """A named metric; ``arg`` is the site of ``site_mw`` or the technology of ``power_mw``."""

    name: str
    arg: str | None = None

    @property
    def label(self) -> str:
        """``name`` or ``name:arg`` as typed on the command line."""
        return f"{self.name}:{self.arg}" if self.arg else self.name

    @property
    def slug(self) -> str:
        """The label made safe for a file name."""
        return self.label.replace(":", "-")

    @property
    def units(self) -> str:
        """CF units of the metric."""
        return METRICS[self.name][0]


def parse_metric(text: str, sites: list[str], option: str = "--metric") -> Metric:
    """``text`` as a :class:`Metric`, ``site_mw:SITE`` checked against ``sites`` and
    ``power_mw:TECH`` against :data:`TECHNOLOGIES`; bad input raises :class:`SpecError` naming
    ``option``."""
    name, colon, arg = text.partition(":")
    if name not in METRICS:
        raise SpecError(
            option,
            text,
            f"unknown metric{did_you_mean(name, METRICS)}; expected one of "
            f"{', '.join(sorted(METRICS))} (site_mw:SITE, power_mw:TECH)",
        )
    argued = {"site_mw": ("SITE", list(sites)), "power_mw": ("TECH", list(TECHNOLOGIES))}
    if name in argued:
        what, allowed = argued[name]
        if arg not in allowed:
            raise SpecError(
                option,
                text,
                f"expected {name}:{what} with {what} one of {', '.join(allowed)}"
                + did_you_mean(arg, allowed),
            )
        return Metric(name, arg)
    if colon:  # 'capex:' was taken as capex, the empty argument dropped without a word
        raise SpecError(option, text, f"metric '{name}' takes no ':argument'; expected '{name}'")
    return Metric(name)


def default_metrics(d: PlanData) -> list[Metric]:
    """Metrics that can vary in this plan: orbit if orbital sites are enabled, every site with
    builds, the fab share if a fab is enabled, the leased share if external tenants exist, capex."""
    out = [Metric("orbit_mw")] if d.orbital_sites else []
    out += [Metric("site_mw", s) for s in d.sites if any(b == s for b, _ in d.build_idx)]
    if d.fab.fabs:
        out.append(Metric("fab_share"))
    if set(d.tenants) - d.internal:
        out.append(Metric("leased_share"))
    out.append(Metric("capex"))
    return out


def metric_terms(m: pyo.ConcreteModel, d: PlanData, metric: Metric) -> tuple[Any, Any | None]:
    """``(num, den)`` of ``metric`` as Pyomo expressions (``den`` None for a linear metric)."""
    last = d.n_periods - 1
    if metric.name == "orbit_mw":
        return sum(capacity(m, d, s, last) for s in d.orbital_sites), None
    if metric.name == "site_mw":
        assert metric.arg is not None  # parse_metric requires site_mw's site
        return capacity(m, d, metric.arg, last), None
    if metric.name == "capex":
        return sum(m.cash["capex", p] for p in range(d.n_periods)), None
    if metric.name == "power_mw":
        tech, reported = d.power_build.technology, d.n_reported
        return sum(
            x for (_, g, q), x in m.power_build.items() if tech[g] == metric.arg and q < reported
        ), None
    if metric.name == "fab_share":
        made = sum(d.h100e[d.fab.chip[f]] * x for (f, _), x in m.make.items())
        bought = sum(d.h100e[k] * x for (k, _), x in m.buy.items())
        return made, made + bought
    if metric.name == "leased_share":
        return leased_share_terms(((j, x) for (_, j, _), x in m.alloc.items()), d.internal)
    raise ValueError(f"unknown metric {metric.name!r}")


def leased_share_terms(
    alloc: Iterable[tuple[str, Any]], internal: Collection[str]
) -> tuple[Any, Any]:
    """``(sum_{j external} alloc_j, sum_j alloc_j)`` of ``(tenant, allocation)`` pairs: twin's one
    definition of ``leased_share = num / den``. The allocations are the model's ``alloc``
    variables (a metric to optimise) or their solved values (a member's report, [H100e])."""
    pairs = list(alloc)
    return sum(x for j, x in pairs if j not in internal), sum(x for _, x in pairs)


def ratio(num: float, den: float) -> float:
    """``num / den``, NaN for a ratio over nothing (``den <= 1e-9``)."""
    return num / den if den > 1e-9 else float("nan")


def metric_value(m: pyo.ConcreteModel, d: PlanData, metric: Metric) -> float:
    """Value of ``metric`` at the solution loaded in ``m`` (NaN for a ratio over nothing)."""
    num, den = metric_terms(m, d, metric)
    top = float(pyo.value(num))
    return top if den is None else ratio(top, float(pyo.value(den)))
