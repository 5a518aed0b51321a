"""The units registry: the domain units H100e and USD, defined once, and the CF units scheme.

Two unit strings go with every reported variable:

- ``units``: what CF tools read. It parses with UDUNITS-2 (``cf_units``) and with pint. UDUNITS
  knows no money and no H100-equivalents, so in ``units`` both are counts, i.e. dimensionless
  ("1"): an amount of money in millions of dollars has ``units = "1e6"``, a marginal value in
  dollars per H100e-hour ``units = "1/h"``, dollars per MW-year of capacity in millions
  ``units = "1e6/(MW year)"``. The physical part (MW, h, kg, year) is kept, so a CF tool still
  converts MW to kW or hours to seconds correctly.
- ``twin_units``: the full quantity in this package's registry :data:`ureg`, where ``USD`` is a
  currency dimension and ``H100e`` (one H100-SXM-equivalent of dense BF16 compute) a compute
  dimension, e.g. ``"1e6 USD"``, ``"USD/(H100e h)"``, ``"1e6 USD/(MW year)"``. It is present only
  where it differs from ``units``.

``year`` is UDUNITS' tropical year (365.242 d) and pint's Julian year (365.25 d); the 0.002 %
difference is below every tolerance of the model. Pint's default registry reads "H100e" as
``henry**100 * elementary_charge``; :data:`ureg` defines it, so it never does.

>>> from twin.units import quantity
>>> round(quantity("USD/(H100e h)", 2.0).to("USD/(H100e year)").magnitude)
17532
"""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def registry() -> Any:
    """The package's pint registry (``ureg``): pint's defaults plus the domain units. Built on
    first use, so that reading or writing a report does not import pint."""
    import sys

    if "pint" in sys.modules and sys.modules["pint"] is None:  # blocked by twin.cli: lift it
        del sys.modules["pint"]
    import pint

    reg: pint.UnitRegistry = pint.UnitRegistry()
    reg.define("USD = [currency] = usd = dollar")
    reg.define("H100e = [compute]")
    reg.define("wafer = [wafer]")
    # CF's names for latitude and longitude units (UDUNITS knows them; pint does not)
    reg.define("degrees_north = degree = degree_north")
    reg.define("degrees_east = degree = degree_east")
    return reg


def __getattr__(name: str) -> Any:
    if name == "ureg":  # twin.units.ureg, built on first use
        return registry()
    raise AttributeError(f"module 'twin.units' has no attribute {name!r}")


def quantity(units: str, magnitude: float = 1.0) -> Any:
    """``magnitude`` in ``units`` (a ``units`` or ``twin_units`` string) as a pint Quantity."""
    return magnitude * registry().parse_expression(units)


#: twin_units -> CF units, for every domain unit string the reports use.
CF_UNITS: dict[str, str] = {
    "H100e": "1",
    "USD": "1",
    "1e6 USD": "1e6",
    "USD/(H100e h)": "1/h",
    "1e6 USD/(MW year)": "1e6/(MW year)",
    "USD/(kW year)": "1/(kW year)",
    "USD/kg": "1/kg",
    "1e3 wafer/month": "1e3/month",
    "1e6 USD/MW": "1e6/MW",
    "1e6 USD/(Gbit/s year)": "1e6/(Gbit/s year)",
    "1e6 USD/year": "1e6/year",
    "W/H100e": "W",
}


def cf_units(twin_units: str) -> str:
    """The CF ``units`` string for a unit string of :data:`ureg` (see the module docstring)."""
    return CF_UNITS.get(twin_units, twin_units)


@functools.cache
def udunits_parses(units: str) -> bool:
    """Whether UDUNITS-2 reads ``units`` (False if ``cf_units`` is not installed)."""
    try:
        import cf_units as cfu
    except ImportError:
        return False
    try:
        cfu.Unit(units)
    except ValueError:
        return False
    return True
