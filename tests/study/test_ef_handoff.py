"""The matrix hand-off gives the stochastic extensive form (blocks per scenario, a
probability-weighted objective, fixed first-stage decisions) the LP Pyomo's compiler gives."""

from __future__ import annotations

import pytest
from lp_checks import assert_same_lp
from newsvendor import newsvendor

from twin.spec import load_dict
from twin.study.stochastic import build_extensive_form
from twin.study.tree import tree_of

UNIFORM = {"kind": "uniform", "low": 10.0, "high": 110.0}


@pytest.mark.parametrize("fix", [None, {}])
def test_extensive_form_lp_is_the_compilers(fix):
    spec = load_dict(newsvendor(UNIFORM, tree={"points": 5}))
    ef, blocks, _ = build_extensive_form(spec, tree_of(spec), fix=fix)
    assert len(blocks) == 5
    assert assert_same_lp(ef) > 20
