"""The hourly profiles as data: physics of the shipped CSVs, their sources, and bad profile input
exiting 2 naming the file and the column (issue 17)."""

from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, tiny_model

from twin.spec import SpecError, load_dict, load_model
from twin.spec.profiles import HOURS, read_profile

PROFILES = ROOT / "datasets" / "profiles"
N8 = ["--set", "horizon.hours.representative_days=8"]


def _csv(name: str) -> list[dict[str, str]]:
    with open(PROFILES / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


CLIMATE = {r["region"]: r for r in _csv("climate.csv")}
REGION = {r["site"]: r["region"] for r in _csv("sources.csv")}


@pytest.mark.parametrize("quantity", ["solar", "wind"])
def test_annual_capacity_factor_of_every_site_is_its_regions_sourced_figure(quantity: str) -> None:
    """Full-year mean of the 8760 hours = the region's sourced CF (climate.csv) within 0.001,
    inside its sourced range; Arizona solar is EIA's 29.1% (Today in Energy 35372)."""
    table = read_profile(PROFILES / f"{quantity}.csv", quantity)
    assert len(table) == HOURS and len(table.columns) == 13
    for site in table.columns:
        row = CLIMATE[REGION[site]]
        cf = table[site].mean()
        assert cf == pytest.approx(float(row[f"{quantity}_cf"]), abs=1e-3), site
        assert float(row[f"{quantity}_cf_low"]) <= cf <= float(row[f"{quantity}_cf_high"]), site
    if quantity == "solar":
        assert table["arizona_1"].mean() == pytest.approx(0.291, abs=1e-3)
        assert table["arizona_1"].mean() > table["abilene"].mean() > table["colossus1"].mean()
        assert table["colossus1"].mean() > table["ohio_1"].mean()  # EIA: Southwest > SE > NE


def test_solar_follows_the_sun() -> None:
    """No output between 10 pm and 4 am local standard time at any site; the mean day peaks
    within two hours of solar noon; a July day makes more than a January day."""
    table = read_profile(PROFILES / "solar.csv", "solar").to_numpy().reshape(365, 24, -1)
    assert table[:, [22, 23, 0, 1, 2, 3], :].max() == 0.0
    peak = table.mean(axis=0).argmax(axis=0)  # hour of day, per site
    assert np.all((peak >= 10) & (peak <= 13))
    assert np.all(table[181:212].mean(axis=(0, 1)) > table[0:31].mean(axis=(0, 1)))


def test_temperature_by_climate() -> None:
    """July is warmer than January everywhere; Phoenix's July mean is above Columbus's by more
    than the annual means differ (24.1 - 12.3 C) less 5 K; values in [-60, 60] C."""
    t = read_profile(PROFILES / "temperature.csv", "temperature")
    july, jan = slice(181 * 24, 212 * 24), slice(0, 31 * 24)
    assert (t.iloc[july].mean() > t.iloc[jan].mean() + 10).all()
    assert t["arizona_1"].mean() == pytest.approx(24.1, abs=0.01)
    assert t["arizona_1"].iloc[july].mean() - t["ohio_1"].iloc[july].mean() > 24.1 - 12.3 - 5


def test_every_profile_has_a_source_record() -> None:
    """sources.csv: one record per quantity and site column, with its method and source."""
    rows = _csv("sources.csv")
    for quantity in ("solar", "wind", "temperature"):
        sites = set(read_profile(PROFILES / f"{quantity}.csv", quantity).columns)
        recorded = {r["site"] for r in rows if r["profile"] == quantity}
        assert recorded == sites
    assert all(r["source"].strip() and r["method"].strip() for r in rows)
    assert all(r["source"].strip() for r in CLIMATE.values())


def test_every_enabled_terrestrial_site_of_the_baseline_has_profiles() -> None:
    spec = load_model(ROOT / "models/baseline.yaml", overrides=[N8[1].split("=")])
    table = read_profile(PROFILES / "solar.csv", "solar")
    terrestrial = {n for n, s in spec.model.sites.items() if s.kind == "terrestrial"}
    assert terrestrial and terrestrial <= set(table.columns)


@pytest.mark.skipif(
    importlib.util.find_spec("pvlib") is None,
    reason="regenerating the profiles needs pvlib and windpowerlib (the profiles and test extras); "
    "a plain install reads the committed CSVs",
)
def test_the_generator_remakes_the_committed_profiles(tmp_path: Path) -> None:
    """make_profiles.py is offline and deterministic: it rewrites the same numbers."""
    subprocess.run([sys.executable, str(PROFILES / "make_profiles.py"), str(tmp_path)], check=True)
    for name in ("solar", "wind", "temperature"):
        new, old = pd.read_csv(tmp_path / f"{name}.csv"), pd.read_csv(PROFILES / f"{name}.csv")
        pd.testing.assert_frame_equal(new, old, atol=1e-4)


# --- bad input: exit 2 naming the file and the column -------------------------------------------


def _write(model_copy: Path, name: str, frame: pd.DataFrame) -> Path:
    path = model_copy.parent.parent / "datasets" / "profiles" / name
    frame.to_csv(path, index=False)
    return path


def test_nan_in_a_profile_exits_2_naming_file_and_column(model_copy: Path) -> None:
    frame = pd.read_csv(PROFILES / "solar.csv")
    frame.loc[4000, "atlanta"] = np.nan
    path = _write(model_copy, "solar.csv", frame)
    cmd = [sys.executable, "-m", "twin", "solve", str(model_copy), "--out", "x.nc", *N8]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=model_copy.parent.parent)
    assert res.returncode == 2, res.stderr
    assert f"{path}: atlanta, hour 4000: expected a number" in res.stderr
    assert "Traceback" not in res.stderr


