"""Faults a seventh fuzzing pass found in loading a model from Python (notebooks) and so from
every command: a second link between two nodes another link joins was accepted;
``near_optimal`` took a metric of something the model lacks. Each is now a
:class:`twin.spec.SpecError` naming the key."""

from __future__ import annotations

import pytest
from conftest import tiny_model
from traffic_model import traffic_model

from twin.spec import SpecError, load_dict
from twin.study.alternatives import check_inputs


def test_the_link_checks_apply_to_a_dictionary_model() -> None:
    """``load_dict`` refuses a link between region r1 and site s1 written again from the site's
    end, naming its row."""
    data = traffic_model()
    data["links"]["r1_s1_b"] = {**data["links"]["r1_s1"], "from_node": "site:s1",
                                "to_node": "region:r1"}  # fmt: skip
    with pytest.raises(SpecError, match=r"links\.r1_s1_b\.to_node: joins site:s1 and region:r1"):
        load_dict(data)


def test_near_optimal_refuses_a_metric_the_model_cannot_move() -> None:
    """``near_optimal(spec, 0.05, ["fab_share"])`` on a model without a fab checked nothing
    before solving; its options' check now names --metric and what the model lacks."""
    spec = load_dict(tiny_model(horizon={"years": 2}))
    with pytest.raises(SpecError, match="--metric: fab_share: the model has no enabled fab"):
        check_inputs(spec, 0.05, ["fab_share"], 0)
    assert check_inputs(spec, 0.05, ["capex"], 0)[0].label == "capex"
