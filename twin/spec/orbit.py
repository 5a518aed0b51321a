"""Schemas of the orbital inputs: shells of satellites, ground stations and the sampling window.

A *shell* is a Walker constellation of circular orbits at one altitude. Its inclination is either
given or, for a sun-synchronous shell, derived from the altitude: the Earth's oblateness (J2) turns
the orbit plane by

    dRAAN/dt = -3/2 * n * J2 * (R_e / a)**2 * cos(i)        (circular orbit, e = 0)

and a sun-synchronous orbit is the one whose plane turns once per tropical year
(360 deg / 365.2422 days, eastward), so that it keeps its angle to the Sun. Solving for ``i``:

    cos(i) = -(2/3) * (dRAAN/dt)_sun * a**(7/2) / (J2 * R_e**2 * sqrt(mu))

The constants are WGS72's, the ones SGP4 propagates with, so the derived inclination is the one
SGP4's secular J2 term holds sun-synchronous. Altitudes are above the WGS72 equatorial radius
(``a = R_e + altitude``).

Validation errors are pydantic ``ValueError``s whose text names the field; the spec loader turns
them into :class:`twin.spec.errors.SpecError` with the file and key.
"""

from __future__ import annotations

import csv
import math
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Self

from pydantic import Field, ValidationError, field_validator, model_validator

from twin.constants import WGS72_EARTH_RADIUS_KM
from twin.spec.base import Frozen
from twin.spec.errors import SpecError

__all__ = [
    "EARTH_J2",
    "EARTH_MU_KM3_S2",
    "EARTH_RADIUS_KM",
    "MIN_ALTITUDE_KM",
    "TROPICAL_YEAR_DAYS",
    "GroundStation",
    "OrbitWindow",
    "Shell",
    "read_ground_stations",
    "sun_synchronous_inclination_deg",
]

#: WGS72 gravitational parameter of the Earth, km^3/s^2 (the value SGP4 uses).
EARTH_MU_KM3_S2 = 398600.8
#: WGS72 equatorial radius of the Earth, km (the value SGP4 uses).
EARTH_RADIUS_KM = WGS72_EARTH_RADIUS_KM
#: WGS72 second zonal harmonic J2 of the Earth's gravity field, dimensionless (SGP4's value).
EARTH_J2 = 0.001082616
#: Tropical year in days: the period with which a sun-synchronous plane must turn.
TROPICAL_YEAR_DAYS = 365.2422
#: Lowest altitude accepted, km: below ~160 km drag brings a satellite down within days.
MIN_ALTITUDE_KM = 160.0
#: Highest altitude accepted, km: geostationary altitude.
MAX_ALTITUDE_KM = 35786.0

#: Most satellites in one shell: ten times Starlink's ~10,000, a bound on geometry work.
MAX_SATELLITES = 100_000

_DEFAULT_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def sun_synchronous_inclination_deg(altitude_km: float) -> float:
    """Inclination (deg) of a circular orbit at ``altitude_km`` whose J2 nodal precession is
    360 deg per tropical year (sun-synchronous), from WGS72 ``mu``, ``R_e`` and ``J2``.

    Raises ``ValueError`` above ~5,970 km, where J2 is too weak to turn any plane that fast.
    """
    a = EARTH_RADIUS_KM + altitude_km
    n = math.sqrt(EARTH_MU_KM3_S2 / a**3)  # rad/s
    rate = 2.0 * math.pi / (TROPICAL_YEAR_DAYS * 86400.0)  # rad/s
    cos_i = -rate / (1.5 * n * EARTH_J2 * (EARTH_RADIUS_KM / a) ** 2)
    if cos_i < -1.0:
        raise ValueError(
            f"no sun-synchronous orbit exists at altitude_km={altitude_km:g}: J2 precession is too "
            "slow above ~5,970 km"
        )
    return math.degrees(math.acos(cos_i))


