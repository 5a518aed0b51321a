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

Segments (``horizon.hours.segments`` = k < 24): tsam then also joins adjacent hours of each
typical day into k segments of unequal length (constrained agglomerative clustering; each
segment holds the mean of its hours), so every array is ``(D, k)`` and

    duration[d, j] = hours in segment j of day d,   sum_j duration[d, j] = 24,

and an annual mean is ``sum_d w_d sum_j duration[d, j] a[d, j] / 8760`` (kept to the year's,
as with hours). With k = 24 every duration is 1 and nothing else changes.

Extreme days (``horizon.hours.extreme_days``): tsam appends the day of least mean wind and the
day holding the hottest hour of every site's profiles as days of their own (weight 1 each; the
N typical days stand for the rest), so a plan sees a windless day and the peak PUE.

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
    """D representative days of H time steps (24 hours, or segments); weight[d] = days of a
    365-day year day d stands for; step_hours[d, j] = hours in step j of day d (sum 24)."""

    weight: np.ndarray  # shape (D,), float, sums to 365.0
    availability: Mapping[tuple[str, str], np.ndarray]  # (site, technology) -> (D, H) in [0, 1]
    pue: Mapping[str, np.ndarray]  # site -> (D, H) PUE multiplier x annual PUE
    step_hours: np.ndarray | None = None  # (D, H) hours per step; None: 24 steps of one hour

    @property
    def days(self) -> int:
        """D, the number of representative days."""
        return int(self.weight.shape[0])

    @property
    def duration(self) -> np.ndarray:
        """``(D, H)`` hours in each time step (ones for 24 hours a day)."""
        if self.step_hours is None:
            return np.ones((self.days, DAY_HOURS))
        return self.step_hours

    def avail(self, site: str, technology: str) -> np.ndarray:
        """(D, H) availability of ``technology`` at ``site`` in each time step: its weather
        profile for solar and wind (:data:`WEATHER`), ones for anything not weather-driven."""
        if technology not in WEATHER:
            return np.ones(self.duration.shape)
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


#: (weights (D,), step hours (D, H) or None for hours, 'quantity|site' -> (D, H))
Aggregate = tuple[np.ndarray, np.ndarray | None, dict[str, np.ndarray]]


@lru_cache(maxsize=8)
def _aggregate(
    folder: str, mtimes: tuple[int, ...], n: int | None, segments: int, extremes: bool
) -> Aggregate:
    """(weights (D,), step hours (D, H) or None, 'quantity|site' -> (D, H)) of the profiles
    in ``folder``, cached per folder, file modification times, ``n``, ``segments`` and
    ``extremes``; the arrays are read-only."""
    frame = _frame(_read(Path(folder)))
    if n is None:
        weight, hours = np.array([float(DAYS)]), None
        out = {c: frame[c].to_numpy().reshape(DAYS, DAY_HOURS).mean(0)[None, :]
               for c in frame.columns}  # fmt: skip
    else:
        weight, hours, out = _tsam(frame, n, segments, extremes)
    for arr in (weight, *out.values(), *([] if hours is None else [hours])):
        arr.setflags(write=False)
    return weight, hours, out


def _tsam(frame: pd.DataFrame, n: int, segments: int, extremes: bool) -> Aggregate:
    """``n`` medoid days of hierarchical clustering, weights scaled to 365 days; with
    ``segments`` < 24 each day cut into that many segments (mean of their hours); with
    ``extremes`` the least-wind and hottest days appended (module docstring)."""
    import tsam

    temps = [c for c in frame.columns if c.startswith("temperature|")]
    winds = [c for c in frame.columns if c.startswith("wind|")]
    seg = tsam.SegmentConfig(n_segments=segments) if segments < DAY_HOURS else None
    ext = tsam.ExtremeConfig("append", max_value=temps, min_period=winds) if extremes else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tsam's notes on rescaled values past the maximum
        result = tsam.aggregate(
            frame,
            n_clusters=n,
            period_duration=DAY_HOURS,
            cluster=tsam.ClusterConfig(method="hierarchical", representation="medoid"),
            segments=seg,
            extremes=ext,
            rescale_exclude_columns=temps,
        )
    order = sorted(result.cluster_counts)
    weight = np.array([float(result.cluster_counts[k]) for k in order])
    weight *= DAYS / weight.sum()
    reps = result.cluster_representatives.sort_index()  # (cluster, step[, duration]) rows
    if [int(k) for k in reps.index.get_level_values(0).unique()] != [int(k) for k in order]:
        raise RuntimeError("tsam returned representatives of other clusters than it counted")
    steps = DAY_HOURS if seg is None else segments
    hours = None
    if seg is not None:
        hours = reps.index.get_level_values(2).to_numpy(float).reshape(len(order), steps)
        if not np.allclose(hours.sum(1), DAY_HOURS):
            raise RuntimeError("tsam returned segments that do not fill 24 hours a day")
    out = {}
    for c in frame.columns:
        arr = reps[c].to_numpy(float).reshape(len(order), steps)
        out[c] = arr if c in temps else arr.clip(0.0, 1.0)
    return weight, hours, out


def hourly_pue(
    annual: float, temp: np.ndarray, weight: np.ndarray, hours: np.ndarray | None = None
) -> np.ndarray:
    """(D, H) PUE from air temperature (module docstring): weighted mean = ``annual``, each
    step weighted by its ``hours`` (None: one hour each)."""
    m = 1.0 + BETA_PER_K * np.maximum(0.0, temp - T0_C)
    h = np.ones(m.shape) if hours is None else hours
    m_bar = float((weight[:, None] * h * m).sum() / (weight[:, None] * h).sum())
    return 1.0 + (annual - 1.0) * m / m_bar


def representative_days(spec: Spec, n: int | None) -> RepresentativeDays:
    """``n`` representative days of the spec's profiles (module docstring) of
    ``horizon.hours.segments`` time steps each, or, for ``n`` None
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
    hours: np.ndarray | None = None
    if n is None and not folder.is_dir():  # the energy-only form of a model without profiles
        weight, arrays, sites = np.array([float(DAYS)]), {}, []
    else:
        profiles = load_profiles(spec)  # checked (and cached) before the aggregation's cache
        mtimes = tuple((folder / f"{q}.csv").stat().st_mtime_ns for q in QUANTITIES)
        h = spec.model.horizon.hours
        weight, hours, arrays = _aggregate(str(folder), mtimes, n, h.segments, h.extreme_days)
        sites = profiles.sites
    availability = {(s, tech): arrays[f"{q}|{s}"] for s in sites
                    for tech, q in WEATHER.items()}  # fmt: skip
    pue = {}
    for name, site in spec.model.sites.items():
        temp = arrays.get(f"temperature|{name}")
        shape = (weight.shape[0], DAY_HOURS if hours is None else hours.shape[1])
        flat = np.full(shape, float(site.pue))
        pue[name] = flat if temp is None else hourly_pue(float(site.pue), temp, weight, hours)
    return RepresentativeDays(weight.copy(), availability, pue, hours)


__all__ = ["WEATHER", "RepresentativeDays", "hourly_pue", "representative_days"]
