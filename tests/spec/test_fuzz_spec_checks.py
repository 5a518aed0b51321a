"""Faults a fuzzing pass found in the consistency checks: each is now refused, naming the file
the value came from (a table, the model file's scenario, ``--set``) and the key."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import PERIOD_FORM
from fuzz_helpers import E
from fuzz_helpers import edit as _edit
from fuzz_helpers import refused as _refused

from tests.cli.runner import twin_main  # noqa: F401 - the fixture; tests take it as a parameter
from twin.spec import SpecError, load_model


def _data(model: Path) -> Path:
    return model.parent.parent / "datasets"


def test_value_ref_cycle_is_refused(twin_main, model_copy: Path) -> None:
    _edit(_data(model_copy) / "tenants.csv", ",neocloud_spot,1.15,", ",xai_training,1.15,")
    _refused(model_copy, "tenants.csv", "tenants.xai_training.value_ref", "cycle")
    res = twin_main("validate", model_copy)
    assert res.code == 2 and "tenants.xai_training.value_ref" in res.err, res.err


@pytest.mark.parametrize(
    ("table", "old", "new", "key"),
    [
        (
            "power_markets",
            "gas_combined_cycle;gas_simple_cycle",
            "gas_combined_cycle;gas_combined_cycle",
            "power_markets.gas_turbine_slots.technologies",
        ),
        (
            "power_projects",
            "gas_cc,gas_combined_cycle,,",
            "gas_cc,gas_combined_cycle,colossus1;colossus1,",
            "power_projects.gas_cc.sites",
        ),
    ],
)
def test_duplicates_in_list_cells_are_refused(
    model_copy: Path, table: str, old: str, new: str, key: str
) -> None:
    _edit(_data(model_copy) / f"{table}.csv", old, new)
    _refused(model_copy, f"{table}.csv", key, "listed twice")


def test_duplicate_region_tranche_is_refused(model_copy: Path) -> None:
    _edit(_data(model_copy) / "regions.csv", "texas_2,texas,2,", "texas_2,texas,1,")
    _refused(model_copy, "regions.csv", "regions.texas_2.tranche", "texas_1")


def test_chip_sold_until_before_from_is_refused(model_copy: Path) -> None:
    _edit(_data(model_copy) / "chips.csv", "2023-01-01,2025-12-31", "2023-01-01,2022-12-31")
    _refused(model_copy, "chips.csv", "chips.h100.available_until", "before available_from")


def test_chips_installed_before_their_site_is_online_are_refused(model_copy: Path) -> None:
    events = _data(model_copy) / "events.csv"
    rows = list(csv.reader(io.StringIO(events.read_text())))
    online = next(r for r in rows if r[2] == "site_online" and r[3] == "colossus2")
    online[1] = "2026-03-01"  # after the phase's chips (2025-08-01)
    with events.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    _refused(model_copy, "events.csv", "events.c2_phase1_gb200.date", "online")


def test_ceiling_below_what_is_online_is_refused(twin_main, model_copy: Path) -> None:
    _refused(
        model_copy,
        "--set: sites.colossus1.max_mw",
        "300 MW its site_online events",
        overrides=[("sites.colossus1.max_mw", 0)],
    )


def test_module_above_its_maximum_is_refused(model_copy: Path) -> None:
    _edit(
        _data(model_copy) / "sites.csv",
        "0.97,2026-07-01,50,",
        "0.97,2026-07-01,600,",
    )
    _refused(model_copy, "sites.csv", "sites.colossus1.module_mw", "larger than max_mw 500")
    _refused(
        model_copy,
        "--set: fabs.terafab.module_kwspm",
        "larger than max_kwspm",
        overrides=[("sites.colossus1.module_mw", 50), ("fabs.terafab.module_kwspm", 30)],
    )


def test_field_the_form_does_not_use_is_refused(model_copy: Path) -> None:
    _edit(_data(model_copy) / "contracts.csv", "whole_site,,", "whole_site,5,")
    _refused(model_copy, "contracts.csv", "contracts.colossus1_anthropic.quantity_k_h100e")
    _refused(
        model_copy,
        "--set: events.c1_phase1_online.chip",
        "a 'site_online' event does not use it",
        overrides=[
            ("contracts.colossus1_anthropic.quantity_k_h100e", None),
            ("events.c1_phase1_online.chip", "h100"),
        ],
    )


def test_empty_launch_price_table_is_refused(model_copy: Path) -> None:
    _refused(
        model_copy,
        "--set: orbit.launch_usd_per_kg",
        "orbital_dd",
        overrides=[("orbit.launch_usd_per_kg", {})],
        scenario="orbital_2035",
    )


def test_region_no_link_reaches_is_refused(model_copy: Path) -> None:
    regions = _data(model_copy) / "user_regions.csv"
    row = next(r for r in regions.read_text().splitlines() if r.startswith("new_york,"))
    regions.write_text(regions.read_text() + row.replace("new_york,", "island,", 1) + "\n")
    _refused(
        model_copy,
        "user_regions.csv",
        "user_regions.island",
        "links.csv",
        scenario="inference_orbit_vs_ground",
    )


def test_climate_conflict_names_the_row_with_the_default(model_copy: Path) -> None:
    sites = _data(model_copy) / "sites.csv"
    rows = list(csv.reader(io.StringIO(sites.read_text())))
    i = rows[0].index("pue")
    with sites.open("w", newline="") as fh:
        csv.writer(fh).writerows([r[:i] + r[i + 1 :] for r in rows])
    _refused(model_copy, "sites.csv: row", "(sites.abilene.pue): 1.3 (a default)", "regions.csv")


def test_contradiction_names_where_each_value_came_from(model_copy: Path) -> None:
    msg = _refused(
        model_copy,
        "--set: contracts.colossus1_anthropic.renew",
        "scenarios.hoard.set.contracts.colossus1_anthropic.notice_given",
        scenario="hoard",
        overrides=[("contracts.colossus1_anthropic.renew", "decide")],
    )
    assert "contracts.csv" not in msg


def test_options_that_conflict_are_blamed_on_the_option(model_copy: Path) -> None:
    with pytest.raises(SpecError) as e:
        load_model(
            model_copy,
            overrides=[*PERIOD_FORM, ("horizon.hours.segments", 4)],
        )
    assert str(e.value).startswith("--set: horizon.hours"), str(e.value)


def test_retiring_more_chips_than_installed_is_refused(model_copy: Path) -> None:
    events = _data(model_copy) / "events.csv"
    events.write_text(
        events.read_text()
        + "h100_out,2025-01-01,chips_retired,colossus1,h100,,,,150000,,assumption: test\n"
    )
    _refused(model_copy, "events.csv", "events.h100_out.chips", "only 100000 are installed")


def test_value_ref_cycle_of_two_names_each_member_once() -> None:
    from conftest import lessee, tiny_model

    from twin.spec import load_dict

    model = tiny_model(
        tenants={"own": {"value_ref": "other"}, "other": {**lessee(1.0), "value_ref": "own"}}
    )
    with pytest.raises(SpecError) as e:
        load_dict(model)
    assert str(e.value).count("a cycle of value references") == 2, str(e.value)
    assert "tenants.own.value_ref" in str(e.value) and "own -> other -> own" in str(e.value)


def test_tranche_smaller_than_a_module_is_one_module(model_copy: Path) -> None:
    """A candidate tranche's module (100 MW) never exceeds the tranche: it could not be built."""
    _edit(
        _data(model_copy) / "regions.csv",
        "texas_1,texas,1,32.4487,-99.7331,1000,",
        "texas_1,texas,1,32.4487,-99.7331,60,",
    )
    spec = load_model(model_copy, overrides=E)
    assert spec.model.sites["texas_1"].module_mw == 60
    assert spec.model.sites["texas_2"].module_mw == 100