class Shell(Frozen):
    """A Walker shell of circular orbits: ``planes`` planes of ``sats_per_plane`` satellites.

    Plane ``k`` (0-based) has right ascension of ascending node
    ``RAAN_k = RAAN_0 + (k - (planes - 1) / 2) * raan_spread_deg / planes`` (so ``raan_spread_deg``
    = 360 is a Walker delta, 180 a Walker star, a few tens of degrees a cluster of planes around
    one local time). ``RAAN_0`` is set by ``ltan_hours`` at ``epoch`` (or 0 deg if not given).
    Satellite ``s`` of plane ``k`` starts at argument of latitude
    ``360 * s / sats_per_plane + 360 * phasing * k / (planes * sats_per_plane)`` degrees.
    """

    altitude_km: float = Field(
        description="Altitude of the circular orbit above the WGS72 equatorial radius, km; >= 160."
    )
    inclination_deg: float | None = Field(
        default=None,
        description="Orbit inclination, deg in [0, 180]; omit when sun_synchronous is true.",
    )
    sun_synchronous: bool = Field(
        default=False,
        description="If true, the inclination is derived from the altitude (J2 precession of "
        "360 deg per tropical year); then inclination_deg must be omitted.",
    )
    ltan_hours: float | None = Field(
        default=None,
        description="Local (apparent solar) time of the ascending node at epoch, hours in [0, 24]: "
        "6.0 or 18.0 is a dawn-dusk orbit. Required when sun_synchronous is true; if omitted "
        "otherwise, RAAN_0 = 0 deg.",
    )
    raan_spread_deg: float = Field(
        default=360.0,
        description="Span of right ascension over which the planes are spread, deg in (0, 360]; "
        "360 = Walker delta.",
    )
    planes: int = Field(description="Number of orbit planes, >= 1.")
    sats_per_plane: int = Field(description="Satellites per plane, >= 1.")
    phasing: int = Field(
        default=0, description="Walker phasing factor F, an integer in [0, planes - 1]."
    )
    epoch: datetime = Field(
        default=_DEFAULT_EPOCH,
        description="Epoch of the orbital elements (ISO 8601, UTC if no zone is given).",
    )
    earliest_year: int | None = Field(
        default=None, description="First calendar year in which this shell can be launched."
    )
    tle_file: str | None = Field(
        default=None,
        description="File of real two-line element sets (relative to the model file), one per "
        "satellite: the shell's satellites are propagated from these elements at their own "
        "epochs instead of the Walker pattern; altitude_km, inclination_deg, planes and "
        "sats_per_plane must describe it (checked).",
    )
    tle_epoch_years: float = Field(
        default=5.0,
        gt=0,
        le=100,
        description="How far outside the planning horizon the epoch of a tle_file element set "
        "may lie, years in (0, 100] (SGP4 drifts by km per day away from the epoch).",
    )
    specific_mass_t_per_mw: float = Field(
        description="Mass to orbit per MW of IT power, tonnes/MW, including solar arrays, "
        "radiators and bus (SpaceX FCC filing: ~100 kW/t, i.e. ~10 t/MW); > 0."
    )
    lifetime_years: float = Field(
        description="Service life of a satellite, years (> 0); replaced after it."
    )
    downlink_gbps_per_sat: float = Field(
        description="Ground downlink capacity of one satellite while in contact, Gbit/s; > 0."
    )
    isl_gbps_per_link: float = Field(
        default=100.0,
        description="Rate of one +grid inter-satellite link, Gbit/s; > 0 (default 100: SpaceX's "
        "Starlink optical links, 100 Gbit/s each, 2024; Suncatcher's bench link 1.6 Tbit/s). "
        "Caps the traffic leaving the satellites in view of the ground stations "
        "(twin.plan.isl).",
    )

    @field_validator("altitude_km")
    @classmethod
    def _altitude(cls, v: float) -> float:
        if not (MIN_ALTITUDE_KM <= v <= MAX_ALTITUDE_KM):
            raise ValueError(
                f"altitude_km must be between {MIN_ALTITUDE_KM:g} km (below it drag decays an "
                f"orbit within days) and {MAX_ALTITUDE_KM:g} km (geostationary), got {v:g}"
            )
        return v

    @field_validator("inclination_deg")
    @classmethod
    def _inclination(cls, v: float | None) -> float | None:
        if v is not None and not (0.0 <= v <= 180.0):
            raise ValueError(f"inclination_deg must be in [0, 180] deg, got {v:g}")
        return v

    @field_validator("ltan_hours")
    @classmethod
    def _ltan(cls, v: float | None) -> float | None:
        if v is not None and not (0.0 <= v <= 24.0):
            raise ValueError(f"ltan_hours must be in [0, 24] hours, got {v:g}")
        return v

    @field_validator("raan_spread_deg")
    @classmethod
    def _spread(cls, v: float) -> float:
        if not (0.0 < v <= 360.0):
            raise ValueError(f"raan_spread_deg must be in (0, 360] deg, got {v:g}")
        return v

    @field_validator("planes", "sats_per_plane")
    @classmethod
    def _count(cls, v: int) -> int:
        if v < 1:
            raise ValueError(f"must be >= 1, got {v}")
        return v

    @field_validator(
        "specific_mass_t_per_mw", "lifetime_years", "downlink_gbps_per_sat", "isl_gbps_per_link"
    )
    @classmethod
    def _positive(cls, v: float) -> float:
        if not (v > 0.0 and math.isfinite(v)):
            raise ValueError(f"must be a finite number > 0, got {v:g}")
        return v

    @field_validator("epoch")
    @classmethod
    def _utc(cls, v: datetime) -> datetime:
        return v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.sun_synchronous and self.inclination_deg is not None:
            raise ValueError(
                "give either inclination_deg or sun_synchronous: true, not both "
                "(a sun-synchronous inclination is derived from altitude_km)"
            )
        if not self.sun_synchronous and self.inclination_deg is None:
            raise ValueError("inclination_deg is required unless sun_synchronous is true")
        if self.tle_file is not None:
            from twin.spec.tle import check_shell

            check_shell(self.tle_file, self.size, self.altitude_km, self.inclination)
        if self.sun_synchronous:
            if self.ltan_hours is None:
                raise ValueError("ltan_hours is required when sun_synchronous is true")
            sun_synchronous_inclination_deg(self.altitude_km)  # raises above ~5,970 km
        if self.size > MAX_SATELLITES:
            raise ValueError(
                f"planes x sats_per_plane = {self.size:,} satellites; expected at most "
                f"{MAX_SATELLITES:,} per shell (Starlink, the largest, has ~10,000)"
            )
        if not (0 <= self.phasing <= self.planes - 1):
            raise ValueError(
                f"phasing (Walker F) must be in [0, planes - 1] = [0, {self.planes - 1}], "
                f"got {self.phasing}"
            )
        return self

    @property
    def inclination(self) -> float:
        """The orbit inclination in degrees: given, or derived if sun-synchronous."""
        if self.inclination_deg is not None:
            return self.inclination_deg
        return sun_synchronous_inclination_deg(self.altitude_km)

    @property
    def size(self) -> int:
        """Number of satellites in the shell (``planes * sats_per_plane``)."""
        return self.planes * self.sats_per_plane


