"""The stochastic report: leaves on a scenario dimension, per-leaf marginal values, round trip,
plots of the NPV distribution and fan charts."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pytest
import xarray as xr
from newsvendor import VALUE, newsvendor, npv

from twin.report import open as open_report
from twin.report import write
from twin.report.stochastic import leaf_dataset, to_stochastic_dataset
from twin.report.stochastic_summary import is_stochastic
from twin.spec import load_dict
from twin.study.risk import analyse

matplotlib.use("Agg")

OUTCOMES = [
    {"value": 20.0, "probability": 0.1},
    {"value": 50.0, "probability": 0.1},
    {"value": 80.0, "probability": 0.6},
    {"value": 100.0, "probability": 0.2},
]


@pytest.fixture(scope="module")
def report() -> xr.Dataset:
    rp, figs = analyse(load_dict(newsvendor(OUTCOMES)))
    plans = rp.plans()
    leaves = {s.name: leaf_dataset(plans[s.name], s.probability) for s in rp.tree.scenarios}
    here = rp.store.labelled(rp.decisions(1))
    return to_stochastic_dataset(leaves, rp.tree, figs, here, "extensive form")


def test_leaves_carry_their_probability_npv_and_regret(report: xr.Dataset) -> None:
    assert is_stochastic(report)
    assert report["scenario_probability"].values == pytest.approx([0.1, 0.1, 0.6, 0.2])
    expected = [npv(80.0, o["value"]) for o in OUTCOMES]
    assert report["scenario_npv_musd"].values == pytest.approx(expected, rel=1e-9)
    regret = [npv(o["value"], o["value"]) - npv(80.0, o["value"]) for o in OUTCOMES]
    assert report["scenario_regret_musd"].values == pytest.approx(regret, abs=1e-6)
    assert list(report["node"].values) == ["ROOT", "ROOT_0", "ROOT_1", "ROOT_2", "ROOT_3"]
    assert list(report["scenario_node"].sel(scenario="scen2").values) == ["ROOT", "ROOT_2"]


def test_each_leaf_has_its_own_marginal_value_of_compute(report: xr.Dataset) -> None:
    """In 2031 capacity is 80: short of demand 100 an H100e-hour is worth the tenant's value
    ($0.5), beyond demand 20 it is worth nothing. The EF's dual is p_s times that."""
    mv = report["marginal_value_compute"].sel(site="s1").isel(period=1)
    assert float(mv.sel(scenario="scen3")) == pytest.approx(VALUE, rel=1e-6)
    assert float(mv.sel(scenario="scen0")) == pytest.approx(0.0, abs=1e-9)


def test_the_report_round_trips_through_netcdf(report: xr.Dataset, tmp_path: Path) -> None:
    back = open_report(write(report, tmp_path / "s.nc"))
    xr.testing.assert_identical(report, back)
    assert back.attrs["n_scenarios"] == 4 and back.attrs["engine"] == "extensive form"


def test_plots_draw_the_distribution_and_the_fan(report: xr.Dataset) -> None:
    from twin.report.stochastic_plots import (
        plot_fan,
        plot_npv_distribution,
        weighted_quantiles,
    )

    ax = plot_npv_distribution(report)
    cdf = ax.get_lines()[0].get_ydata()
    assert cdf[-1] == pytest.approx(1.0)
    from matplotlib.patches import StepPatch

    def median(ax: object) -> np.ndarray:
        (m,) = [p for p in ax.patches if isinstance(p, StepPatch) and p.get_label() == "median"]
        return m.get_data().values

    ax = plot_fan(report, "capacity_mw")
    assert median(ax)[1] == pytest.approx(80.0)  # every leaf has 80 MW
    # served in 2031: min(80, D) = 20, 50, 80, 80 w.p. .1, .1, .6, .2: median 80 thousand H100e
    ax = plot_fan(report, "allocation_h100e", scale=1e3, select={"tenant": "own"})
    assert median(ax)[1] == pytest.approx(80.0)
    v = np.array([[1.0], [2.0], [3.0], [4.0]])
    p = np.array([0.1, 0.1, 0.6, 0.2])
    assert weighted_quantiles(v, p, [0.05, 0.2, 0.5, 0.95])[:, 0] == pytest.approx([1, 2, 3, 4])


def test_node_decisions_are_stored_by_node() -> None:
    """A 3-stage newsvendor (see tests/study/test_stochastic.py): 80 MW started in 2031 in the
    100-MW node, none in the 20-MW node; NaN where a decision belongs to another stage. The
    model's value before 2032 is the mean, $0.15/H100e-hour, as in that test."""
    data = newsvendor([{"value": 20.0, "probability": 0.8}, {"value": 100.0, "probability": 0.2}])
    data["horizon"]["years"] = 3
    data["tenants"]["own"]["value_usd_per_h100e_hour"] = 0.15
    data["uncertainty"]["inputs"]["value"] = {
        "path": "tenants.own.value_usd_per_h100e_hour",
        "known": "2032-01-01",
        "outcomes": [{"value": 0.1, "probability": 0.5}, {"value": 0.2, "probability": 0.5}],
    }
    rp, figs = analyse(load_dict(data), value_of_information=False)
    plans = rp.plans()
    leaves = {s.name: leaf_dataset(plans[s.name], s.probability) for s in rp.tree.scenarios}
    lab = rp.store.labelled
    nodes = {n: lab(v) for n, v in rp.node_decisions().items()}
    ds = to_stochastic_dataset(leaves, rp.tree, figs, lab(rp.decisions(1)), "ef", None, nodes)
    late = ds["node_decision_value"].sel(tied="build[s1, 2031-01-01]")
    assert float(late.sel(node="ROOT_1")) == pytest.approx(80.0, abs=1e-6)
    assert float(late.sel(node="ROOT_0")) == pytest.approx(0.0, abs=1e-6)
    assert np.isnan(float(late.sel(node="ROOT")))
    early = ds["node_decision_value"].sel(tied="build[s1, 2030-01-01]", node="ROOT")
    assert float(early) == pytest.approx(20.0, rel=1e-6)
