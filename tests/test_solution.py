"""The one-call API: twin.solve with a dict of overrides, a summary and a tidy statistics table,
checked against a problem solved by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import FULL_SITE_EVENTS, tiny_model

import twin

R, YEARS, HOURS = 0.05, 8, 8760.0


def _model() -> dict:
    """10 MW and 10,000 one-H100e chips online before the horizon, one tenant wanting 10,000
    H100e at $1/H100e-hour, everything else free: the plan serves all demand in every year."""
    return tiny_model(sites={"s1": {"max_mw": 10.0}}, events=FULL_SITE_EVENTS)


def _npv(value_usd_per_h100e_hour: float) -> float:
    """sum_t 10 kH100e x 8.76 v $M/kH100e-year x (1 + r)^-(t + 1/2) [$M]."""
    df = (1 + R) ** -(np.arange(YEARS) + 0.5)
    return float((10.0 * HOURS / 1e3 * value_usd_per_h100e_hour * df).sum())


def test_solve_in_one_call_gives_the_npv_by_hand() -> None:
    res = twin.solve(_model())
    assert res.summary["termination_condition"] == "optimal"
    assert res.summary["npv_musd"] == pytest.approx(_npv(1.0), rel=1e-9)
    assert res.dataset.attrs["npv_musd"] == res.summary["npv_musd"]


def test_overrides_are_a_dict_of_dotted_paths() -> None:
    res = twin.solve(_model(), overrides={"tenants.own.value_usd_per_h100e_hour": 2.5})
    assert res.summary["npv_musd"] == pytest.approx(_npv(2.5), rel=1e-9)
    assert "value_usd_per_h100e_hour" in res.summary["overrides"]


def test_statistics_is_a_tidy_table_per_site_tenant_period_metric() -> None:
    stats = twin.solve(_model()).statistics()
    assert list(stats.columns[:1]) == ["metric"] and {"site", "tenant", "period"} <= set(stats)
    alloc = stats[stats.metric == "allocation_h100e"]
    assert len(alloc) == YEARS and (alloc.site == "s1").all() and (alloc.tenant == "own").all()
    np.testing.assert_allclose(alloc.value, 10_000.0, rtol=1e-9)  # all demand served
    assert (alloc.units == "H100e").all()
    assert list(pd.DatetimeIndex(alloc.period).year) == list(range(2030, 2030 + YEARS))
    cap = stats.query("metric == 'capacity_mw' and site == 's1'")
    np.testing.assert_allclose(cap.value, 10.0)
    assert (cap.tenant == "").all() and (cap.units == "MW").all()
    only = twin.solve(_model()).statistics(["revenue_musd", "internal_value_musd"])
    assert set(only.metric) == {"revenue_musd", "internal_value_musd"}
    value = only[only.metric == "internal_value_musd"].value.to_numpy()
    np.testing.assert_allclose(value, 10.0 * HOURS / 1e3, rtol=1e-9)  # $87.6M a year
    assert (only.units == "1e6 USD").all()


@pytest.mark.parametrize(
    "over",
    [
        [("tenants.own.value_usd_per_h100e_hour", 2.5)],
        ["tenants.own.value_usd_per_h100e_hour=2.5"],
    ],
    ids=["pairs", "texts"],
)
def test_overrides_as_pairs_or_set_texts_give_the_npv_by_hand(over) -> None:
    """A list of (path, value) pairs, or PATH=VALUE texts as --set takes (issue 21: a list of
    pairs used to end in AttributeError)."""
    res = twin.solve(_model(), overrides=over)
    assert res.summary["npv_musd"] == pytest.approx(_npv(2.5), rel=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"overrides": "x=1"}, r"^overrides: 'x=1': expected a mapping"),
        ({"overrides": [("a.b", 1), ("a", 2)]}, r"^overrides: a.b, a: sets the same key twice"),
        ({"overrides": [("a", 1, 2)]}, r"^overrides: \('a', 1, 2\): expected a mapping"),
        ({"overrides": {3: 1}}, r"^overrides: 3: expected a dotted path"),
        ({"overrides": ["novalue"]}, r"^--set: novalue: expected PATH=VALUE"),
        ({"handoff": "gpu"}, r"^handoff: 'gpu': expected 'matrix' or 'pyomo'"),
        ({"scenario": "neocloud"}, r"^scenario: neocloud: a scenario needs a model file"),
        ({"overrides": {"tenants.own.value_usd_per_h100e_hour": "x"}}, r"--set: tenants\.own"),
    ],
)
def test_every_bad_argument_raises_twins_own_error(kwargs, needle) -> None:
    """Each is a SpecError, a BadInput and a TwinError with exit code 2 and the CLI's wording;
    never AttributeError, TypeError or a bare ValueError."""
    with pytest.raises(twin.SpecError, match=needle) as info:
        twin.solve(_model(), **kwargs)
    assert isinstance(info.value, twin.BadInput) and isinstance(info.value, twin.TwinError)
    assert info.value.exit_code == 2


@pytest.mark.parametrize("model", [3, None, "", b"models/baseline.yaml"])
def test_a_model_that_is_neither_a_file_nor_a_dict_is_named(model) -> None:
    with pytest.raises(twin.SpecError, match=r"^model: .*expected a YAML model file or a model"):
        twin.solve(model)


def test_errors_carry_their_exit_codes_by_type() -> None:
    """One base: the command line maps an error to its exit code by type alone."""
    from twin.errors import ExitCode, NotOptimal, PlanError, TwinError
    from twin.plan import PlanFailed, PlanInfeasible
    from twin.plan.rows import TrivialInfeasibility
    from twin.report import ReportError

    codes = {
        twin.SpecError("f", "k", "x"): ExitCode.BAD_INPUT,
        ReportError("f", "x"): ExitCode.BAD_INPUT,
        PlanFailed("x"): ExitCode.PLAN_FAILED,
        PlanInfeasible("x", []): ExitCode.PLAN_FAILED,
        TrivialInfeasibility("x"): ExitCode.PLAN_FAILED,
        NotOptimal("time limit", "r.nc"): ExitCode.NOT_OPTIMAL,
    }
    for exc, code in codes.items():
        assert isinstance(exc, TwinError) and exc.exit_code == code, type(exc)
    assert issubclass(PlanFailed, PlanError) and issubclass(twin.SpecError, ValueError)


def test_the_other_public_functions_raise_twins_own_errors(tmp_path) -> None:
    """twin.plan, twin.open and twin.replay name a bad argument as a TwinError (exit code 2),
    never a TypeError or AttributeError from inside."""
    calls = [
        (lambda: twin.plan({"not": "a spec"}), r"^spec: .*expected a loaded model"),
        (lambda: twin.plan(twin.load_dict(_model()), handoff="gpu"), r"^handoff: 'gpu'"),
        (lambda: twin.open(3), r"^3: expected the path of a report"),
        (lambda: twin.open(tmp_path), r"found a directory"),
        (lambda: twin.replay(None, "2030-01-01"), r"^model: None: expected a validated model"),
        (lambda: twin.replay(twin.load_dict(_model()).model, "2030-13-01"), r"2030-13-01"),
    ]
    for call, needle in calls:
        with pytest.raises(twin.TwinError, match=needle) as info:
            call()
        assert info.value.exit_code == 2
