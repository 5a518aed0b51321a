"""The chip roadmap and tenant value paths, by hand from their formulas and sources."""

from __future__ import annotations

import pytest

from twin.plan.values import tenant_value
from twin.spec import load_model

MODEL = "models/baseline.yaml"


def test_roadmap_extrapolates_feynman_by_its_stated_trends():
    """Two years after Feynman (18 H100e, $150k, 5 kW, 2030), at the chip table's 24%/yr in W per
    H100e, power per chip held and 2.5-year doubling of H100e per $: 18 x 1.24**2 H100e at 5 kW,
    price 150k / 18 x 2**(-2/2.5) per H100e; marked extrapolated."""
    m = load_model(MODEL).model
    x1 = m.chips["feynman_x1"]
    assert x1.extrapolated and "extrapolation" in x1.source
    assert x1.h100e == pytest.approx(18 * 1.24**2)
    assert x1.kw == pytest.approx(5.0)
    assert x1.price_usd == pytest.approx(150_000 / 18 * 2 ** (-0.8) * x1.h100e)
    assert not m.chips["feynman"].extrapolated
    last = max(c.available_from for c in m.chips.values())
    assert last.year >= 2036  # chips keep coming to the horizon's end (2038)


def test_roadmap_trend_is_a_scenario():
    fast = load_model(MODEL, scenario="roadmap_fast").model.chips["feynman_x1"]
    assert fast.h100e == pytest.approx(18 * 1.5**2)
    slow = load_model(MODEL, scenario="roadmap_slow").model.chips["feynman_x1"]
    assert slow.price_usd / slow.h100e == pytest.approx(150_000 / 18 * 2 ** (-2 / 2.95))


def test_each_tenant_has_its_own_path_and_training_follows_the_market():
    m = load_model(MODEL).model
    t = 5.0
    spot = 1.9 * (1 - 0.24) ** t
    assert tenant_value(m, "neocloud_spot", t) == pytest.approx(spot)
    assert tenant_value(m, "anthropic", t) == pytest.approx(0.5 + (2.4 - 0.5) * 0.85**t)
    assert tenant_value(m, "xai_training", t) == pytest.approx(1.15 * spot)
    declines = {j: tenant_value(m, j, 6.0) / tenant_value(m, j, 5.0) for j in m.tenants}
    assert len({round(v, 6) for v in declines.values()}) >= 3  # not one lockstep decline
    low = load_model(MODEL, scenario="training_value_low").model
    assert tenant_value(low, "xai_training", t) == pytest.approx(0.8 * spot)


def test_every_new_row_has_a_source():
    m = load_model(MODEL).model
    for table in (m.power_projects, m.regions):
        for name, row in table.items():
            assert len(row.source) > 10, name
    assert {r.region for r in m.regions.values()} <= {
        s.region for s in m.sites.values() if s.region
    }
