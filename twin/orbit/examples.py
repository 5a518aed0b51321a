"""Small example shells, shared by tests, benchmarks and notebooks.

Plan fields use sourced facts: ~100 kW per tonne (10 t/MW), ~5-year life; the
downlink rate is an assumption (20 Gbit/s per satellite, a Starlink-class Ku/Ka gateway link).
"""

from __future__ import annotations

from typing import Any

from twin.spec.orbit import Shell

__all__ = ["PLAN_FIELDS", "dawn_dusk_shell", "iss_like_shell", "walker_shell"]

#: Plan fields of the example shells (see the module docstring for their sources).
PLAN_FIELDS: dict[str, float] = {
    "specific_mass_t_per_mw": 10.0,
    "lifetime_years": 5.0,
    "downlink_gbps_per_sat": 20.0,
}


def iss_like_shell(**overrides: Any) -> Shell:
    """One satellite at 420 km, 51.6 deg (the ISS's orbit), ascending node at local noon."""
    kw = {"altitude_km": 420.0, "inclination_deg": 51.6, "ltan_hours": 12.0}
    return Shell(**(kw | {"planes": 1, "sats_per_plane": 1} | PLAN_FIELDS | overrides))


def dawn_dusk_shell(**overrides: Any) -> Shell:
    """A dawn-dusk sun-synchronous shell at 650 km (Google Suncatcher's orbit), one satellite."""
    kw = {"altitude_km": 650.0, "sun_synchronous": True, "ltan_hours": 6.0}
    return Shell(**(kw | {"planes": 1, "sats_per_plane": 1} | PLAN_FIELDS | overrides))


def walker_shell(planes: int = 32, sats_per_plane: int = 32, **overrides: Any) -> Shell:
    """A Starlink-like Walker delta shell at 550 km, 53 deg (default 32 x 32 = 1,024)."""
    kw = {"altitude_km": 550.0, "inclination_deg": 53.0, "phasing": 1 if planes > 1 else 0}
    return Shell(
        **(kw | {"planes": planes, "sats_per_plane": sats_per_plane} | PLAN_FIELDS | overrides)
    )
