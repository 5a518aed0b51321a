"""The study commands as a user runs them: alternatives, myopic solves compared, bad input."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import MODEL, twin

from tests.cli.runner import twin_main  # noqa: F401 - the fixture; tests take it as a parameter
from tests.conftest import PERIOD_FORM_ARGS
from twin.report import open as open_report
from twin.report import read


@pytest.mark.slow
def test_alternatives_writes_a_report_per_alternative_a_summary_and_a_plot(tmp_path: Path) -> None:
    out = tmp_path / "alt"
    res = twin(
        "alternatives", MODEL, "-s", "neocloud", "--slack", "0.05", "--out-dir", str(out),
        "--metric", "capex", "--metric", "site_mw:atlanta", "--spores", "1",
        "--set", "horizon.years=6", "--set", "horizon.end_effects=none",  # CI time
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    summary = open_report(out / "optimum.nc").attrs
    names = ["optimum", "min_capex", "max_capex", "min_site_mw-atlanta", "max_site_mw-atlanta"]
    for name in [*names, "spores_1"]:
        ds = open_report(out / f"{name}.nc")
        assert ds.attrs["npv_musd"] >= 0.95 * summary["npv_musd"] - 1e-6
    assert (out / "alternatives.png").stat().st_size > 0
    assert "site_mw:atlanta" in res.stdout


@pytest.mark.slow
def test_myopic_solve_is_compared_against_perfect_foresight(tmp_path: Path) -> None:
    a, b = tmp_path / "perfect.nc", tmp_path / "myopic.nc"
    short = ["--set", "horizon.years=6", "--set", "horizon.end_effects=none", *PERIOD_FORM_ARGS]
    assert twin("solve", MODEL, "--out", str(a), *short).returncode == 0
    res = twin(
        "solve", MODEL, "--out", str(b), "--set", "solver.foresight=myopic",
        "--set", "solver.window_years=3", "--set", "solver.step_years=3", *short,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "myopic foresight: 2 windows" in " ".join(res.stdout.split())
    assert open_report(b).attrs["foresight"] == "myopic"
    cmp = twin("compare", str(a), str(b))
    assert cmp.returncode == 0 and "cost of myopia (3-year window" in " ".join(cmp.stdout.split())
    # measured from the best NPV, not the baseline's tie-break plan (eps below it)
    pa, pb = open_report(a).attrs, open_report(b).attrs
    cost = pa["objective_bound_musd"] - pb["npv_musd"]
    assert pa["npv_musd"] == pytest.approx(pa["objective_bound_musd"] * (1 - 1e-4), rel=1e-9)
    assert f"step): {cost:,.0f} $M of NPV" in " ".join(cmp.stdout.split())


@pytest.mark.slow
def test_sampled_sweep_prints_percentiles_and_draws_charts(tmp_path: Path) -> None:
    out = tmp_path / "mc"
    res = twin(
        "sweep", MODEL, "-s", "sampled_market", "--samples", "4", "--method", "sobol",
        "--sensitivity", "none",
        "--seed", "2", "--workers", "0", "--no-reports", "--out-dir", str(out),
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    text = " ".join(res.stdout.split())  # rich wraps lines at the terminal width
    assert "Percentiles" in text and "4 members, 0 kept" in text
    assert (out / "tornado.png").exists() and (out / "fan.png").exists()
    ds = read(out / "sweep.nc")
    assert ds.sizes["member"] == 4 and set(ds["input"].values) >= {"discount_rate"}
    rate = ds["economics_discount_rate"].values
    assert ((rate >= 0.07) & (rate <= 0.13)).all()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("alternatives", MODEL, "--slack", "0", "--out-dir", "d"), "--slack"),
        (("alternatives", MODEL, "--slack", "1.5", "--out-dir", "d"), "--slack"),
        (("alternatives", MODEL, "--metric", "capx", "--out-dir", "d"), "--metric"),
        (("sweep", MODEL, "-s", "sampled_market", "--samples", "0", "--out-dir", "d"), "--samples"),
        (
            ("sweep", MODEL, "-s", "sampled_market", "--samples", "4", "--method", "halton",
             "--out-dir", "d"),
            "--method",
        ),
        (("sweep", MODEL, "--samples", "32", "--out-dir", "d"), "uncertainty"),
        (("sweep", MODEL, "-s", "sampled_market", "--samples", "8", "--out-dir", "d"),
         "at least 21 samples for --sensitivity fast"),
        (
            ("solve", MODEL, "--set", "solver.foresight=myopic", "--set",
             "solver.window_years=20", "--out", "x.nc"),
            "solver.window_years",
        ),
    ],
)  # fmt: skip
def test_bad_study_input_exits_2_naming_the_option(args, needle, tmp_path, twin_main) -> None:
    """In process through the real entry point (tests/cli/runner.py), so no interpreter start."""
    args = tuple(str(tmp_path / a) if a in ("d", "x.nc") else a for a in args)
    res = twin_main(*args)
    assert res.code == 2, res.err
    assert needle in res.err and "Traceback" not in res.err
    assert not (tmp_path / "d").exists() and not (tmp_path / "x.nc").exists()


def test_a_sweep_over_words_shows_them_and_has_no_break_even(tmp_path: Path, twin_main) -> None:
    """A path swept over words (``horizon.period=year,quarter``, or ``representative_days=
    none,4``) is printed as the words by ``twin show`` and the tornado chart (both ended in an
    internal error) and is refused as a break-even axis, naming the numeric paths (exit 2)."""
    import yaml
    from conftest import tiny_model

    model = tmp_path / "tiny.yaml"
    model.write_text(yaml.safe_dump(tiny_model(horizon={"years": 3})))
    out = tmp_path / "sw"
    res = twin_main("sweep", model, "--out-dir", out, "--vary", "horizon.period=year,quarter",
                    "--vary", "economics.discount_rate=0.05,0.1", "--workers", "1")  # fmt: skip
    assert res.code == 0, res.err
    show = twin_main("show", out / "sweep.nc")
    assert show.code == 0, show.err
    assert "quarter" in show.out and "0.05" in show.out
    plot = twin_main("plot", out / "sweep.nc", "--kind", "breakeven", "--path", "horizon.period",
                     "--out", tmp_path / "b.png")  # fmt: skip
    assert plot.code == 2 and "swept over words" in plot.err
    assert "economics.discount_rate" in plot.err  # the numeric paths it could take
    assert "internal error" not in plot.err and not (tmp_path / "b.png").exists()
    tornado = twin_main("plot", out / "sweep.nc", "-k", "tornado", "-o", tmp_path / "t.png")
    assert tornado.code == 0, tornado.err  # the words label the ends of their bar
