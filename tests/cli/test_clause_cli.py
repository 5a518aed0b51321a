"""`twin clause` prices a contract clause from the command line, against first principles.

The one-site lease of tests/study/test_clauses.py (10 kH100e leased whole at $2/H100e-h for 2030,
renewable at its term end) with own work worth $3/h in 2031 (probability 0.3) or $1/h (0.7), as
an uncertainty section: the decline of own work's value is known on 2031-01-01, the renewal date,
and compounds from that date (the model's rate, 0, before it): $3/h x (1 - d) ** 0.5 at mid-2031.
Renewing is worth ``$2 - v1`` per H100e-hour, taken only in the low future, so the right to renew
is worth ``0.7 x (2 - 1) x 10 kH100e x 8.76 x 1.05 ** -1.5`` in expected NPV.
"""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

from pathlib import Path

import pytest
import xarray as xr
import yaml
from study.test_clauses import model

from tests.cli.runner import twin_main  # noqa: F401 - the fixture

#: a decline from 2031-01-01 that takes own work from $3/h to $1/h at mid-2031: (1 - d)^0.5 = 1/3
LOW_DECLINE = 8 / 9


def write_model(tmp_path: Path) -> Path:
    m = model()
    m["tenants"]["own"]["value_usd_per_h100e_hour"] = 3.0
    m["tenants"]["own"]["value_decline_per_year"] = 0.0
    m["uncertainty"] = {
        "inputs": {
            "decline": {
                "path": "tenants.own.value_decline_per_year",
                "known": "2031-01-01",
                "outcomes": [
                    {"value": 0.0, "probability": 0.3, "label": "high"},
                    {"value": LOW_DECLINE, "probability": 0.7, "label": "low"},
                ],
            }
        }
    }
    path = tmp_path / "lease.yaml"
    path.write_text(yaml.safe_dump(m, sort_keys=False))
    return path


def test_clause_prices_the_right_to_renew_in_expected_npv(twin_main, tmp_path: Path) -> None:
    path = write_model(tmp_path)
    run = twin_main(
        "clause", path, "--contract", "lease", "--clause", "renewal", "--out", tmp_path / "c.nc"
    )
    assert run.code == 0, run.err
    assert "expected NPV over the scenario tree" in run.out
    # own work at mid-2031 in the low future: $3/h x (1/9) ** 0.5 = $1/h
    v1 = 3.0 * (1 - LOW_DECLINE) ** 0.5
    assert v1 == pytest.approx(1.0)
    want = 0.7 * (2.0 - v1) * 10 * 8.76 * 1.05**-1.5
    got = float(xr.open_dataset(tmp_path / "c.nc")["clause_value_musd"])
    assert got == pytest.approx(want, rel=1e-6)


def test_clause_names_a_bad_contract_or_clause(twin_main, tmp_path: Path) -> None:
    path = write_model(tmp_path)
    bad = twin_main("clause", path, "--contract", "leese", "--clause", "renewal")
    assert bad.code == 2 and "--contract" in bad.err and "lease" in bad.err
    bad = twin_main("clause", path, "--contract", "lease", "--clause", "exit")
    assert bad.code == 2 and "--clause" in bad.err


def test_clause_refuses_a_set_of_what_it_sets_and_blames_its_own(twin_main, tmp_path) -> None:
    """The renewal clause sets ``renew``: a ``--set`` of it (or of the contract
    whole: tests/study/test_clauses.py) would be silently overwritten, so it is refused naming
    both; a setting of the
    clause's own that contradicts the contract (the notice clause's ``renew: decide`` on a
    lease with a dated notice) is blamed on ``--clause``, not on a ``--set`` the user never gave."""
    path = write_model(tmp_path)
    bad = twin_main("clause", path, "--contract", "lease", "--clause", "renewal",
                    "--set", "contracts.lease.renew=false")  # fmt: skip
    assert bad.code == 2 and "Traceback" not in bad.err, bad.err
    assert "--set: contracts.lease.renew:" in bad.err and "renewal clause" in bad.err, bad.err
    dated = twin_main("clause", path, "--contract", "lease", "--clause", "notice",
                      "--set", "contracts.lease.notice_given=2030-06-01")  # fmt: skip
    assert dated.code == 2 and "Traceback" not in dated.err, dated.err
    assert "--clause: contracts.lease.renew" in dated.err, dated.err
