"""Representative days: a year of hourly profiles aggregated to D days of 24 hours with weights.

From the profile folder (:mod:`twin.spec.profiles`: hourly solar and wind availability and air
temperature of every terrestrial site, 8760 hours) ``tsam`` clusters the 365 days of all sites
and quantities at once (hierarchical clustering, medoid days; each column normalised), so every
site shares the same days d = 1..D with weights

    w_d = number of days of the year in cluster d,   sum_d w_d = 365.

Availability keeps its annual mean (tsam rescales each column so that
sum_d w_d sum_h a[d, h] / 8760 equals the full year's mean, then values are clipped to [0, 1]).

PUE in the hour (an assumption, README "Hourly profiles"): free (economiser) cooling below
``T0 = 18`` deg C dry-bulb, above it the cooling overhead grows by ``BETA = 3 %`` per K:

    m[d, h] = 1 + BETA * max(0, T[d, h] - T0)
    pue[d, h] = 1 + (PUE - 1) * m[d, h] / m_bar,   m_bar = sum_d w_d sum_h m[d, h] / (24 * 365)

so the weighted mean of ``pue`` over days and hours is the site's annual ``pue`` exactly and
``pue >= 1`` (a PUE of 1.0, as in orbit, stays flat).

``n = None`` (the energy-only period form) is one day of weight 365 whose 24 hours are the mean
day of the year (the mean over the 365 days of each hour of the day), so a caller can write the
period form from the same arrays.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from twin.spec.errors import SpecError
from twin.spec.profiles import (
    HOURS,
    QUANTITIES,
    Profiles,
    load_profiles,
    profiles_folder,
    read_profile,
)
from twin.spec.spec import Spec

#: Days of the profile year [days]; hours in a day [h].
DAYS, DAY_HOURS = HOURS // 24, 24

#: Technology or source kind -> the profile that limits it hour by hour; others return ones.
WEATHER: dict[str, str] = {
    "solar": "solar",
    "solar_storage_ppa": "solar",
    "wind": "wind",
    "wind_storage_ppa": "wind",
}

#: PUE model (assumption): free cooling below T0 [deg C]; overhead growth per K above it [1/K].
T0_C, BETA_PER_K = 18.0, 0.03


@dataclass(frozen=True)
class RepresentativeDays:
    """D representative days of 24 hours; weight[d] = days of a 365-day year day d stands for."""

    weight: np.ndarray  # shape (D,), float, sums to 365.0
    availability: Mapping[tuple[str, str], np.ndarray]  # (site, technology) -> (D, 24) in [0, 1]
    pue: Mapping[str, np.ndarray]  # site -> (D, 24) PUE multiplier x annual PUE

    @property
    def days(self) -> int:
        """D, the number of representative days."""
        return int(self.weight.shape[0])

    def avail(self, site: str, technology: str) -> np.ndarray:
        """(D, 24) hourly availability of ``technology`` at ``site``: its weather profile for
        solar and wind (:data:`WEATHER`), ones for anything not weather-driven."""
        if technology not in WEATHER:
            return np.ones((self.days, DAY_HOURS))
        try:
            return self.availability[(site, technology)]
        except KeyError:
            raise SpecError(
                "horizon.hours.profiles", site, f"expected a {WEATHER[technology]} profile "
                f"for site '{site}' (a terrestrial site with a column in the profile CSVs)",
            ) from None  # fmt: skip


def _frame(profiles: Profiles) -> pd.DataFrame:
    """One column 'quantity|site' per profile, hourly index of a non-leap year."""
    cols = {f"{q}|{s}": profiles.tables[q][s].to_numpy(float) for q in QUANTITIES
            for s in profiles.sites}  # fmt: skip
    return pd.DataFrame(cols, index=pd.date_range("2023-01-01", periods=HOURS, freq="h"))


def _read(folder: Path) -> Profiles:
    return Profiles(folder, {q: read_profile(folder / f"{q}.csv", q) for q in QUANTITIES})


@lru_cache(maxsize=8)
def _aggregate(
    folder: str, mtimes: tuple[int, ...], n: int | None
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(weights (D,), 'quantity|site' -> (D, 24)) of the profiles in ``folder``, cached per
    folder, file modification times and ``n``; the arrays are read-only."""
    frame = _frame(_read(Path(folder)))
    if n is None:
        weight = np.array([float(DAYS)])
        out = {c: frame[c].to_numpy().reshape(DAYS, DAY_HOURS).mean(0)[None, :]
               for c in frame.columns}  # fmt: skip
    else:
        weight, out = _tsam(frame, n)
    for arr in (weight, *out.values()):
        arr.setflags(write=False)
    return weight, out


