"""The orbit-geometry Dataset: variables, coordinates and attributes of :func:`shell_geometry`'s
results (:mod:`twin.orbit.geometry` runs the passes; this module only arranges what they found).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import sgp4
import skyfield
import xarray as xr
from numpy.typing import NDArray

from twin.constants import SPEED_OF_LIGHT_KM_S
from twin.orbit.almanac import EPHEMERIS_FILE
from twin.orbit.kepler import nodal_period_s, period_s
from twin.orbit.sampling import Samples
from twin.spec.orbit import GroundStation, OrbitWindow, Shell

S, ST, SAT, T, D = "shell", "station", "satellite", "time", "day"
FRAC = "1"


#: Per-shell variables from the passes: name -> (dims, pass key, units, long_name).
SHELL_VARIABLES: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    "sunlit_fraction": (
        (S,),
        "sunlit",
        FRAC,
        "time-mean illuminated fraction of the solar disk, averaged over the shell's sunlight "
        "sample",
    ),
    "sunlit_fraction_daily": (
        (S, D),
        "sunlit_daily",
        FRAC,
        "illuminated fraction on each sampled day",
    ),
    "min_daily_sunlit_fraction": (
        (S,),
        "sunlit_min_daily",
        FRAC,
        "lowest one-day sunlit fraction of any sampled satellite",
    ),
    "max_eclipse_min": ((S,), "eclipse_max", "min", "longest eclipse (Sun's centre hidden)"),
    "contact_fraction": (
        (S, ST),
        "contact",
        FRAC,
        "fraction of time at least one satellite of the shell is above the station's minimum "
        "elevation",
    ),
    "mean_visible": (
        (S, ST),
        "mean_visible",
        "1",
        "mean number of satellites above minimum elevation",
    ),
    "mean_latency_ms": (
        (S, ST),
        "mean_latency",
        "ms",
        "mean over in-contact time of the lowest one-way station-satellite latency "
        "(slant range / c)",
    ),
    "visible_count": ((S, ST, T), "count", "1", "satellites above the station's minimum elevation"),
    "best_latency_ms": (
        (S, ST, T),
        "best_latency",
        "ms",
        "lowest one-way latency to a satellite in contact (NaN: none)",
    ),
    "isl_in_plane_km": (
        (S,),
        "isl_in_mean",
        "km",
        "mean length of +grid in-plane inter-satellite links",
    ),
    "isl_cross_plane_km": (
        (S,),
        "isl_cross_mean",
        "km",
        "mean length of +grid cross-plane inter-satellite links",
    ),
    "isl_cross_plane_min_km": (
        (S,),
        "isl_cross_min",
        "km",
        "shortest cross-plane link length seen",
    ),
    "isl_cross_plane_max_km": ((S,), "isl_cross_max", "km", "longest cross-plane link length seen"),
}


def _shell_variables(shells: Mapping[str, Shell], shell_vals: dict[str, list]) -> dict:
    """Per-shell (and per shell x station x time) variables: the passes' results and the shells'
    elements."""
    out = {}
    for name, (dims, key, units, long_name) in SHELL_VARIABLES.items():
        values = np.stack([np.asarray(v) for v in shell_vals[key]], axis=0)
        if key == "best_latency":
            values = values.astype(np.float32)
        out[name] = (dims, values, {"units": units, "long_name": long_name})
    sh = list(shells.values())
    out["altitude_km"] = (
        (S,),
        np.array([x.altitude_km for x in sh]),
        {"units": "km", "long_name": "altitude above the WGS72 equatorial radius"},
    )
    out["inclination_deg"] = (
        (S,),
        np.array([x.inclination for x in sh]),
        {"units": "degree", "long_name": "orbit inclination"},
    )
    out["period_min"] = (
        (S,),
        np.array([float(period_s(x.altitude_km)) / 60.0 for x in sh]),
        {"units": "min", "long_name": "Kepler orbital period"},
    )
    out["nodal_period_min"] = (
        (S,),
        np.array([float(nodal_period_s(x.altitude_km, x.inclination)) / 60.0 for x in sh]),
        {"units": "min", "long_name": "nodal (node-to-node) period under J2, as propagated"},
    )
    out["n_satellites"] = (
        (S,),
        np.array([x.size for x in sh]),
        {"units": "1", "long_name": "satellites in the shell"},
    )
    return out


def _satellite_variables(sat_vals: dict[str, list]) -> dict:
    """Variables of the sunlight sample's satellites."""

    def cat(key: str) -> NDArray:
        return np.concatenate(sat_vals[key], axis=0)

    frac = FRAC
    return {
        "sat_sunlit_fraction": (
            (SAT,),
            cat("sunlit"),
            {"units": frac, "long_name": "time-mean illuminated fraction of the solar disk"},
        ),
        "sat_sunlit_fraction_daily": (
            (SAT, D),
            cat("sunlit_daily"),
            {"units": frac, "long_name": "illuminated fraction on each sampled day"},
        ),
        "sat_max_eclipse_min": (
            (SAT,),
            cat("eclipse_max"),
            {"units": "min", "long_name": "longest eclipse seen (0: never eclipsed)"},
        ),
        "sat_mean_eclipse_min": (
            (SAT,),
            cat("eclipse_mean"),
            {
                "units": "min",
                "long_name": "mean duration of complete eclipses (0: none; NaN: "
                "only eclipses cut by the sampling blocks)",
            },
        ),
        "sat_eclipses_per_day": (
            (SAT,),
            cat("eclipses_per_day"),
            {"units": "day-1", "long_name": "eclipse entries per sampled day"},
        ),
        "sat_contact_fraction": (
            (SAT, ST),
            cat("contact"),
            {"units": frac, "long_name": "fraction of time above the station's minimum elevation"},
        ),
        "sat_mean_range_km": (
            (SAT, ST),
            cat("mean_range"),
            {"units": "km", "long_name": "mean slant range while in contact (NaN: never)"},
        ),
        "sat_mean_latency_ms": (
            (SAT, ST),
            cat("mean_range") / SPEED_OF_LIGHT_KM_S * 1e3,
            {"units": "ms", "long_name": "mean one-way latency while in contact (NaN: never)"},
        ),
        "sat_max_elevation_deg": (
            (SAT, ST),
            cat("max_elevation"),
            {"units": "degree", "long_name": "highest elevation reached"},
        ),
    }


