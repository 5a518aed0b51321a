"""What the command-line process imports: nothing heavy before a command runs, no Dask (and no
pint arrays) outside ``twin sweep``, and errors classified without importing their modules."""

from __future__ import annotations

import sys


def without_dask() -> list[str]:
    """Make this process one without Dask (and pint arrays), as if they were not installed.

    xarray imports ``dask.array`` when it makes its first Dataset and ``dask.distributed`` when it
    writes netCDF, only to check whether the data are Dask arrays (they never are in a report):
    about 0.6 s of a ``twin solve`` on the baseline. It imports pint for the same check, and pint
    imports SciPy, which makes Pyomo import ``scipy.stats`` and ``scipy.sparse`` (about 1 s).
    ``sys.modules[name] = None`` makes ``import name`` raise ImportError, which xarray treats as
    "not installed". Only for the console entry point (the process ends with the command), never
    inside a library call; :func:`twin.units.registry` lifts the pint block if it needs pint.
    Nothing is blocked once xarray is imported (its checks are cached by then). Returns the
    names blocked.
    """
    if "xarray" in sys.modules:  # xarray already looked (a run inside another program): keep
        return []
    blocked = [name for name in ("dask", "pint") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    return blocked


def unblock(names: list[str]) -> None:
    """Undo :func:`without_dask` (for a command run inside another Python program)."""
    for name in names:
        if name in sys.modules and sys.modules[name] is None:
            del sys.modules[name]


#: The only command whose process runs Dask.
WITH_DASK = frozenset({"sweep"})


def raised(exc: BaseException, module: str, name: str) -> bool:
    """``exc`` is a ``module.name``; a module never imported cannot have raised it, and it is not
    imported here (so a bad-input error or ``--help`` does not pull in the solver stack)."""
    mod = sys.modules.get(module)
    return mod is not None and isinstance(exc, getattr(mod, name))
