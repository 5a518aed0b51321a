"""Interval finding with sub-step crossings, against the zeros of a sine."""

from __future__ import annotations

import numpy as np
import pytest

from twin.orbit.intervals import positive_intervals

PERIOD_S = 5580.0  # ~ a LEO orbit
#: The cubic crossing of a sine sampled 60 s apart (~1/93 of its period) is good to ~0.01 s.
CROSSING_TOL_S = 0.05


def test_crossings_of_a_sine_are_found_to_a_fraction_of_a_second():
    t = np.arange(0.0, 3 * 86400.0, 60.0) + 7.0
    x = np.sin(2 * np.pi * t / PERIOD_S)
    iv = positive_intervals(x, t)
    starts = iv.start[iv.start_crossed]
    ends = iv.end[iv.end_crossed]
    np.testing.assert_allclose(starts / PERIOD_S, np.round(starts / PERIOD_S), atol=1e-5)
    np.testing.assert_allclose(np.diff(starts), PERIOD_S, atol=CROSSING_TOL_S)
    np.testing.assert_allclose((ends - PERIOD_S / 2) % PERIOD_S, 0.0, atol=CROSSING_TOL_S)
    assert np.all(iv.complete[1:-1])


def test_blocks_cut_intervals_and_flag_the_cut_ends():
    t = np.r_[np.arange(0.0, 100.0, 10.0), np.arange(1000.0, 1100.0, 10.0)]
    block = np.r_[np.zeros(10, int), np.ones(10, int)]
    x = np.r_[np.ones(10), -np.ones(5), np.ones(5)]  # positive across the gap: two intervals
    iv = positive_intervals(x, t, block)
    assert len(iv.start) == 2
    np.testing.assert_array_equal(iv.start_crossed, [False, True])
    np.testing.assert_array_equal(iv.end_crossed, [False, False])
    assert iv.end[0] == 90.0 and iv.end[1] == 1090.0
    # the cubic through (-1, -1), (0, -1), (1, 1), (2, 1) is odd about 0.5: crossing mid-step
    assert iv.start[1] == pytest.approx(1045.0, abs=1e-6)
    assert not iv.complete.any()
