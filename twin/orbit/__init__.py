"""Orbital geometry of the twin: shells -> satellites -> sunlight, ground contact, latency.

Positions from SGP4 (``sgp4``) wrapped by Skyfield; the Sun from JPL DE421 shipped by the
``skyfield-data`` package; time scale from Skyfield's built-in tables. Nothing is downloaded.
"""

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
