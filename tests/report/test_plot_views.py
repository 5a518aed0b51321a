"""Every chart kind on every kind of file it fits (plan, myopic, stochastic, sweeps,
alternatives), read on a slide: legends outside the data, 24 distinct colours, equal series
drawn once, no -0, the expected plan of a stochastic report and its leaves; ``twin plot``
exiting 2 for a kind that does not fit, naming the kinds that do; ``twin show`` of each file,
with ``--all`` and ``--csv``."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest
from conftest import PERIOD_FORM, SHORT_BASELINE, tiny_model
from matplotlib.patches import StepPatch
from newsvendor import newsvendor

from tests.cli.runner import twin_main  # noqa: F401 - the fixture
from twin.plan import plan
from twin.report import open as open_report
from twin.report import plots, to_dataset, write
from twin.report.chart_style import PALETTE, Thousands, equal_groups, number, share
from twin.report.plot_kinds import FITS, a_kind
from twin.report.stochastic import leaf_dataset, to_stochastic_dataset
from twin.report.sweep_plots import crossing
from twin.report.views import expected_view, leaf_view
from twin.spec import load_dict, load_model
from twin.study.risk import analyse

MODEL = "models/baseline.yaml"
PNG = b"\x89PNG\r\n\x1a\n"
#: leaf demands [thousand H100e] and probabilities of the newsvendor tree
OUTCOMES = [{"value": 20.0, "probability": 0.25}, {"value": 80.0, "probability": 0.75}]


@pytest.fixture(autouse=True)
def _close_figures() -> object:
    yield
    plt.close("all")


def _sites(n: int) -> dict:
    site = tiny_model()["sites"]["s1"] | {"max_mw": 1.0}
    return {f"s{i:02d}": dict(site, lon_deg=-120.0 + 2 * i) for i in range(n)}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A plan, a myopic plan, a stochastic report, a grid sweep and alternatives, written."""
    from twin.study.alternatives import near_optimal
    from twin.sweep import grid, run_member, summary

    d = tmp_path_factory.mktemp("views")
    out = {"report": d / "neo.nc", "myopic": d / "myopic.nc", "stochastic": d / "s.nc"}
    write(
        to_dataset(plan(load_model(MODEL, scenario="neocloud", overrides=SHORT_BASELINE))),
        out["report"],
    )
    myopic = [("solver.foresight", "myopic"), ("solver.window_years", 3), *SHORT_BASELINE]
    write(to_dataset(plan(load_model(MODEL, overrides=myopic))), out["myopic"])
    rp, figs = analyse(load_dict(newsvendor(OUTCOMES)))
    plans = rp.plans()
    leaves = {s.name: leaf_dataset(plans[s.name], s.probability) for s in rp.tree.scenarios}
    here = rp.store.labelled(rp.decisions(1))
    write(to_stochastic_dataset(leaves, rp.tree, figs, here, "ef"), out["stochastic"])
    members = [
        dataclasses.replace(m, overrides=(*PERIOD_FORM, *m.overrides))
        for m in grid(["terafab"], {"vendor.markup": [1.0, 2.0]})
    ]
    rows = [run_member(MODEL, m, str(d)) for m in members]
    write(summary(rows, members), d / "sweep.nc")
    out["sweep"] = d / "sweep.nc"
    neo = load_model(MODEL, scenario="neocloud", overrides=SHORT_BASELINE)
    study = near_optimal(neo, 0.05, ["capex"], spores=0)
    write(study.to_dataset(), d / "alternatives.nc")
    out["alternatives"] = d / "alternatives.nc"
    return out


