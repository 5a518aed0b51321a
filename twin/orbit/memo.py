"""Orbit geometry remembered per process, for ensembles whose members share their shells.

:func:`~twin.orbit.geometry.shell_geometry` is a pure function of the shells, the ground stations
and the window, and takes seconds (5 s for the baseline's dawn-dusk shell, 97 % of an orbital
member's solve). Members of an ensemble that vary prices, demand or policy share the same orbit,
so a worker computes it once. The key is the JSON of all three inputs; the memo holds the last
:data:`MEMO_SIZE` geometries, and a caller gets a copy, so nothing it does leaks into the next.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Mapping

import xarray as xr

from twin.orbit.geometry import shell_geometry
from twin.spec.orbit import GroundStation, OrbitWindow, Shell

#: Geometries kept per process.
MEMO_SIZE = 4

_memo: OrderedDict[str, xr.Dataset] = OrderedDict()


def geometry_key(
    shells: Mapping[str, Shell], stations: Mapping[str, GroundStation], window: OrbitWindow | None
) -> str:
    """sha256 of the inputs' JSON, a TLE shell's element lines included (its file may be edited
    in a session under the same name): equal keys, equal geometry."""
    from twin.spec.tle import read_tle

    doc = {
        "shells": {k: v.model_dump(mode="json") for k, v in shells.items()},
        "elements": {
            k: [[s.line1, s.line2] for s in read_tle(v.tle_file)]
            for k, v in shells.items()
            if v.tle_file
        },
        "stations": {k: v.model_dump(mode="json") for k, v in stations.items()},
        "window": window.model_dump(mode="json") if window is not None else None,
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def remembered_shell_geometry(
    shells: Mapping[str, Shell],
    stations: Mapping[str, GroundStation],
    window: OrbitWindow | None = None,
) -> xr.Dataset:
    """:func:`shell_geometry` of these inputs, computed once per process (module docstring)."""
    key = geometry_key(shells, stations, window)
    if key not in _memo:
        _memo[key] = shell_geometry(shells, stations, window)
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    _memo.move_to_end(key)
    return _memo[key].copy(deep=True)
