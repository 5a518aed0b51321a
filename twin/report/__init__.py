"""Reports: a solved plan as an xarray Dataset, netCDF files, summaries and plots.

Plots live in :mod:`twin.report.plots` (imported on demand: matplotlib is slow to import).
"""

from twin.report.dataset import VARIABLES, to_dataset
from twin.report.io import ReportError, open, write

__all__ = ["VARIABLES", "ReportError", "open", "to_dataset", "write"]