def _legend_clear_of_data(fig: plt.Figure) -> None:
    """No legend's box overlaps any axes' data area (display coordinates)."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    boxes = [ax.get_window_extent(r) for ax in fig.axes]
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    assert legends, "expected a legend"
    for leg in legends:
        lb = leg.get_window_extent(r)
        for b in boxes:
            assert not lb.overlaps(b), (lb, b)


def test_palette_has_24_colours_pairwise_distinct_in_lab() -> None:
    """CIE76 distance in CIE L*a*b* (D65) > 20 between every two of the 24 colours (a
    just-noticeable difference is about 2.3; 20 is clearly distinct side by side)."""
    rgb = np.array([mcolors.to_rgb(c) for c in PALETTE])
    lin = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = lin @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    lab = np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], 1)
    d = np.linalg.norm(lab[:, None] - lab[None], axis=-1) + np.eye(24) * 1e9
    assert len(PALETTE) == 24 and d.min() > 20


def test_26_sites_draw_23_colours_and_other(tmp_path: Path) -> None:
    """26 sites of 1 MW, all built (revenue $8.76M/MW-yr against $1M/MW of capex): 23 sites
    in 23 distinct colours and 'other (3)' on top, whose stack reaches 26 MW."""
    data = tiny_model(
        horizon={"start": "2030-01-01", "years": 4, "period": "year"},
        tenants={"own": {"demand_k_h100e": 30.0}},
    )
    data["sites"] = _sites(26)
    g1 = data["power_sources"]["g1"]
    data["power_sources"] = {f"g{i:02d}": dict(g1, site=f"s{i:02d}") for i in range(26)}
    ds = to_dataset(plan(load_dict(data)))
    fig = plots.plot_capacity(ds)
    ax = fig.axes[0]
    fills = ax.collections[:24]
    colours = {mcolors.to_hex(c.get_facecolor()[0]) for c in fills}
    assert len(colours) == 24
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "other (3)" in labels and labels.count("other (3)") == 1
    top = fills[-1].get_paths()[0].vertices[:, 1].max()
    assert top == pytest.approx(float(ds["capacity_mw"].sum("site").max()), rel=1e-9)
    assert top == pytest.approx(26.0, rel=1e-6)
    _legend_clear_of_data(fig)
    fig.savefig(tmp_path / "c.png", dpi=50)


def test_equal_series_are_drawn_once_and_named() -> None:
    a, b = np.array([1.0, np.nan]), np.array([2.0, 3.0])
    assert list(equal_groups({"x": a, "y": a.copy(), "z": b}, "sites")) == ["x, y (equal)", "z"]
    assert list(equal_groups({"x": b, "y": b.copy()}, "sites")) == ["all 2 sites (equal)"]


def test_no_negative_zero_and_thousands_separators() -> None:
    assert number(-0.04, 1) == "0.0" and number(-0.0) == "0" and number(-1234.5) == "-1,234"
    assert number(0.0, 1, sign=True) == "0.0" and number(12.0, 0, sign=True) == "+12"
    fmt = Thousands()
    assert fmt.format_ticks([-0.0, 2500.0, 5000.0]) == ["0", "2,500", "5,000"]


def test_crossing_interpolates_between_grid_points() -> None:
    """y = 0, 0, 10, 30 at x = 0..3: the line through (2, 10) and (3, 30) is zero at 1.5."""
    assert crossing(np.array([0.0, 1, 2, 3]), np.array([0.0, 0, 10, 30])) == (1.5, 1.0, 2.0)
    # the line through (2, 10) and (3, 20) is zero at 1, the bracket's lower end
    assert crossing(np.array([3.0, 2, 1, 0]), np.array([20.0, 10, 0, 0]))[0] == 1.0
    # a plateau after the first fab: the bracket's midpoint
    assert crossing(np.array([0.0, 1, 2]), np.array([0.0, 5, 5]))[0] == 0.5
    assert crossing(np.array([0.0, 1]), np.array([0.0, 0])) is None


def test_expected_view_weights_the_leaves(files: dict[str, Path]) -> None:
    """The expected plan's capacity is the probability-weighted mean of the leaves', its
    waterfall adds up to the expected NPV; a leaf's to the leaf's NPV."""
    s = open_report(files["stochastic"])
    view = expected_view(s)
    p = s["scenario_probability"].values
    want = (s["capacity_mw"].sum("site").transpose("scenario", "period").values * p[:, None]).sum(0)
    np.testing.assert_allclose(view["capacity_mw"].sum("site").values, want)
    assert sum(plots.waterfall_steps(view).values()) == pytest.approx(
        s.attrs["expected_npv_musd"], rel=1e-9
    )
    leaf = leaf_view(s, "scen1")
    npv1 = float(s["scenario_npv_musd"].sel(scenario="scen1"))
    assert sum(plots.waterfall_steps(leaf).values()) == pytest.approx(npv1, rel=1e-9)
    fig = plots.plot_capacity(s)
    ax = fig.axes[0]
    assert "expected over 2 leaves" in ax.get_title("left")
    band = [p for p in ax.patches if p.get_label().startswith("IT capacity, P5-P95")]
    assert len(band) == 1  # the P5 and P95 lines under one label
    _legend_clear_of_data(fig)


def test_every_plan_kind_draws_every_plan_file(files: dict[str, Path]) -> None:
    """capacity, allocation, waterfall, marginal, power, routes on a plan, a myopic plan, a
    stochastic report and one of its leaves: titles name the scenario, y axes carry units in
    brackets, legends clear of the data, the data drawn (the stacked capacity reaches the
    plan's peak total)."""
    for name in ("report", "myopic", "stochastic"):
        ds = open_report(files[name])
        for leaf in (None, "scen0") if name == "stochastic" else (None,):
            plan_ds = leaf_view(ds, leaf) if leaf else ds
            if name == "stochastic" and not leaf:
                plan_ds = expected_view(ds)
            for kind in ("capacity", "allocation", "waterfall", "marginal", "power", "routes"):
                fig = getattr(plots, f"plot_{kind}")(ds, leaf=leaf)
                ax = fig.axes[0]
                assert " -- " in ax.get_title("left"), (name, kind)
                assert "[" in ax.get_ylabel() and "]" in ax.get_ylabel(), (name, kind)
                if kind != "waterfall":
                    _legend_clear_of_data(fig)
                if kind == "capacity":
                    fills = [c for c in ax.collections if not c.get_label().startswith("total")]
                    tops = [c.get_paths()[0].vertices[:, 1].max() for c in fills]
                    total = float(plan_ds["capacity_mw"].sum("site").max())
                    assert max(tops) == pytest.approx(total, rel=1e-9), name
                plt.close(fig)


def test_marginal_draws_equal_sites_once(files: dict[str, Path]) -> None:
    """The stochastic newsvendor has one site: its lines are the site's expected duals."""
    s = open_report(files["stochastic"])
    fig = plots.plot_marginal(s)
    steps = [p for p in fig.axes[0].patches if isinstance(p, StepPatch)]
    assert [p.get_label() for p in steps] == ["s1"]
    want = expected_view(s)["marginal_value_compute"].sel(site="s1").values
    np.testing.assert_allclose(steps[0].get_data().values, want)


def test_twin_plot_draws_every_kind_a_file_fits_and_refuses_the_rest(
    files: dict[str, Path],
    tmp_path: Path,
    twin_main,  # noqa: F811 - the fixture
) -> None:
    inputs = {
        "report": [files["report"]],
        "stochastic report": [files["stochastic"]],
        "sweep": [files["sweep"]],
        "alternatives": [files["alternatives"]],
        "model": [Path(MODEL)],
    }
    for what, args in inputs.items():
        for kind in FITS[what]:
            png = tmp_path / f"{what}_{kind}.png".replace(" ", "_")
            extra = args if kind == "compare" else []
            run = twin_main("plot", *args, *extra, "--kind", kind, "--out", png, "--dpi", 30)
            assert run.code == 0, (what, kind, run.err)
            assert png.read_bytes()[:8] == PNG
        unfit = next(k for k in ("breakeven", "capacity") if k not in FITS[what])
        run = twin_main("plot", *args, "--kind", unfit, "--out", tmp_path / "x.png")
        assert run.code == 2 and "Traceback" not in run.err, (what, unfit, run.err)
        said = run.err.replace("\n", " ")
        assert f"is {a_kind(what)}" in said and ", ".join(FITS[what]) in said
    run = twin_main("plot", files["myopic"], "-k", "power", "-o", tmp_path / "m.png")
    assert run.code == 0, run.err
    run = twin_main(
        "plot", files["stochastic"], "-k", "capacity", "--scenario-leaf", "nope", "-o",
        tmp_path / "l.png",
    )  # fmt: skip
    assert run.code == 2 and "--scenario-leaf" in run.err and "scen0" in run.err


def test_a_site_label_is_placed_off_every_other_label() -> None:
    """Five sites 0.3 deg apart: their labels' boxes do not overlap."""
    pts = {f"site_{i}": (35.0, -90.0 + 0.3 * i) for i in range(5)}
    fig = plots.plot_map(sites=pts)
    ax = fig.axes[0]
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(r) for t in ax.texts]
    assert len(boxes) == 5
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    coast = [ln for ln in ax.lines if ln.get_zorder() == 0]
    assert len(coast) == 2  # coastlines and state lines, from datasets/basemap


