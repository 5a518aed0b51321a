"""Orbit geometry throughput: satellite x time evaluations per second.

For Walker shells of ~100, ~1,000 and ~5,000 satellites over one day at 60 s (1,440 instants):

* ``sgp4 only``: ``sgp4.api.SatrecArray.sgp4`` propagating every satellite at every instant
  (TEME positions; nothing else).
* ``geometry``: the same propagation plus the conical-shadow sunlight test and the elevation and
  slant range to six ground stations (``datasets/ground_stations.csv``), i.e. what
  :func:`twin.orbit.shell_geometry` does per evaluation, in its chunks; the Sun and the stations
  are rotated into TEME once per instant (included in the time).
* ``shell_geometry``: wall time of one default call (one day in each month of 2026 at 60 s,
  36 sunlight satellites, 4e6 coverage evaluations: the coverage step widens with shell size).

Run: ``python benchmarks/orbit_throughput.py`` (prints a markdown table).
"""

from __future__ import annotations

import os
import platform
import time
from datetime import date
from pathlib import Path

import numpy as np
from sgp4.api import SatrecArray

from twin.orbit.almanac import timescale
from twin.orbit.examples import walker_shell
from twin.orbit.frames import sgp4_time, stations_teme_km, sun_teme_km
from twin.orbit.geometry import CHUNK_EVALUATIONS, propagate_teme_km, shell_geometry
from twin.orbit.shells import shell_satrecs
from twin.orbit.sunlight import shadow
from twin.orbit.visibility import look_angles
from twin.spec.orbit import OrbitWindow, read_ground_stations

ROOT = Path(__file__).resolve().parents[1]
SIZES = {100: (10, 10), 1_000: (40, 25), 5_000: (100, 50)}
N_TIMES = 1440  # one day at 60 s


def best_of(fn, repeat: int) -> tuple[float, float]:
    """Best (CPU seconds, wall seconds) of ``repeat`` runs: CPU time is the fairer measure on a
    machine shared with other work."""
    cpu, wall = np.inf, np.inf
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu = min(cpu, time.process_time() - c0)
        wall = min(wall, time.perf_counter() - w0)
    return cpu, wall


def main() -> None:
    stations = read_ground_stations(ROOT / "datasets" / "ground_stations.csv")
    t = timescale().utc(2026, 3, 1, 0, np.arange(N_TIMES, dtype=float))
    jd, fr = sgp4_time(t)
    sin_min = np.sin(np.radians([s.min_elevation_deg for s in stations.values()]))
    rows = []
    for n, (planes, per_plane) in SIZES.items():
        shell = walker_shell(planes, per_plane)
        arr = SatrecArray(shell_satrecs(shell))
        evals = shell.size * N_TIMES

        def raw(arr: SatrecArray = arr) -> None:
            arr.sgp4(jd, fr)

        def geometry(arr: SatrecArray = arr, n_sat: int = shell.size) -> None:
            sun = sun_teme_km(t)
            pos, up = stations_teme_km(stations, t)
            step = max(1, CHUNK_EVALUATIONS // n_sat)
            for i in range(0, N_TIMES, step):
                c = slice(i, i + step)
                r = propagate_teme_km(arr, (jd[c], fr[c]))
                shadow(r, sun[c])
                sin_el, _ = look_angles(r, pos[:, c], up[:, c])
                (sin_el >= sin_min[None, :, None]).sum(0)

        repeat = 5 if n <= 1_000 else 3
        t_raw, _ = best_of(raw, repeat)
        t_geo, _ = best_of(geometry, repeat)
        out = {}

        def call(shell=shell, out=out) -> None:
            out["ds"] = shell_geometry({"s": shell}, stations, OrbitWindow())

        c_call, w_call = best_of(call, 2)
        rows.append(
            (
                shell.size,
                evals,
                evals / t_raw,
                evals / t_geo,
                t_geo / t_raw,
                c_call,
                w_call,
                out["ds"].attrs["coverage_step_s"],
            )
        )

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"numpy {np.__version__}; run {date.today().isoformat()}; 1-min load average at the end "
        f"{load:.1f}; 1,440 instants (1 day at 60 s), {len(stations)} ground stations. Rates are "
        "per CPU second, best of 3-5 runs.\n"
    )
    print(
        "| satellites | sat x time evals | sgp4 only (evals/s) | geometry: sgp4 + sunlight + "
        "elevation (evals/s) | geometry / sgp4 time | shell_geometry default call: CPU s "
        "(wall s) | coverage step (s) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size, evals, r_raw, r_geo, ratio, c_call, w_call, step in rows:
        print(
            f"| {size:,} | {evals:,} | {r_raw:,.0f} | {r_geo:,.0f} | {ratio:.2f}x | "
            f"{c_call:.1f} ({w_call:.1f}) | {step:.0f} |"
        )


if __name__ == "__main__":
    main()
