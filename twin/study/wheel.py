"""mpi-sppy's wheel for twin: a PH hub, a Lagrangian spoke and an x-hat spoke, or on an even
rank count that is not a multiple of 3 (``mpiexec -n 2``, two-stage trees) the hub, which then
finds its own x-hats (:class:`HubXhat`), and the Lagrangian spoke (see :mod:`twin.study.hedging`
for what each bound means and how the result is used).

:func:`spin` runs the wheel on the ranks of ``COMM_WORLD`` (:func:`cylinders` of them share the
ranks equally) and returns, on every rank, the best inner and outer bound, the iterations and the
best x-hat's tied decisions at every node.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import tempfile
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyomo.environ as pyo
from pyomo.repn import generate_standard_repn

from twin.progress import report_note
from twin.spec.spec import Spec
from twin.study.cvar import RiskTerms
from twin.study.leaf_highs import LEAF_SOLVER, LeafHighs
from twin.study.proximal import LINEARIZE
from twin.study.stochastic import (
    Key,
    StageProvider,
    Store,
    all_node_names,
    scenario_creator,
    scenario_names,
)
from twin.study.tree import ScenarioTree

with contextlib.redirect_stdout(io.StringIO()), tempfile.TemporaryDirectory() as _logs:
    # mpi-sppy prints a banner on import, and its cylinder modules open log files (hub.log,
    # xhatclp.log, xhateval.log) in the working directory when imported: import them elsewhere
    _cwd = os.getcwd()
    os.chdir(_logs)
    try:
        import mpisppy.cylinders.hub
        import mpisppy.cylinders.lagrangian_bounder
        import mpisppy.cylinders.xhatshufflelooper_bounder
        import mpisppy.utils.xhat_eval  # noqa: F401
    finally:
        os.chdir(_cwd)
    from mpisppy import MPI
    from mpisppy.cylinders.hub import PHHub
    from mpisppy.extensions.extension import Extension
    from mpisppy.extensions.sep_rho import SepRho
    from mpisppy.extensions.xhatclosest import XhatClosest
    from mpisppy.MPI import COMM_WORLD
    from mpisppy.opt.ph import PH
    from mpisppy.spin_the_wheel import WheelSpinner
    from mpisppy.utils import cfg_vanilla as vanilla
    from mpisppy.utils import config


#: Cylinders of the full wheel: the PH hub, a Lagrangian (outer) and an x-hat (inner) spoke.
CYLINDERS = 3


def cylinders(ranks: int) -> int | None:
    """How many cylinders share ``ranks`` MPI ranks equally: 3 (hub, Lagrangian and x-hat spokes)
    on a multiple of 3, else 2 (the hub with its own x-hat, and the Lagrangian spoke) on an even
    count; None on any other count.

    With 3 cylinders on 2 cores one core is always shared by two of them; with 2 each has its
    own, and every leaf is built twice instead of three times.
    """
    if ranks % CYLINDERS == 0:
        return CYLINDERS
    return 2 if ranks % 2 == 0 else None


@dataclass
class Spun:
    """What the wheel found, on every rank: bounds [$M], iterations, the best x-hat by node,
    the tied decisions' labels and its wall time [s]; and this rank's leaf models (its
    cylinder's, as the wheel left them) with what their creation stored."""

    inner: float
    outer: float
    iterations: int
    xhat: dict[str, dict[Key, float]]
    labels: dict[Key, str]
    seconds: float
    models: dict[str, pyo.ConcreteModel]
    store: Store


def relative_gap(inner: float, outer: float) -> float:
    """``(outer - inner) / |inner|`` of a maximisation (inf without an inner bound) [-]."""
    if not (np.isfinite(inner) and np.isfinite(outer)):
        return float("inf")
    return max(0.0, outer - inner) / max(abs(inner), 1e-9)


def allgather(obj: Any) -> list[Any]:
    """Every rank's ``obj`` on every rank (gather then broadcast: mpi-sppy's stand-in for MPI,
    used when mpi4py is not installed, has no ``allgather``)."""
    return COMM_WORLD.bcast(COMM_WORLD.gather(obj, root=0), root=0)


def _rho_setter(scale: float) -> Any:
    def rho_setter(m: pyo.ConcreteModel) -> list[tuple[Any, float]]:
        coef = _cost_coefficients(m)
        out = []
        for node in m._mpisppy_node_list:
            for v in node.nonant_vardata_list:
                out.append((id(v), max(scale * coef.get(id(v), 0.0), RHO_FLOOR)))
        return out

    return rho_setter


#: rho of a tied decision with no objective coefficient (a capacity counted only through rows).
RHO_FLOOR = 1e-3


def _cost_coefficients(m: pyo.ConcreteModel) -> dict[int, float]:
    """``{id(variable): |its coefficient in the leaf's objective|}`` [$M per unit]."""
    repn = generate_standard_repn(m.risk.objective.expr, quadratic=False)
    return {id(v): abs(c) for v, c in zip(repn.linear_vars, repn.linear_coefs, strict=True)}


class SpreadRho(Extension):
    """rho from cost and spread (Watson and Woodruff 2011's "SEP"), set once after iteration 0.

    With every leaf solved alone, ``rho_i = rho_scale |c_i| / max(1, sum_s p_s |x_is - xbar_i|)``
    [$M per unit^2]: the cost coefficient ``c_i`` [$M per unit] divided by the decision's mean
    spread across the leaves [unit], so that the first step ``w += rho (x - xbar)`` moves each
    multiplier by about its own cost; ``RHO_FLOOR`` for a decision without a cost. ``rho = |c|``
    alone (no spread) is that many times too stiff on decisions counted in hundreds of MW or
    thousands of chips: PH's ``w`` then oscillates and the Lagrangian bound (whose only input is
    ``w``) stalls above the optimum (benchmarks/results/stochastic.md).
    """

    def __init__(self, ph: Any) -> None:
        super().__init__(ph)
        self.scale = float(ph.options.get("spread_rho_scale", 1.0))

    def post_iter0(self) -> None:
        """Every hub rank: xbar of the leaves' own optima, then rho per tied decision."""
        ph = self.opt
        ph.Compute_Xbar()
        spread = SepRho._compute_primal_residual_norm(self, ph)
        for s in ph.local_scenarios.values():
            coef = _cost_coefficients(s)
            for ndn_i, v in s._mpisppy_data.nonant_indices.items():
                rho = self.scale * coef.get(id(v), 0.0) / max(1.0, spread[ndn_i])
                s._mpisppy_model.rho[ndn_i] = max(rho, RHO_FLOOR)


#: The hub tries an x-hat when the gap is within this many times the target gap, or when
#: :data:`XHAT_EVERY` iterations have passed without one (:class:`HubXhat`).
XHAT_GAP_FACTOR = 2.0
XHAT_EVERY = 3


class HubXhat(XhatClosest):
    """The hub's own x-hat when the wheel has no x-hat spoke (2 cylinders, two-stage trees).

    After a PH iteration the leaf whose here-and-now decisions are closest to ``xbar`` (in
    standard deviations across the leaves, mpi-sppy's ``XhatClosest``) gives them to every leaf,
    the rest is solved with ``w`` and the proximal term off, and the expected objective, a
    feasible policy's value, is the hub's inner bound when it is the best so far (mpi-sppy's
    solution cache keeps that x-hat).

    A try costs a solve of every leaf, as much as the PH iteration itself, and moves the inner
    bound little once there is one (the gap closes from above: on 81 and 729 leaves the inner
    bound moved 0.1-0.8% while the outer moved 1.6-4%). So after the first it is tried only when
    the gap is within ``XHAT_GAP_FACTOR`` times the target (``xhat_try_gap``), when
    ``XHAT_EVERY`` iterations passed without one, and once more at the end if the last
    iteration had none; which x-hats are tried changes the time to the gap, never what a bound
    means.
    """

    def __init__(self, ph: Any) -> None:
        ph.options.setdefault(
            "xhat_closest_options", {"xhat_solver_options": None, "keep_solution": True}
        )
        super().__init__(ph)
        self.try_gap = float(ph.options.get("xhat_try_gap", math.inf))
        self.since = 0  # iterations since the last try

    def enditer(self) -> None:
        """Try the closest leaf's decisions if worth it; the PH iterate is restored after."""
        hub = getattr(self.opt, "spcomm", None)
        best = self.opt.best_solution_obj_val
        if hub is not None and best is not None and self.since + 1 < XHAT_EVERY:
            inner = max(float(hub.BestInnerBound), float(best))
            if relative_gap(inner, float(hub.BestOuterBound)) > self.try_gap:
                self.since += 1
                return
        self._try()

    def _try(self) -> None:
        self.since = 0
        self.opt.disable_W_and_prox()
        self.xhat_closest_to_xbar(restore_nonants=True)  # caches an improving x-hat
        self.opt.reenable_W_and_prox()

    def post_everything(self) -> None:
        """If PH stopped with no x-hat tried at its last iteration (or none at all: the leaves
        agreed from the start), try one now and hand its value to the hub's inner bound."""
        if self.opt.best_solution_obj_val is not None and self.since == 0:
            return
        self._try()
        hub = getattr(self.opt, "spcomm", None)
        if hub is not None and self.opt.best_solution_obj_val is not None:
            hub.BestInnerBound = hub.InnerBoundUpdate(self.opt.best_solution_obj_val)


class GapHub(PHHub):
    """mpi-sppy's PH hub that stops on twin's gap, ``(outer - inner) / |inner|``
    (:func:`relative_gap`), the figure the run is judged by. mpi-sppy divides by the larger of
    ``|outer|`` and ``|inner|``: on 243 benchmark leaves its hub stopped at 0.498% by its
    measure, 0.5005% by twin's, and the run was reported not converged."""

    def compute_gaps(self) -> tuple[float, float]:
        """Absolute [$M] and relative gap of the best bounds (a maximisation)."""
        inner, outer = float(self.BestInnerBound), float(self.BestOuterBound)
        return outer - inner, relative_gap(inner, outer)


class InnerBoundHub(GapHub):
    """mpi-sppy's PH hub that also takes its own x-hats' values as the inner bound and stops on
    the gap without an x-hat spoke (``PHHub`` never stops on the gap without one)."""

    def is_converged(self, screen_trace: bool = True) -> bool:
        """Best bounds so far (the hub's and the spokes'); stop when their gap is small."""
        if self.opt.best_bound_obj_val is not None:
            self.BestOuterBound = self.OuterBoundUpdate(self.opt.best_bound_obj_val)
        if self.opt.best_solution_obj_val is not None:
            self.BestInnerBound = self.InnerBoundUpdate(self.opt.best_solution_obj_val)
        return bool(self.determine_termination(screen_trace=False))


class LeafPH(PH):
    """mpi-sppy's PH whose expected objective is read from the leaves' last solves.

    ``Eobjective`` (``sum_s p_s f_s`` at the leaves' current values, which mpi-sppy asks for
    right after the x-hat's solves) re-evaluated each leaf's whole Pyomo objective, 0.04 s per
    leaf on the small benchmark leaf (19 of the hub's 150 s on 81 leaves); HiGHS's objective
    value of the leaf's last solve (:mod:`twin.study.leaf_highs`, mpi-sppy's ``inner_bound``
    of the leaf) is the same number. A leaf without a usable last solve is evaluated by Pyomo.
    """

    def Eobjective(self, verbose: bool = False) -> float:
        """Expected objective [$M] over every rank's leaves."""
        local = 0.0
        for k, s in self.local_scenarios.items():
            data = s._mpisppy_data
            solved = getattr(data, "solution_available", False) and isinstance(
                s._solver_plugin, LeafHighs
            )
            value = data.inner_bound if solved else pyo.value(self.saved_objectives[k])
            local += s._mpisppy_probability * float(value)
        out = np.zeros(1)
        self.mpicomm.Allreduce(np.array([local]), out, op=MPI.SUM)  # the cylinder's ranks
        return float(out[0])


class IterationProgress(Extension):
    """Report each PH iteration of the hub (its first rank) as a progress note: the iteration,
    the outer and inner bounds [$M of expected NPV] and their relative gap
    ``(outer - inner) / |inner|``, the figure the wheel stops on."""

    def enditer(self) -> None:
        """After each iteration's solves (bounds as of the last exchange with the spokes)."""
        self._note("PH iteration")

    def post_everything(self) -> None:
        """Once the hub stops: the bounds it stopped on."""
        self._note("PH stopped after iteration")

    def _note(self, what: str) -> None:
        spcomm = getattr(self.opt, "spcomm", None)
        if spcomm is None or self.opt.cylinder_rank != 0:
            return
        inner, outer = float(spcomm.BestInnerBound), float(spcomm.BestOuterBound)
        gap = abs(outer - inner) / abs(inner) if np.isfinite(inner) and inner else math.inf
        bounds = (
            f"outer {outer:,.1f}, inner {inner:,.1f} $M, gap {gap:.2%}"
            if np.isfinite(gap)
            else f"outer {outer:,.1f} $M, no inner bound yet"
        )
        report_note(f"{what} {self.opt._PHIter}: {bounds}")


def _config(spec: Spec, max_iterations: int, threshold: float, gap: float) -> Any:
    """mpi-sppy's configuration of the wheel (``cfg_vanilla``'s hub and spoke dictionaries)."""
    cfg = config.Config()
    cfg.popular_args()
    cfg.ph_args()
    cfg.two_sided_args()
    cfg.lagrangian_args()
    cfg.xhatshuffle_args()
    cfg.solver_name = LEAF_SOLVER
    cfg.default_rho = 1.0
    cfg.max_iterations = max_iterations
    cfg.intra_hub_conv_thresh = threshold
    cfg.rel_gap = gap
    cfg.linearize_proximal_terms = LINEARIZE
    cfg.proximal_linearization_tolerance = 1e-2
    cfg.solver_options = f"threads={spec.model.solver.threads}"
    return cfg


def spin(
    spec: Spec,
    tree: ScenarioTree,
    risk: RiskTerms,
    stage_vars: tuple[StageProvider, ...],
    settings: dict[str, float],
) -> Spun:
    """Run the hub and its spokes (``settings``: iterations, threshold, gap, rho_scale)."""
    cfg = _config(spec, int(settings["iterations"]), settings["threshold"], settings["gap"])
    rho = _rho_setter(settings["rho_scale"])
    store = Store()
    kwargs = dict(spec=spec, tree=tree, risk=risk, stage_vars=stage_vars, store=store)
    names, nodes = scenario_names(tree), all_node_names(tree)
    common = dict(scenario_creator_kwargs=kwargs, all_nodenames=nodes)
    hub = vanilla.ph_hub(cfg, scenario_creator, None, names, **common)
    hub["opt_kwargs"]["options"]["spread_rho_scale"] = settings["rho_scale"]
    hub["opt_class"] = LeafPH
    hub["opt_kwargs"]["options"]["xhat_try_gap"] = XHAT_GAP_FACTOR * settings["gap"]
    vanilla.extension_adder(hub, SpreadRho)
    vanilla.extension_adder(hub, IterationProgress)
    spokes = [
        vanilla.lagrangian_spoke(cfg, scenario_creator, None, names, rho_setter=rho, **common)
    ]
    hub["hub_class"] = GapHub
    if cylinders(COMM_WORLD.size) == CYLINDERS:
        spokes.append(vanilla.xhatshuffle_spoke(cfg, scenario_creator, None, names, **common))
    else:
        hub["hub_class"] = InnerBoundHub
        vanilla.extension_adder(hub, HubXhat)
    t0 = time.perf_counter()
    wheel = WheelSpinner(hub, spokes)
    with contextlib.redirect_stdout(io.StringIO()):
        wheel.spin()
    seconds = time.perf_counter() - t0
    bounds = COMM_WORLD.bcast(
        (wheel.BestInnerBound, wheel.BestOuterBound, int(wheel.spcomm.opt._PHIter))
        if COMM_WORLD.rank == 0
        else None,
        root=0,
    )
    xhat = _best_xhat(wheel, store)
    labels: dict[Key, str] = {}
    for part in allgather(store.labels):
        labels.update(part)
    models = dict(wheel.spcomm.opt.local_scenarios)
    return Spun(float(bounds[0]), float(bounds[1]), bounds[2], xhat, labels, seconds, models, store)


def _best_xhat(wheel: WheelSpinner, store: Store) -> dict[str, dict[Key, float]]:
    """``{node: {(component, index): value}}`` of the best x-hat (the inner bound's policy),
    from the cylinder that found it, on every rank (CVaR's ``eta`` as ``("eta", None)``)."""
    local: dict[str, dict[Key, float]] = {}
    if wheel._determine_innerbound_winner() and wheel.spcomm.opt.load_best_solution():
        for name, s in wheel.spcomm.opt.local_scenarios.items():
            for node in s._mpisppy_node_list:
                vals = local.setdefault(node.name, {})
                keys = store.keys[name][node.stage]
                for i, v in enumerate(node.nonant_vardata_list):
                    k = keys[i] if i < len(keys) else ("eta", None)
                    vals[k] = float(pyo.value(v))
    merged: dict[str, dict[Key, float]] = {}
    for part in allgather(local):
        for node, vals in part.items():
            merged.setdefault(node, {}).update(vals)
    return merged
