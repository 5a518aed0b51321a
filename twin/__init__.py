"""twin: an orbital plus terrestrial AI-compute infrastructure digital twin.

Data flow: model file (YAML) + datasets (CSV) -> :class:`Spec` -> plan (Pyomo, HiGHS) ->
report (xarray) -> netCDF.

>>> import twin
>>> res = twin.solve("models/baseline.yaml", scenario="neocloud")  # doctest: +SKIP
>>> res.statistics()  # tidy: metric, site, tenant, ..., period, value  # doctest: +SKIP
>>> spec = twin.load_model("models/baseline.yaml", scenario="neocloud")  # doctest: +SKIP
>>> report = twin.to_dataset(twin.plan(spec))  # doctest: +SKIP
>>> twin.write(report, "neocloud.nc")  # doctest: +SKIP
"""

from importlib.metadata import PackageNotFoundError, version

from twin.plan import Plan, PlanFailed, PlanInfeasible, plan
from twin.report import open, to_dataset, write
from twin.solution import Solution, solve
from twin.spec import Spec, SpecError, load_dict, load_model
from twin.state import replay

try:
    __version__ = version("twin")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"

__all__ = [
    "Plan",
    "PlanFailed",
    "PlanInfeasible",
    "Spec",
    "Solution",
    "SpecError",
    "load_dict",
    "load_model",
    "open",
    "plan",
    "replay",
    "solve",
    "to_dataset",
    "write",
]
