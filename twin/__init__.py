"""twin: an orbital plus terrestrial AI-compute infrastructure digital twin.

Data flow: model file (YAML) + datasets (CSV) -> :class:`Spec` -> plan (Pyomo, HiGHS) ->
report (xarray) -> netCDF.

>>> import twin
>>> res = twin.solve("models/baseline.yaml", scenario="neocloud")  # doctest: +SKIP
>>> res.statistics()  # tidy: metric, site, tenant, ..., period, value  # doctest: +SKIP
>>> spec = twin.load_model("models/baseline.yaml", scenario="neocloud")  # doctest: +SKIP
>>> report = twin.to_dataset(twin.plan(spec))  # doctest: +SKIP
>>> twin.write(report, "neocloud.nc")  # doctest: +SKIP

The public names are loaded on first use (a module-level ``__getattr__``), so ``import twin``
and ``twin --help`` import no modelling, solver or array library.
"""

from __future__ import annotations

import sys
import types
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from twin.lazy import lazy_loader

try:
    __version__ = version("twin")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"

#: public name -> module that defines it (imported on first access)
_LAZY: dict[str, str] = {
    "Plan": "twin.plan",
    "PlanFailed": "twin.plan",
    "PlanInfeasible": "twin.plan",
    "plan": "twin.plan",
    "Solution": "twin.solution",
    "solve": "twin.solution",
    "open": "twin.report",
    "to_dataset": "twin.report",
    "write": "twin.report",
    "Spec": "twin.spec.load",
    "SpecError": "twin.spec.errors",
    "TwinError": "twin.errors",
    "BadInput": "twin.errors",
    "ReportError": "twin.report.io",
    "load_dict": "twin.spec.load",
    "load_model": "twin.spec.load",
    "replay": "twin.state",
}

__all__ = [
    "BadInput",
    "Plan",
    "PlanFailed",
    "PlanInfeasible",
    "ReportError",
    "Solution",
    "Spec",
    "SpecError",
    "TwinError",
    "load_dict",
    "load_model",
    "open",
    "plan",
    "replay",
    "solve",
    "to_dataset",
    "write",
]

if TYPE_CHECKING:  # for type checkers and IDEs: the same names, imported eagerly
    from twin.errors import BadInput, TwinError
    from twin.plan import Plan, PlanFailed, PlanInfeasible, plan
    from twin.report import open, to_dataset, write
    from twin.report.io import ReportError
    from twin.solution import Solution, solve
    from twin.spec.errors import SpecError
    from twin.spec.load import Spec, load_dict, load_model
    from twin.state import replay


_load = lazy_loader(__name__, _LAZY, globals())


def __getattr__(name: str) -> object:
    """Import the module behind a public name on first access (PEP 562)."""
    return _load(name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


class _Package(types.ModuleType):
    """``twin.plan`` is the function :func:`twin.plan.plan`, as when it was imported eagerly.

    Importing the subpackage ``twin.plan`` makes Python set it as an attribute of ``twin``; this
    keeps the public function there instead (the subpackage stays in ``sys.modules``).
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name == "plan" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