def geometry_dataset(
    shells: Mapping[str, Shell],
    stations: Mapping[str, GroundStation],
    window: OrbitWindow,
    stride: int,
    samples: Samples,
    cov: Samples,
    sat_rows: dict[str, list],
    sat_vals: dict[str, list],
    shell_vals: dict[str, list],
) -> xr.Dataset:
    """Arrange the two passes' results as a CF-annotated Dataset (see :func:`shell_geometry`)."""
    names = list(shells)
    data = {**_shell_variables(shells, shell_vals), **_satellite_variables(sat_vals)}
    st_list = list(stations.values())
    coords = {
        S: (S, names, {"long_name": "orbital shell"}),
        ST: (ST, list(stations), {"long_name": "ground station"}),
        "station_lat_deg": (
            ST,
            [s.lat_deg for s in st_list],
            {"units": "degree_north", "long_name": "station geodetic latitude"},
        ),
        "station_lon_deg": (
            ST,
            [s.lon_deg for s in st_list],
            {"units": "degree_east", "long_name": "station longitude"},
        ),
        "min_elevation_deg": (
            ST,
            [s.min_elevation_deg for s in st_list],
            {"units": "degree", "long_name": "station minimum elevation for contact"},
        ),
        SAT: (SAT, sat_rows["name"], {"long_name": "satellite (sat:<shell>:<index>)"}),
        "satellite_shell": (SAT, sat_rows["shell"], {"long_name": "shell of the satellite"}),
        "satellite_index": (SAT, sat_rows["index"], {"long_name": "index in its shell"}),
        "satellite_plane": (SAT, sat_rows["plane"], {"long_name": "orbit plane (0-based)"}),
        "satellite_slot": (SAT, sat_rows["slot"], {"long_name": "slot in its plane (0-based)"}),
        T: (T, cov.stamps, {"long_name": "coverage sample time (UTC)"}),
        D: (D, samples.days, {"long_name": "start of sampled day (UTC)"}),
    }
    return xr.Dataset(
        data,
        coords=coords,
        attrs={
            "title": "twin orbit geometry",
            "shadow_model": "conical Earth shadow, spherical Earth R=6378.137 km; eclipse = "
            "Sun centre hidden; sunlit fraction = mean visible solar-disk fraction",
            "propagator": f"SGP4 (sgp4 {sgp4.__version__}, WGS72), TEME",
            "ephemeris": f"JPL {EPHEMERIS_FILE} via skyfield {skyfield.__version__}",
            "step_s": window.step_s,
            "coverage_step_s": window.step_s * stride,
            "sunlight_satellites_per_shell": window.sunlight_satellites,
            "window_start": window.start.isoformat(),
            "window_months": window.months,
            "window_days_per_sample": window.days_per_sample,
        },
    )
