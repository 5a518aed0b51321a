"""Rewrite ``scenarios.json``: run only when a change of results is on purpose, and say why in the
commit (``python tests/golden/regenerate.py``).

The golden file pins, for every scenario of ``models/baseline.yaml``, the NPV and the totals of the
report's main decision variables, so that a refactor that changes a result is caught.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent
MODEL = HERE.parents[1] / "models" / "baseline.yaml"

#: report variables whose totals are pinned (summed over every dimension)
TOTALS = (
    "capacity_mw",
    "build_mw",
    "it_load_mw",
    "chips_installed",
    "chips_bought",
    "allocation_h100e",
    "unmet_h100e",
    "power_mw",
    "contract_revenue_musd",
    "power_build_mw",
    "co2_kt",
    "water_km3",
)


def fingerprint(ds: object) -> dict[str, float]:
    """NPV and totals of a report dataset."""
    out = {"npv_musd": float(ds.attrs["npv_musd"])}  # type: ignore[attr-defined]
    for name in TOTALS:
        out[name] = float(ds[name].sum())  # type: ignore[index]
    return out


def main() -> None:
    """Solve every scenario and write the fingerprints."""
    from twin.plan import plan
    from twin.report import to_dataset
    from twin.spec import load_model

    scenarios = [None, *load_model(MODEL).model.scenarios]
    golden = {}
    for s in scenarios:
        golden[s or "base"] = fingerprint(to_dataset(plan(load_model(MODEL, scenario=s))))
        print(s or "base", golden[s or "base"]["npv_musd"])
    (HERE / "scenarios.json").write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
