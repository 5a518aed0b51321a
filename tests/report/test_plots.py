"""Every chart kind renders to PNG, from the library and from ``twin plot``, with labelled axes
and units, and draws the report's own numbers (every period, up to the horizon end)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import xarray as xr
from conftest import PERIOD_FORM, SHORT_BASELINE
from matplotlib.patches import StepPatch

from twin.plan import plan
from twin.report import plots, read, to_dataset, write
from twin.report.plots import edges, waterfall_steps
from twin.report.sweep_plots import member_reports
from twin.spec import load_model
from twin.sweep import grid, run_member, summary

MODEL = "models/baseline.yaml"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """neocloud and hoard reports, and a make-vs-buy sweep of terafab over the vendor markup."""
    d = tmp_path_factory.mktemp("plots")
    for sc in ("neocloud", "hoard"):
        write(
            to_dataset(plan(load_model(MODEL, scenario=sc, overrides=SHORT_BASELINE))),
            d / f"{sc}.nc",
        )
    members = [
        dataclasses.replace(m, overrides=(*PERIOD_FORM, *m.overrides))
        for m in grid(["terafab"], {"vendor.markup": [1.0, 2.0, 3.0]})
    ]
    rows = [run_member(MODEL, m, str(d)) for m in members]
    write(summary(rows, members), d / "sweep.nc")
    return d


@pytest.fixture(scope="module")
def neo(work: Path) -> xr.Dataset:
    from twin.report import open

    return open(work / "neocloud.nc")


@pytest.fixture(scope="module")
def sweep(work: Path) -> xr.Dataset:
    return read(work / "sweep.nc")


def _stairs(ax: plt.Axes) -> dict[str, StepPatch]:
    return {p.get_label(): p for p in ax.patches if isinstance(p, StepPatch)}


def _series_of(ax: plt.Axes, site: str) -> StepPatch:
    """The step line that draws ``site``: its own, or the one drawn once for every site with
    equal values (labelled with each name)."""
    (line,) = [p for label, p in _stairs(ax).items() if site in label.replace(",", " ").split()]
    return line


def _save(fig: plt.Figure, path: Path) -> None:
    fig.savefig(path, dpi=60)
    assert path.read_bytes()[:8] == PNG
    plt.close(fig)


def test_period_edges_run_from_the_first_start_to_the_horizon_end(neo: xr.Dataset) -> None:
    x = edges(neo)
    assert len(x) == neo.sizes["period"] + 1
    assert x[0] == pytest.approx(2026.5, abs=0.01)  # the baseline starts on 2026-07-01
    end = np.datetime64(neo.attrs["horizon_end"], "D").astype("datetime64[Y]").astype(int) + 1970
    assert x[-1] == pytest.approx(end + 0.496, abs=0.01)  # ... and ends on a 1 July


def test_capacity_stacks_every_site_and_draws_facility_power(
    neo: xr.Dataset, tmp_path: Path
) -> None:
    fig = plots.plot_capacity(neo)
    ax = fig.axes[0]
    assert ax.get_ylabel() == "capacity online [MW]"
    assert ax.get_xlabel() == "period (each from 1 Jul)"  # the baseline's periods
    # a tick mid-period, named as the tables name the period: its start year
    first = ax.get_xticklabels()[0].get_text()
    assert first == str(neo["period"].values[0])[:4]
    mid = (edges(neo)[0] + edges(neo)[1]) / 2
    assert ax.get_xticks()[0] == pytest.approx(mid)
    assert "baseline / neocloud" in ax.get_title("left")
    line = _stairs(ax)["facility (IT x PUE), all sites"].get_data()
    expected = (neo["capacity_mw"] * neo["site_pue"]).sum("site").values
    np.testing.assert_allclose(line.values, expected)
    np.testing.assert_allclose(line.edges, edges(neo))  # the last period is drawn too
    top = ax.collections[-1].get_paths()[0].vertices[:, 1].max()
    assert top == pytest.approx(float(neo["capacity_mw"].sum("site").max()))
    # every site with capacity, candidate tranches of issue 13 included; the rest counted
    built = [str(s) for s in neo["site"].values if neo["capacity_mw"].sel(site=s).sum() > 0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[: len(built)] == built[::-1]  # top of the legend = top of the stack
    unbuilt = neo.sizes["site"] - len(built)
    if unbuilt:
        assert labels[len(built)].startswith(f"({unbuilt} site")
    _save(fig, tmp_path / "capacity.png")


def test_allocation_marks_internal_tenants_and_demand(neo: xr.Dataset, tmp_path: Path) -> None:
    fig = plots.plot_allocation(neo)
    ax = fig.axes[0]
    assert "[million H100e]" in ax.get_ylabel()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "xai_training (internal)" in labels and "anthropic (external)" in labels
    demand = _stairs(ax)["demand, all tenants"].get_data().values
    np.testing.assert_allclose(demand, neo["demand_h100e"].sum("tenant").values / 1e6)
    _save(fig, tmp_path / "allocation.png")


def test_waterfall_adds_up_to_the_npv(neo: xr.Dataset, tmp_path: Path) -> None:
    steps = waterfall_steps(neo)
    assert sum(steps.values()) == pytest.approx(neo.attrs["npv_musd"], rel=1e-9)
    assert steps["capex"] < 0 < steps["revenue"]
    fig = plots.plot_waterfall(neo)
    ax = fig.axes[0]
    bars = ax.patches
    drawn = [k for k, v in steps.items() if round(v / 1e3, 1) != 0]  # 0.0 $B bars dropped
    assert len(bars) == len(drawn) + 1
    assert all(k.replace("_", " ") in ax.get_xlabel() for k in steps if k not in drawn)
    assert bars[-1].get_height() == pytest.approx(neo.attrs["npv_musd"] / 1e3, rel=1e-9)
    assert "[$B, real]" in ax.get_ylabel()
    _save(fig, tmp_path / "waterfall.png")


def test_marginal_values_per_site_with_units(neo: xr.Dataset, tmp_path: Path) -> None:
    """The median over the sites and the sites apart from it, one line width; every site
    asked for by name."""
    fig = plots.plot_marginal(neo)
    a1, a2 = fig.axes
    assert "[$/H100e-h]" in a1.get_ylabel() and "[$M/MW-yr]" in a2.get_ylabel()
    assert "marginal value" in a1.get_ylabel() and "marginal value" in a2.get_ylabel()
    sites = [p for label, p in _stairs(a2).items() if not label.startswith("median")]
    assert len({p.get_linewidth() for p in sites}) <= 1  # no thick-to-thin by index
    assert len(sites) <= plots.MARGINAL_MOST
    median = _stairs(a1)[f"median of {neo.sizes['site']} sites"].get_data().values
    values = neo["marginal_value_compute"].transpose("site", "period").values
    np.testing.assert_allclose(median, np.nanmedian(values, axis=0))
    plt.close(fig)
    fig = plots.plot_marginal(neo, ["colossus1", "colossus2"])
    a1, a2 = fig.axes
    got = _series_of(a1, "colossus1").get_data().values
    np.testing.assert_allclose(got, neo["marginal_value_compute"].sel(site="colossus1").values)
    got = _series_of(a2, "colossus2").get_data().values
    np.testing.assert_allclose(got, neo["marginal_value_capacity"].sel(site="colossus2").values)
    _save(fig, tmp_path / "marginal.png")


def test_power_stacks_drawn_power_by_technology_under_the_load(
    neo: xr.Dataset, tmp_path: Path
) -> None:
    """The stack's top is the power drawn from every source and project; the load line is the
    facility capacity (IT x PUE); new projects appear by technology."""
    fig = plots.plot_power(neo)
    ax = fig.axes[0]
    drawn = neo["power_mw"].sum("source") + neo["power_draw_mw"].sum(["site", "project"])
    tops = [c.get_paths()[0].vertices[:, 1].max() for c in ax.collections]
    assert max(tops) == pytest.approx(float(drawn.max()), rel=1e-9)
    load = _stairs(ax)["load at full use (IT x PUE)"].get_data().values
    np.testing.assert_allclose(load, neo["facility_mw"].sum("site").values)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(lab.startswith("new ") for lab in labels)
    assert ax.get_ylabel() == "power [MW]"
    _save(fig, tmp_path / "power.png")


def test_map_places_sites_at_their_coordinates(neo: xr.Dataset, tmp_path: Path) -> None:
    fig = plots.map_of_report(neo)
    ax = fig.axes[0]
    points = {(round(x, 3), round(y, 3)) for ln in ax.lines for x, y in ln.get_xydata()}
    lat, lon = neo["site_lat_deg"].sel(site="colossus1"), neo["site_lon_deg"].sel(site="colossus1")
    assert (round(float(lon), 3), round(float(lat), 3)) in points
    assert ax.get_xlabel() == "longitude [deg]" and ax.get_ylabel() == "latitude [deg]"
    _save(fig, tmp_path / "map.png")


def test_footprint_of_a_station_matches_spherical_geometry() -> None:
    from twin.report.map_plot import footprint_deg

    # at 0 deg elevation the footprint is the horizon: acos(R / (R + h))
    assert footprint_deg(650.0, 0.0) == pytest.approx(
        np.degrees(np.arccos(6378.135 / (6378.135 + 650.0)))
    )
    assert footprint_deg(650.0, 90.0) == pytest.approx(0.0, abs=1e-9)


def test_breakeven_marks_the_interpolated_crossing(sweep: xr.Dataset, tmp_path: Path) -> None:
    """The terafab fab is first built at a markup of 1.45 (notebook 03): with markups 1, 2, 3
    the crossing lies in the bracket [1, 2] and nearer 1.45 than the grid point 2 is."""
    fig = plots.plot_breakeven(sweep, "vendor.markup")
    ax = fig.axes[0]
    (vline,) = [ln.get_xdata()[0] for ln in ax.lines if ln.get_linestyle() == "--"]
    assert 1.0 <= vline <= 2.0 and abs(vline - 1.45) < abs(2.0 - 1.45)
    (kw,) = [ln for ln in ax.lines if ln.get_label() == "terafab: fab capacity built"]
    np.testing.assert_allclose(kw.get_xdata(), [1.0, 2.0, 3.0])
    np.testing.assert_allclose(kw.get_ydata(), sweep["fab_kwspm"].values)
    assert "[thousand wafer/month]" in ax.get_ylabel() and "vendor.markup" in ax.get_xlabel()
    assert "[1]" not in ax.get_xlabel()  # a markup has no unit to print
    title = ax.get_title("left")
    assert "terafab" in title.splitlines()[0]  # the scenario in the title
    assert f"fab first built between 1 and 2 (line to zero: {vline:.3g})" in title
    _save(fig, tmp_path / "breakeven.png")


def test_tornado_spans_the_npv_range(sweep: xr.Dataset, tmp_path: Path) -> None:
    fig = plots.plot_tornado(sweep)
    ax = fig.axes[0]
    # the members' swept paths: the markup; the period form at its one value is not drawn
    (bar,) = ax.patches
    assert [t.get_text() for t in ax.get_yticklabels()] == ["vendor.markup"]
    assert "terafab" in ax.get_title("left")
    npv = sweep["npv_musd"].values / 1e3
    assert bar.get_x() == pytest.approx(npv.min()) and bar.get_width() == pytest.approx(np.ptp(npv))
    assert ax.get_xlabel().endswith("[$B, real]")
    _save(fig, tmp_path / "tornado.png")


def test_fan_median_is_the_median_of_the_members(
    sweep: xr.Dataset, work: Path, tmp_path: Path
) -> None:
    reports = member_reports(sweep, work)
    assert len(reports) == 3
    fig = plots.plot_fan(reports, "capacity_mw")
    med = _stairs(fig.axes[0])["median"].get_data().values
    total = np.array([r["capacity_mw"].sum("site").values for r in reports])
    np.testing.assert_allclose(med, np.median(total, axis=0))
    _save(fig, tmp_path / "fan.png")


def test_compare_draws_b_minus_a(work: Path, neo: xr.Dataset, tmp_path: Path) -> None:
    from twin.report import open

    hoard = open(work / "hoard.nc")
    fig = plots.plot_compare(neo, hoard)
    a1, a2 = fig.axes
    heights = [p.get_height() for p in a2.patches]
    np.testing.assert_allclose(heights, hoard["net_cash_musd"].values - neo["net_cash_musd"].values)
    dnpv = hoard.attrs["npv_musd"] - neo.attrs["npv_musd"]
    assert f"NPV {dnpv:+,.0f} $M" in a1.get_title("left")
    _save(fig, tmp_path / "compare.png")


def test_routes_stack_bought_and_made_compute_by_generation(tmp_path: Path) -> None:
    """terafab at a vendor markup of 2: the top of the stack in each period is the H100e bought
    plus made (chips x H100e per chip), and the title's share made is made / (bought + made)."""
    from twin.plan import plan
    from twin.report import to_dataset
    from twin.spec import load_model

    ds = to_dataset(
        plan(
            load_model(
                "models/baseline.yaml",
                scenario="terafab",
                overrides=[("vendor.markup", 2.0), *PERIOD_FORM],
            )
        )
    )
    fig = plots.plot_routes(ds)
    ax = fig.axes[0]
    assert ax.get_ylabel() == "compute acquired [million H100e]"
    bought = (ds["chips_bought"] * ds["chip_h100e"]).sum("chip").values / 1e6
    made = (ds["chips_made"] * ds["chip_h100e"]).sum("chip").values / 1e6
    assert made.sum() > 0
    top = ax.collections[-1].get_paths()[0].vertices[:, 1].max()
    assert top == pytest.approx(float((bought + made).max()), rel=1e-9)
    assert f"{made.sum() / (bought.sum() + made.sum()):.0%} of H100e made" in ax.get_title("left")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(lab.startswith("made: ") for lab in labels)
    _save(fig, tmp_path / "routes.png")
