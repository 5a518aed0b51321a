"""The HiGHS hand-offs, MILP modules with duals from the fixed LP, and infeasibility reports."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import FULL_SITE_EVENTS, PERIOD_FORM, lease_of_s1, lessee, tiny_model

from twin.plan import PlanInfeasible, plan
from twin.report import to_dataset
from twin.spec import load_dict, load_model


def test_both_handoffs_give_the_same_optimum() -> None:
    spec = load_model("models/baseline.yaml", scenario="neocloud", overrides=PERIOD_FORM)
    a, b = plan(spec, handoff="matrix"), plan(spec, handoff="pyomo")
    assert a.result.objective == pytest.approx(b.result.objective, rel=1e-7)


def test_integer_modules_round_capacity_up_and_report_a_gap() -> None:
    """Demand of 60 kH100e needs 60 MW; in 50 MW modules the plan builds 2 modules = 100 MW
    (value 8.76 x 3 $M/MW-yr far exceeds the module cost), and the MILP reports its gap."""
    model = tiny_model(
        horizon={"years": 4},
        sites={"s1": {"module_mw": 50.0, "lead_months": 12, "capex_musd_per_mw": 2.0}},
        tenants={"own": {"demand_k_h100e": 60.0, "value_usd_per_h100e_hour": 3.0}},
        solver={"integer_modules": True, "mip_gap": 1e-6},
    )
    p = plan(load_dict(model))
    ds = to_dataset(p)
    assert p.result.is_mip
    np.testing.assert_allclose(
        ds["capacity_mw"].sel(site="s1").values, [0, 100, 100, 100], atol=1e-6
    )
    assert 0.0 <= ds.attrs["mip_gap"] <= 1e-6
    # duals come from the LP with modules fixed: compute is scarce in no period (100 MW > 60)
    # except the first, where none is online; compute's marginal value is 0 where it is idle
    mv = ds["marginal_value_compute"].sel(site="s1").values
    assert np.all(np.isfinite(mv[1:])) and np.allclose(mv[1:], 0.0, atol=1e-9)


@pytest.mark.parametrize("handoff", ["matrix", "pyomo"])
def test_infeasible_plan_names_the_family_site_and_period(handoff: str) -> None:
    """A whole-site lease to an external tenant while policy demands 100% internal compute.

    The site's 10,000 installed chips are 10 kH100e: the lease needs all of it for the tenant in
    2031 and the policy none, so the least total relaxation is exactly 10 kH100e (on either row).
    Both hand-offs recognise the infeasible status and name the conflict."""
    model = tiny_model(
        horizon={"years": 3},
        sites={"s1": {"max_mw": 10.0}},
        policy={"internal_share_min": 1.0},
        tenants={"lessee": lessee(1.0)},
        events=FULL_SITE_EVENTS,
        contracts={"lease": lease_of_s1()},
    )
    with pytest.raises(PlanInfeasible) as info:
        plan(load_dict(model), handoff=handoff)
    text = str(info.value)
    assert "2031-01-01" in text
    families = {c[0] for c in info.value.conflicts}
    assert families <= {"policy", "contracts"} and families
    assert all(c[2] == "2031-01-01" for c in info.value.conflicts)
    assert sum(c[3] for c in info.value.conflicts) == pytest.approx(10.0, rel=1e-6)


@pytest.mark.parametrize("method", ["simplex", "ipm"])
def test_highs_methods_agree(method: str) -> None:
    base = plan(load_model("models/baseline.yaml", scenario="neocloud", overrides=PERIOD_FORM))
    other = plan(
        load_model(
            "models/baseline.yaml",
            scenario="neocloud",
            overrides=[("solver.method", method), *PERIOD_FORM],
        )
    )
    assert other.result.objective == pytest.approx(base.result.objective, rel=1e-6)


def test_the_units_check_reads_an_extensive_forms_costs_per_leaf() -> None:
    """An extensive form weights leaf costs by probability p: 9.6e-6 = (1/27) x 2.6e-4 is a
    leaf cost inside the range (no message); the same cost unweighted is outside (one), and a
    weight never hides the upper end (the stage-1 costs carry the sum of probabilities, 1)."""
    import warnings

    from twin.plan.solve import CoefficientRangeWarning, check_ranges

    ranges = {"matrix": (1e-3, 10.0), "cost": (9.6e-6, 30.0)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CoefficientRangeWarning)
        assert check_ranges(ranges, weight=1 / 27) == []
        assert len(check_ranges(ranges)) == 1
        assert len(check_ranges({"cost": (1e-3, 2e5)}, weight=1 / 27)) == 1
