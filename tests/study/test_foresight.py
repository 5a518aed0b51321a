"""Limited foresight on a problem where short sight provably costs, and on the baseline.

Tiny model (tests/conftest.py): one internal tenant wanting D = 10 kH100e = 10 MW for 8 years from
2030 at $1/H100e-hour (8.76 $M per MW-year), r = 5 %, salvage on, 14-year facility life, no lead
time, free chips and power. Site s1 is open now at $60M/MW; site s2 opens in 2034 (year 4) at
$1M/MW, each paid at its build's start (``1.05^-t``). Per MW, building s1 in 2030 is worth
``8.76 sum_{0..7} df - 60 + 60 (1 - 8/14) df_T`` (15.4 $M); waiting for s2 ``8.76 sum_{4..7} df -
1.05^-4 + (1 - 4/14) df_T`` (25.8 $M): perfect foresight waits. A planner seeing 4 years (window 4)
does not know s2 exists and values s1 over its window with salvage at the window end: ``8.76
sum_{0..3} df - 60 + 60 (1 - 4/14) 1.05^-4`` (7.1 $M > 0), so it builds s1 in 2030 and keeps it.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import PERIOD_FORM, tiny_model

from twin.plan import plan
from twin.report.study import plan_report
from twin.spec import SpecError, load_dict, load_model
from twin.study.foresight import solve_myopic, window_starts

D, R, YEARS, LIFE = 10.0, 0.05, 8, 14.0
DF = (1 + R) ** -(np.arange(YEARS) + 0.5)
DF_T = (1 + R) ** -YEARS


def late_cheap_site(**solver: object) -> dict:
    s1 = {"lead_months": 0, "capex_musd_per_mw": 60.0, "life_years": LIFE}
    s2 = {
        **tiny_model()["sites"]["s1"],
        **s1,
        "capex_musd_per_mw": 1.0,
        "earliest": "2034-01-01",
    }
    return tiny_model(
        economics={"salvage": True},
        horizon={"end_effects": "straight_line"},
        sites={"s1": s1, "s2": s2},
        power_sources={"g2": {**tiny_model()["power_sources"]["g1"], "site": "s2"}},
        solver=solver,
    )


def test_window_starts_step_until_the_last_window_reaches_the_end() -> None:
    assert window_starts(12, 4, 4) == [0, 4, 8]
    assert window_starts(12, 5, 2) == [0, 2, 4, 6, 8]
    assert window_starts(8, 8, 1) == [0]


def test_a_cheap_site_beyond_the_window_makes_myopia_cost() -> None:
    perfect = plan(load_dict(late_cheap_site()))
    a = 8.76 * DF.sum() - 60 + 60 * (1 - 8 / LIFE) * DF_T  # capex paid at the build's start
    b = 8.76 * DF[4:].sum() - (1 + R) ** -4 + (1 - 4 / LIFE) * DF_T
    assert b > a
    assert perfect.result.objective == pytest.approx(D * b, rel=1e-9)
    myopic = solve_myopic(load_dict(late_cheap_site(foresight="myopic", window_years=4)))
    assert myopic.plan.result.objective == pytest.approx(D * a, rel=1e-9)
    ds = plan_report(myopic)
    np.testing.assert_allclose(ds["build_mw"].sel(site="s1").values, [D] + [0] * 7, atol=1e-6)
    np.testing.assert_allclose(ds["build_mw"].sel(site="s2").values, 0, atol=1e-6)
    assert ds.attrs["foresight"] == "myopic" and ds.attrs["window_years"] == 4
    assert ds.sizes["window"] == 5  # windows start in years 0..4, the last reaches year 8
    first = ds["window_build_mw"].isel(window=0).sel(site="s1").values
    assert first[0] == pytest.approx(D) and np.isnan(first[4:]).all()  # it saw 4 years
    assert ds.attrs["npv_musd"] == pytest.approx(D * a, rel=1e-9)


def test_myopic_npv_never_beats_perfect_foresight_on_the_baseline() -> None:
    # both see the same end (book value at the horizon end): a buffer would give each window a
    # different solved horizon and so objectives that count different years
    end = ("horizon.end_effects", "straight_line")
    form = PERIOD_FORM[0]  # myopia, not hours: the period form (CI time)
    # the best NPV itself: the baseline's tie-break would report a plan eps below it
    perfect = plan(load_model("models/baseline.yaml", overrides=[end, form]), exact=True)
    best = perfect.result.objective
    for window, step in ((3, 3), (6, 2)):
        spec = load_model(
            "models/baseline.yaml",
            overrides=[
                end,
                form,
                ("solver.foresight", "myopic"),
                ("solver.window_years", window),
                ("solver.step_years", step),
            ],
        )
        myopic = solve_myopic(spec).plan.result.objective
        assert myopic <= best * (1 + 1e-9)


@pytest.mark.parametrize(
    ("solver", "key"),
    [({"window_years": 9}, "solver.window_years"), ({"step_years": 6}, "solver.step_years")],
)
def test_window_longer_than_the_horizon_names_the_key(solver: dict, key: str) -> None:
    with pytest.raises(SpecError, match=key):
        load_dict(late_cheap_site(**{"foresight": "myopic", "window_years": 5, **solver}))
