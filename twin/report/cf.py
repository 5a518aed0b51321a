"""CF-1.11 conventions for every dataset twin writes: solve reports, orbit geometry, sweeps.

:func:`annotate` adds, in place and idempotently:

- global ``Conventions = "CF-1.11"``, ``history`` (one line per writer, appended), ``source``;
- units that UDUNITS-2 and pint both parse (domain units in ``twin_units``: see
  :mod:`twin.units`);
- the time axis (``period`` or ``time``): ``axis = "T"``, ``standard_name = "time"`` and, for
  planning periods, a ``period_bounds`` variable ``[start, end)`` of each period (the last ends at
  ``horizon_end``);
- a ``long_name`` on every coordinate;
- provenance without absolute paths of the writing machine: ``model_file`` is the model's file
  name, ``input_sha256`` maps each input file, relative to the model file's directory, to its
  SHA-256.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import xarray as xr

from twin.units import cf_units

CONVENTIONS = "CF-1.11"
#: encoding of every time axis: seconds resolve the orbit's samples; UTC days without leap seconds
TIME_UNITS = "seconds since 1970-01-01 00:00:00"

#: long names of the coordinates any twin dataset may carry.
COORD_LONG_NAMES: dict[str, str] = {
    "period": "start of the planning period",
    "time": "time of the sample (UTC)",
    "site": "site name",
    "chip": "chip generation",
    "chip_h100e": "compute of one chip in H100-equivalents",
    "chip_kw": "IT power of one chip",
    "tenant": "tenant name",
    "block": "block of a tenant's demand curve (0: most valuable)",
    "tenant_kind": "tenant kind (internal or external)",
    "tenant_workload": "tenant workload (training or inference)",
    "source": "power source name",
    "source_site": "site the power source feeds",
    "source_kind": "kind of power source",
    "contract": "contract name",
    "fab": "fab name",
    "fab_chip": "chip generation the fab makes",
    "site_kind": "site kind (terrestrial or orbital)",
    "site_pue": "power usage effectiveness of the site (facility power / IT power)",
    "site_region": "region of a candidate tranche site (empty: a named site)",
    "site_first_online": "first period a new build at the site can be online",
    "chip_extrapolated": "generation extrapolated from the roadmap trend (not announced)",
    "chip_w_per_h100e": "IT power per H100e of the chip (incl. server share)",
    "project": "power project (technology offered at sites)",
    "project_technology": "technology of the power project",
    "day": "representative day within each period",
    "hour": "time step of the representative day: an hour (0: from midnight), or a segment "
    "of step_hours hours (horizon.hours.segments)",
    "storage": "storage unit (a battery source, or project@site)",
    "site_lat_deg": "latitude of the site (NaN: orbital)",
    "site_lon_deg": "longitude of the site (NaN: orbital)",
    "station_lat_deg": "latitude of the ground station",
    "station_lon_deg": "longitude of the ground station",
    "member": "ensemble member name",
    "scenario": "scenario of the member (empty: base model)",
    "shell": "orbital shell name",
    "station": "ground station name",
    "satellite": "satellite name",
}

#: long names of data variables written without one (a stochastic report's tree)
DATA_LONG_NAMES: dict[str, str] = {
    "scenario_label": "outcomes of the leaf's uncertain inputs",
    "node_stage": "stage of the tree node",
    "node_parent": "parent of the tree node (empty: the root)",
    "node_date": "date the node's outcomes are known",
    "node_label": "outcomes revealed at the tree node",
}
#: domain units written the other way round, as they should read
_UNIT_ALIASES = {"USD 1e6": "1e6 USD"}

_COORD_UNITS = {
    "chip_h100e": ("1", "H100e"),
    "chip_kw": ("kW", None),
    "chip_w_per_h100e": ("W", "W/H100e"),
    "site_pue": ("1", None),
}
_LEGAL = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def legal_name(name: str) -> str:
    """A CF-legal variable name (letters, digits, underscores; starts with a letter) for
    ``name``, e.g. ``chips.h100.vendor_markup`` -> ``chips_h100_vendor_markup``."""
    out = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return out if out[:1].isalpha() else f"v_{out}"


def relative_files(files: Mapping[str, str], model_file: str | Path) -> dict[str, str]:
    """``files`` (path -> sha256) with each path made relative to the model file's directory."""
    base = Path(model_file).resolve().parent
    return {Path(os.path.relpath(Path(p).resolve(), base)).as_posix(): h for p, h in files.items()}


