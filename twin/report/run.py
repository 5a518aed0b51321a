"""One run path: a validated spec in, its report Dataset out, however it must be solved.

:func:`run` decides from the spec alone how a model is solved, and every entry point calls it:
``twin solve`` (:mod:`twin.cli`), the Python API :func:`twin.solve` (:mod:`twin.solution`) and
each ensemble member (:class:`twin.report.member.ReportTask`, ``twin sweep``). None decides on
its own, so they give the same answer on the same spec.

=============  =====================================================  ========================
kind           when                                                   solved by
=============  =====================================================  ========================
deterministic  no ``uncertainty:`` section, ``solver.foresight:       :func:`twin.plan.plan`
               perfect``
myopic         no ``uncertainty:`` section, ``solver.foresight:       :func:`twin.study.foresight
               myopic``                                               .solve_myopic`
stochastic     an ``uncertainty:`` section (its scenario tree)        extensive form (``ef``) or
                                                                      progressive hedging (``ph``)
=============  =====================================================  ========================

An ensemble member is one future drawn from (or varied around) the uncertainty section: it runs
with ``uncertainty="ignore"`` and is solved under its foresight, as a plan.

The options are typed once (:data:`Engine`, :data:`Handoff`, :data:`UncertaintyUse`) and checked
by :func:`check_option` before any work, whatever the kind: ``--engine bogus`` is bad input on a
deterministic model too.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

import xarray as xr

from twin.plan import Plan, plan
from twin.spec.errors import SpecError
from twin.study.foresight import Myopic, solve_myopic

if TYPE_CHECKING:
    from twin.progress import Progress
    from twin.spec.load import Spec
    from twin.study.tree import ScenarioTree

#: how a stochastic program is solved: its extensive form by HiGHS, or progressive hedging (MPI)
Engine = Literal["ef", "ph"]
#: how a plan reaches HiGHS: twin's sparse matrix, or Pyomo's persistent HiGHS interface
Handoff = Literal["matrix", "pyomo"]
#: what an ``uncertainty:`` section means for this run: its scenario tree, or nothing (a member)
UncertaintyUse = Literal["tree", "ignore"]
#: how :func:`run` solved a spec
RunKind = Literal["deterministic", "myopic", "stochastic"]


def check_option(key: str, value: object, alias: Any) -> Any:
    """``value`` if it is one of the ``Literal`` ``alias``'s values; else a :class:`SpecError`
    naming ``key`` (``--engine``, ``handoff``) and the values expected (exit 2)."""
    allowed = get_args(alias)
    if not isinstance(value, str) or value not in allowed:
        raise SpecError(key, repr(value), "expected " + " or ".join(map(repr, allowed)))
    return value


def run_kind(spec: Spec, uncertainty: UncertaintyUse = "tree") -> RunKind:
    """How :func:`run` solves ``spec`` (module docstring's table)."""
    if uncertainty == "tree" and spec.model.uncertainty is not None:
        return "stochastic"
    return "myopic" if spec.model.solver.foresight == "myopic" else "deterministic"


@dataclass(frozen=True)
class RunResult:
    """What :func:`run` solved: its ``kind``, the report ``dataset`` (None on a progressive
    hedging rank other than 0, which leaves the file to rank 0) and the solved object:
    a :class:`Plan`, a :class:`Myopic` study, or for a stochastic run the extensive form
    (:class:`twin.study.stochastic.ExtensiveForm`) or PH result."""

    kind: RunKind
    dataset: xr.Dataset | None
    solved: Any

    @property
    def plan(self) -> Plan | None:
        """The plan of a deterministic run, the last window's of a myopic one (None: stochastic)."""
        if isinstance(self.solved, Myopic):
            return self.solved.plan
        return self.solved if isinstance(self.solved, Plan) else None

    @property
    def npv_musd(self) -> float:
        """NPV [$M]; the expected NPV over the leaves for a stochastic run."""
        if self.dataset is None:
            return float("nan")
        return float(self.dataset.attrs["npv_musd"])

    @property
    def optimal(self) -> bool:
        """Whether the solver proved the result optimal (a myopic run: every window)."""
        return self.dataset is not None and bool(self.dataset.attrs["optimal"])


def run(
    spec: Spec,
    *,
    engine: Engine = "ef",
    handoff: Handoff = "matrix",
    progress: Progress | None = None,
    uncertainty: UncertaintyUse = "tree",
) -> RunResult:
    """Solve ``spec`` the one way its model file says (module docstring) and build its report.

    ``engine`` is used by a stochastic run, ``handoff`` by a deterministic or myopic one; both
    are checked on every run. ``progress`` receives stage timings and the solver's state
    (None: the reporter current in the caller, if any). ``solver.name`` is checked before any
    build.
    Raises :class:`twin.plan.PlanFailed` if no plan exists, :class:`SpecError` on a bad option.
    """
    from twin.plan.solve import check_solver
    from twin.progress import reporting

    check_option("engine", engine, Engine)
    check_option("handoff", handoff, Handoff)
    check_option("uncertainty", uncertainty, UncertaintyUse)
    check_solver(spec.model.solver)
    kind = run_kind(spec, uncertainty)
    with reporting(progress) if progress is not None else contextlib.nullcontext():
        if kind == "stochastic":
            return _run_stochastic(spec, engine)
        return _run_plan(spec, kind, handoff)


def _run_plan(spec: Spec, kind: RunKind, handoff: Handoff) -> RunResult:
    from twin.progress import stage
    from twin.report.study import plan_report

    found = solve_myopic(spec, handoff=handoff) if kind == "myopic" else plan(spec, handoff=handoff)
    with stage("report"):
        ds = plan_report(found)
    return RunResult(kind=kind, dataset=ds, solved=found)


def _run_stochastic(spec: Spec, engine: Engine) -> RunResult:
    from twin.study.tree import tree_of

    tree = tree_of(spec)
    solved, ds = _solve_ef(spec, tree) if engine == "ef" else _solve_ph(spec, tree)
    return RunResult(kind="stochastic", dataset=ds, solved=solved)


def _solve_ef(spec: Spec, tree: ScenarioTree) -> tuple[Any, xr.Dataset]:
    """The extensive form solved by HiGHS (with WS, EV and EEV) and its stochastic report."""
    from twin.report.stochastic import leaf_dataset, to_stochastic_dataset
    from twin.study.risk import analyse

    unc = spec.model.uncertainty
    rp, figs = analyse(spec, tree, value_of_information=unc is None or unc.value_of_information)
    plans = rp.plans()
    leaves = {s.name: leaf_dataset(plans[s.name], s.probability) for s in rp.tree.scenarios}
    info = {k: rp.times[k] for k in ("build_s", "handoff_s", "solve_s")}  # the EF's
    lab = rp.store.labelled
    nodes = {n: lab(v) for n, v in rp.node_decisions().items()}
    ds = to_stochastic_dataset(
        leaves, rp.tree, figs, lab(rp.decisions(1)), "extensive form (HiGHS)", info, nodes
    )
    return rp, ds


def _solve_ph(spec: Spec, tree: ScenarioTree) -> tuple[Any, xr.Dataset | None]:
    """Progressive hedging on every MPI rank; rank 0 gathers the leaves' reports."""
    from twin.report.stochastic import leaf_dataset, to_stochastic_dataset
    from twin.study.hedging import COMM_WORLD, analyse_hedging

    n_leaves = len(tree.scenarios)
    if COMM_WORLD.size > n_leaves:
        raise SpecError(
            "mpiexec -n",
            str(COMM_WORLD.size),
            f"expected at most {n_leaves} ranks, one per leaf of the tree at most",
        )
    res, figs, plans = analyse_hedging(spec, tree)
    local = {name: leaf_dataset(p, res.dual_weight[name]) for name, p in plans.items()}
    parts = COMM_WORLD.gather(local, root=0)
    if COMM_WORLD.rank != 0 or figs is None:  # the figures are rank 0's
        return res, None
    leaves = {k: v for part in parts for k, v in part.items()}
    nodes = {n: res.labelled(vals) for n, vals in res.xbar.items()}
    info = {
        "build_s": 0.0,  # PH builds its subproblems as it runs: all in solve_s
        "handoff_s": 0.0,
        "solve_s": res.times["ph_s"] + res.times["evaluate_s"],
        "ph_iterations": res.iterations,
        "ph_inner_bound_musd": res.inner,
        "ph_outer_bound_musd": res.outer,
        "ph_gap": res.gap,
        "ph_converged": int(res.converged),
        "mpi_ranks": COMM_WORLD.size,
    }
    engine = f"progressive hedging (mpi-sppy, {COMM_WORLD.size} ranks)"
    ds = to_stochastic_dataset(leaves, tree, figs, nodes.get("ROOT", {}), engine, info, nodes)
    return res, ds
