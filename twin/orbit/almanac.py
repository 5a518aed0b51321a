"""Almanac data: time scale and planetary ephemeris, loaded from installed files; no network.

* Time scale: Skyfield's built-in tables (``builtin=True``: leap seconds, Delta T and UT1-UTC as
  shipped inside the ``skyfield`` package). Beyond the tables' last measured date Skyfield
  extrapolates UT1; the error this adds to a satellite's Earth-fixed position is a few hundred
  metres per second of UT1 error, negligible for contact statistics.
* Ephemeris: JPL DE421 (``de421.bsp``, 1900-2050) as shipped by the ``skyfield-data`` package.

``skyfield-data`` also ships ``finals2000A.all`` and warns (a ``RuntimeWarning``) when that file is
past its expiry date. This module does not read that file (the time scale is Skyfield's built-in),
so the check is replaced by one on the file it does read: DE421's coverage.

Both loaders are cached: one time scale and one ephemeris per process.
"""

from __future__ import annotations

import atexit
from functools import cache
from importlib.resources import files
from pathlib import Path

from skyfield.api import Loader
from skyfield.jpllib import SpiceKernel
from skyfield.timelib import Timescale

__all__ = ["EPHEMERIS_FILE", "data_dir", "ephemeris", "timescale"]

#: The JPL ephemeris used for the Sun: DE421, valid 1900-07-29 .. 2053-10-09.
EPHEMERIS_FILE = "de421.bsp"


def data_dir() -> Path:
    """Directory of the data files installed with ``skyfield-data`` (DE421 lives there)."""
    return Path(str(files("skyfield_data").joinpath("data")))


@cache
def _loader() -> Loader:
    return Loader(str(data_dir()), verbose=False, expire=False)


@cache
def timescale() -> Timescale:
    """Skyfield time scale from built-in tables (no file read, no download)."""
    return _loader().timescale(builtin=True)


@cache
def ephemeris() -> SpiceKernel:
    """JPL DE421 from the ``skyfield-data`` package; raises ``FileNotFoundError`` if missing
    rather than downloading it."""
    path = data_dir() / EPHEMERIS_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: reinstall the skyfield-data package")
    kernel = _loader()(EPHEMERIS_FILE)
    atexit.register(kernel.close)
    return kernel
