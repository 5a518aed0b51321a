"""Faults a third fuzzing pass found on the command line: numeric options took NaN, infinity and
numbers a model file refuses (5e-400 read as an exact 0, 1e-20); each is now a usage error naming
the option (exit 2), before the command starts. An uncertain input on the horizon passed
``twin validate`` and a sampled sweep; it is now refused at load."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

from pathlib import Path

import pytest
import typer
import yaml
from newsvendor import newsvendor

from tests.cli.runner import twin_main  # noqa: F401 - the fixture; tests take it as a parameter
from twin.cli import app
from twin.cli.numbers import check_numbers, takes_numbers


@pytest.mark.parametrize(
    ("args", "option", "expected"),
    [
        (["orbit-cost", "--launch", "1e-400"], "--launch", "it would be read as 0"),
        (["orbit-cost", "--launch", "500", "--launch", "nan"], "--launch", "a finite number"),
        (["orbit-cost", "--discount-rate", "1e-400"], "--discount-rate", "got 1e-400"),
        (["orbit-cost", "--discount-rate", "inf"], "--discount-rate", "a finite number"),
        (["orbit-cost", "--hardware", "1e-20"], "--hardware", "at least 1e-12 in magnitude"),
        (["orbit-cost", "--specific-power=5e-400"], "--specific-power", "got 5e-400"),
        (["orbit-cost", "--lifetime", "-inf"], "--lifetime", "a finite number, got -inf"),
        (["alternatives", "M.yaml", "--out-dir", "D", "--slack", "1e-400"], "--slack", "read as 0"),
        (["alternatives", "M.yaml", "--out-dir", "D", "--slack", "nan"], "--slack", "finite"),
        (["alternatives", "M.yaml", "--out-dir", "D", "--slack", "1e-13"], "--slack", "1e-12"),
        (["plot", "r.nc", "--kind", "fan", "--out", "f.png", "--dpi", "nan"], "--dpi", "finite"),
    ],
)
def test_a_numeric_option_refuses_nan_inf_and_tiny_numbers(
    twin_main, tmp_path: Path, args: list[str], option: str, expected: str
) -> None:
    """``orbit-cost`` printed its table for a launch price, rate or hardware cost of 1e-400 (an
    exact 0) or 1e-20, and ``alternatives --slack 1e-13`` began to solve; the rest were refused
    by each command's own bounds as 0.0, nan or inf, or as no integer: now every one exits 2
    naming the option and the rule, before the command starts, nothing written."""
    res = twin_main(*[str(tmp_path / a) if a in ("D", "f.png") else a for a in args])
    assert res.code == 2, (res.code, res.out, res.err)
    assert "Traceback" not in res.err
    err = " ".join(res.err.split())
    assert f"error: {option}: " in err and expected in err, err
    assert res.out == "" and list(tmp_path.iterdir()) == []


def test_every_numeric_option_of_every_command_is_checked() -> None:
    """The check is given by the command tree, not option by option: every parameter taking a
    number (or a list of them) has it; today these are seven float and six int options."""
    cmd = check_numbers(typer.main.get_command(app))
    numeric = {
        (name, p.name): getattr(p.process_value, "checks_numbers", False)
        for name, sub in cmd.commands.items()
        for p in sub.params
        if takes_numbers(p)
    }
    assert all(numeric.values()), numeric
    assert set(numeric) == {
        *(("orbit-cost", n) for n in ("launch", "specific_power", "lifetime", "hardware",
                                      "sunlit", "discount_rate")),
        ("alternatives", "slack"), ("alternatives", "spores"), ("plot", "day"), ("plot", "dpi"),
        ("sweep", "samples"), ("sweep", "seed"), ("sweep", "workers"),
    }  # fmt: skip


def test_numbers_a_model_file_takes_still_run(twin_main) -> None:
    """0, an ordinary rate and a price pass."""
    res = twin_main("orbit-cost", "--launch", "0", "--launch", "1e3", "--discount-rate", "0.07",
                    "--hardware", "0")  # fmt: skip
    assert res.code == 0, res.err
    assert "break-even launch price" in res.out


@pytest.mark.parametrize("command", ["validate", "sweep"])
def test_an_uncertain_horizon_is_refused_before_any_solve(
    twin_main, tmp_path: Path, command: str
) -> None:
    """``twin validate`` said ok to an uncertain ``horizon.years`` and a sampled sweep solved
    members over 2- and 3-year horizons into one set of percentiles: now exit 2 naming the
    input's path key, nothing written."""
    data = newsvendor([{"value": 2, "probability": 0.5}, {"value": 3, "probability": 0.5}])
    data["uncertainty"]["inputs"]["demand"]["path"] = "horizon.years"
    model = tmp_path / "m.yaml"
    model.write_text(yaml.safe_dump(data))
    out = tmp_path / "out"
    extra = ["--samples", "4", "--sensitivity", "none", "--workers", "0", "--out-dir", out]
    res = twin_main(command, model, *(extra if command == "sweep" else []))
    assert res.code == 2, (res.code, res.out, res.err)
    assert "Traceback" not in res.err
    err = " ".join(res.err.split())
    assert f"{model}: uncertainty.inputs.demand.path: 'horizon.years' is the plan's time" in err
    assert not out.exists() and "ok" not in res.out
