"""The roadmap on its sources: the chip table's own trend, and no extrapolated chip improving
faster than its stated trend or breaking a schema bound, even 25 years out."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from twin.spec import load_model

MODEL = "models/baseline.yaml"
CHIPS = Path(__file__).resolve().parents[2] / "datasets" / "chips.csv"


def _w_per_h100e(row: dict[str, str]) -> float:
    return 1e3 * float(row["kw"]) / float(row["h100e"])


def test_default_perf_per_watt_is_the_chip_tables_own_2023_2030_trend() -> None:
    """H100 (2023-01-01) to Feynman (2030-01-01) in datasets/chips.csv: W per H100e falls from
    1,275 to 278, ``(1275 / 277.8) ** (1 / 7) - 1 = 24.3%`` a year; the default rate is that
    trend to two digits."""
    with CHIPS.open() as f:
        rows = {r["name"]: r for r in csv.DictReader(f)}
    first, last = rows["h100"], rows["feynman"]
    years = (
        dt.date.fromisoformat(last["available_from"])
        - dt.date.fromisoformat(first["available_from"])
    ).days / 365.25
    trend = (_w_per_h100e(first) / _w_per_h100e(last)) ** (1 / years) - 1
    assert trend == pytest.approx(0.243, abs=0.002)
    roadmap = load_model(MODEL).model.roadmap
    assert roadmap.perf_per_watt_growth_per_year == pytest.approx(trend, abs=0.005)


@pytest.mark.parametrize("scenario", [None, "roadmap_fast"])
def test_no_extrapolated_chip_improves_faster_than_its_stated_trend(scenario: str | None) -> None:
    """Over a 25-year horizon (its buffer included) every generated chip's W per H100e and $ per
    H100e relative to Feynman are no better than ``(1 + g_W) ** -y`` and ``2 ** (-y / D)`` after
    ``y`` years, and every one is within the schema's bounds (1,000 H100e, 20 kW per chip)."""
    spec = load_model(MODEL, scenario=scenario, overrides=[("horizon.years", 25)])
    m = spec.model
    rm, a = m.roadmap, m.chips["feynman"]
    made = {k: c for k, c in m.chips.items() if c.extrapolated}
    assert max(c.available_from for c in made.values()).year >= 2055  # to the buffer's end
    for name, c in made.items():
        y = (c.available_from - a.available_from).days / 365.25
        w_ratio = (c.kw / c.h100e) / (a.kw / a.h100e)
        usd_ratio = (c.price_usd / c.h100e) / (a.price_usd / a.h100e)
        assert w_ratio >= (1 + rm.perf_per_watt_growth_per_year) ** -y * (1 - 1e-3), name
        assert usd_ratio >= 2 ** (-y / rm.perf_per_usd_doubling_years) * (1 - 1e-3), name
        assert c.h100e <= 1000 and c.kw <= 20, name
    saturated = [c for c in made.values() if "saturated" in c.source]
    assert saturated and all(c.h100e == 1000 for c in saturated)  # says so where it binds
