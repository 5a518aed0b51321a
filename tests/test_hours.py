"""Representative days (twin/hours.py): weights, availability and PUE kept to the full year's
figures, the energy-only form, caching and determinism (issue 17)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import PERIOD_FORM, ROOT

from twin.hours import DAY_HOURS, RepresentativeDays, hourly_pue, representative_days
from twin.spec import SpecError, load_model
from twin.spec.profiles import read_profile
from twin.spec.spec import Spec

PROFILES = ROOT / "datasets" / "profiles"


@pytest.fixture(scope="module")
def spec() -> Spec:
    """The baseline's profiles; the days each test asks for (24 hours, no extreme days)."""
    return load_model(ROOT / "models/baseline.yaml", overrides=PERIOD_FORM)


def _annual(days: RepresentativeDays, arr: np.ndarray) -> float:
    """Weighted mean over days and hours: sum_d w_d sum_h a[d, h] / (24 * 365)."""
    return float((days.weight[:, None] * arr).sum() / (DAY_HOURS * days.weight.sum()))


@pytest.mark.parametrize("n", [1, 8, 12])
def test_weights_are_days_of_the_year(spec: Spec, n: int) -> None:
    days = representative_days(spec, n)
    assert days.days == n and days.weight.shape == (n,)
    assert days.weight.sum() == pytest.approx(365.0, abs=1e-9)
    assert np.all(days.weight >= 1.0)
    assert np.allclose(days.weight, np.round(days.weight))  # whole days of the year


@pytest.mark.parametrize("n", [8, 12])
def test_availability_in_unit_interval_and_sourced_capacity_factor(spec: Spec, n: int) -> None:
    """Every site's solar and wind CF on the weighted days = its full year's within 0.002 (so
    inside the sourced range test_profiles checks); gas and grid are available every hour."""
    days = representative_days(spec, n)
    for quantity, tech in (("solar", "solar_storage_ppa"), ("wind", "wind_storage_ppa")):
        year = read_profile(PROFILES / f"{quantity}.csv", quantity)
        for site in year.columns:
            a = days.avail(site, tech)
            assert a.shape == (n, 24) and a.min() >= 0.0 and a.max() <= 1.0
            assert _annual(days, a) == pytest.approx(year[site].mean(), abs=2e-3), (site, tech)
            assert days.avail(site, quantity) is a
    assert np.array_equal(days.avail("colossus1", "gas_simple_cycle"), np.ones((n, 24)))
    assert np.array_equal(days.avail("orbital_dd", "grid"), np.ones((n, 24)))


@pytest.mark.parametrize("n", [8, 12])
def test_n_and_2n_days_keep_the_solar_year_within_2_percent(spec: Spec, n: int) -> None:
    year = read_profile(PROFILES / "solar.csv", "solar")
    for k in (n, 2 * n):
        days = representative_days(spec, k)
        for site in year.columns:
            full = year[site].mean()
            assert abs(_annual(days, days.avail(site, "solar")) - full) <= 0.02 * full


@pytest.mark.parametrize("n", [None, 12])
def test_pue_keeps_the_annual_pue(spec: Spec, n: int | None) -> None:
    """Weighted mean of pue[s] over days and hours = the site's pue column (1e-12); >= 1; the
    hottest representative hour has the highest PUE."""
    days = representative_days(spec, n)
    for name, site in spec.model.sites.items():
        assert _annual(days, days.pue[name]) == pytest.approx(site.pue, abs=1e-12), name
        assert days.pue[name].min() >= 1.0
    temp = read_profile(PROFILES / "temperature.csv", "temperature")
    assert spec.model.sites["orbital_dd"].pue == 1.0
    assert np.all(days.pue["orbital_dd"] == 1.0)  # no temperature profile: flat
    if n is not None:
        assert temp["arizona_1"].max() > 40  # a Phoenix summer afternoon
        assert days.pue["arizona_1"].max() > days.pue["arizona_1"].min() + 0.05


def test_hourly_pue_by_hand() -> None:
    """T = 18 and 28 C, equal weights: m = 1 and 1 + 0.03 x 10 = 1.3, m_bar = 1.15, so for an
    annual PUE 1.3: pue = 1 + 0.3 x (1, 1.3) / 1.15 = (1.260870, 1.339130)."""
    pue = hourly_pue(1.3, np.array([[18.0], [28.0]]), np.array([1.0, 1.0]))
    assert pue[:, 0] == pytest.approx([1 + 0.3 / 1.15, 1 + 0.39 / 1.15], abs=1e-12)
    assert pue.mean() == pytest.approx(1.3, abs=1e-12)


def test_none_is_one_mean_day_of_weight_365(spec: Spec) -> None:
    """'none': weight [365]; each (1, 24) array is the mean over the year of that hour of day."""
    days = representative_days(spec, None)
    assert days.days == 1 and days.weight.tolist() == [365.0]
    solar = read_profile(PROFILES / "solar.csv", "solar")["arizona_1"].to_numpy()
    mean_day = solar.reshape(365, 24).mean(axis=0)
    assert np.allclose(days.avail("arizona_1", "solar_storage_ppa")[0], mean_day, atol=1e-12)
    assert _annual(days, days.avail("arizona_1", "solar")) == pytest.approx(0.291, abs=1e-3)


