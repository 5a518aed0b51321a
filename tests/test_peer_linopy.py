"""The linopy peer of the benchmarks writes the same LP as twin, and the comparison can tell
when two LPs differ."""

from __future__ import annotations

import dataclasses

import highspy
import numpy as np
import pytest

from benchmarks.lp_compare import differences, from_highs_lp, from_linopy
from benchmarks.synthetic import synthetic_spec
from benchmarks.synthetic_hours import hourly_data, synthetic_days, with_storage
from twin.plan import build_model, plan_data
from twin.plan.solve import to_highs_lp

linopy = pytest.importorskip("linopy")
from benchmarks.peer_linopy import build_linopy  # noqa: E402


def both(*size: int, period: str = "year", hours: tuple[int, int, bool] | None = None):
    spec = synthetic_spec(*size, period=period)
    if hours is None:
        d = plan_data(spec)
    else:  # the hourly form on the baseline's representative days (benchmarks.synthetic_hours)
        spec = with_storage(spec)
        d = hourly_data(spec, synthetic_days(spec, hours))
    m = build_model(d)  # kept alive: the columns and rows name its components
    lp, cols, rows, _ = to_highs_lp(m)
    lm = build_linopy(d)
    aliases = {n: "contracts" for n in spec.model.contracts} | {"demand_firm": "demand"}
    twin_lp = from_highs_lp(lp, cols, rows)
    return lp, twin_lp, lm, from_linopy(lm, aliases)


@pytest.mark.parametrize(("size", "period"), [((5, 10, 4, 5), "year"), ((4, 3, 3, 4), "quarter")])
def test_same_lp_as_twin(size, period):
    _, a, _, b = both(*size, period=period)
    assert a.nnz > 500 and len(a.rows) > 50
    assert differences(a, b) == []


HOURLY = [((5, 10, 4, 5), "year", (2, 6, True)), ((4, 3, 3, 4), "quarter", (2, 24, False))]


@pytest.mark.parametrize(("size", "period", "hours"), HOURLY)
def test_same_hourly_lp_as_twin(size, period, hours):
    """The hourly form (dispatch, storage cyclic per day, the hourly balance, firm capacity at
    the largest hourly PUE) is written the same by both: every hourly family is in it."""
    _, a, _, b = both(*size, period=period, hours=hours)
    families = {c[0] for c in a.cols} | {r[0] for r in a.rows}
    hourly = {"dispatch", "charge", "discharge", "soc", "it_running", "power_mean"}
    hourly |= {"storage_balance", "it_running_def", "site_power_hourly", "firm_capacity"}
    assert hourly <= families and "site_power" not in families
    assert differences(a, b) == []


@pytest.mark.parametrize(("size", "period", "hours"), [(None, None, None), HOURLY[0]])
def test_same_optimum_as_twin(size, period, hours):
    """The same LP has the same optimum: HiGHS on linopy's model reaches twin's objective less
    its constant (existing capacity's opex, which linopy's objective leaves out)."""
    lp, _, lm, _ = both(*(size or (5, 10, 4, 5)), period=period or "year", hours=hours)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    h.run()
    twin_obj = h.getInfo().objective_function_value - lp.offset_
    hl = lm.to_highspy()
    hl.setOptionValue("output_flag", False)
    hl.run()
    assert hl.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert hl.getInfo().objective_function_value == pytest.approx(twin_obj, rel=1e-9)


def test_comparison_sees_a_difference():
    """One coefficient, one bound, a dropped row and a flipped row are all reported."""
    _, a, _, _ = both(3, 4, 3, 3)
    vals = a.values.copy()
    vals[7] *= 1 + 1e-9
    assert any(x.startswith("matrix") for x in differences(a, dataclasses.replace(a, values=vals)))
    upper = a.row_upper.copy()
    upper[np.isfinite(upper).argmax()] += 1.0
    assert any("row upper" in x for x in differences(a, dataclasses.replace(a, row_upper=upper)))
    fewer = dataclasses.replace(a, rows=[*a.rows[:-1], ("renamed", 0)])
    assert any(x.startswith("rows") for x in differences(a, fewer))
    i = int(np.isfinite(a.row_upper).argmax())
    flipped = a.values.copy()
    flipped[a.indptr[i] : a.indptr[i + 1]] *= -1
    lower, upper = a.row_lower.copy(), a.row_upper.copy()
    lower[i], upper[i] = -a.row_upper[i], -a.row_lower[i]
    other = dataclasses.replace(a, values=flipped, row_lower=lower, row_upper=upper)
    assert differences(a, other) != []
