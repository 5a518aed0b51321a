"""Physical and calendar constants, each defined once and named by its purpose.

A leaf module: it imports nothing from twin, so every layer may use it.
"""

from __future__ import annotations

#: IUGG mean Earth radius [km]: great-circle (fiber route) distances on a sphere.
EARTH_MEAN_RADIUS_KM = 6371.0088
#: WGS-84 equatorial Earth radius [km]: the spherical Earth of the conical shadow model.
EARTH_EQUATORIAL_RADIUS_KM = 6378.137
#: WGS-72 equatorial Earth radius [km]: the radius SGP4 and its mean elements are defined with.
WGS72_EARTH_RADIUS_KM = 6378.135
#: Speed of light in vacuum [km/s] (exact, SI).
SPEED_OF_LIGHT_KM_S = 299792.458
#: Group index of standard single-mode fiber [-]: light in fiber travels at c / 1.468.
FIBER_GROUP_INDEX = 1.468
#: Ratio of a fiber route's length to the great-circle distance [-] (assumption: typical
#: long-haul route factor).
FIBER_ROUTE_FACTOR = 1.5
#: Days in a Julian year [d]: converts date differences to years.
DAYS_PER_YEAR = 365.25
#: Hours in a (365-day) year [h]: converts $/hour and $/MWh prices to yearly money.
HOURS_PER_YEAR = 8760.0