def test_cached_read_only_and_deterministic(spec: Spec) -> None:
    """The same call returns the cached arrays (read-only); a fresh aggregation the same days."""
    from twin.hours import _aggregate

    first = representative_days(spec, 8)
    assert representative_days(spec, 8).avail("atlanta", "solar") is first.avail("atlanta", "solar")
    with pytest.raises(ValueError):
        first.avail("atlanta", "solar")[0, 0] = 0.5
    _aggregate.cache_clear()
    again = representative_days(spec, 8)
    assert np.array_equal(again.weight, first.weight)
    assert np.array_equal(again.avail("texas_2", "wind"), first.avail("texas_2", "wind"))


def test_weather_technology_at_a_site_without_profiles_is_refused(spec: Spec) -> None:
    days = representative_days(spec, None)
    with pytest.raises(SpecError, match="orbital_dd"):
        days.avail("orbital_dd", "solar_storage_ppa")


def test_a_model_without_profiles_has_the_energy_only_day_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A model built in code, run where no profile folder is: 'none' gives one day of 365 with
    flat PUE; asking for days is bad input naming the missing file."""
    from conftest import tiny_model

    from twin.spec import load_dict

    monkeypatch.chdir(tmp_path)
    spec = load_dict(tiny_model(), name=str(tmp_path / "m.yaml"))
    days = representative_days(spec, None)
    assert days.weight.tolist() == [365.0] and days.availability == {}
    assert np.array_equal(days.pue["s1"], np.full((1, 24), 1.0))
    assert np.array_equal(days.avail("s1", "grid"), np.ones((1, 24)))
    with pytest.raises(SpecError, match=r"solar\.csv"):
        representative_days(spec, 8)


@pytest.mark.parametrize(("n", "k"), [(8, 6), (24, 8)])
def test_segments_fill_the_day_and_keep_the_year(n: int, k: int) -> None:
    """``horizon.hours.segments = k``: every day is k steps of whole hours summing to 24;
    each site's solar and wind CF weighted by day and step hours, sum_d w_d sum_j tau a / 8760,
    is the full year's within 0.002; PUE's weighted mean is the site's annual PUE (1e-12)."""
    over = [("horizon.hours.representative_days", n), ("horizon.hours.segments", k),
            ("horizon.hours.extreme_days", False)]  # fmt: skip
    spec = load_model(ROOT / "models/baseline.yaml", overrides=over)
    days = representative_days(spec, n)
    tau = days.duration
    assert tau.shape == (n, k) and np.all(tau >= 1) and np.allclose(tau, np.round(tau))
    np.testing.assert_allclose(tau.sum(1), 24.0)
    w = days.weight[:, None] * tau / (24 * 365)
    for quantity in ("solar", "wind"):
        year = read_profile(PROFILES / f"{quantity}.csv", quantity)
        for site in year.columns:
            a = days.avail(site, quantity)
            assert a.shape == (n, k) and a.min() >= 0.0 and a.max() <= 1.0
            assert float((w * a).sum()) == pytest.approx(year[site].mean(), abs=2e-3), site
    for name, site in spec.model.sites.items():
        assert float((w * days.pue[name]).sum()) == pytest.approx(site.pue, abs=1e-12), name
    assert days.avail("colossus1", "gas_simple_cycle").shape == (n, k)


def test_24_segments_are_the_hours(spec: Spec) -> None:
    """segments = 24 (the default) is the unsegmented aggregation: one hour per step."""
    days = representative_days(spec, 8)
    assert days.step_hours is None and np.array_equal(days.duration, np.ones((8, 24)))


def test_extreme_days_add_the_windless_and_the_hottest_day() -> None:
    """``extreme_days``: two more days of weight 1 (the N typical days stand for 363): the
    day of least mean wind, whose mean (under 1% of nameplate) is the year's least daily mean
    (Greensboro TMY3, the one weather year: the same day at every site), and the day holding
    each site's hottest hour, so the largest representative PUE is the full year's largest."""
    over = [("horizon.hours.representative_days", 8), ("horizon.hours.extreme_days", True)]
    spec = load_model(ROOT / "models/baseline.yaml", overrides=over)
    days = representative_days(spec, 8)
    assert days.days == 10 and list(days.weight[-2:]) == [1.0, 1.0]
    assert days.weight.sum() == pytest.approx(365.0, abs=1e-9)
    wind = read_profile(PROFILES / "wind.csv", "wind")
    temp = read_profile(PROFILES / "temperature.csv", "temperature")
    daily = wind["colossus1"].to_numpy().reshape(365, 24).mean(1)
    means = days.avail("colossus1", "wind").mean(1)
    assert means.min() == pytest.approx(daily.min(), abs=2e-3)
    assert daily.min() < 0.01  # a windless day
    for site in ("arizona_1", "ohio_1"):
        hottest = temp[site].to_numpy()
        t = hottest.reshape(365, 24)
        m = 1.0 + 0.03 * np.maximum(0.0, t - 18.0)
        pue_year = 1.0 + (spec.model.sites[site].pue - 1.0) * m / m.mean()
        # the hottest hour's PUE on the days as on the year, up to the mean's rescaling (1%)
        assert days.pue[site].max() == pytest.approx(pue_year.max(), rel=0.01), site
