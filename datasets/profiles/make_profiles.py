"""Make the hourly profiles of every terrestrial site, offline and deterministically.

Run from the repository root (needs the ``profiles`` extra: ``pip install -e ".[profiles]"``)::

    python datasets/profiles/make_profiles.py

It writes, beside this script, ``solar.csv`` and ``wind.csv`` (AC output per MW of nameplate,
in [0, 1]) and ``temperature.csv`` (dry-bulb air temperature [deg C]), each with a column
``hour`` (0..8759, local standard time of the site, ``round(lon / 15)`` hours from UTC, hour 0
the hour from midnight to 1 am of 1 January) and one column per terrestrial site; and
``sources.csv``, one record per profile and site (region, annual mean, target, method, source).

Method (all inputs ship with pvlib and windpowerlib; nothing is downloaded):

- Weather year: the TMY3 file of Greensboro NC (``pvlib/data/723170TYA.CSV``, NREL National
  Solar Radiation Database 1991-2005 update, TMY3 2008) gives the hourly cloudiness (clearness
  index ``k = GHI / clear-sky GHI``), 10 m wind speed and dry-bulb temperature, shared by every
  site (one weather year: no spatial diversity between sites; an assumption).
- Solar: clear-sky GHI at the site's own latitude, longitude and altitude (Ineichen model with
  the monthly Linke turbidity and altitude that pvlib ships, ``LinkeTurbidities.h5`` and
  ``Altitude.h5``) times ``k``; Erbs decomposition into DNI and DHI; a north-south single-axis
  tracker (+-60 deg, backtracking, ground cover ratio 0.35: the usual US utility design);
  isotropic sky; Faiman cell temperature; PVWatts DC power with -0.4 %/K and 14 % losses; AC
  output ``min(1, r x DC)``, with the DC/AC ratio ``r`` solved so the annual AC capacity factor
  equals the region's sourced figure (``climate.csv``).
- Wind: 10 m speed extrapolated to a 117 m hub by the 1/7 power law, times a factor ``b``
  solved so the Vestas V126/3300 power curve (windpowerlib's oedb turbine library, IEC class
  IIIa) gives the region's sourced capacity factor.
- Temperature: Greensboro's hourly temperature shifted by the difference of annual means
  (``climate.csv`` ``temp_mean_c`` minus Greensboro's).

Each site takes the climate row of the region of the nearest region tranche
(``datasets/regions.csv``; a tranche its own).
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
from windpowerlib import WindTurbine

HERE = Path(__file__).resolve().parent
DATASETS = HERE.parent
TMY = Path(pvlib.__file__).parent / "data" / "723170TYA.CSV"
HOURS = 8760
TURBINE, HUB_M = "V126/3300", 117.0


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def terrestrial_sites() -> dict[str, tuple[float, float, str]]:
    """site -> (lat, lon, climate region): sites.csv's terrestrial rows and every tranche."""
    tranches = {r["name"]: (float(r["lat_deg"]), float(r["lon_deg"]), r["region"])
                for r in _rows(DATASETS / "regions.csv")}  # fmt: skip
    out: dict[str, tuple[float, float, str]] = {}
    for r in _rows(DATASETS / "sites.csv"):
        if r["kind"] != "terrestrial":
            continue
        lat, lon = float(r["lat_deg"]), float(r["lon_deg"])
        nearest = min(tranches.values(), key=lambda t: _km(lat, lon, t[0], t[1]))
        out[r["name"]] = (lat, lon, nearest[2])
    out.update(tranches)
    return out


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0 * math.acos(max(-1.0, min(1.0, c)))


def _times(lon: float) -> pd.DatetimeIndex:
    """Mid-points of the 8760 hours of a non-leap year in the site's local standard time."""
    offset = -round(lon / 15.0)  # Etc/GMT+6 is UTC-6
    tz = f"Etc/GMT{offset:+d}" if offset else "UTC"
    return pd.date_range("2023-01-01 00:30", periods=HOURS, freq="h", tz=tz)


def _clearsky(lat: float, lon: float, times: pd.DatetimeIndex) -> tuple[pd.DataFrame, pd.Series]:
    loc = pvlib.location.Location(lat, lon, altitude=pvlib.location.lookup_altitude(lat, lon))
    sun = loc.get_solarposition(times)
    linke = pvlib.clearsky.lookup_linke_turbidity(times, lat, lon)
    cs = loc.get_clearsky(times, model="ineichen", linke_turbidity=linke, solar_position=sun)
    return sun, cs["ghi"]


def weather() -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Greensboro's clearness index, 10 m wind speed [m/s], temperature [C] and its mean."""
    tmy, meta = pvlib.iotools.read_tmy3(TMY, coerce_year=2023, map_variables=True)
    _, cs = _clearsky(meta["latitude"], meta["longitude"], _times(-75.0))
    ghi, csg = tmy["ghi"].to_numpy(float), cs.to_numpy(float)
    k = np.where(csg > 20.0, ghi / np.maximum(csg, 1e-9), 0.0).clip(0.0, 1.2)
    temp = tmy["temp_air"].to_numpy(float)
    return k, tmy["wind_speed"].to_numpy(float), temp, float(temp.mean())