def _units(ds: xr.Dataset) -> None:
    for name, var in ds.variables.items():
        if name in _COORD_UNITS:
            u, twin_u = _COORD_UNITS[name]
            var.attrs["units"] = u
            if twin_u:
                var.attrs["twin_units"] = twin_u
        for end, std, deg in (("lat_deg", "latitude", "north"), ("lon_deg", "longitude", "east")):
            if str(name).endswith(end):
                var.attrs.update(standard_name=std, units=f"degrees_{deg}")
        units = var.attrs.get("units")
        if units is None or var.dtype.kind in "OSUM":
            continue
        units = _UNIT_ALIASES.get(units, units)
        var.attrs["units"] = units
        cf = cf_units(units)
        if cf != units:
            var.attrs.update(units=cf, twin_units=units)


def _time_axis(ds: xr.Dataset, horizon_end: str | None) -> xr.Dataset:
    for t in ("period", "time"):
        if t in ds.coords:
            ds[t].attrs.update(axis="T", standard_name="time", units_metadata="leap_seconds: none")
            ds[t].encoding.update(units=TIME_UNITS, calendar="standard")
    pb = ds.get("period_bounds")
    if pb is not None and pb.ndim > 2:  # a stochastic report's: the same in every leaf
        ds["period_bounds"] = pb.isel({d: 0 for d in pb.dims if d not in ("period", "nv")})
    if "period" in ds.coords and horizon_end and "period_bounds" not in ds:
        start = ds["period"].values.astype("datetime64[ns]")
        end = np.append(start[1:], np.datetime64(horizon_end, "ns"))
        ds["period_bounds"] = (("period", "nv"), np.stack([start, end], axis=1))
        ds["period"].attrs["bounds"] = "period_bounds"
        ds["period_bounds"].encoding.update(units=TIME_UNITS, calendar="standard")
    return ds


def annotate(
    ds: xr.Dataset,
    *,
    model_file: str | Path | None = None,
    files: Mapping[str, str] | None = None,
    action: str | None = None,
) -> xr.Dataset:
    """Make ``ds`` CF-1.11 compliant (see the module docstring); returns the dataset.

    ``action`` is appended to ``history`` (without one, a line is added only if there is no
    history yet), so annotating twice changes nothing but the history."""
    from twin import __version__

    _units(ds)
    ds = _time_axis(ds, ds.attrs.get("horizon_end"))
    for name in ds.coords:  # every coordinate gets one; unknown ones are named by their name
        ds[name].attrs.setdefault("long_name", COORD_LONG_NAMES.get(str(name), str(name)))
    for name in list(ds.data_vars):
        if str(name) in DATA_LONG_NAMES:
            ds[name].attrs.setdefault("long_name", DATA_LONG_NAMES[str(name)])
        if not _LEGAL.match(str(name)):
            raise ValueError(f"variable name {name!r} is not CF-legal; use cf.legal_name")
    if model_file is not None:
        ds.attrs["model_file"] = Path(model_file).name
        if files is not None:
            rel = relative_files(files, model_file)
            ds.attrs["input_sha256"] = json.dumps(rel, sort_keys=True)
            ds.attrs["model_sha256"] = rel.get(Path(model_file).name, "")
    old = ds.attrs.get("history", "")
    if action is not None or not old:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        line = f"{now} twin {__version__}: {action or 'wrote ' + ds.attrs.get('title', 'data')}"
        ds.attrs["history"] = f"{old}\n{line}" if old else line
    ds.attrs.update(Conventions=CONVENTIONS, source=f"twin {__version__}")
    return ds
