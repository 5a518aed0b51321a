"""The command line as a user runs it: exit codes, messages, files written or not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PERIOD_FORM_ARGS

MODEL = "models/baseline.yaml"
FORM = PERIOD_FORM_ARGS  # what is tested here is not power in hours: the period form (CI time)


def twin(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "twin", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_validate_state_solve_show_compare(tmp_path: Path) -> None:
    assert twin("validate", MODEL).returncode == 0
    state = twin("state", MODEL, "--at", "2026-06-01")
    assert state.returncode == 0 and "colossus1_anthropic" in state.stdout
    a, b = tmp_path / "neo.nc", tmp_path / "hoard.nc"
    short = ["--set", "horizon.years=6", "--set", "horizon.end_effects=none", *PERIOD_FORM_ARGS]
    assert twin("solve", MODEL, "--scenario", "neocloud", "--out", str(a), *short).returncode == 0
    res = twin(
        "solve", MODEL, "-s", "hoard", "--out", str(b), "--set", "policy.internal_share_min=0.9",
        *short,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    show = twin("show", str(a))
    assert show.returncode == 0 and "NPV" in show.stdout and "Binding limits" in show.stdout
    cmp = twin("compare", str(a), str(b))
    assert cmp.returncode == 0 and "B - A" in cmp.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("state", MODEL, "--at", "2026-13-01"), "expected an ISO date"),
        (("solve", "models/nope.yaml", "--out", "x.nc"), "models/nope.yaml"),
        (("solve", MODEL, "-s", "hord", "--out", "x.nc"), "did you mean 'hoard'"),
        (
            ("solve", MODEL, "--set", "policy.internal_share_mn=1", "--out", "x.nc"),
            "internal_share_min",
        ),
        (("solve", MODEL, "--out", "no_such_dir/x.nc"), "no_such_dir"),
        (("show", "missing.nc"), "missing.nc"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(
    args: tuple[str, ...], needle: str, tmp_path: Path
) -> None:
    args = tuple(str(Path.cwd() / a) if a.startswith("models/") else a for a in args)
    res = twin(*args, cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    assert needle in res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "x.nc").exists()


def test_bad_dataset_exits_2_and_leaves_no_output(model_copy: Path) -> None:
    sites = model_copy.parent.parent / "datasets" / "sites.csv"
    sites.write_text(
        sites.read_text().replace(
            ",terrestrial,35.0090,-89.9780,1400,", ",terrestrial,35.0090,-89.9780,-1400,"
        )
    )
    out = model_copy.parent / "r.nc"
    res = twin("solve", str(model_copy), "--out", str(out))
    assert res.returncode == 2 and "sites.csv" in res.stderr and "max_mw" in res.stderr
    assert "Traceback" not in res.stderr and not out.exists()


def test_infeasible_solve_exits_1_naming_family_and_period(tmp_path: Path) -> None:
    """Policy: everything internal, while the Anthropic lease must run: a conflict."""
    out = tmp_path / "r.nc"
    res = twin("solve", MODEL, "--set", "policy.internal_share_min=1.0", *FORM, "--out", str(out))
    assert res.returncode == 1
    assert "2026-07-01" in res.stderr and ("policy" in res.stderr or "contracts" in res.stderr)
    assert "colossus1_anthropic at site colossus1" in res.stderr or "policy [*]" in res.stderr
    assert "Traceback" not in res.stderr and not out.exists()


def test_orbit_cost_table_and_break_even() -> None:
    """100 kW/t, 5 years, $3,600/kg: 36,000 $/kW over 5 years = $7,200 per kW-year; break-even
    against $570/kW-yr ground power = 570 x 5 x 100 / 1000 = $285/kg."""
    res = twin("orbit-cost", "--launch", "3600")
    assert res.returncode == 0
    assert "7,200" in res.stdout and "$285/kg" in res.stdout
    bad = twin("orbit-cost", "--sunlit", "1.5")
    assert bad.returncode == 2 and "--sunlit" in bad.stderr and "Traceback" not in bad.stderr


def test_orbit_writes_geometry(tmp_path: Path) -> None:
    out = tmp_path / "geometry.nc"
    res = twin("orbit", MODEL, "--out", str(out))
    assert res.returncode == 0, res.stderr
    from twin.report import read

    ds = read(out)
    assert float(ds["sunlit_fraction"].sel(shell="dawn_dusk")) > 0.95
    assert set(ds["contact_fraction"].dims) == {"shell", "station"}


def test_show_a_fab_plan_has_chips_by_route(tmp_path: Path) -> None:
    out = tmp_path / "vs.nc"
    assert twin("solve", MODEL, "-s", "vendor_squeeze", *FORM, "--out", str(out)).returncode == 0
    show = twin("show", str(out))
    assert "Chips by route" in show.stdout and "Fab unit cost" in show.stdout


def test_bad_fab_row_exits_2(model_copy: Path) -> None:
    fabs = model_copy.parent.parent / "datasets" / "fabs.csv"
    fabs.write_text(fabs.read_text().replace("0.1;0.4;0.8;1.0", "0.1;0.4;1.4;1.0"))
    res = twin("validate", str(model_copy))
    assert res.returncode == 2 and "fabs.csv" in res.stderr and "ramp" in res.stderr
    assert "got 1.4" in res.stderr


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("      altitude_km: 650", "      altitude_km: 120", "altitude_km"),
        ("      planes: 4", "      planes: 0", "planes"),
    ],
)
def test_bad_shell_exits_2_naming_the_key(
    model_copy: Path, old: str, new: str, needle: str
) -> None:
    model_copy.write_text(model_copy.read_text().replace(old, new))
    res = twin("validate", str(model_copy))
    assert res.returncode == 2
    assert f"orbit.shells.dawn_dusk.{needle}" in res.stderr and "Traceback" not in res.stderr


def test_show_prints_the_lease_decision_at_each_notice_date(tmp_path: Path) -> None:
    """lease_decide: the first notice date is the horizon start (mutual cancellation, 90 days),
    and the list stops at the notice that ends the lease."""
    out = tmp_path / "ld.nc"
    assert twin("solve", MODEL, "-s", "lease_decide", *FORM, "--out", str(out)).returncode == 0
    text = twin("show", str(out)).stdout
    assert "Lease decisions at each notice date" in text
    lines = [x.strip() for x in text.splitlines() if x.strip().startswith("colossus1_anthropic")]
    assert lines[0].startswith("colossus1_anthropic 2026-07-01: ")
    assert sum("give notice" in x for x in lines) <= 1 and "give notice" not in "".join(lines[:-1])


def test_bad_renew_value_exits_2_naming_the_key() -> None:
    res = twin("validate", MODEL, "--set", "contracts.colossus1_anthropic.renew=maybe")
    assert res.returncode == 2 and "contracts.colossus1_anthropic.renew" in res.stderr
    assert "Traceback" not in res.stderr


def test_a_units_warning_is_one_note_line_without_python_source(tmp_path: Path) -> None:
    """A capex of 1e-7 $M/MW puts a cost coefficient below the units check's 1e-4 (README:
    no library noise): the run succeeds and stderr says so in one ``note:`` line, without
    Python's ``file.py:LINE: CoefficientRangeWarning`` and its source line."""
    import yaml

    from tests.conftest import tiny_model

    model = tiny_model(horizon={"years": 3})
    model["sites"]["s1"]["capex_musd_per_mw"] = 1e-7
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(model))
    res = twin("--quiet", "solve", str(path), "--out", str(tmp_path / "r.nc"))
    assert res.returncode == 0, res.stderr
    notes = [line for line in res.stderr.splitlines() if line.startswith("note: cost coeff")]
    assert len(notes) == 1 and "outside 0.0001..100000" in notes[0], res.stderr
    assert "CoefficientRangeWarning" not in res.stderr and ".py:" not in res.stderr, res.stderr
