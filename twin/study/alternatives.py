"""Modelling to generate alternatives (MGA): plans nearly as good as the best, as different as
can be.

With ``NPV*`` the optimum and ``0 < slack < 1``, every alternative meets the floor

    ``NPV(x) >= NPV* - slack |NPV*|``   (``(1 - slack) NPV*`` when the optimum is positive)

and optimises something else instead of NPV:

- **min / max of a metric** (:mod:`twin.study.metrics`): a linear metric directly; a ratio
  ``num/den`` by Dinkelbach's method: with ``lambda_0`` the ratio at the previous solution, solve
  ``max num - lambda_k den`` and set ``lambda_{k+1} = num/den`` at its solution, until the optimum
  of ``num - lambda den`` is 0 (superlinear convergence, each step one LP);
- **SPORES** (Lombardi et al., Joule 2020): a series that pushes away from what earlier plans used.
  Decisions are grouped (MW built per site, kwspm per fab, H100e bought per chip generation);
  after each plan ``w_i += x_i / X_i`` (``X_i`` the group's upper bound, or its largest value
  seen), and the next plan minimises ``sum_i w_i x_i`` under the floor.

The range of a metric over the near-optimal set is [min, max]; a narrow range is a decision the
slack does not move, a wide one a decision the NPV hardly cares about.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from twin.plan import Plan, PlanFailed, plan, solver_options
from twin.plan.solve import MatrixSession, SolveResult, solve
from twin.progress import phase
from twin.spec.errors import SpecError
from twin.spec.load import Spec
from twin.study.metrics import (
    METRICS,
    Metric,
    default_metrics,
    metric_terms,
    metric_value,
    parse_metric,
)
from twin.study.warm_lp import WarmLP

#: Dinkelbach stops when ``|num - lambda den| <= RATIO_TOL x max(1, den)``.
RATIO_TOL = 1e-7
RATIO_MAX_ITER = 30


@dataclass
class Alternative:
    """One near-optimal plan: its name, how it was found, its NPV [$M] and every metric."""

    name: str
    kind: str  # "optimum", "min", "max" or "spores"
    target: str  # the metric optimised ("" for the optimum and SPORES)
    npv_musd: float
    metrics: dict[str, float]
    status: str


@dataclass
class Alternatives:
    """The near-optimal set explored: slack, optimum, floor and the alternatives found."""

    slack: float
    optimum_musd: float
    floor_musd: float
    metrics: list[Metric]
    alternatives: list[Alternative] = field(default_factory=list)

    def ranges(self) -> dict[str, tuple[float, float]]:
        """``metric label -> (least, greatest)`` value over the alternatives found."""
        out = {}
        for mt in self.metrics:
            vals = [a.metrics[mt.label] for a in self.alternatives]
            vals = [v for v in vals if np.isfinite(v)]
            out[mt.label] = (min(vals), max(vals)) if vals else (np.nan, np.nan)
        return out

    def to_dataset(self) -> xr.Dataset:
        """Summary over dims ``alternative`` and ``metric``: each value, NPV, ranges."""
        labels = [mt.label for mt in self.metrics]
        alts = self.alternatives
        vals = np.array([[a.metrics[lb] for lb in labels] for a in alts], float)
        rng = self.ranges()

        def per_alt(attr: str) -> np.ndarray:
            return np.array([getattr(a, attr) for a in alts], dtype=object)

        ds = xr.Dataset(
            {
                "metric_value": (("alternative", "metric"), vals.reshape(len(alts), len(labels))),
                "npv_musd": ("alternative", np.array([a.npv_musd for a in alts], float)),
                "metric_min": ("metric", np.array([rng[lb][0] for lb in labels], float)),
                "metric_max": ("metric", np.array([rng[lb][1] for lb in labels], float)),
                "optimum_value": ("metric", vals[0] if len(alts) else np.full(len(labels), np.nan)),
            },
            coords={
                "alternative": per_alt("name"),
                "metric": np.array(labels, dtype=object),
                "kind": ("alternative", per_alt("kind")),
                "target": ("alternative", per_alt("target")),
                "status": ("alternative", per_alt("status")),
                "units": ("metric", np.array([mt.units for mt in self.metrics], dtype=object)),
            },
        )
        ds["npv_musd"].attrs.update(units="1e6 USD", long_name="net present value")
        ds["metric_min"].attrs.update(long_name="least value of the metric (units by metric)")
        ds["metric_max"].attrs.update(long_name="greatest value of the metric (units by metric)")
        ds["optimum_value"].attrs.update(long_name="metric at the optimum (units by metric)")
        ds["metric_value"].attrs.update(long_name="metric of the alternative (units by metric)")
        ds.attrs.update(
            title="twin alternatives (MGA)",
            slack=self.slack,
            optimum_musd=self.optimum_musd,
            floor_musd=self.floor_musd,
            metric_descriptions="; ".join(f"{k}: {v[1]} [{v[0]}]" for k, v in METRICS.items()),
        )
        return ds


#: The longest SPORES series: each alternative is one solve and one report.
MAX_SPORES = 100


def check_slack(slack: float, option: str = "--slack") -> None:
    """The slack must lie strictly between 0 and 1."""
    if not 0 < slack < 1:
        raise SpecError(option, str(slack), "expected a share of the optimum NPV in (0, 1)")


def check_inputs(spec: Spec, slack: float, metrics: list[str] | None, spores: int) -> list[Metric]:
    """Check the options of :func:`near_optimal` before anything is solved; the metrics parsed
    (empty: the defaults, chosen once the plan is built)."""
    check_slack(slack)
    if spec.model.solver.foresight != "perfect":
        raise SpecError(
            spec.path,
            "solver.foresight",
            "alternatives explore the perfect-foresight plan; expected 'perfect'",
        )
    if not 0 <= spores <= MAX_SPORES:
        raise SpecError(
            "--spores", str(spores), f"expected a count 0 to {MAX_SPORES} (one solve each)"
        )
    repeated = sorted({t for t in metrics or [] if (metrics or []).count(t) > 1})
    if repeated:
        raise SpecError("--metric", repeated[0], "given twice; expected each metric once")
    sites = [s for s, v in spec.model.sites.items() if v.enabled]
    chosen = [parse_metric(t, sites) for t in metrics or []]
    _refuse_unmeasured(spec, chosen)
    return chosen


def _refuse_unmeasured(spec: Spec, chosen: list[Metric]) -> None:
    """A metric of something the model does not have (``fab_share`` without an enabled fab,
    ``orbit_mw`` without an enabled orbital site, ``leased_share`` without an enabled external
    tenant, ``power_mw:TECH`` without an enabled power project of TECH) is refused: it is the
    same in every plan (0, or a share of nothing)."""
    m = spec.model
    has = {
        "orbit_mw": (
            "orbital site",
            any(s.enabled and s.kind == "orbital" for s in m.sites.values()),
        ),
        "fab_share": ("fab", any(f.enabled for f in m.fabs.values())),
        "leased_share": (
            "external tenant",
            any(t.enabled and t.kind == "external" for t in m.tenants.values()),
        ),
    }
    techs = sorted({p.technology for p in m.power_projects.values() if p.enabled})
    for metric in chosen:
        if metric.name == "power_mw" and metric.arg not in techs:
            raise SpecError(
                "--metric",
                metric.label,
                f"the model has no enabled power project of technology {metric.arg}, so every "
                f"plan builds 0 MW of it; expected power_mw:TECH with TECH one of "
                f"{', '.join(techs) or '(none: no power project)'}, or another metric",
            )
        what, present = has.get(metric.name, ("", True))
        if not present:
            raise SpecError(
                "--metric",
                metric.label,
                f"the model has no enabled {what}, so every plan has the same {metric.name}; "
                "expected a metric that can vary: "
                + ", ".join(k for k, (_, p) in has.items() if p)
                + (", " if any(p for _, p in has.values()) else "")
                + ("site_mw:SITE, capex or power_mw:TECH" if techs else "site_mw:SITE or capex"),
            )


def npv_floor(optimum: float, slack: float) -> float:
    """``NPV* - slack |NPV*|`` [$M]: ``(1 - slack) NPV*`` for a positive optimum."""
    return optimum - slack * abs(optimum)


def _set_objective(m: pyo.ConcreteModel, expr: object, sense: int) -> None:
    if m.component("mga_objective") is not None:
        m.del_component("mga_objective")
    m.mga_objective = pyo.Objective(expr=expr, sense=sense)


def _optimise(
    p: Plan, expr: Any, sense: int, handoff: str, warm: WarmLP | None = None
) -> SolveResult:
    """Optimise ``expr`` under the plan's rows and the floor: warm from the last basis where
    ``warm`` applies (:mod:`twin.study.warm_lp`), else the model solved cold with ``expr`` as
    its objective. The solution is left loaded in ``p.model``."""
    res = warm.solve(expr, sense) if warm is not None else None
    if res is not None:
        return res
    _set_objective(p.model, expr, sense)
    return solve(p.model, solver_options(p.spec, p.data), handoff=handoff)


def optimise_metric(
    p: Plan, metric: Metric, sense: int, handoff: str = "matrix", warm: WarmLP | None = None
) -> SolveResult:
    """Minimise or maximise ``metric`` over the model's current constraints (module docstring);
    the solution is left loaded in ``p.model``."""
    m, d = p.model, p.data
    num, den = metric_terms(m, d, metric)
    if den is None:
        return _optimise(p, num, sense, handoff, warm)
    lam = metric_value(m, d, metric)
    lam = 0.0 if not np.isfinite(lam) else lam
    res = None
    for _ in range(RATIO_MAX_ITER):
        res = _optimise(p, num - lam * den, sense, handoff, warm)
        if not res.feasible:
            return res
        top, bottom = float(pyo.value(num)), float(pyo.value(den))
        if abs(top - lam * bottom) <= RATIO_TOL * max(1.0, abs(bottom)) or bottom <= 1e-9:
            break
        lam = top / bottom
    assert res is not None  # RATIO_MAX_ITER >= 1: the loop solved at least once
    return res


def spores_groups(p: Plan) -> dict[str, tuple[Any, float]]:
    """Decision groups SPORES spreads over: name -> (expression, upper bound or inf).

    ``site:S`` MW built at S [MW]; ``fab:F`` fab capacity built [kwspm]; ``chip:K`` compute
    bought of generation K [kH100e].
    """
    m, d = p.model, p.data
    out: dict[str, tuple[object, float]] = {}
    for s in d.sites:
        xs = [x for (b, _), x in m.build.items() if b == s]
        if xs:
            out[f"site:{s}"] = (sum(xs), d.max_mw[s] if d.max_mw[s] > 0 else np.inf)
    for f in d.fab.fabs:
        xs = [x for (b, _), x in m.fab_build.items() if b == f]
        if xs:
            out[f"fab:{f}"] = (sum(xs), d.fab.max_kwspm[f])
    for k in d.chips:
        xs = [x for (c, _), x in m.buy.items() if c == k]
        if xs:
            out[f"chip:{k}"] = (d.h100e[k] * sum(xs), np.inf)
    return out


def _spores(
    p: Plan,
    spores: int,
    keep: Callable[[str, str, str, SolveResult], None],
    handoff: str,
    first: int = 1,
    total: int = 0,
    warm: WarmLP | None = None,
) -> None:
    """The SPORES series (module docstring), starting from the solution loaded in ``p``; its
    solves are reported as alternatives ``first``.. of ``total`` (warm where ``warm`` applies)."""
    groups = spores_groups(p)
    last = {g: float(pyo.value(e)) for g, (e, _) in groups.items()}
    peak = dict(last)
    weights = dict.fromkeys(groups, 0.0)
    for i in range(1, spores + 1):
        for g, (_, cap) in groups.items():
            scale = cap if np.isfinite(cap) and cap > 0 else max(peak[g], 1e-9)
            weights[g] += last[g] / scale
        terms = [w * groups[g][0] for g, w in weights.items() if w > 0]
        if not terms:  # the optimum uses none of the groups: nothing to push away from
            return
        with phase(f"alternative {first + i - 1}/{total or spores} (SPORES {i})"):
            res = _optimise(p, sum(terms), pyo.minimize, handoff, warm)
        if not res.feasible:
            raise PlanFailed(f"SPORES alternative {i}: HiGHS ended '{res.status}'")
        keep(f"spores_{i}", "spores", "", res)
        last = {g: float(pyo.value(e)) for g, (e, _) in groups.items()}
        peak = {g: max(peak[g], last[g]) for g in groups}


def near_optimal(
    spec: Spec,
    slack: float,
    metrics: list[str] | None = None,
    spores: int = 3,
    on_solution: Callable[[Alternative, Plan, Alternatives], None] | None = None,
    handoff: str = "matrix",
    warm_start: bool = True,
) -> Alternatives:
    """Explore the plans of ``spec`` within ``slack`` of the optimum NPV (module docstring).

    ``metrics`` are labels (``capex``, ``site_mw:colossus2``...; default: every metric that can
    vary); ``spores`` the length of the SPORES series. ``on_solution(alternative, plan, study)``
    is called after each solve while ``plan.model`` holds that alternative (to write its report).
    ``warm_start``: each alternative re-solved from the previous basis (:mod:`twin.study.warm_lp`,
    the matrix hand-off only); False solves each cold (``benchmarks/alternatives_warm.py``).
    """
    chosen = check_inputs(spec, slack, metrics, spores)
    with phase("optimum"):
        best = plan(spec, handoff=handoff, exact=True, keep_session=warm_start)
    m, d = best.model, best.data
    chosen = chosen or default_metrics(d)
    optimum = float(best.result.objective)
    out = Alternatives(slack, optimum, npv_floor(optimum, slack), chosen)
    npv = m.npv.expr
    session, best.result.session = best.result.session, None

    def keep(name: str, kind: str, target: str, res: SolveResult) -> None:
        vals = {mt.label: metric_value(m, d, mt) for mt in chosen}
        status = "optimal" if res.optimal else res.status
        res.objective, res.bound = float(pyo.value(npv)), optimum  # $M: the plan's NPV, NPV*
        alt = Alternative(name, kind, target, res.objective, vals, status)
        out.alternatives.append(alt)
        if on_solution is not None:
            on_solution(alt, Plan(spec, d, m, res, dict(best.times)), out)

    keep("optimum", "optimum", "", best.result)
    m.npv.deactivate()
    m.mga_floor = pyo.Constraint(expr=npv >= out.floor_musd)  # the floor of the cold solves
    warm = (
        WarmLP(session, best.result, spec.model.solver, out.floor_musd, m.mga_floor)
        if isinstance(session, MatrixSession)
        else None
    )
    n = 2 * len(chosen) + spores
    for k, mt in enumerate(chosen):
        for j, (sense, word) in enumerate(((pyo.minimize, "min"), (pyo.maximize, "max"))):
            with phase(f"alternative {2 * k + j + 1}/{n} ({word} {mt.label})"):
                res = optimise_metric(best, mt, sense, handoff, warm)
            if not res.feasible:
                raise PlanFailed(f"alternative {word} {mt.label}: HiGHS ended '{res.status}'")
            keep(f"{word}_{mt.slug}", word, mt.label, res)
    _spores(best, spores, keep, handoff, first=2 * len(chosen) + 1, total=n, warm=warm)
    return out
