"""The plan's LP (or MILP) as a file another solver reads: MPS or CPLEX LP, with readable names.

``twin export MODEL -s S --out plan.mps`` builds the model of the spec (perfect foresight, the
one future of the model file: an ``uncertainty:`` section or myopic foresight is not applied)
and writes it with Pyomo's writers and ``symbolic_solver_labels=True``: a column is named by its
variable and index (``build(abilene_0)``: ``build[abilene, 0]``, site and period number), a row
by its constraint family and index (``c_u_facility_max(abilene)_``: an upper-bound row).

The file holds the objective ``max NPV`` with the model's constant terms: Pyomo writes the
constant as a fixed column ``ONE_VAR_CONSTANT`` (MPS) or a constant term (LP), so the optimum of
the file is the plan's objective [$M], the same number :func:`twin.plan.plan` reports as
``objective_musd``.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Literal

from twin.atomic import Fail, destination, write_atomic
from twin.plan.data import plan_data
from twin.plan.model import build_model
from twin.spec.errors import SpecError
from twin.spec.spec import Spec

#: file formats by suffix
LpFormat = Literal["mps", "lp"]
FORMATS: dict[str, LpFormat] = {".mps": "mps", ".lp": "lp"}


def lp_format(path: Path, option: str = "--out") -> LpFormat:
    """The format of ``path`` by its suffix; else a :class:`SpecError` naming ``option``."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SpecError(option, str(path), "expected a file name ending in .mps or .lp")
    return fmt


def export_lp(spec: Spec, path: Path) -> dict[str, int]:
    """Build the model of ``spec`` and write it to ``path`` (.mps or .lp) with readable names;
    the number of ``columns`` (variables) and ``rows`` (constraints) of the model."""
    import pyomo.environ as pyo

    fmt = lp_format(path)  # given to Pyomo, which knows only lower-case suffixes (.MPS failed)
    if Path(path).is_dir():  # before the build, not after it
        raise SpecError("--out", str(path), "expected a file name, not a folder")
    destination(Path(path), _fail(path))  # a link whose target's folder does not exist
    gc.disable()  # as twin.plan.plan: the build makes millions of acyclic objects
    try:
        m = build_model(plan_data(spec))
    finally:
        gc.enable()
    _write_atomic(m, Path(path), fmt)
    return {
        "columns": sum(1 for _ in m.component_data_objects(pyo.Var, active=True)),
        "rows": sum(1 for _ in m.component_data_objects(pyo.Constraint, active=True)),
    }


def _fail(path: Path) -> Fail:
    """The error of a file ``--out`` that cannot be written, naming the user's path."""
    return lambda why: SpecError("--out", str(path), f"could not be written ({why})")


def _write_atomic(m: object, path: Path, fmt: LpFormat) -> None:
    """Write model ``m`` to ``path`` in format ``fmt`` through a temporary file in the same
    folder, renamed over ``path`` once complete (:func:`twin.atomic.write_atomic`): a failed
    write leaves no partial file and an existing file as it was; a link is written through."""

    def lp(tmp: Path) -> None:
        m.write(str(tmp), format=fmt, io_options={"symbolic_solver_labels": True})  # type: ignore[attr-defined]

    write_atomic(path, lp, _fail(path), prefix=".twin-export.")
