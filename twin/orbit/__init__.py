"""Orbital geometry of the twin: shells -> satellites -> sunlight, ground contact, latency.

Positions from SGP4 (``sgp4``) wrapped by Skyfield; the Sun from JPL DE421 shipped by the
``skyfield-data`` package; time scale from Skyfield's built-in tables. Nothing is downloaded.

The public names load their module on first use (a module-level ``__getattr__``): importing one
light module (``twin.orbit.power_cost``, ``twin.orbit.kepler``) does not import Skyfield.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twin.lazy import lazy_loader

#: public name -> module that defines it (imported on first access)
_LAZY: dict[str, str] = {
    "ephemeris": "twin.orbit.almanac",
    "timescale": "twin.orbit.almanac",
    "look_series": "twin.orbit.geometry",
    "positions_gcrs_km": "twin.orbit.geometry",
    "propagate_teme_km": "twin.orbit.geometry",
    "shell_geometry": "twin.orbit.geometry",
    "sunlight_sample": "twin.orbit.geometry",
    "Intervals": "twin.orbit.intervals",
    "positive_intervals": "twin.orbit.intervals",
    "mean_motion_rad_s": "twin.orbit.kepler",
    "nodal_precession_deg_per_day": "twin.orbit.kepler",
    "period_s": "twin.orbit.kepler",
    "semi_major_axis_km": "twin.orbit.kepler",
    "sun_synchronous_inclination_deg": "twin.orbit.kepler",
    "constellation_graph": "twin.orbit.links",
    "shortest_latency_path": "twin.orbit.links",
    "station_node": "twin.orbit.links",
    "TERRESTRIAL_POWER_USD_PER_KW_YEAR": "twin.orbit.power_cost",
    "break_even_launch_price": "twin.orbit.power_cost",
    "capital_recovery_factor": "twin.orbit.power_cost",
    "orbital_power_cost": "twin.orbit.power_cost",
    "Samples": "twin.orbit.sampling",
    "sample_times": "twin.orbit.sampling",
    "grid_isl_pairs": "twin.orbit.shells",
    "load_elements": "twin.orbit.shells",
    "raan0_deg": "twin.orbit.shells",
    "satellite_node": "twin.orbit.shells",
    "shell_satellites": "twin.orbit.shells",
    "shell_satrecs": "twin.orbit.shells",
    "walker_elements": "twin.orbit.shells",
    "shadow": "twin.orbit.sunlight",
    "SPEED_OF_LIGHT_KM_S": "twin.orbit.visibility",
    "contact_windows": "twin.orbit.visibility",
    "look_angles": "twin.orbit.visibility",
}

__all__ = [
    "SPEED_OF_LIGHT_KM_S",
    "TERRESTRIAL_POWER_USD_PER_KW_YEAR",
    "Intervals",
    "Samples",
    "break_even_launch_price",
    "capital_recovery_factor",
    "constellation_graph",
    "contact_windows",
    "ephemeris",
    "grid_isl_pairs",
    "load_elements",
    "look_angles",
    "look_series",
    "mean_motion_rad_s",
    "nodal_precession_deg_per_day",
    "orbital_power_cost",
    "period_s",
    "positions_gcrs_km",
    "positive_intervals",
    "propagate_teme_km",
    "raan0_deg",
    "sample_times",
    "satellite_node",
    "semi_major_axis_km",
    "shadow",
    "shell_geometry",
    "shell_satellites",
    "shell_satrecs",
    "shortest_latency_path",
    "station_node",
    "sun_synchronous_inclination_deg",
    "sunlight_sample",
    "timescale",
    "walker_elements",
]

if TYPE_CHECKING:  # the same names, imported eagerly, for type checkers and IDEs
    from twin.orbit.almanac import ephemeris, timescale
    from twin.orbit.geometry import (
        look_series,
        positions_gcrs_km,
        propagate_teme_km,
        shell_geometry,
        sunlight_sample,
    )
    from twin.orbit.intervals import Intervals, positive_intervals
    from twin.orbit.kepler import (
        mean_motion_rad_s,
        nodal_precession_deg_per_day,
        period_s,
        semi_major_axis_km,
        sun_synchronous_inclination_deg,
    )
    from twin.orbit.links import constellation_graph, shortest_latency_path, station_node
    from twin.orbit.power_cost import (
        TERRESTRIAL_POWER_USD_PER_KW_YEAR,
        break_even_launch_price,
        capital_recovery_factor,
        orbital_power_cost,
    )
    from twin.orbit.sampling import Samples, sample_times
    from twin.orbit.shells import (
        grid_isl_pairs,
        load_elements,
        raan0_deg,
        satellite_node,
        shell_satellites,
        shell_satrecs,
        walker_elements,
    )
    from twin.orbit.sunlight import shadow
    from twin.orbit.visibility import SPEED_OF_LIGHT_KM_S, contact_windows, look_angles


_load = lazy_loader(__name__, _LAZY, globals())


def __getattr__(name: str) -> object:
    """Import the module behind a public name on first access (PEP 562)."""
    return _load(name)
