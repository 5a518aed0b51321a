"""The physics of power in the period form: energy within each source's availability, storage
that makes no energy, nothing delivered before earliest + lead, take-or-pay paid when idle, and
firm capacity at the peak plus a reserve.

The tiny model's site s1 holds 10 MW of chips (10 kH100e) from 2029, valued at $1/H100e-hour
(8.76 $M per MW-year), far above any power cost here, so the 10 MW load is served whenever it can
be (PUE 1, 8 yearly periods from 2030, no power source of its own unless a test adds one).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyomo.environ as pyo
import pytest
from conftest import FULL_SITE_EVENTS, ROOT, TEST_SOURCE, tiny_model

from twin.dates import add_months
from twin.plan import plan, plan_data
from twin.spec import SpecError, load_dict, load_model

LOAD_MW = 10.0
MUSD_PER_MW_YEAR_AT_1USD = 8.76e-3  # 8760 h x $1/MWh = $M 0.00876 per MW-year


def project(**over: object) -> dict:
    base = {
        "technology": "gas_simple_cycle",
        "capex_musd_per_mw": 0.0,
        "fixed_musd_per_mw_year": 0.0,
        "variable_usd_per_mwh": 0.0,
        "lead_months": 0,
        "earliest": "2020-01-01",
        "max_mw_per_site": 1000.0,
        "capacity_credit": 1.0,
        "source": TEST_SOURCE,
    }
    return {**base, **over}


def solve(projects: dict, policy: dict | None = None, sources: dict | None = None, **over: object):
    """The tiny model with ``projects``, no reserve margin unless ``policy`` sets one, and
    ``sources`` as its only power sources (none by default)."""
    data = tiny_model(
        power_sources=None,
        events=FULL_SITE_EVENTS,
        power_projects=projects,
        policy={"reserve_margin": 0.0, **(policy or {})},
        **over,
    )
    if sources:
        data["power_sources"] = sources
    return plan(load_dict(data))


def by_period(var: pyo.Var, g: str) -> dict[int, float]:
    return {p: pyo.value(x) for (_, h, p), x in var.items() if h == g}


def test_hand_computed_mix_of_gas_and_solar():
    """Load 10 MW, reserve 15%: firm 11.5 MW. Gas: cf 0.9, credit 0.9, $0.1M/MW-yr fixed,
    $50/MWh. Solar: cf 0.25, credit 0.1, $0.05M/MW-yr fixed, $20/MWh.

    With G MW gas (sized for firm: 0.9 G = 11.5 - 0.1 S) and S MW solar all drawn (0.25 S),
    the yearly cost is 0.1 G + 0.05 S + 0.438 (10 - 0.25 S) + 0.1752 x 0.25 S
    = 5.65778 - 0.026811 S: falling in S, so solar until it carries the whole load (S = 40),
    gas G = 7.5 / 0.9 = 8.3333 MW built for firm capacity and never run; 4.58533 $M a year.
    """
    p = solve(
        {
            "gas": project(capacity_factor=0.9, capacity_credit=0.9,
                           fixed_musd_per_mw_year=0.1, variable_usd_per_mwh=50.0),
            "pv": project(technology="solar_storage_ppa", capacity_factor=0.25,
                          capacity_credit=0.1, fixed_musd_per_mw_year=0.05,
                          variable_usd_per_mwh=20.0),
        },
        policy={"reserve_margin": 0.15},
    )  # fmt: skip
    m = p.model
    built = {g: sum(by_period(m.power_build, g).values()) for g in ("gas", "pv")}
    assert built["pv"] == pytest.approx(40.0, abs=1e-6)
    assert built["gas"] == pytest.approx(7.5 / 0.9, abs=1e-6)
    for q in range(p.data.n_periods):
        assert pyo.value(m.power_draw["s1", "gas", q]) == pytest.approx(0.0, abs=1e-6)
        cost = pyo.value(m.cash["opex", q] + m.cash["energy", q])
        assert cost == pytest.approx(4.58533, abs=1e-4)
        assert pyo.value(m.firm_capacity_mw["s1", q]) >= 1.15 * LOAD_MW - 1e-6


def test_no_source_above_its_availability_times_nameplate():
    """Every draw within capacity factor x nameplate online; today's sources within
    capacity factor x limit (a 100 MW grid at cf 0.5 and a cheap 0.3-cf project)."""
    p = solve(
        {"pv": project(capacity_factor=0.3, max_mw_per_site=20.0)},
        sources={
            "g1": {"site": "s1", "kind": "grid", "limit_mw": 100.0, "capacity_factor": 0.5,
                   "cost_usd_per_mwh": 80.0, "source": TEST_SOURCE},
        },
    )  # fmt: skip
    m, d = p.model, p.data
    for q in range(d.n_periods):
        online = sum(pyo.value(x) for (_, _, b), x in m.power_build.items() if b <= q)
        draw = pyo.value(m.power_draw["s1", "pv", q])
        assert draw <= 0.3 * online + 1e-6
        assert draw == pytest.approx(6.0, abs=1e-6)  # the 20 MW permit x 0.3
        assert pyo.value(m.power["g1", q]) == pytest.approx(LOAD_MW - 6.0, abs=1e-6)
        assert pyo.value(m.power["g1", q]) <= 50.0 + 1e-6


def test_a_battery_alone_serves_no_load_energy():
    """A 100 MW battery with full credit and a free battery project: firm capacity in plenty,
    no energy, so no chip runs and no compute is served."""
    p = solve(
        {"bat": project(technology="battery", storage_hours=4.0)},
        sources={
            "b1": {"site": "s1", "kind": "battery", "limit_mw": 100.0, "capacity_credit": 1.0,
                   "energy_mwh": 400.0, "cost_usd_per_mwh": 0.0, "source": TEST_SOURCE},
        },
    )  # fmt: skip
    m = p.model
    assert ("b1", 0) not in m.power  # storage has no energy variable
    assert len(m.power_draw) == 0
    served = sum(pyo.value(x) for x in m.alloc.values())
    assert served == pytest.approx(0.0, abs=1e-6)
    assert sum(pyo.value(x) for x in m.idle.values()) == pytest.approx(LOAD_MW * 8, abs=1e-6)


def test_storage_net_energy_is_zero_in_the_baseline():
    """The Megapacks and the battery project make no energy: no draw, no power variable."""
    d = plan_data(load_model(ROOT / "models" / "baseline.yaml"))
    batteries = [g for g in d.sources if g.endswith("megapacks")]
    assert batteries and all((g, p) not in d.power_idx for g in batteries for p in range(3))
    assert all(d.source_firm_mw[g, 0] > 0 for g in batteries)  # they still count as firm
    assert not [x for x in d.power_build.draw_idx if x[1] == "battery"]
    assert any(g == "battery" for (_, g, _) in d.power_build.build_idx)


@pytest.mark.parametrize(
    ("period", "draws"),
    [
        ("year", {0: 5.0, 1: 10.0}),  # online 2030-07-01: half of 2030
        ("quarter", {2: 10.0, 3: 10.0}),  # nothing in Q1, Q2; all of Q3 on
    ],
)
def test_no_delivery_before_earliest_plus_lead(period: str, draws: dict[int, float]):
    """Ordered 2030-01-01 with a 6-month lead: online 2030-07-01, the middle of the first
    yearly period, so at most half its energy (5 of 10 MW on average); quarterly: nothing in
    the first two quarters, the full 10 MW from the third."""
    p = solve(
        {"p1": project(earliest="2030-01-01", lead_months=6, max_mw_per_site=10.0)},
        horizon={"period": period},
    )
    got = by_period(p.model.power_draw, "p1")
    assert min(got) == min(draws)  # no draw variable before the project can be online
    for q, mw in draws.items():
        assert got[q] == pytest.approx(mw, abs=1e-6)
    online = p.data.power_build.online["s1", "p1", min(draws)]
    assert sum(a for _, a in online) == pytest.approx(draws[min(draws)] / 10.0)


@pytest.mark.parametrize("period", ["year", "quarter"])
def test_nuclear_ppa_is_not_online_before_2031(period: str):
    """The baseline's nuclear PPA (earliest 2028-01-01 + 36 months = 2031-01-01) has no
    online share in any period ending on or before 2031-01-01, and at most the share of a
    period after 2031-01-01 (yearly 2030-07..2031-07: 0.5; quarterly 2031-01..: 1)."""
    spec = load_model(ROOT / "models" / "baseline.yaml", overrides=[("horizon.period", period)])
    d = plan_data(spec)
    step = 12 if period == "year" else 3
    first = add_months(spec.model.power_projects["nuclear_ppa"].earliest, 36)
    shares = {p: a for (s, g, p), qa in d.power_build.online.items() if g == "nuclear_ppa"
              for _, a in qa}  # fmt: skip
    assert shares
    for p, a in shares.items():
        end = d.periods[p + 1] if p + 1 < d.n_periods else d.horizon_end
        assert end > first
        after = (end - max(first, d.periods[p])).days / (end - d.periods[p]).days
        assert a <= after + 0.005  # shares count calendar months: 6/12 against 181/365 days
    p0 = min(shares)
    assert d.periods[p0] <= first < add_months(d.periods[p0], step)
    assert shares[p0] == pytest.approx(0.5 if period == "year" else 1.0)


def test_an_idle_take_or_pay_ppa_still_costs_its_minimum():
    """A 10 MW PPA at $50/MWh, take-or-pay 0.5, is built for the chips installed in 2029 with
    a 3-year life; once they are gone (the fleet replay drops them from the 2033 period) nothing
    replaces them (chips at $1M each). The PPA then sits idle and still pays
    0.5 x 10 MW x 8.76 GWh/MW-yr x $50/MWh = 2.19 $M a year; without take-or-pay, nothing."""
    over = {"chips": {"c1": {"life_years": 3.0, "price_usd": 1e6}}}
    for tau, idle_cost in ((0.5, 2.19), (0.0, 0.0)):
        ppa = project(
            technology="nuclear_ppa",
            variable_usd_per_mwh=50.0,
            take_or_pay_share=tau,
            max_mw_per_site=10.0,
        )
        p = solve({"ppa": ppa}, **over)
        m = p.model
        assert sum(by_period(m.power_build, "ppa").values()) == pytest.approx(10.0, abs=1e-6)
        assert pyo.value(m.cash["energy", 0]) == pytest.approx(10 * 50 * 8.76e-3, rel=1e-9)
        gone = [q for q in range(p.data.n_periods) if p.data.existing_it_mw["s1", q] == 0]
        assert gone == list(range(3, 8))
        for q in gone:
            assert pyo.value(m.power_draw["s1", "ppa", q]) == pytest.approx(0.0, abs=1e-6)
            assert pyo.value(m.cash["energy", q]) == pytest.approx(idle_cost, abs=1e-9)
            if tau:
                paid = pyo.value(m.take_or_pay_unused_musd["s1", "ppa", q])
                assert paid == pytest.approx(idle_cost, rel=1e-9)


def test_firm_capacity_meets_peak_plus_reserve():
    """Load 10 MW, peak/average 1.2, reserve 15%: firm 13.8 MW; a credit of 0.8 needs 17.25 MW
    of nameplate although 10 MW of energy would do."""
    p = solve(
        {"gas": project(capacity_credit=0.8, capex_musd_per_mw=0.1)},
        policy={"reserve_margin": 0.15, "peak_to_average": 1.2},
    )
    m = p.model
    assert sum(by_period(m.power_build, "gas").values()) == pytest.approx(17.25, abs=1e-6)
    for q in range(p.data.n_periods):
        assert pyo.value(m.peak_load_mw["s1", q]) == pytest.approx(12.0, abs=1e-6)
        assert pyo.value(m.firm_capacity_mw["s1", q]) == pytest.approx(13.8, abs=1e-6)


@pytest.mark.parametrize(
    ("column", "bad"),
    [("take_or_pay_share", 1.5), ("capacity_factor", 0.0), ("capacity_factor", 1.2),
     ("round_trip_efficiency", 1.1)],
)  # fmt: skip
def test_bad_power_input_names_file_and_key(model_copy: Path, column: str, bad: float):
    path = model_copy.parent.parent / "datasets" / "power_projects.csv"
    lines = path.read_text().splitlines()
    cols = lines[0].split(",")
    row = lines[1].split(",")  # gas_cc: no quoted commas before the source column
    row[cols.index(column)] = str(bad)
    path.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n")
    with pytest.raises(SpecError) as info:
        load_model(model_copy)
    assert info.value.file == str(path.resolve())
    assert f"gas_cc.{column}" in info.value.key


def test_bad_power_input_exits_2(model_copy: Path):
    path = model_copy.parent.parent / "datasets" / "power_sources.csv"
    path.write_text(path.read_text().replace(",300,0.85,", ",300,1.5,", 1))
    res = subprocess.run(
        [sys.executable, "-m", "twin", "validate", str(model_copy)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 2, res.stderr
    assert "power_sources.csv" in res.stderr + res.stdout
    assert "round_trip_efficiency" in res.stderr + res.stdout
    assert "Traceback" not in res.stderr


def test_one_gas_price_for_old_and_new_turbines():
    """Today's Colossus 1 turbines and a new simple-cycle unit burn the same gas: at 10
    MMBtu/MWh and $3.5/MMBtu (+3%/yr, mid-period) both pay $35 x 1.03^t for fuel, and differ
    only by their O&M ($10 against $5/MWh)."""
    d = plan_data(load_model(ROOT / "models" / "baseline.yaml"))
    for p, t in enumerate(d.t[:3]):
        fuel = 35.0 * 1.03 ** (t + 0.5) * MUSD_PER_MW_YEAR_AT_1USD
        old = d.energy_musd_per_mw_year["c1_turbines", p]
        new = d.power_build.energy_musd_per_mw_year["gas_sc", p]
        assert old == pytest.approx(fuel + 10 * MUSD_PER_MW_YEAR_AT_1USD, rel=1e-9)
        assert new == pytest.approx(fuel + 5 * MUSD_PER_MW_YEAR_AT_1USD, rel=1e-9)


def test_grid_capacity_charge_is_paid_on_the_interconnection():
    """A 10 MW interconnection at $0.12M/MW-year capacity charge (PJM ~$329/MW-day) and
    $50/MWh: 1.2 + 4.38 = 5.58 $M a year of power cost; the PJM row is offered in Ohio only."""
    p = solve({"ic": project(technology="grid", capacity_charge_musd_per_mw_year=0.12,
                             variable_usd_per_mwh=50.0, max_mw_per_site=10.0)})  # fmt: skip
    for q in range(p.data.n_periods):
        assert pyo.value(p.model.cash["energy", q]) == pytest.approx(5.58, rel=1e-9)
    d = plan_data(load_model(ROOT / "models" / "baseline.yaml"))
    pjm = {s for s, g in d.power_build.builds_of if g == "grid_ic_pjm"}
    assert pjm == {"ohio_1", "ohio_2"}
    assert d.power_build.capacity_charge_musd_per_mw_year["grid_ic_pjm"] == pytest.approx(
        329.17 * 365 / 1e6, abs=1e-4
    )
