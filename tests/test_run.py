"""One run path (:mod:`twin.report.run`): the Python API, the command line and sweep members give
the same answer on the same model, deterministic, myopic and stochastic alike.

Every deterministic scenario of ``models/baseline.yaml`` is solved by ``twin solve --out`` and by
``twin.solve`` in ``tests/test_scenarios.py`` (with its golden results, each side once). Here the
others: each scenario that is not a deterministic plan (stochastic, myopic) is solved by both; the
NPV in the written netCDF equals the API's (the same code path, the same solver: equal to 1e-9).
A scenario the command line refuses (exit 2) is refused by the API with the same message. The
stochastic scenario runs its command line in a subprocess (``python -m twin``) while the API
solves, so its two solves overlap.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import xarray as xr

import twin
from tests.cli.runner import twin_main  # noqa: F401 - the fixture; tests take it as a parameter
from tests.conftest import PERIOD_FORM, PERIOD_FORM_ARGS
from twin.errors import TwinError
from twin.report.run import Engine, check_option, run, run_kind
from twin.spec.errors import SpecError

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "baseline.yaml"
SCENARIOS: list[str | None] = [
    s
    for s in twin.load_model(MODEL).model.scenarios
    if run_kind(twin.load_model(MODEL, scenario=s)) != "deterministic"
]
NPV_REL = 1e-9  # the same code and solver on both sides: equal to round-off


def _npv(path: Path) -> tuple[float, xr.Dataset]:
    ds = xr.load_dataset(path)
    return float(ds.attrs["npv_musd"]), ds


def _stochastic(scenario: str | None) -> bool:
    return twin.load_model(MODEL, scenario=scenario).model.uncertainty is not None


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::twin.plan.solve.CoefficientRangeWarning")
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s or "base")
def test_api_gives_the_cli_npv_on_every_non_deterministic_baseline_scenario(
    scenario: str | None,
    tmp_path: Path,
    twin_main,  # noqa: F811
) -> None:
    out = tmp_path / "cli.nc"
    args = ["-q", "solve", str(MODEL), "--out", str(out), *(["-s", scenario] if scenario else [])]
    overrides: dict[str, object] = {}
    child = None
    if _stochastic(scenario):  # the slow one: its command line runs beside the API's solve
        # the stochastic program alone on both sides (EVPI and VSS are other solves of the same
        # path, checked in tests/study), on 9 leaves (Anthropic's value at its mode) over 4 years
        # (both information dates fall inside them): CI time
        overrides = {
            "uncertainty.value_of_information": False,
            "uncertainty.tree.points": 1,
            "horizon.years": 4,
        }
        for key, value in overrides.items():
            args += ["--set", f"{key}={str(value).lower()}"]
        cmd = [sys.executable, "-m", "twin", *args]
        child = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    else:
        cli = twin_main(*args)
    try:
        api = twin.solve(MODEL, scenario=scenario, overrides=overrides)
        api_error = None
    except TwinError as exc:
        api, api_error = None, exc
    if child is not None:
        _, stderr = child.communicate(timeout=900)
        code, err = child.returncode, stderr.decode()
    else:
        code, err = cli.code, cli.err
    if code == 2:  # bad input for the command line: the API refuses it with the same message
        assert api_error is not None and api_error.exit_code == 2
        assert " ".join(str(api_error).split()) in " ".join(err.split())
        return
    assert code == 0, err
    assert api is not None, api_error
    npv, ds = _npv(out)
    assert api.summary["npv_musd"] == pytest.approx(npv, rel=NPV_REL)
    assert api.kind == ("stochastic" if _stochastic(scenario) else "deterministic")
    assert int(api.dataset.attrs.get("stochastic", 0)) == int(ds.attrs.get("stochastic", 0))


def test_a_myopic_model_through_the_api_is_labelled_and_valued_as_myopic(
    tmp_path: Path,
    twin_main,  # noqa: F811
) -> None:
    """The bug the issue measured: ``twin.solve`` returned the perfect-foresight NPV labelled
    myopic. Now it is the command line's myopic NPV, below the perfect-foresight optimum (the
    last window is the full model with earlier decisions fixed: NPV_myopic <= NPV_perfect)."""
    out = tmp_path / "myopic.nc"
    short = ["--set", "horizon.years=8", "--set", "horizon.end_effects=none", *PERIOD_FORM_ARGS]
    cli = twin_main("-q", "solve", MODEL, "--set", "solver.foresight=myopic", *short, "--out", out)
    assert cli.code == 0, cli.err
    over = {"horizon.years": 8, "horizon.end_effects": "none", **dict(PERIOD_FORM)}  # CI time
    myopic = twin.solve(MODEL, overrides={"solver.foresight": "myopic", **over})
    perfect = twin.solve(MODEL, overrides=over)
    npv, ds = _npv(out)
    a = myopic.dataset.attrs
    assert myopic.kind == "myopic" and a["foresight"] == "myopic" == ds.attrs["foresight"]
    assert a["n_windows"] == ds.attrs["n_windows"] > 1
    assert "window_objective_musd" in myopic.dataset
    assert a["npv_musd"] == pytest.approx(npv, rel=NPV_REL)
    assert perfect.dataset.attrs["foresight"] == "perfect"
    assert a["npv_musd"] < perfect.summary["npv_musd"] - 1.0  # myopia costs


def test_a_sweep_member_is_solved_by_the_same_run(tmp_path: Path) -> None:
    """A member (``twin sweep``) gives the API's NPV; a myopic member is myopic."""
    from twin.sweep import Member, run_member

    short = (("horizon.years", 6), ("horizon.end_effects", "none"), *PERIOD_FORM)  # CI time
    for name, myopic in (("neo", ()), ("neo_myopic", (("solver.foresight", "myopic"),))):
        over = (*myopic, *short)
        row = run_member(MODEL, Member(name=name, scenario="neocloud", overrides=over), tmp_path)
        api = twin.solve(MODEL, scenario="neocloud", overrides=list(over))
        assert row["npv_musd"] == pytest.approx(api.summary["npv_musd"], rel=NPV_REL)
        assert (
            xr.load_dataset(tmp_path / f"{name}.nc").attrs["foresight"]
            == api.dataset.attrs["foresight"]
        )


