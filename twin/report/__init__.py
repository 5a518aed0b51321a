"""Reports: a solved plan as an xarray Dataset, netCDF files, summaries and plots.

Plots live in :mod:`twin.report.plots` (imported on demand: matplotlib is slow to import). The
public names load their module on first use (a module-level ``__getattr__``), so a light module
of this package (``twin.report.plot_kinds``) imports no array or modelling library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twin.lazy import lazy_loader

#: public name -> module that defines it (imported on first access)
_LAZY: dict[str, str] = {
    "VARIABLES": "twin.report.dataset",
    "to_dataset": "twin.report.dataset",
    "ReportError": "twin.report.io",
    "open": "twin.report.io",
    "read": "twin.report.io",
    "write": "twin.report.io",
}

__all__ = ["VARIABLES", "ReportError", "open", "read", "to_dataset", "write"]

if TYPE_CHECKING:
    from twin.report.dataset import VARIABLES, to_dataset
    from twin.report.io import ReportError, open, read, write


_load = lazy_loader(__name__, _LAZY, globals())


def __getattr__(name: str) -> object:
    """Import the module behind a public name on first access (PEP 562)."""
    return _load(name)