def _tsam(frame: pd.DataFrame, n: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``n`` medoid days of hierarchical clustering; weights scaled to 365 days."""
    import tsam

    temps = [c for c in frame.columns if c.startswith("temperature|")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tsam's notes on rescaled values past the maximum
        result = tsam.aggregate(
            frame,
            n_clusters=n,
            period_duration=DAY_HOURS,
            cluster=tsam.ClusterConfig(method="hierarchical", representation="medoid"),
            rescale_exclude_columns=temps,
        )
    order = sorted(result.cluster_counts)
    weight = np.array([float(result.cluster_counts[k]) for k in order])
    weight *= DAYS / weight.sum()
    reps = result.cluster_representatives.sort_index()  # (cluster, hour of day) rows
    if [int(k) for k in reps.index.get_level_values(0).unique()] != [int(k) for k in order]:
        raise RuntimeError("tsam returned representatives of other clusters than it counted")
    out = {}
    for c in frame.columns:
        arr = reps[c].to_numpy(float).reshape(len(order), DAY_HOURS)
        out[c] = arr if c in temps else arr.clip(0.0, 1.0)
    return weight, out


def hourly_pue(annual: float, temp: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """(D, 24) PUE from air temperature (module docstring): weighted mean = ``annual``."""
    m = 1.0 + BETA_PER_K * np.maximum(0.0, temp - T0_C)
    m_bar = float((weight[:, None] * m).sum() / (weight.sum() * m.shape[1]))
    return 1.0 + (annual - 1.0) * m / m_bar


def representative_days(spec: Spec, n: int | None) -> RepresentativeDays:
    """``n`` representative days of the spec's profiles (module docstring), or, for ``n`` None
    (the energy-only form 'none'), ONE day of weight 365 whose (1, 24) arrays are the mean
    day of the year. Availability is keyed by (site, technology) for every weather-driven
    technology (:data:`WEATHER`) at every site with profiles; PUE by every site of the spec
    (flat at its annual PUE where it has no temperature profile). With ``n`` None and no
    profile folder at all (a model built in code, say) the day has no availability entries
    (weather-driven ``avail`` raises) and flat PUE; with ``n`` days the folder must exist."""
    if n is not None and not 1 <= n <= DAYS:
        raise SpecError("horizon.hours", "representative_days", f"expected 1 .. {DAYS}, got {n}")
    folder = profiles_folder(spec)
    arrays: Mapping[str, np.ndarray]
    sites: list[str]
    if n is None and not folder.is_dir():  # the energy-only form of a model without profiles
        weight, arrays, sites = np.array([float(DAYS)]), {}, []
    else:
        profiles = load_profiles(spec)  # checked (and cached) before the aggregation's cache
        mtimes = tuple((folder / f"{q}.csv").stat().st_mtime_ns for q in QUANTITIES)
        weight, arrays = _aggregate(str(folder), mtimes, n)
        sites = profiles.sites
    availability = {(s, tech): arrays[f"{q}|{s}"] for s in sites
                    for tech, q in WEATHER.items()}  # fmt: skip
    pue = {}
    for name, site in spec.model.sites.items():
        temp = arrays.get(f"temperature|{name}")
        flat = np.full((weight.shape[0], DAY_HOURS), float(site.pue))
        pue[name] = flat if temp is None else hourly_pue(float(site.pue), temp, weight)
    return RepresentativeDays(weight=weight.copy(), availability=availability, pue=pue)


__all__ = ["WEATHER", "RepresentativeDays", "hourly_pue", "representative_days"]