def test_run_decides_the_kind_from_the_spec_alone() -> None:
    base = twin.load_model(MODEL)
    tree = twin.load_model(MODEL, scenario="lease_under_uncertainty")
    myopic = twin.load_model(MODEL, overrides=[("solver.foresight", "myopic")])
    assert run_kind(base) == "deterministic"
    assert run_kind(myopic) == "myopic"
    assert run_kind(tree) == "stochastic"
    assert run_kind(tree, uncertainty="ignore") == "deterministic"  # an ensemble member


@pytest.mark.parametrize(
    "kwargs", [{"engine": "bogus"}, {"handoff": "gpu"}, {"uncertainty": "maybe"}]
)
def test_options_are_checked_before_any_work_on_a_deterministic_model(kwargs: dict) -> None:
    spec = twin.load_model(MODEL)
    (key,) = kwargs
    with pytest.raises(SpecError, match=f"^{key}: "):
        run(spec, **kwargs)
    with pytest.raises(SpecError, match="expected 'ef' or 'ph'"):
        check_option("--engine", "bogus", Engine)


def test_engine_bogus_exits_2_on_a_deterministic_model(tmp_path: Path, twin_main) -> None:  # noqa: F811
    out = tmp_path / "x.nc"
    res = twin_main("solve", MODEL, "--engine", "bogus", "--out", out)
    assert res.code == 2
    assert "--engine" in res.err and "'ef' or 'ph'" in res.err
    assert not out.exists()
    with pytest.raises(SpecError, match=r"^engine: 'bogus'"):
        twin.solve(MODEL, engine="bogus")


def test_a_model_with_an_uncertainty_section_through_the_api_is_the_stochastic_program() -> None:
    """The newsvendor (tests/newsvendor.py): demand 20/50/80/100 kH100e with probabilities
    0.1/0.1/0.6/0.2, known after the build. The critical fractile F(x*) >= 0.7544 gives x* = 80
    MW, and E[NPV] = sum_D p_D NPV(80, D) by hand; before the one run path, ``twin.solve``
    returned the deterministic plan of this model instead. Its statistics carry the leaf."""
    from newsvendor import newsvendor, npv

    outcomes = [(20.0, 0.1), (50.0, 0.1), (80.0, 0.6), (100.0, 0.2)]
    law = [{"value": d, "probability": p} for d, p in outcomes]
    res = twin.solve(newsvendor(law))
    expected = sum(p * npv(80.0, d) for d, p in outcomes)
    assert res.kind == "stochastic" and res.dataset.attrs["stochastic"] == 1
    assert res.summary["npv_musd"] == pytest.approx(expected, rel=1e-6)
    assert res.dataset.sizes["scenario"] == 4
    built = res.statistics(["build_mw"]).query("value > 0")  # one row per leaf: the same x*
    assert sorted(built.scenario) == ["scen0", "scen1", "scen2", "scen3"]
    assert list(built.value) == pytest.approx([80.0] * 4, rel=1e-6)
