"""The yearly sunlit fraction from a stratified sample spread over a whole year.

A month-block window (:mod:`twin.orbit.sampling`) sees a dozen days: an inclined orbit's beta
angle cycles every ~60 days (ISS), so a dozen days can miss its yearly mean by up to ~0.05. The
yearly sunlit fraction is instead taken over ``N = year / step`` instants spread evenly over the
365.25 days from the window start, each jittered within its stratum by a golden-ratio sequence:

    t_i = (i + frac(i x 0.618034)) x step,    i = 0 .. N - 1

The jitter breaks resonance between the step and any orbital period. At the default 37-minute
step (14,216 instants) the mean is within 0.002 of a minute-by-minute calculation over the year
for inclined (51.6 and 53 deg), polar and dawn-dusk shells at any node (measured, see
tests/orbit/test_year_sample.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sgp4.api import Satrec, SatrecArray
from skyfield.timelib import Time

from twin.orbit.almanac import timescale
from twin.orbit.frames import sgp4_time, sun_teme_km
from twin.orbit.sampling import GOLDEN
from twin.orbit.sunlight import shadow
from twin.spec.orbit import OrbitWindow

__all__ = ["year_times", "yearly_sunlit_fraction"]

YEAR_S = 365.25 * 86400.0


def year_times(window: OrbitWindow) -> Time:
    """The stratified instants of the module docstring, from 00:00 UTC on ``window.start``."""
    n = int(YEAR_S // window.year_step_s)
    i = np.arange(n)
    seconds = (i + (i * GOLDEN) % 1.0) * window.year_step_s
    s = window.start
    return timescale().utc(s.year, s.month, s.day, 0, 0, seconds)


def yearly_sunlit_fraction(
    recs: Sequence[Satrec], window: OrbitWindow, chunk: int = 4096
) -> NDArray[np.float64]:
    """Mean illuminated fraction of each satellite in ``recs`` over the year sample [-]."""
    t = year_times(window)
    jd, fr = sgp4_time(t)
    sun = sun_teme_km(t)
    arr = SatrecArray(list(recs))
    total = np.zeros(len(recs))
    for c in range(0, len(jd), chunk):
        sl = slice(c, c + chunk)
        err, r, _ = arr.sgp4(np.ascontiguousarray(jd[sl]), np.ascontiguousarray(fr[sl]))
        r[err != 0] = np.nan
        nu, _ = shadow(r, sun[sl])
        total += nu.sum(axis=1)
    return total / len(jd)