def test_8759_rows_are_refused(model_copy: Path) -> None:
    path = _write(model_copy, "wind.csv", pd.read_csv(PROFILES / "wind.csv").iloc[:-1])
    with pytest.raises(SpecError) as err:
        load_model(model_copy, overrides=[N8[1].split("=")])
    assert err.value.file == str(path) and err.value.key == "rows"
    assert "expected 8760 hourly rows" in err.value.expected and "found 8759" in str(err.value)


def test_availability_above_one_is_refused(model_copy: Path) -> None:
    frame = pd.read_csv(PROFILES / "wind.csv")
    frame.loc[17, "abilene"] = 1.2
    path = _write(model_copy, "wind.csv", frame)
    with pytest.raises(SpecError) as err:
        load_model(model_copy, overrides=[N8[1].split("=")])
    assert err.value.file == str(path) and err.value.key == "abilene, hour 17"
    assert "expected a value in [0, 1]" in err.value.expected and "found 1.2" in err.value.expected


def test_a_site_without_its_column_is_refused(model_copy: Path) -> None:
    path = _write(model_copy, "temperature.csv", pd.read_csv(PROFILES / "temperature.csv")
                  .drop(columns=["ohio_2"]))  # fmt: skip
    with pytest.raises(SpecError) as err:
        load_model(model_copy, overrides=[N8[1].split("=")])
    assert err.value.file == str(path) and err.value.key == "ohio_2"


def test_the_energy_only_form_reads_no_profile(model_copy: Path) -> None:
    """``representative_days: none``: a broken profile folder does not stop a model that does
    not use it; the baseline's default (hours) reads it and refuses it."""
    path = _write(model_copy, "solar.csv", pd.DataFrame({"hour": [0]}))
    spec = load_model(model_copy, overrides=[("horizon.hours.representative_days", "none")])
    assert spec.model.horizon.hours.representative_days is None
    with pytest.raises(SpecError) as err:
        load_model(model_copy)
    assert err.value.file == str(path)


