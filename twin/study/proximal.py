"""PH's linearised proximal term: the projection onto ``q = x^2`` that places its tangent cuts.

mpi-sppy replaces each tied decision's ``x^2`` in the proximal term by a column ``q`` bounded
below by tangent cuts ``q >= 2 a x - a^2`` and, after every iteration, projects ``(x, q)`` onto
the parabola to place new cuts there. This module gives mpi-sppy the projection in closed form
(:func:`nearest_on_parabola`, patched into ``prox_approx``'s ``check_tol_add_cut``).
"""

from __future__ import annotations

import contextlib
import io
import math
from typing import Any

with contextlib.redirect_stdout(io.StringIO()):  # mpi-sppy prints a banner on first import
    from mpisppy.utils import prox_approx


def nearest_on_parabola(x: float, y: float) -> float:
    """The t whose point ``(t, t^2)`` is nearest to ``(x, y)``: a real root of the stationarity
    condition of ``(t - x)^2 + (t^2 - y)^2``, ``2 t^3 + (1 - 2 y) t - x = 0``, the nearest one.

    In closed form (Cardano): with ``p = (1 - 2y)/2``, ``q = -x/2`` the depressed cubic
    ``t^3 + p t + q = 0`` has one real root ``cbrt(-q/2 + sqrt(D)) + cbrt(-q/2 - sqrt(D))``
    when ``D = q^2/4 + p^3/27 >= 0``, else three, ``2 sqrt(-p/3) cos(phi/3 - 2 pi k/3)`` with
    ``cos(phi) = (3q / 2p) sqrt(-3/p)``; one Newton step polishes the root (NumPy's ``roots``,
    an eigenvalue problem per call, took 12 of the hub's 150 s on 81 leaves)."""
    p, q = (1.0 - 2.0 * y) / 2.0, -x / 2.0
    d = q * q / 4.0 + p * p * p / 27.0
    if d >= 0.0:
        s = math.sqrt(d)
        roots = [_cbrt(-q / 2.0 + s) + _cbrt(-q / 2.0 - s)]
    else:
        r = 2.0 * math.sqrt(-p / 3.0)
        phi = math.acos(max(-1.0, min(1.0, 3.0 * q / (2.0 * p) * math.sqrt(-3.0 / p))))
        roots = [r * math.cos(phi / 3.0 - 2.0 * math.pi * k / 3.0) for k in range(3)]
    out = []
    for root in roots:
        slope = 6.0 * root * root + 2.0 * p
        step = (2.0 * root**3 + 2.0 * p * root - x) / slope if slope != 0.0 else 0.0
        out.append(root - step)
    return min(out, key=lambda t: (t - x) ** 2 + (t * t - y) ** 2)


def _cbrt(a: float) -> float:
    return math.copysign(abs(a) ** (1.0 / 3.0), a)


def _check_tol_add_cut(self: Any, tolerance: float, persistent_solver: Any = None) -> int:
    """mpi-sppy's ``check_tol_add_cut`` (linearised proximal term: tangent cuts of ``x^2``)
    with the projection of ``(x, x_sq)`` onto the parabola in closed form instead of SciPy's
    ``least_squares``, which took 12.7 of the hub's 56 s on the 9-leaf small benchmark."""
    if self.xvar.fixed:
        return 0
    y = self.xvarsqrd.value
    point = nearest_on_parabola(float(self.xvar.value), 0.0 if y is None else float(y))
    return int(self.add_cuts(point, tolerance, persistent_solver))


prox_approx._ProxApproxManager.check_tol_add_cut = _check_tol_add_cut
#: mpi-sppy's ``linearize_proximal_terms``: every subproblem stays an LP (or MIP).
LINEARIZE = True