class GroundStation(Frozen):
    """A ground station: a geodetic (WGS84) location and the lowest elevation it can track at."""

    name: str = Field(min_length=1, description="Station name (unique).")
    lat_deg: float = Field(ge=-90.0, le=90.0, description="Geodetic latitude, deg (WGS84).")
    lon_deg: float = Field(ge=-180.0, le=180.0, description="Longitude, deg east (WGS84).")
    elevation_m: float = Field(
        default=0.0, ge=-500.0, le=9000.0, description="Height above the WGS84 ellipsoid, m."
    )
    min_elevation_deg: float = Field(
        default=25.0,
        ge=0.0,
        lt=90.0,
        description="Lowest elevation angle above the horizon at which a link closes, deg "
        "(25 deg as used for Starlink-550 in the Hypatia LEO simulator).",
    )
    source: str = Field(min_length=1, description="Publisher and date, or 'assumption: <why>'.")


class OrbitWindow(Frozen):
    """Which times the geometry is sampled at, and how much work a call may do.

    ``months`` blocks of ``days_per_sample`` consecutive days sampled every ``step_s`` seconds;
    block ``m`` starts at 00:00 UTC on ``start`` plus ``m`` calendar months, plus (if
    ``stagger``) ``floor((29 - days_per_sample) * frac(m * 0.618034))`` days. The default (one
    day in each month of 2026 at 60 s: 17,280 instants) covers the yearly cycle of the Sun's
    declination that drives eclipse seasons.

    Why stagger: an inclined orbit's plane turns against the Sun with a period of ~60 days (ISS:
    -5 deg/day nodal drift against the Sun's +1 deg/day), so samples exactly one month apart
    alias it, seeing nearly the same beta angle every month. The golden-ratio day offsets
    spread the samples over that cycle.
    """

    start: date = Field(default=date(2026, 1, 1), description="First sampled day (UTC).")
    months: int = Field(default=12, ge=1, le=240, description="Number of monthly blocks.")
    days_per_sample: int = Field(
        default=1, ge=1, le=28, description="Consecutive days sampled in each monthly block."
    )
    step_s: float = Field(
        default=60.0, ge=1.0, le=3600.0, description="Sampling step within a block, s."
    )
    stagger: bool = Field(
        default=True,
        description="Offset each month's sampled day(s) by a golden-ratio sequence of days "
        "(see the class docstring) so that ~60-day nodal-drift cycles are not aliased.",
    )
    year_step_s: float = Field(
        default=2220.0,
        ge=60.0,
        le=86400.0,
        description="Mean spacing of the stratified year-long sample from which the yearly "
        "sunlit fraction is taken (twin.orbit.year_sample), s; 2220 s (37 min) is within 0.002 "
        "of a minute-by-minute year for inclined, polar and dawn-dusk shells.",
    )
    sunlight_satellites: int = Field(
        default=36,
        ge=1,
        description="Most satellites per shell whose sunlight and eclipses are computed at every "
        "step (spread over the planes; in a circular Walker shell every satellite of a plane "
        "sees the same Sun geometry).",
    )
    coverage_evaluations: int = Field(
        default=4_000_000,
        ge=10_000,
        description="Budget of satellite x time evaluations per shell for ground contact and "
        "latency, which need every satellite: the time step is widened to a multiple of "
        "step_s to stay within it.",
    )

    @field_validator("start")
    @classmethod
    def _day(cls, v: date) -> date:
        if v.day > 28:
            raise ValueError(f"start must fall on day 1..28 of a month (monthly blocks), got {v}")
        return v


