"""Rewrite the golden files: run only when a change of results is on purpose, and say why in the
commit (``python tests/golden/regenerate.py [period|hours]``, default both).

The golden files pin, for every scenario of ``models/baseline.yaml``, the NPV and the totals of the
report's main decision variables, so that a refactor that changes a result is caught:

- ``scenarios.json``: every scenario in the energy-only period form
  (``horizon.hours.representative_days=none``), seconds a scenario: CI checks them all;
- ``scenarios_hours.json``: every scenario whose own setting is the hourly form (the baseline's
  default, 4 + 2 representative days of 6 segments), as ``twin solve`` runs it, 1-210 s a
  scenario: CI checks the base, ``pytest --hours`` every one.

Only what the optimum determines is pinned. The split of a site's power between an existing source
and a built project at the same price is degenerate (HiGHS 1.12 and 1.16 return different vertices
of the same face, same NPV), so the pin is the facility load they meet together, not ``power_mw``.
A MIP solved to ``solver.mip_gap`` is not unique either: the test compares its NPV within that gap
and its totals within :data:`MIP_RTOL`.
"""

from __future__ import annotations

import json
from pathlib import Path

from twin.spec.horizon import ENERGY_ONLY

HERE = Path(__file__).parent
MODEL = HERE.parents[1] / "models" / "baseline.yaml"

#: report variables whose totals are pinned (summed over every dimension)
TOTALS = (
    "capacity_mw",
    "build_mw",
    "it_load_mw",
    "chips_installed",
    "chips_bought",
    "chips_retired",
    "allocation_h100e",
    "unmet_h100e",
    "facility_load_mw",
    "contract_revenue_musd",
    "power_build_mw",
    "co2_kt",
    "water_ml",
    "flow_gbps",
)


#: relative tolerance on a MIP scenario's totals: two plans within a 0.1% NPV gap may build a few
#: modules apart (``modules``: 6,600 against 6,900 MW started at gaps of 1e-3 and 1e-5)
MIP_RTOL = 0.05


def fingerprint(ds: object) -> dict[str, float]:
    """NPV, whether the plan is a MIP (1.0) or an LP (0.0), and totals of a report dataset."""
    attrs = ds.attrs  # type: ignore[attr-defined]
    out = {"npv_musd": float(attrs["npv_musd"]), "is_mip": float(attrs["is_mip"])}
    for name in TOTALS:
        out[name] = float(ds[name].sum())  # type: ignore[index]
    return out


#: the override that solves a scenario in the energy-only period form
PERIOD_FORM = ENERGY_ONLY
#: the golden file of each form
FILES = {"period": HERE / "scenarios.json", "hours": HERE / "scenarios_hours.json"}


def hourly_scenarios() -> list[str | None]:
    """The scenarios (None: the base) whose own setting plans in hours."""
    from twin.spec import load_model

    names = [None, *load_model(MODEL).model.scenarios]
    return [
        s for s in names if load_model(MODEL, scenario=s).model.horizon.hours.representative_days
    ]


def main(forms: list[str]) -> None:
    """Solve every scenario in each form asked and write its fingerprints."""
    from twin.plan import plan
    from twin.report import to_dataset
    from twin.spec import load_model

    unknown = sorted(set(forms) - set(FILES))
    if unknown:  # e.g. --help: nothing is solved or written
        raise SystemExit(f"usage: regenerate.py [{'|'.join(FILES)}] ...; unknown: {unknown}")
    for form in forms or list(FILES):
        if form == "period":
            scenarios, over = [None, *load_model(MODEL).model.scenarios], [PERIOD_FORM]
        else:
            scenarios, over = hourly_scenarios(), []
        golden = {}
        for s in scenarios:
            spec = load_model(MODEL, scenario=s, overrides=over)
            golden[s or "base"] = fingerprint(to_dataset(plan(spec)))
            print(form, s or "base", golden[s or "base"]["npv_musd"], flush=True)
        FILES[form].write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
