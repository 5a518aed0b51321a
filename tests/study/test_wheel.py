"""PH's proximal-cut projection (twin.study.proximal), without MPI."""

from __future__ import annotations

import math

import numpy as np
import pytest

from twin.study.proximal import nearest_on_parabola


@pytest.mark.parametrize(
    ("x", "y", "t"),
    [
        (2.0, 4.0, 2.0),  # on the parabola: itself
        (3.0, 0.0, 1.0),  # 2 t^3 + t - 3 = 0 at t = 1
        (0.0, 5.0, math.sqrt(4.5)),  # 2 t^3 - 9 t = 0: t^2 = 4.5 (either sign; +/- tie)
    ],
)
def test_nearest_point_on_the_parabola_by_hand(x: float, y: float, t: float) -> None:
    got = nearest_on_parabola(x, y)
    assert abs(got) == pytest.approx(t, abs=1e-9)
    # and no point of a fine grid is nearer
    grid = [s / 1000 for s in range(-5000, 5001)]
    best = min(grid, key=lambda s: (s - x) ** 2 + (s * s - y) ** 2)
    assert (got - x) ** 2 + (got**2 - y) ** 2 <= (best - x) ** 2 + (best**2 - y) ** 2 + 1e-12


def test_nearest_point_agrees_with_the_cubic_s_roots_on_a_grid() -> None:
    """Over a grid of points (x, y), including near the cubic's double roots (D = 0), the closed
    form is as near to the point as the nearest of NumPy's roots of 2 t^3 + (1 - 2y) t - x."""
    for x in [-3.0, -0.5, -1e-6, 0.0, 1e-6, 0.3, 2.0, 7.5]:
        for y in [-1.0, 0.0, 0.5, 0.5 + 1e-9, 1.0, 1.5, 4.0, 30.0]:
            roots = np.roots([2.0, 0.0, 1.0 - 2.0 * y, -x])
            real = roots[np.abs(roots.imag) <= 1e-6].real

            def dist(t: float, x: float = x, y: float = y) -> float:
                return (t - x) ** 2 + (t * t - y) ** 2

            best = min(dist(t) for t in real)
            assert dist(nearest_on_parabola(x, y)) <= best + 1e-9 * (1.0 + best)