def read_ground_stations(path: str | Path) -> dict[str, GroundStation]:
    """Read a ground-station CSV (columns ``name,lat_deg,lon_deg,elevation_m,min_elevation_deg,
    source``) into stations keyed by name; a bad row raises :class:`SpecError` naming the row and
    column."""
    path = Path(path)
    stations: dict[str, GroundStation] = {}
    with path.open(newline="", encoding="utf-8") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            try:
                station = GroundStation(**{k: v for k, v in row.items() if v not in ("", None)})
            except ValidationError as err:
                first = err.errors()[0]
                col = ".".join(str(p) for p in first["loc"]) or "row"
                raise SpecError(path, f"row {line}.{col}", first["msg"]) from None
            if station.name in stations:
                raise SpecError(path, f"row {line}.name", f"a unique name, got {station.name!r}")
            stations[station.name] = station
    return stations


class Orbit(Frozen):
    """Orbital shells, ground stations and the sampling window of the geometry."""

    shells: dict[str, Shell] = Field(default_factory=dict, description="Shells by name [-]")
    ground_stations: dict[str, GroundStation] = Field(
        default_factory=dict, description="Ground stations by name [-]"
    )
    window: OrbitWindow = Field(default_factory=OrbitWindow, description="Geometry sampling [-]")
    launch_usd_per_kg: dict[int, float] = Field(
        default_factory=dict, description="Launch price path by year, interpolated [$/kg]"
    )
    launch_capacity_t_per_year: float | None = Field(
        None, ge=0, description="Launch capacity available to us; empty: unlimited [t/year]"
    )
    link_gbps_per_contact: float = Field(
        100.0, ge=0, description="Ground link rate while a station is in contact [Gbit/s]"
    )
