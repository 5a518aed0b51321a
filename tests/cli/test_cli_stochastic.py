"""``twin solve/show/compare`` of a model with an uncertainty section, and its bad input."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from newsvendor import newsvendor, npv
from test_cli import MODEL, twin

from tests.conftest import PERIOD_FORM_ARGS
from twin.cli import main
from twin.report import open as open_report

OUTCOMES = [
    {"value": 20.0, "probability": 0.1},
    {"value": 50.0, "probability": 0.1},
    {"value": 80.0, "probability": 0.6},
    {"value": 100.0, "probability": 0.2},
]


def _model(tmp_path: Path, **over: object) -> Path:
    data = newsvendor(OUTCOMES)
    for dotted, value in over.items():
        node = data
        *head, last = dotted.split("__")
        for part in head:
            node = node[part]
        node[last] = value
    path = tmp_path / "nv.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.slow
def test_solve_writes_a_stochastic_report_that_show_and_compare_print(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    model, report = _model(tmp_path), tmp_path / "s.nc"
    res = twin("solve", str(model), "--out", str(report))
    assert res.returncode == 0, res.stderr
    ds = open_report(report)
    assert ds.sizes["scenario"] == 4
    assert ds["scenario_probability"].values == pytest.approx([0.1, 0.1, 0.6, 0.2])
    rp = sum(o["probability"] * npv(80.0, o["value"]) for o in OUTCOMES)
    ws = sum(o["probability"] * npv(o["value"], o["value"]) for o in OUTCOMES)
    assert ds.attrs["expected_npv_musd"] == pytest.approx(rp, rel=1e-9)
    assert ds.attrs["evpi_musd"] == pytest.approx(ws - rp, rel=1e-6)
    assert ds.attrs["cvar_musd"] == pytest.approx(npv(80.0, 20.0), rel=1e-9)  # worst 5%: 20 MW
    assert float(ds["decision_value"].sel(decision="build[s1, 2030-01-01]")) == pytest.approx(80)
    # each leaf's recourse: the capacity online in 2031 is the here-and-now build in all of them
    assert np.allclose(ds["capacity_mw"].sel(site="s1").isel(period=1), 80.0)
    show = _run(["show", str(report)], monkeypatch, capsys)
    for needle in (
        "expected NPV",
        "EVPI",
        "VSS",
        "CVaR 95%",
        f"{rp:,.0f}",
        "IT built",  # the here-and-now build in a strategist's figure (review #5)
    ):
        assert needle in show, needle
    assert "build[s1, 2030-01-01]" in _run(["show", str(report), "--all"], monkeypatch, capsys)
    assert "B - A" in _run(["compare", str(report), str(report)], monkeypatch, capsys)
    # against a plan that builds 80 MW as the here-and-now decision does: the expected values
    plain = newsvendor(OUTCOMES)
    del plain["uncertainty"]
    plain["tenants"]["own"]["demand_k_h100e"] = 80.0
    (tmp_path / "plain.yaml").write_text(yaml.safe_dump(plain))
    det = tmp_path / "plain.nc"
    _run(["solve", str(tmp_path / "plain.yaml"), "--out", str(det)], monkeypatch, capsys)
    cmp = " ".join(_run(["compare", str(det), str(report)], monkeypatch, capsys).split())
    assert f"B - A {rp - npv(80.0, 80.0):+,.0f} $M" in cmp


def _run(args: list[str], monkeypatch: pytest.MonkeyPatch, capsys) -> str:
    """``twin ARGS`` in this process; returns stdout (exit code 0 asserted)."""
    monkeypatch.setattr(sys, "argv", ["twin", *args])
    try:
        main()
    except SystemExit as exc:
        assert exc.code in (0, None), capsys.readouterr().err
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("over", "key"),
    [
        (
            {"uncertainty__inputs__demand__outcomes": [{"value": 1, "probability": 0.5}]},
            "uncertainty.inputs.demand",
        ),
        (
            {"uncertainty__inputs__demand__path": "tenants.own.demand_k"},
            "uncertainty.inputs.demand.path",
        ),
        ({"uncertainty__inputs__demand__known": "2040-01-01"}, "uncertainty.inputs.demand.known"),
        (
            {
                "uncertainty__inputs__demand__outcomes": None,
                "uncertainty__inputs__demand__distribution": {
                    "kind": "normal",
                    "mean": 50,
                    "sd": -5,
                    "low": 0,
                },
            },
            "uncertainty.inputs.demand.distribution.sd",
        ),
    ],
    ids=["probabilities", "path", "date", "sd"],
)
def test_bad_uncertainty_exits_2_naming_file_and_key(
    tmp_path: Path, over: dict, key: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    model = _model(tmp_path, **over)
    report = tmp_path / "s.nc"
    monkeypatch.setattr(sys, "argv", ["twin", "solve", str(model), "--out", str(report)])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert str(model.name) in err and key in err and "Traceback" not in err
    assert not report.exists()


@pytest.mark.parametrize(
    ("over", "extra", "key"),
    [
        ({}, ["--engine", "bd"], "--engine"),
        (
            {"uncertainty__risk": {"npv_floor_musd": 0.0}},
            ["--engine", "ph"],
            "uncertainty.risk.npv_floor_musd",
        ),
    ],
    ids=["engine", "ph-floor"],
)
def test_bad_engine_choices_exit_2(
    tmp_path: Path, over: dict, extra: list, key: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    model, report = _model(tmp_path, **over), tmp_path / "s.nc"
    monkeypatch.setattr(sys, "argv", ["twin", "solve", str(model), "--out", str(report), *extra])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    assert key in " ".join(capsys.readouterr().err.split())
    assert not report.exists()


def test_two_inputs_on_one_path_exit_2_naming_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    model = _model(tmp_path)
    data = yaml.safe_load(model.read_text())
    data["uncertainty"]["inputs"]["demand_again"] = {
        "path": "tenants.own.demand_k_h100e",
        "known": "2031-01-01",
        "outcomes": [{"value": 30.0, "probability": 1.0}],
    }
    model.write_text(yaml.safe_dump(data))
    monkeypatch.setattr(sys, "argv", ["twin", "solve", str(model), "--out", str(tmp_path / "s.nc")])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "uncertainty.inputs.demand_again.path" in err
    assert "'demand'" in err and "'demand_again'" in err and "Traceback" not in err


@pytest.mark.slow
def test_a_time_limited_extensive_form_exits_3_with_a_marked_report(tmp_path: Path) -> None:
    """The baseline's modules MILP over two leaves and 12 years (no end buffer) at a zero gap
    stopped at 10 s (measured 2026-12-05 on an idle machine: a first plan at 1.5 s, 0.01% short
    at 20 s, optimal at 35 s; the limit leaves room for a loaded machine, e.g. the suite on
    every core): a feasible, not optimal extensive form. The report is written with optimal = 0,
    no EVPI or VSS, and the reason."""
    out = tmp_path / "tl.nc"
    tree = (
        "uncertainty={inputs: {g: {path: tenants.xai_training.demand_growth_per_year, "
        "known: 2027-07-01, outcomes: [{value: 0.3, probability: 0.5}, "
        "{value: 0.9, probability: 0.5}]}}}"
    )
    res = twin(
        "solve", MODEL, "-s", "modules", "--set", "solver.mip_gap=0",
        "--set", "solver.time_limit_s=10", "--set", "horizon.years=12",
        "--set", "horizon.end_effects=none", "--set", tree, *PERIOD_FORM_ARGS, "--out", str(out),
    )  # fmt: skip
    assert res.returncode == 3, res.stderr[-2000:]
    assert "not optimal" in res.stderr and "Time limit reached" in res.stderr
    a = open_report(out).attrs
    assert a["optimal"] == 0 and np.isnan(a["evpi_musd"]) and np.isnan(a["vss_musd"])
    assert "not proven optimal" in a["note_rp"]
    show = twin("show", str(out))
    assert show.returncode == 0 and "NOT OPTIMAL" in show.stdout


def test_an_input_that_is_not_per_period_is_a_note_in_validate_and_refused_by_solve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """Whether residual value is counted is one switch for the whole horizon: a tree cannot keep
    it off before 2031 and on after. ``twin solve`` refuses it (exit 2, naming the input and
    what it changes, no report); ``twin validate`` says so in a note and exits 0, since a sampled
    sweep sets each member's value from the start and takes it. An input that changes per-period
    data (the tenant's demand) has no note."""
    model = _model(tmp_path)
    data = yaml.safe_load(model.read_text())
    data["uncertainty"]["inputs"]["demand"]["path"] = "economics.salvage"
    data["uncertainty"]["inputs"]["demand"]["outcomes"] = [
        {"value": False, "probability": 0.5},
        {"value": True, "probability": 0.5},
    ]
    bad = tmp_path / "salvage.yaml"
    bad.write_text(yaml.safe_dump(data))
    report = tmp_path / "s.nc"
    for argv, code in (
        (["validate", str(bad)], 0),
        (["solve", str(bad), "--out", str(report)], 2),
        (["validate", str(model)], 0),
    ):
        monkeypatch.setattr(sys, "argv", ["twin", *argv])
        with pytest.raises(SystemExit) as info:
            main()
        assert info.value.code == code, argv
        got = capsys.readouterr()
        text = " ".join((got.out + got.err).split())
        assert "Traceback" not in text
        if argv[1] == str(model):
            assert "note" not in text and "not per period" not in text
            continue
        assert "economics.salvage" in text and "plan data.salvage, which is not per period" in text
        assert "uncertainty.inputs" in text
        if argv[0] == "validate":
            assert "note: scenario base cannot be solved as a tree" in text
            assert "twin sweep --samples" in text
    assert not report.exists()


def test_an_input_known_after_the_last_period_starts_gets_no_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """Review: salvage known on 2031-06-01 in a horizon whose last period starts 2031-01-01 is
    in force in no period, and the tree solves; validate must not note it (it spliced the value
    into every period after the first)."""
    model = _model(tmp_path)
    data = yaml.safe_load(model.read_text())
    data["uncertainty"]["inputs"]["demand"].update(
        path="economics.salvage",
        known="2031-06-01",
        outcomes=[{"value": False, "probability": 0.5}, {"value": True, "probability": 0.5}],
    )
    assert data["horizon"]["years"] == 2 and str(data["horizon"]["start"]) == "2030-01-01"
    late = tmp_path / "late.yaml"
    late.write_text(yaml.safe_dump(data))
    monkeypatch.setattr(sys, "argv", ["twin", "validate", str(late)])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 0
    assert "note" not in capsys.readouterr().out


def test_the_geometry_steps_wall_time_is_not_data_a_leaf_changes() -> None:
    """Review: two builds of an orbital plan's data differ in how long the orbit geometry took
    (``geometry_s``), which refused every orbital scenario as a tree; it is not the world's."""
    import dataclasses

    from twin.plan import plan_data
    from twin.spec import load_dict
    from twin.study.information import splice

    d = plan_data(load_dict(newsvendor(OUTCOMES), name="nv.yaml"))
    later = dataclasses.replace(d, geometry_s=d.geometry_s + 1.0)
    n = len(d.periods)
    assert n > 1
    assert splice(d, [d] + [later] * (n - 1)).geometry_s == d.geometry_s
