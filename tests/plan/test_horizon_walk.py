"""A longer (or shorter) horizon never crashes: the shipped model solves from 3 to 25 years.

A handful of horizons here, in the period form (CI time); ``benchmarks/end_effects.py --walk``
walks every year 3-25.
"""

from __future__ import annotations

import pytest

from tests.conftest import PERIOD_FORM
from twin.plan import plan
from twin.report import to_dataset
from twin.report.summary import end_line
from twin.spec import load_model

MODEL = "models/baseline.yaml"


@pytest.mark.parametrize("scenario", [None, "neocloud"])
@pytest.mark.parametrize("years", [3, 14, 25])
def test_horizon_solves_and_reports_the_years_asked(scenario: str | None, years: int) -> None:
    """Optimal, the report holds exactly ``years`` yearly periods (the 5 buffer years solved but
    not reported), and NPV = sum_p df_p net_p + df_T x value after the horizon (equal to the
    objective), that value the buffer cash plus the end credit."""
    p = plan(
        load_model(MODEL, scenario=scenario, overrides=[("horizon.years", years), *PERIOD_FORM])
    )
    assert p.result.optimal
    assert p.data.n_periods == years + 5
    ds = to_dataset(p)
    assert ds.sizes["period"] == years
    npv = float((ds["discount_factor"] * ds["net_cash_musd"]).sum()) + ds.attrs[
        "discount_factor_end"
    ] * float(ds["after_horizon_musd"])
    assert npv == pytest.approx(ds.attrs["objective_musd"], rel=1e-9)
    parts = float(ds["buffer_cash_musd"]) + float(ds["end_credit_musd"])
    assert parts == pytest.approx(float(ds["after_horizon_musd"]), rel=1e-9)
    assert ds.attrs["discount_factor_end"] == pytest.approx(1.1**-years)


@pytest.mark.parametrize("scenario", [None, "neocloud"])
def test_the_end_credit_is_at_most_one_percent_of_npv_by_default(scenario: str | None) -> None:
    """What the end-effect rule credits at the end (nothing at the end of the buffer by default,
    less the take-or-pay still owed there, valued at T) is at most 1% of the NPV either way with
    the default end effects; straight-line at T credits ~4%. The buffer years' modelled cash is
    not a credit: it is reported apart (``buffer_cash_musd``)."""
    ds = to_dataset(plan(load_model(MODEL, scenario=scenario, overrides=PERIOD_FORM)))
    assert ds.attrs["end_effects"] == "buffer"
    share = ds.attrs["discount_factor_end"] * float(ds["end_credit_musd"]) / float(ds["npv_musd"])
    assert share == pytest.approx(ds.attrs["end_credit_share"], rel=1e-9)
    line = end_line(ds.attrs)  # what `twin show` prints
    assert line.startswith(f"buffer: end credit {share:.2%} of NPV; value after the horizon")
    assert "(5 buffer years' cash + end credit)" in line
    assert -0.01 <= share <= 0