def test_a_region_linked_only_to_a_disabled_site_is_refused(model_copy: Path) -> None:
    """The network leaves a disabled site out, so a link to it reaches nothing (review)."""
    regions = _data(model_copy) / "user_regions.csv"
    row = next(r for r in regions.read_text().splitlines() if r.startswith("new_york,"))
    regions.write_text(regions.read_text() + row.replace("new_york,", "island,", 1) + "\n")
    links = _data(model_copy) / "links.csv"
    link = "island-atlanta,region:island,site:atlanta,100,,0,0,,assumption: a test link\n"
    links.write_text(links.read_text() + link)
    sets = [("sites.atlanta.enabled", False)]
    _refused(
        model_copy, "user_regions.island", overrides=sets, scenario="inference_orbit_vs_ground"
    )
    load_model(model_copy, overrides=E, scenario="inference_orbit_vs_ground")  # atlanta enabled


def test_a_site_shut_by_max_mw_zero_is_not_refused_for_its_module(model_copy: Path) -> None:
    """max_mw 0 closes a candidate (it builds nothing); its module size is then moot (review)."""
    spec = load_model(model_copy, overrides=[*E, ("sites.atlanta.max_mw", 0)])
    assert spec.model.sites["atlanta"].max_mw == 0


def test_a_dotted_row_name_out_of_the_horizon_names_its_row(model_copy: Path) -> None:
    """A row name holding a dot split into too many parts: exit 70 (review)."""
    events = _data(model_copy) / "events.csv"
    events.write_text(
        events.read_text()
        + 'c2.phase9,2045-01-01,site_online,colossus2,,,,10,,"later","assumption"\n'
    )
    _refused(model_copy, "events.csv", "c2.phase9", "after the horizon")


def test_chips_installed_early_are_named_at_every_site(model_copy: Path) -> None:
    """Each site whose chips come before its MW is named (the check stopped at the first)."""
    events = _data(model_copy) / "events.csv"
    rows = list(csv.reader(io.StringIO(events.read_text())))
    for site, day in (("colossus1", "2024-09-01"), ("colossus2", "2026-03-01")):
        online = next(r for r in rows if r[2] == "site_online" and r[3] == site)
        online[1] = day  # after the site's first chips
    with events.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    text = _refused(model_copy, "events.c1_phase1_h100.date", "events.c2_phase1_gb200.date")
    assert text.count("site_online events bring only") == 2, text  # one per site


def test_a_tranche_is_built_whole_in_equal_modules_of_at_most_100_mw(model_copy: Path) -> None:
    """150 MW is two modules of 75 MW (one 100 MW module built only 100 of the 150: a bigger
    tranche could build less than a 100 MW one holds whole); every size splits evenly."""
    from twin.spec.candidates import tranche_module_mw

    for max_mw in [*range(10, 1010, 10), 1e-8, 1e-12, 1e-3, 99.999, 100.001, 2000.0]:
        module = tranche_module_mw(float(max_mw))
        assert module is not None and module <= 100.0 + 1e-9
        n = max_mw / module
        assert n == pytest.approx(round(n), abs=1e-9) and round(n) == -(-max_mw // 100), max_mw
    assert tranche_module_mw(0.0) is None
    _edit(
        _data(model_copy) / "regions.csv",
        "texas_1,texas,1,32.4487,-99.7331,1000,",
        "texas_1,texas,1,32.4487,-99.7331,150,",
    )
    spec = load_model(model_copy, overrides=E)
    assert spec.model.sites["texas_1"].module_mw == 75
    assert spec.model.sites["texas_2"].module_mw == 100  # 2,000 MW: twenty of 100