def test_none_switches_the_baselines_hours_off_whole() -> None:
    """The baseline sets 4 days + extreme days of 6 segments; ``representative_days=none``
    alone gives the energy-only form (segments 24, no extreme days), not a refusal."""
    hours = load_model(ROOT / "models/baseline.yaml").model.horizon.hours
    assert (hours.representative_days, hours.segments, hours.extreme_days) == (4, 6, True)
    for none in ("none", "None", None):
        spec = load_model(ROOT / "models/baseline.yaml",
                          overrides=[("horizon.hours.representative_days", none)])  # fmt: skip
        hours = spec.model.horizon.hours
        assert (hours.representative_days, hours.segments, hours.extreme_days) == (None, 24, False)
    spec = load_model(ROOT / "models/baseline.yaml", overrides=[("horizon.hours", "none")])
    assert spec.model.horizon.hours.representative_days is None


@pytest.mark.parametrize("key", ["segments", "extreme_days"])
def test_steps_set_after_none_or_beside_empty_days_are_refused(key: str, model_copy: Path) -> None:
    """``none`` drops the segments and extreme days set before it; set after it, or beside
    days left empty in the file, they would be ignored, so they are refused."""
    value = 12 if key == "segments" else True
    after = [("horizon.hours.representative_days", "none"), (f"horizon.hours.{key}", value)]
    with pytest.raises(SpecError) as err:
        load_model(ROOT / "models/baseline.yaml", overrides=after)
    assert key in str(err.value) and "representative_days" in str(err.value)
    with pytest.raises(SpecError):
        load_model(ROOT / "models/baseline.yaml", scenario="quarterly", overrides=after[1:])
    text = model_copy.read_text()
    model_copy.write_text(text.replace("representative_days: 4 ", "representative_days:   "))
    with pytest.raises(SpecError) as err:
        load_model(model_copy)
    assert "representative_days" in str(err.value) and err.value.file == str(model_copy)


@pytest.mark.parametrize("days", [0, 366, -3])
def test_days_outside_1_to_365_are_refused(days: int) -> None:
    with pytest.raises(SpecError) as err:
        load_model(ROOT / "models/baseline.yaml",
                   overrides=[("horizon.hours.representative_days", days)])  # fmt: skip
    assert err.value.key == "horizon.hours.representative_days"
    assert err.value.file == "--set"


@pytest.mark.parametrize("segments", [0, 25])
def test_segments_outside_1_to_24_are_refused(segments: int) -> None:
    with pytest.raises(SpecError) as err:
        load_model(ROOT / "models/baseline.yaml",
                   overrides=[("horizon.hours.segments", segments)])  # fmt: skip
    assert err.value.key == "horizon.hours.segments"
    assert err.value.file == "--set"


@pytest.mark.parametrize("key", ["segments", "extreme_days"])
def test_steps_or_extreme_days_without_days_are_refused(key: str) -> None:
    """They cut representative days; in a model that never names the days (the energy-only
    form) they would be silently ignored."""
    value = 6 if key == "segments" else True
    with pytest.raises(SpecError) as err:
        load_dict(tiny_model(horizon={"hours": {key: value}}))
    assert err.value.key.startswith("horizon.hours")
    assert key in str(err.value) and "representative_days" in str(err.value)


def test_a_sites_table_kept_apart_takes_the_projects_profiles(model_copy: Path) -> None:
    """A sites table in a folder of its own inside the project (shared between models),
    without a ``profiles/`` beside it, reads the project's ``datasets/profiles``; with one
    beside it, that folder is read (and a broken file there is named). A table from another
    root: test_bad_input's ``test_env_var_allows_another_root``."""
    from twin.spec.profiles import profiles_folder

    shared = model_copy.parent.parent / "shared"
    shared.mkdir()
    (model_copy.parent.parent / "datasets" / "sites.csv").rename(shared / "sites.csv")
    model_copy.write_text(
        model_copy.read_text().replace("../datasets/sites.csv", "../shared/sites.csv")
    )
    spec = load_model(model_copy, overrides=[N8[1].split("=")])
    assert profiles_folder(spec) == model_copy.parent.parent / "datasets" / "profiles"
    (shared / "profiles").mkdir()
    pd.DataFrame({"hour": [0]}).to_csv(shared / "profiles" / "solar.csv", index=False)
    with pytest.raises(SpecError) as err:
        load_model(model_copy, overrides=[N8[1].split("=")])
    assert err.value.file == str(shared / "profiles" / "solar.csv")