def _solve(f: object, target: float, lo: float, hi: float) -> float:
    """The x in [lo, hi] with f(x) = target, f increasing (bisection, 60 steps)."""
    assert callable(f)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if f(mid) < target else (lo, mid)
    return 0.5 * (lo + hi)


def solar(lat: float, lon: float, k: np.ndarray, temp: np.ndarray, wind: np.ndarray,
          target: float) -> tuple[np.ndarray, float]:  # fmt: skip
    """Hourly AC output per MW and the DC/AC ratio that gives ``target`` as annual mean."""
    times = _times(lon)
    sun, csg = _clearsky(lat, lon, times)
    ghi = k * csg.to_numpy(float)
    parts = pvlib.irradiance.erbs(ghi, sun["apparent_zenith"], times)
    track = pvlib.tracking.singleaxis(sun["apparent_zenith"], sun["azimuth"], axis_azimuth=180,
                                      max_angle=60, backtrack=True, gcr=0.35)  # fmt: skip
    tilt, azim = track["surface_tilt"].fillna(0.0), track["surface_azimuth"].fillna(180.0)
    poa = pvlib.irradiance.get_total_irradiance(
        tilt, azim, sun["apparent_zenith"], sun["azimuth"], parts["dni"].fillna(0.0),
        ghi, parts["dhi"].fillna(0.0), model="isotropic",
    )["poa_global"].fillna(0.0).clip(lower=0.0).to_numpy(float)  # fmt: skip
    cell = pvlib.temperature.faiman(poa, temp, wind)
    dc = poa / 1000.0 * (1.0 - 0.004 * (cell - 25.0)) * (1.0 - 0.14)
    ratio = _solve(lambda r: float(np.minimum(1.0, r * dc).mean()), target, 0.5, 6.0)
    return np.minimum(1.0, ratio * dc), ratio


def wind_power(speed10: np.ndarray, target: float) -> tuple[np.ndarray, float]:
    """Hourly output per MW of the turbine and the speed factor that gives ``target``."""
    t = WindTurbine(turbine_type=TURBINE, hub_height=HUB_M)
    curve = t.power_curve
    v, p = curve["wind_speed"].to_numpy(float), curve["value"].to_numpy(float) / t.nominal_power
    hub = speed10 * (HUB_M / 10.0) ** (1.0 / 7.0)

    def cf(b: float) -> float:
        return float(np.interp(b * hub, v, p, left=0.0, right=0.0).mean())

    b = _solve(cf, target, 0.2, 4.0)
    return np.interp(b * hub, v, p, left=0.0, right=0.0).clip(0.0, 1.0), b


def main(out: Path = HERE) -> None:
    """Write solar.csv, wind.csv, temperature.csv and sources.csv to ``out`` (default: beside
    this script; ``python make_profiles.py DIR`` writes to DIR)."""
    out.mkdir(parents=True, exist_ok=True)
    climate = {r["region"]: r for r in _rows(HERE / "climate.csv")}
    k, w10, temp, temp_mean = weather()
    hour = np.arange(HOURS)
    cols: dict[str, dict[str, np.ndarray]] = {"solar": {}, "wind": {}, "temperature": {}}
    records: list[dict[str, object]] = []
    tmy = "NREL NSRDB TMY3 Greensboro NC 723170 (2008), shipped with pvlib"
    for site, (lat, lon, region) in terrestrial_sites().items():
        c = climate[region]
        t_site = temp + float(c["temp_mean_c"]) - temp_mean
        pv, ratio = solar(lat, lon, k, t_site, w10, float(c["solar_cf"]))
        wt, b = wind_power(w10, float(c["wind_cf"]))
        cols["solar"][site], cols["wind"][site], cols["temperature"][site] = pv, wt, t_site
        records += [
            {"profile": "solar", "site": site, "region": region, "annual_mean": round(pv.mean(), 4),
             "target": c["solar_cf"], "method": f"pvlib {pvlib.__version__} Ineichen clear sky at "
             f"({lat}, {lon}) x TMY3 clearness, single-axis tracker, DC/AC {ratio:.3f} solved for "
             "the target", "source": f"{tmy}; target: climate.csv ({c['source'][:60]}...)"},
            {"profile": "wind", "site": site, "region": region, "annual_mean": round(wt.mean(), 4),
             "target": c["wind_cf"], "method": f"windpowerlib oedb {TURBINE} at {HUB_M:.0f} m, "
             f"TMY3 10 m speed x (117/10)^(1/7) x {b:.3f} solved for the target",
             "source": f"{tmy}; target: climate.csv"},
            {"profile": "temperature", "site": site, "region": region,
             "annual_mean": round(t_site.mean(), 2), "target": c["temp_mean_c"],
             "method": f"Greensboro TMY3 dry-bulb (mean {temp_mean:.2f} C) shifted to the "
             "region's mean",
             "source": f"{tmy}; mean: NOAA 1991-2020 normals (approximate), climate.csv"},
        ]  # fmt: skip
    for name, table in cols.items():
        digits = 2 if name == "temperature" else 4
        frame = pd.DataFrame({"hour": hour, **{s: np.round(v, digits) for s, v in table.items()}})
        frame.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
    pd.DataFrame(records).to_csv(out / "sources.csv", index=False, lineterminator="\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
