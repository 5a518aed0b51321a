"""The uncertainty section: validation naming file and key, and the laws it turns into."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from conftest import tiny_model
from scipy import stats

from twin.spec import SpecError, load_dict, load_model
from twin.spec.uncertainty import Uncertainty, marginals


def _demand(**over: object) -> dict:
    base = {
        "path": "tenants.own.demand_k_h100e",
        "known": "2031-01-01",
        "outcomes": [{"value": 5.0, "probability": 0.5}, {"value": 15.0, "probability": 0.5}],
    }
    base.update(over)
    return base


def _spec(inputs: dict, **section: object):
    return load_dict(tiny_model(uncertainty={"inputs": inputs, **section}), name="m.yaml")


def _err(inputs: dict) -> SpecError:
    with pytest.raises(SpecError) as info:
        _spec(inputs)
    return info.value


def test_a_valid_section_loads_and_keeps_its_outcomes() -> None:
    spec = _spec({"demand": _demand()})
    m = marginals(spec.model.uncertainty)["demand"]
    assert m.outcomes == (("5.0", 5.0, 0.5), ("15.0", 15.0, 0.5))


def test_probabilities_not_summing_to_one_name_the_key() -> None:
    bad = _demand(outcomes=[{"value": 5.0, "probability": 0.5}, {"value": 9, "probability": 0.4}])
    err = _err({"demand": bad})
    assert err.file == "m.yaml"
    assert err.key == "uncertainty.inputs.demand"
    assert "sum to 0.9" in err.expected


def test_unknown_path_is_named_with_a_suggestion() -> None:
    err = _err({"demand": _demand(path="tenants.own.demand_k_h100")})
    assert err.key == "uncertainty.inputs.demand.path"
    assert "did you mean 'demand_k_h100e'" in err.expected


def test_unknown_row_in_path_is_named() -> None:
    err = _err({"demand": _demand(path="tenants.other.demand_k_h100e")})
    assert err.key == "uncertainty.inputs.demand.path"
    assert "tenants.other" in err.expected


def test_a_path_outside_the_inputs_is_refused() -> None:
    err = _err({"x": _demand(path="solver.mip_gap")})
    assert err.key == "uncertainty.inputs.x.path"


def test_known_date_outside_the_horizon_is_named() -> None:
    err = _err({"demand": _demand(known="2045-01-01")})
    assert err.key == "uncertainty.inputs.demand.known"
    assert "outside the horizon" in err.expected
    assert _err({"demand": _demand(known="2030-01-01")}).key.endswith(".known")  # the start


def test_negative_sd_is_named() -> None:
    law = {"kind": "normal", "mean": 10.0, "sd": -1.0, "low": 0.0}
    err = _err({"demand": _demand(outcomes=None, distribution=law)})
    assert err.key == "uncertainty.inputs.demand.distribution.sd"
    assert "greater than 0" in err.expected


def test_outcome_value_is_checked_against_the_field() -> None:
    bad = _demand(outcomes=[{"value": -5.0, "probability": 1.0}])
    err = _err({"demand": bad})
    assert err.key == "uncertainty.inputs.demand.outcomes.0.value"
    assert "greater than or equal to 0" in err.expected


def test_an_unbounded_normal_on_a_nonnegative_field_needs_low() -> None:
    law = {"kind": "normal", "mean": 10.0, "sd": 2.0}
    err = _err({"demand": _demand(outcomes=None, distribution=law)})
    assert err.key == "uncertainty.inputs.demand.distribution.low"
    assert "give 'low'" in err.expected


def test_a_continuous_law_on_a_whole_number_field_is_refused_at_load() -> None:
    """A site's lead is whole months: a uniform over 12..36 has whole ends, which passed, and
    drew 20.9 months in a sweep member, refused only then. The same law on a real-valued field
    (the tenant's demand) loads."""
    law = {"kind": "uniform", "low": 12, "high": 36}
    lead = _demand(path="sites.s1.lead_months", outcomes=None, distribution=law)
    err = _err({"lead": lead})
    assert err.key == "uncertainty.inputs.lead.distribution"
    assert "integer" in err.expected and "sites.s1.lead_months" in err.expected
    assert "expected outcomes" in err.expected
    _spec({"demand": _demand(outcomes=None, distribution=law)})  # loads


def test_missing_parameters_and_both_laws_are_errors() -> None:
    law = {"kind": "triangular", "low": 1, "high": 2}
    err = _err({"d": _demand(outcomes=None, distribution=law)})
    assert err.key == "uncertainty.inputs.d.distribution.mode" and "required" in err.expected
    law = {"kind": "normal", "mean": 1, "sd": 1, "mode": 2}  # a normal takes no mode
    err = _err({"d": _demand(outcomes=None, distribution=law)})
    assert err.key == "uncertainty.inputs.d.distribution.mode" and "'sd'" in err.expected
    err = _err({"d": _demand(outcomes=None, distribution={"kind": "beta", "mean": 1})})
    assert err.key == "uncertainty.inputs.d.distribution" and "lognormal" in err.expected
    both = _demand(distribution={"kind": "uniform", "low": 1, "high": 2})
    assert "exactly one" in _err({"d": both}).expected


def test_bad_section_in_a_model_file_names_the_file(model_copy: Path) -> None:
    text = model_copy.read_text() + (
        "uncertainty:\n  inputs:\n    demand:\n      path: tenants.xai_training.demand_k_h100e\n"
        "      known: 2027-07-01\n      outcomes:\n        - {value: 1, probability: 0.7}\n"
    )
    model_copy.write_text(text)
    with pytest.raises(SpecError) as info:
        load_model(model_copy)
    assert info.value.file == str(model_copy)
    assert info.value.key == "uncertainty.inputs.demand"


def test_laws_match_their_textbook_moments() -> None:
    laws = {
        "n": {"kind": "normal", "mean": 10.0, "sd": 2.0, "low": 0.0},
        "ln": {"kind": "lognormal", "mean": 10.0, "sd": 3.0},
        "lnb": {"kind": "lognormal", "mean": 10.0, "sd": 3.0, "low": 8.0, "high": 12.0},
        "t": {"kind": "triangular", "low": 2.0, "mode": 5.0, "high": 11.0},
        "u": {"kind": "uniform", "low": 4.0, "high": 6.0},
    }
    # the laws alone (five inputs on one path would be refused by the model's checks)
    section = Uncertainty.model_validate(
        {"inputs": {k: _demand(outcomes=None, distribution=v) for k, v in laws.items()}}
    )
    ms = marginals(section)
    # normal truncated at 5 sd below: the mean moves by sd*phi(5)/(1-Phi(-5)) ~ 3e-6
    assert ms["n"].dist.mean() == pytest.approx(10.0, abs=1e-5)
    assert ms["ln"].dist.mean() == pytest.approx(10.0, rel=1e-9)
    assert ms["ln"].dist.std() == pytest.approx(3.0, rel=1e-9)
    lo, hi = ms["lnb"].dist.support()
    assert (lo, hi) == pytest.approx((8.0, 12.0))
    assert ms["t"].dist.mean() == pytest.approx((2 + 5 + 11) / 3)
    assert ms["u"].dist.ppf(0.25) == pytest.approx(4.5)
    # three equal-probability points of a uniform on [4, 6]: 4 + 2*(1/6, 1/2, 5/6)
    pts = ms["u"].discretize(3)
    assert [v for _, v, _ in pts] == pytest.approx([4 + 1 / 3, 5.0, 6 - 1 / 3])
    assert sum(p for *_, p in pts) == pytest.approx(1.0)


def test_bounded_lognormal_samples_stay_inside_and_follow_the_truncated_law() -> None:
    law = {"kind": "lognormal", "mean": 10.0, "sd": 3.0, "low": 8.0, "high": 12.0}
    spec = _spec({"d": _demand(outcomes=None, distribution=law)})
    m = marginals(spec.model.uncertainty)["d"]
    draws = np.array([v for _, v, _ in m.sample(4000, np.random.default_rng(1))])
    assert draws.min() >= 8.0 and draws.max() <= 12.0
    sigma = math.sqrt(math.log1p(0.09))
    ref = stats.lognorm(s=sigma, scale=10.0 * math.exp(-(sigma**2) / 2))
    median = ref.ppf((ref.cdf(8.0) + ref.cdf(12.0)) / 2)  # median of the truncated law
    assert np.median(draws) == pytest.approx(median, abs=0.1)  # 4000 draws: se ~0.02


def test_scenario_that_sets_the_section_is_named_in_errors(model_copy: Path) -> None:
    text = model_copy.read_text().replace(
        "scenarios:\n",
        "scenarios:\n  bad_unc:\n    set:\n      uncertainty:\n        inputs:\n"
        "          d:\n            path: tenants.nobody.demand_k_h100e\n"
        "            known: 2027-07-01\n            outcomes: [{value: 1, probability: 1}]\n",
        1,
    )
    model_copy.write_text(text)
    with pytest.raises(SpecError) as info:
        load_model(model_copy, scenario="bad_unc")
    assert info.value.key == "scenarios.bad_unc.set.uncertainty.inputs.d.path"


def test_a_tree_larger_than_the_limit_is_refused_before_any_solve() -> None:
    law = {"kind": "uniform", "low": 1.0, "high": 2.0}
    inputs = {"d": _demand(outcomes=None, distribution=law)}
    with pytest.raises(SpecError) as info:
        _spec(inputs, tree={"points": 20, "max_leaves": 10})
    assert info.value.key == "uncertainty"
    assert "20 leaves" in info.value.expected


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"outcomes": [{"value": 1.0, "probability": 0.7}]}, "inputs.demand"),
        ({"known": "2050-01-01"}, "inputs.demand.known"),
    ],
    ids=["schema", "check"],
)
def test_a_scenarios_uncertainty_errors_carry_the_full_key(
    change: dict, key: str, tmp_path: Path
) -> None:
    """Whether pydantic or the model checks find it, an error in a scenario's uncertainty
    section names it as written: scenarios.<name>.set.uncertainty.inputs.<input>..."""
    import yaml

    section = {"inputs": {"demand": {**_demand(), **change}}}
    data = tiny_model(scenarios={"unsure": {"description": "x", "set": {"uncertainty": section}}})
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(SpecError) as info:
        load_model(path, scenario="unsure")
    assert info.value.key == f"scenarios.unsure.set.uncertainty.{key}"