def test_cash_rows_add_up_to_the_net(files: dict[str, Path]) -> None:
    """Every flow of twin.plan.cash, outflows negative, sums to the net cash in each period."""
    from twin.plan.cash import FLOWS
    from twin.report.summary import cash_flows

    ds = open_report(files["report"])
    cash = cash_flows(ds)
    assert cash.sizes["flow"] == len(FLOWS) + 1
    np.testing.assert_allclose(
        cash.isel(flow=slice(0, -1)).sum("flow").values, ds["net_cash_musd"].values, rtol=1e-9
    )


def test_twin_show_reads_every_file_and_writes_csv(
    files: dict[str, Path],
    tmp_path: Path,
    twin_main,  # noqa: F811 - the fixture
) -> None:
    """``twin show`` on a plan, a myopic plan, a stochastic report, a sweep, alternatives and a
    clause-value file exits 0 with no -0.00 and no cut label; ``--csv`` writes each table, the
    cash table's rows adding up to its net column; ``--all`` prints every site by name."""
    import csv

    import xarray as xr

    clause = xr.Dataset(
        {"clause_value_musd": ((), 12.5)}, attrs={"title": "value", "clause": "notice"}
    )
    clause["clause_value_musd"].attrs.update(units="1e6 USD", long_name="value of the clause")
    write(clause, tmp_path / "clause.nc")
    for f in [*files.values(), tmp_path / "clause.nc"]:
        run = twin_main("show", f)
        assert run.code == 0, (f, run.err)
        assert "-0.00" not in run.out and "…" not in run.out, f
    run = twin_main("show", files["stochastic"])
    assert "thousand chips" in run.out or "MW IT" in run.out  # decisions carry units
    run = twin_main("show", files["report"], "--all", "--csv", tmp_path)
    assert run.code == 0, run.err
    ds = open_report(files["report"])
    assert all(str(s) in run.out for s in ds["site"].values) and "others (" not in run.out
    (cash_csv,) = tmp_path.glob("cash_flows*.csv")  # a stable name: no order, no results
    rows = list(csv.reader(cash_csv.read_text().splitlines()))
    assert rows[0][0] == "period" and rows[0][-1] == "net"
    for row in rows[1:]:  # printed to $1M: the flows add up to the net within rounding
        flows = [float(v) for v in row[1:-1]]
        assert abs(sum(flows) - float(row[-1])) <= len(flows) * 0.5 + 1e-9, row
    assert f"wrote {len(list(tmp_path.glob('*.csv')))} tables" in run.out
    bad = twin_main("show", files["report"], "--csv", tmp_path / "nope" / "deeper")
    assert bad.code == 2 and "--csv" in bad.err and not (tmp_path / "nope").exists()
    new = twin_main("show", files["report"], "--csv", tmp_path / "new")  # created inside
    assert new.code == 0 and (tmp_path / "new" / "it_capacity_online_mw.csv").is_file()


