"""``horizon.hours.representative_days`` reaches the plan: the baseline solved on the shipped
profiles' representative days (:mod:`twin.hours`), two years, N = 2 days.

Checked against the data, not the code's output: the report's day weights are the aggregation's
(whole days summing to 365), and no existing source is dispatched above the limit in force in its
period in any hour (the grid at Colossus 2 is 300 MW until the dated upgrade to 800 MW of
``datasets/events.csv`` on 2027-06-01, so the 2026-07 year's limit is its mean over the months,
300 + 500/12 MW: the hourly dispatch sees the event as the period form does).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from twin.hours import representative_days
from twin.plan import plan
from twin.report.dataset import to_dataset
from twin.spec import load_model

MODEL = Path(__file__).resolve().parents[2] / "models" / "baseline.yaml"


@pytest.mark.slow
def test_the_baseline_plans_on_its_representative_days() -> None:
    over = [("horizon.hours.representative_days", 2), ("horizon.years", 2),
            ("horizon.hours.segments", 24), ("horizon.hours.extreme_days", False)]  # fmt: skip
    spec = load_model(MODEL, overrides=over)
    p = plan(spec)
    assert p.result.optimal
    ds = to_dataset(p)
    days = representative_days(spec, 2)
    assert ds.sizes["day"] == 2 and ds.sizes["hour"] == 24
    np.testing.assert_array_equal(ds["day_weight"].values, days.weight)
    assert float(ds["day_weight"].sum()) == 365.0
    peak = ds["power_dispatch_mw"].max(("day", "hour"))
    assert bool((peak <= ds["power_limit_mw"] + 1e-6).all())
    c2 = peak.sel(source="c2_grid").values
    limit = ds["power_limit_mw"].sel(source="c2_grid").values
    # the 2026-07 year holds 11 months at 300 MW and one (from 2027-06-01) at 800: its mean
    assert limit[0] == pytest.approx(300 + 500 / 12, rel=1e-9) and limit[1] == pytest.approx(800)
    assert c2[0] <= limit[0] + 1e-6 and c2.max() > limit[0]  # before and after the upgrade


@pytest.mark.slow
def test_the_baseline_plans_on_segments_and_extreme_days() -> None:
    """2 typical days + the 2 extreme days (weight 1 each), 6 segments a day: the report's
    steps fill 24 hours, and no existing source is dispatched above its limit in any step."""
    over = [("horizon.hours.representative_days", 2), ("horizon.years", 2),
            ("horizon.hours.segments", 6), ("horizon.hours.extreme_days", True)]  # fmt: skip
    spec = load_model(MODEL, overrides=over)
    p = plan(spec)
    assert p.result.optimal
    ds = to_dataset(p)
    assert ds.sizes["day"] == 4 and ds.sizes["hour"] == 6
    np.testing.assert_array_equal(ds["day_weight"].values[-2:], [1.0, 1.0])
    np.testing.assert_allclose(ds["step_hours"].sum("hour").values, 24.0)
    peak = ds["power_dispatch_mw"].max(("day", "hour"))
    assert bool((peak <= ds["power_limit_mw"] + 1e-6).all())
