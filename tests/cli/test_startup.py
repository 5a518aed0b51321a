"""Start-up: ``import twin`` and ``twin --help`` load no modelling, solver or array library, and
``twin solve`` runs without Dask. Behaviour (which modules a fresh process holds), not timing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PERIOD_FORM_ARGS

ROOT = Path(__file__).resolve().parents[2]

#: Top-level packages slow to import that a command must not load unless it uses them.
HEAVY = (
    "scipy",
    "dask",
    "distributed",
    "matplotlib",
    "skyfield",
    "netCDF4",
    "pyomo",
    "highspy",
    "xarray",
    "pandas",
    "networkx",
)

PROBE = """
import json, sys, types
{body}
mods = [n for n, m in sys.modules.items() if isinstance(m, types.ModuleType)]
loaded = sorted({{n.split('.')[0] for n in mods}} | set(mods))
print(json.dumps(loaded))
"""

RUN_CLI = """
sys.argv = ['twin', *{args!r}]
from twin.cli import main
try:
    main()
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
"""


def loaded_after(body: str) -> set[str]:
    """Modules (and their top-level packages) a fresh interpreter holds after running ``body``."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(body=body)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_probe_sees_a_heavy_import():
    """The probe itself works: importing the solver stack shows up."""
    loaded = loaded_after("import twin.plan")
    assert {"pyomo", "highspy"} <= loaded


def test_import_twin_loads_nothing_heavy():
    loaded = loaded_after("import twin, twin.cli, twin.spec")
    assert loaded.isdisjoint(HEAVY), loaded & set(HEAVY)


#: ... and help, as the README says, loads no array library either
HELP_HEAVY = (*HEAVY, "numpy")


def test_help_loads_nothing_heavy():
    loaded = loaded_after(RUN_CLI.format(args=["--help"]))
    assert loaded.isdisjoint(HELP_HEAVY), loaded & set(HELP_HEAVY)
    loaded = loaded_after(RUN_CLI.format(args=["solve", "--help"]))
    assert loaded.isdisjoint(HELP_HEAVY), loaded & set(HELP_HEAVY)


def test_public_names_resolve_lazily():
    """Every name in ``twin.__all__`` resolves, and ``twin.plan`` stays the function even after
    the subpackage ``twin.plan`` is imported."""
    import twin
    import twin.plan.model

    assert sorted(twin.__all__) == sorted(twin._LAZY)
    for name in twin.__all__:
        assert getattr(twin, name) is not None
    assert callable(twin.plan) and twin.plan.__module__ == "twin.plan"
    with pytest.raises(AttributeError):
        _ = twin.no_such_name


def test_solve_runs_without_dask(tmp_path):
    """``twin solve`` on the baseline writes its report without importing Dask (sweeps only) or
    SciPy (the hand-off assembles the LP with NumPy). In the period form: in hours (the
    baseline's default) tsam, which chooses the representative days, imports SciPy itself."""
    out = tmp_path / "baseline.nc"
    args = ["solve", "models/baseline.yaml", "-o", str(out), *PERIOD_FORM_ARGS]
    loaded = loaded_after(RUN_CLI.format(args=args))
    assert out.exists()
    assert {"pyomo", "highspy", "xarray", "netCDF4"} <= loaded
    # the base scenario has no orbital site enabled: no Skyfield either. (xarray's check for
    # pint arrays may import pint, which imports the top of SciPy, not its subpackages.)
    heavy = {"scipy.stats", "scipy.sparse", "dask", "distributed", "matplotlib", "skyfield"}
    assert loaded.isdisjoint(heavy), loaded & heavy