def test_tornado_ranks_inputs_by_sensitivity_index_with_intervals() -> None:
    """A sampled sweep holding Morris mu* for three inputs (3, 10, 1 $M, intervals 0.5, 2, 0.1):
    the bars are ordered 1, 3, 10 from the bottom (largest on top) with those error bars."""
    import xarray as xr

    inputs = ["a", "b", "c"]
    mu = xr.DataArray([[3.0], [10.0], [1.0]], dims=("input", "output"))
    conf = xr.DataArray([[0.5], [2.0], [0.1]], dims=("input", "output"))
    sweep = xr.Dataset(
        {
            "morris_mu_star": mu.assign_attrs(long_name="Morris mu*", units="1e6 USD"),
            "morris_mu_star_conf": conf.assign_attrs(long_name="interval", units="1e6 USD"),
            "npv_musd": ("member", [1.0, 2.0]),
            "unit_coordinate": (("member", "input"), np.zeros((2, 3))),
        },
        coords={"input": inputs, "output": ["npv_musd"], "member": ["m0", "m1"]},
    )
    fig = plots.plot_tornado(sweep, "npv_musd")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["c", "a", "b"]
    assert [round(p.get_width(), 9) for p in ax.patches] == [1.0, 3.0, 10.0]
    from matplotlib.container import ErrorbarContainer

    ec = next(c for c in ax.containers if isinstance(c, ErrorbarContainer))
    (err,) = ec.lines[2]  # the horizontal error bar segments
    halves = [abs(seg[1][0] - seg[0][0]) / 2 for seg in err.get_segments()]
    assert halves == pytest.approx([0.1, 0.5, 2.0])
    assert "morris_mu_star" in ax.get_title("left")
    _legend_clear_of_data(fig)


@pytest.mark.parametrize(
    ("v", "text"), [(1e-4, "0.01%"), (0.05, "5%"), (0.025, "2.5%"), (0.5, "50%")]
)
def test_a_small_slack_is_not_printed_as_zero(v: float, text: str) -> None:
    """The alternatives' title read 'within 0.0%' for a slack of 1e-4."""
    assert share(v) == text
