"""Near-ties settled by a stated rule (twin.plan.tie_break): two purchase timings nearly tie, the
solver's plan takes the later one, ``compute_early`` the earlier one, within ``eps`` of the NPV.

The case, by hand: 10 MW of halls already online, no room to build, chips of 1 kW and 1 H100e
that live 15 years (8-year horizon, nothing credited at its end), compute worth $1 per H100e-hour
(``V = 8.76`` $M per kH100e-year) beyond what the halls hold, free power, ``r = 5%``. The chip's
price falls 20% a year from 2030-01-01, so 2031's (one Julian year of 365.25 days later, 365
days) is ``a (1 + r)`` times 2030's in 2030 money, ``a = 0.8 ** (365 / 365.25) / 1.05``.
Filling the halls in 2030 instead of 2031 gains 2030's compute, ``10 V (1 + r) ** -0.5``, and
costs ``10 P (1 - a)`` [$M, P per kchip]: the two tie at ``P* = V (1 + r) ** -0.5 / (1 - a)``
= 35.923 $M per kchip ($35,923 a chip). At ``P = P* (1 + 1e-3)`` waiting wins by
``10 x 1e-3 x V (1 + r) ** -0.5`` = 0.0855 $M of 220.66: the solver buys all 10,000 chips in 2031.

Both ways of solving the rule are held to the hand answer: the matrix hand-off re-solves the
first solve's live HiGHS model from its basis (the floor added as a row), the Pyomo hand-off
rebuilds the LP with the floor as a Pyomo row and solves it cold.
"""

from __future__ import annotations

import pyomo.environ as pyo
import pytest
from conftest import FULL_SITE_EVENTS, tiny_model

from twin.plan import plan, tie_break
from twin.report import to_dataset
from twin.spec import load_dict
from twin.spec.errors import SpecError

R, V, DECLINE, MARGIN = 0.05, 8.76, 0.2, 1e-3
A = (1 - DECLINE) ** (365 / 365.25) / (1 + R)
P_TIE = V * (1 + R) ** -0.5 / (1 - A)  # [$M per kchip]
#: what buying the 10 kchips in 2030 instead of 2031 gives up [$M]
GIVE_UP = 10 * MARGIN * V * (1 + R) ** -0.5


def _model(**solver: object) -> dict:
    chip = {
        "h100e": 1.0,
        "kw": 1.0,
        "price_usd": P_TIE * (1 + MARGIN) * 1e3,
        "price_decline_per_year": DECLINE,
        "available_from": "2030-01-01",
        "life_years": 15,
        "source": "test case",
    }
    return tiny_model(
        sites={"s1": {"max_mw": 10.0}},
        events={"online": FULL_SITE_EVENTS["online"]},  # 10 MW of halls, no chips
        chips={"c1": chip},
        tenants={"own": {"demand_k_h100e": 1000.0}},
        solver=solver,
    )


def _bought(p: object) -> list[float]:
    return [round(float(x)) for x in to_dataset(p)["chips_bought"].sel(chip="c1").values[:3]]


HANDOFFS = pytest.mark.parametrize("handoff", ["matrix", "pyomo"])


@HANDOFFS
def test_the_solver_waits_and_compute_early_fills_the_halls_a_year_sooner(
    handoff: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The solver's plan buys in 2031; ``compute_early`` with ``eps = 1e-3`` (a budget of
    0.221 $M, above the 0.0855 it costs) buys all 10,000 chips in 2030, and the NPV it reports
    is the best NPV less exactly what moving them gives up. The matrix hand-off took the warm
    path (watched, not replaced), the Pyomo hand-off the cold one."""
    warm = []
    real = tie_break._warm
    monkeypatch.setattr(tie_break, "_warm", lambda *a: warm.append(1) or real(*a))
    best = plan(load_dict(_model()))
    assert _bought(best) == [0, 10_000, 0]
    ruled = plan(load_dict(_model(tie_break="compute_early", tie_break_eps=1e-3)), handoff=handoff)
    assert warm == ([1] if handoff == "matrix" else [])
    assert _bought(ruled) == [10_000, 0, 0]
    assert GIVE_UP == pytest.approx(0.08549, rel=1e-3)
    assert best.result.objective - ruled.result.objective == pytest.approx(GIVE_UP, rel=1e-6)
    assert GIVE_UP < 1e-3 * best.result.objective
    ds = to_dataset(ruled)
    assert ds.attrs["npv_musd"] == pytest.approx(ruled.result.objective, rel=1e-9)
    assert ds.attrs["solver"].endswith("tie-break compute_early (eps 0.001)")


@HANDOFFS
def test_eps_caps_what_the_rule_gives_up(handoff: str) -> None:
    """With the default ``eps = 1e-4`` the budget (0.0221 $M) moves only part of the
    purchase: ``x = eps NPV* / (MARGIN V (1 + r) ** -0.5)`` kchips to 2030, the floor binding."""
    best = plan(load_dict(_model()))
    ruled = plan(load_dict(_model(tie_break="compute_early")), handoff=handoff)
    moved = 1e-4 * best.result.objective / (GIVE_UP / 10)
    bought = to_dataset(ruled)["chips_bought"].sel(chip="c1").values
    assert bought[0] == pytest.approx(moved * 1e3, rel=1e-6)
    assert bought[0] + bought[1] == pytest.approx(10_000, rel=1e-9)
    assert ruled.result.objective == pytest.approx(best.result.objective * (1 - 1e-4), rel=1e-9)


def test_exact_reports_the_best_plan_itself() -> None:
    """``plan(..., exact=True)`` (studies that compare optima) skips the rule: the solver's own
    plan and NPV, no tie-break in the route."""
    spec = load_dict(_model(tie_break="compute_early", tie_break_eps=1e-3))
    exact = plan(spec, exact=True)
    assert _bought(exact) == [0, 10_000, 0]
    assert exact.result.objective == pytest.approx(plan(load_dict(_model())).result.objective)
    assert "tie-break" not in exact.result.route


def test_the_model_is_left_as_built_and_duals_are_the_best_plans() -> None:
    """After the second solve the NPV objective is active again and the rule's rows are gone;
    the duals reported are the first solve's (``d NPV / d rhs``), not the second's."""
    best = plan(load_dict(_model()))
    ruled = plan(load_dict(_model(tie_break="compute_early")))
    m = ruled.model
    assert m.npv.active and m.component("tie_break_floor") is None
    assert len(list(m.component_data_objects(pyo.Objective, active=True))) == 1
    by_name = {c.name: y for c, y in ruled.result.duals.items()}
    for c, y in best.result.duals.items():
        assert by_name[c.name] == pytest.approx(y, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    ("key", "value"), [("tie_break", "latest"), ("tie_break_eps", 0.0), ("tie_break_eps", 0.5)]
)
def test_a_bad_tie_break_is_refused_naming_the_key(key: str, value: object) -> None:
    with pytest.raises(SpecError, match=key):
        load_dict(_model(**{key: value}))
