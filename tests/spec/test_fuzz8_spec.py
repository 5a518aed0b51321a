"""Faults an eighth fuzzing pass found in the model's expansion (region tranches into sites,
the roadmap into chips): a long horizon at the roadmap's default rates, or a rate at its own
bound, made a chip out of the schema's ranges (exit 70); a tiny ``step_years`` hung; a
horizon past twin's last date ended in an internal error; a tranche named like a site replaced
it silently. Each is now saturation stated in the chip's source, or a SpecError naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from twin.spec import SpecError, load_model

MODEL = Path(__file__).resolve().parents[2] / "models" / "baseline.yaml"


def test_a_long_horizon_holds_compute_per_watt_at_the_least_chip_power() -> None:
    """40 + 25 solved years at 24%/yr compute per watt: 0.278 kW per H100e (Feynman) x
    1.24^-60 is 7e-7 kW, below 1 W for a chip of 1,000 H100e: the generation holds at 1 W
    (0.001 kW) and says so, and the earlier ones keep their trend."""
    spec = load_model(MODEL, overrides=[("horizon.years", 40), ("horizon.buffer_years", 25)])
    made = {n: c for n, c in spec.model.chips.items() if c.extrapolated}
    held = [c for c in made.values() if "compute per watt held" in c.source]
    assert held and all(c.kw == pytest.approx(0.001) and c.h100e == 1000 for c in held)
    assert len(held) < len(made)  # the first generations are on the trend
    assert min(c.kw for c in made.values()) >= 0.001


@pytest.mark.parametrize(
    ("path", "value", "key"),
    [
        ("roadmap.perf_per_usd_doubling_years", 0.05, "roadmap.perf_per_usd_doubling_years"),
        ("roadmap.vendor_alloc_growth", 10, "roadmap.vendor_alloc_growth"),
        ("horizon.start", "2190-01-01", "horizon.start"),
        ("roadmap.step_years", 0.001, "roadmap.step_years"),
    ],
)
def test_a_rate_or_date_that_breaks_the_expansion_names_its_key(path, value, key) -> None:
    """A price of 2.9e-19 $ per chip 4 years after Feynman, an allocation of 5e7 thousand chips
    a year, a plan ending in 2207, 65,000 generations: each a SpecError naming the --set."""
    with pytest.raises(SpecError, match=rf"--set: {key}:"):
        load_model(MODEL, overrides=[(path, value)])


def test_a_tranche_named_like_a_site_is_refused_naming_its_row(model_copy: Path) -> None:
    """regions.csv's texas_1 renamed abilene (a site of sites.csv) made one site of two."""
    regions = model_copy.parent.parent / "datasets" / "regions.csv"
    regions.write_text(regions.read_text().replace("\ntexas_1,", "\nabilene,", 1))
    with pytest.raises(SpecError, match=r"regions\.csv: row 2 \('abilene'\).*named like the site"):
        load_model(model_copy)


def test_every_value_of_a_large_vary_grid_is_checked_before_any_member_runs() -> None:
    """Past VALIDATE_ALL members only one member per shape was loaded, so a 21st value -1 of
    ``vendor.markup`` became a failed member of a sweep that exited 0; each value of a grid is
    now loaded on its own (21 loads, not 21 x the other paths' values) before any is solved."""
    from twin.study.ensemble import VALIDATE_ALL, Member, member_keys

    values = [1 + i / 10 for i in range(VALIDATE_ALL)] + [-1.0]
    members = [
        Member(f"m{i}", "neocloud", (("vendor.markup", v),), option="--vary")
        for i, v in enumerate(values)
    ]
    with pytest.raises(SpecError, match=r"--vary: vendor\.markup: .*greater than 0, got -1"):
        member_keys(str(MODEL), members)
    assert len(member_keys(str(MODEL), members[:-1])) == VALIDATE_ALL


@pytest.mark.parametrize(
    ("path", "value", "needle"),
    [
        ("tenants.anthropic.demand_max_k_h100e", 100, "below demand_k_h100e"),
        ("tenants.anthropic.value_floor_usd_per_h100e_hour", 50, "above value_usd_per_h100e"),
    ],
)
def test_a_tenants_cap_below_its_demand_or_floor_above_its_value_is_refused(path, value, needle):
    """A cap on demand growth below the first period's demand (400 thousand H100e) and a
    long-run floor above the value it falls from were taken without a word."""
    with pytest.raises(SpecError, match=needle):
        load_model(MODEL, overrides=[(path, value)])


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        (",gb200,,,,20000,", ",gb200,,,,20000.5,", "20000.5 is not a whole number"),
    ],
)
def test_chips_installed_in_part_are_refused(model_copy, old, new, needle):
    """events.csv's c1_gb200 installing 20,000.5 chips."""
    events = model_copy.parent.parent / "datasets" / "events.csv"
    events.write_text(events.read_text().replace(old, new, 1))
    with pytest.raises(SpecError, match=rf"events\.csv: row 7 \('c1_gb200'\).*{needle}"):
        load_model(model_copy)


def test_a_scenario_or_override_that_sets_the_scenarios_is_refused(tmp_path: Path) -> None:
    """A scenario's ``set`` of ``scenarios.hoard.set`` and a ``--set scenarios.hoard...`` were
    taken and did nothing: the scenarios are read before any set applies."""
    with pytest.raises(SpecError, match=r"--set: scenarios\.hoard\.description: an override"):
        load_model(MODEL, overrides=[("scenarios.hoard.description", "x")])
    text = MODEL.read_text().replace(
        "    set:\n", "    set:\n      scenarios.hoard.description: x\n", 1
    )
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.yaml").write_text(text)
    (tmp_path / "datasets").symlink_to(MODEL.parents[1] / "datasets")
    first = next(n for n in __import__("yaml").safe_load(text)["scenarios"])
    with pytest.raises(SpecError, match=rf"scenarios\.{first}\.set\.scenarios\.hoard"):
        load_model(tmp_path / "models" / "m.yaml", scenario=first)
