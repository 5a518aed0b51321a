"""Loading model files: scenarios, overrides, and clear errors naming file and key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import tiny_model

from twin.spec import SpecError, load_dict, load_model, parse_assignment


def test_baseline_and_every_scenario_load() -> None:
    spec = load_model("models/baseline.yaml")
    assert {"neocloud", "hoard", "reclaim_2027", "turbine_permit"} <= set(spec.model.scenarios)
    for name in spec.model.scenarios:
        assert load_model("models/baseline.yaml", scenario=name).scenario == name


def test_scenario_overrides_apply() -> None:
    spec = load_model("models/baseline.yaml", scenario="turbine_permit")
    assert spec.model.power_sources["c1_turbines"].limit_mw == 180
    base = load_model("models/baseline.yaml")
    assert base.model.power_sources["c1_turbines"].limit_mw == 420


def test_set_override_parses_yaml_values() -> None:
    spec = load_model(
        "models/baseline.yaml", overrides=[parse_assignment("policy.internal_share_min=0.5")]
    )
    assert spec.model.policy.internal_share_min == 0.5


def test_every_dataset_row_names_a_source() -> None:
    spec = load_model("models/baseline.yaml")
    m = spec.model
    tables = (m.sites, m.chips, m.tenants, m.power_sources, m.contracts, m.events)
    for table in (*tables, m.user_regions, m.links, m.power_markets):
        for name, row in table.items():
            assert len(row.source) > 10, name
            assert "assumption" in row.source or any(ch.isdigit() for ch in row.source), name


def test_input_hashes_cover_model_and_datasets() -> None:
    spec = load_model("models/baseline.yaml")
    assert len(spec.files) == 15  # the YAML, 13 CSV tables (issue 13 two, 23 two, 17 one), a TLE
    assert any(f.endswith("iridium_next_plane4.tle") for f in spec.files)
    assert all(len(h) == 64 for h in spec.files.values())


def _error(path: Path, **kw: object) -> SpecError:
    with pytest.raises(SpecError) as info:
        load_model(path, **kw)
    return info.value


def test_unknown_yaml_key_suggests_the_right_one(model_copy: Path) -> None:
    text = model_copy.read_text().replace("discount_rate:", "discount_rat:")
    model_copy.write_text(text)
    err = _error(model_copy)
    assert err.file == str(model_copy)
    assert err.key == "economics.discount_rat"
    assert "did you mean 'discount_rate'" in str(err)


def test_unknown_csv_column_names_file_and_column(model_copy: Path) -> None:
    sites = model_copy.parent.parent / "datasets" / "sites.csv"
    sites.write_text(sites.read_text().replace("max_mw", "max_mwh", 1))
    err = _error(model_copy)
    assert err.file == str(sites.resolve())
    assert "max_mwh" in err.key and "did you mean 'max_mw'" in str(err)


def test_negative_capacity_names_row_and_column(model_copy: Path) -> None:
    sites = model_copy.parent.parent / "datasets" / "sites.csv"
    sites.write_text(
        sites.read_text().replace(
            "colossus2,terrestrial,35.0090,-89.9780,1400",
            "colossus2,terrestrial,35.0090,-89.9780,-5",
        )
    )
    err = _error(model_copy)
    assert err.file == str(sites.resolve())
    assert "row 3 ('colossus2')" in err.key and "max_mw" in err.key
    assert "greater than or equal to 0" in str(err)


def test_unknown_site_in_contract_is_named(model_copy: Path) -> None:
    contracts = model_copy.parent.parent / "datasets" / "contracts.csv"
    contracts.write_text(
        contracts.read_text().replace("anthropic,colossus1,", "anthropic,colosus1,")
    )
    err = _error(model_copy)
    assert err.key == "contracts.colossus1_anthropic.site"
    assert "colosus1" in str(err) and "did you mean 'colossus1'" in str(err)


def test_malformed_date_in_csv_is_named(model_copy: Path) -> None:
    events = model_copy.parent.parent / "datasets" / "events.csv"
    events.write_text(
        events.read_text().replace("2024-07-22,site_online", "2024-13-22,site_online")
    )
    err = _error(model_copy)
    assert "events.csv" in err.file and "c1_phase1_online" in err.key and "date" in err.key


def test_missing_dataset_file_is_named(model_copy: Path) -> None:
    (model_copy.parent.parent / "datasets" / "chips.csv").unlink()
    err = _error(model_copy)
    assert err.file.endswith("chips.csv") and err.key == "datasets.chips"


def test_unknown_scenario_suggests(model_copy: Path) -> None:
    err = _error(model_copy, scenario="hord")
    assert "did you mean 'hoard'" in str(err)


def test_override_of_unknown_row_is_named() -> None:
    with pytest.raises(SpecError) as info:
        load_model("models/baseline.yaml", overrides=[("sites.colosus1.max_mw", 5)])
    assert info.value.file == "--set" and "did you mean 'colossus1'" in str(info.value)


def test_term_shorter_than_notice_is_an_error() -> None:
    model = tiny_model(
        contracts={
            "c": {
                "tenant": "own",
                "site": "s1",
                "form": "whole_site",
                "start": "2030-01-01",
                "term_months": 2,
                "notice_months": 3,
                "price_usd_per_h100e_hour": 1.0,
                "source": "assumption: test",
            }
        }
    )
    with pytest.raises(SpecError, match=r"term_months .2. is shorter than notice_months"):
        load_dict(model)


def test_tenant_no_site_can_serve_is_reported() -> None:
    model = tiny_model(tenants={"own": {"latency_sla_ms": 1.0, "lat_deg": 51.5, "lon_deg": 0.0}})
    with pytest.raises(SpecError, match="no enabled site can serve"):
        load_dict(model)


def test_a_tenant_without_an_sla_and_no_enabled_site_is_named_without_a_latency() -> None:
    """With every site disabled a tenant without a latency SLA was told "within None ms"."""
    model = tiny_model(sites={"s1": {"enabled": False}})
    with pytest.raises(SpecError) as info:
        load_dict(model)
    msg = str(info.value)
    assert "tenants.own: no enabled site can serve this tenant; expected an enabled site" in msg
    assert "None" not in msg


def test_site_without_power_is_an_orphan() -> None:
    model = tiny_model(
        sites={
            "s2": {
                "lat_deg": 30.0,
                "lon_deg": -95.0,
                "max_mw": 10,
                "lead_months": 12,
                "capex_musd_per_mw": 1,
                "opex_musd_per_mw_year": 0,
                "source": "assumption: t",
            }
        }
    )
    with pytest.raises(SpecError, match="no power source"):
        load_dict(model)


def test_frozen_models_reject_mutation() -> None:
    spec = load_dict(tiny_model())
    with pytest.raises(Exception, match="frozen"):
        spec.model.sites["s1"].max_mw = 5  # type: ignore[misc]
    assert spec.model.horizon.start == dt.date(2030, 1, 1)


def test_override_may_create_a_section_the_yaml_leaves_to_defaults() -> None:
    """models/baseline.yaml has no 'vendor' block; vendor.markup must still be settable."""
    spec = load_model("models/baseline.yaml", overrides=[("vendor.markup", 1.5)])
    assert spec.model.vendor.markup == 1.5 and spec.model.vendor.allocation_scale == 1.0
    with pytest.raises(SpecError, match="did you mean 'vendor'"):
        load_model("models/baseline.yaml", overrides=[("vendr.markup", 1.5)])
    with pytest.raises(SpecError, match="unknown shell 'dawn_dsk'"):
        load_model("models/baseline.yaml", overrides=[("orbit.shells.dawn_dsk.planes", 2)])


def test_load_dict_refuses_a_table_given_only_by_its_csv_path() -> None:
    """load_dict reads no files: a ``datasets`` path whose rows are not inline would be left
    out silently (a model file read with yaml and handed to load_dict), and an unknown table
    name is refused; paths beside inline rows (``model_dump()``'s provenance) are accepted."""
    no_rows = {k: v for k, v in tiny_model().items() if k != "chips"}
    with pytest.raises(SpecError, match="not given inline") as e:
        load_dict({**no_rows, "datasets": {"chips": "../datasets/chips.csv"}})
    assert e.value.key == "datasets.chips" and "load_model" in e.value.expected
    with pytest.raises(SpecError, match="unknown table 'chip'") as e:
        load_dict({**tiny_model(), "datasets": {"chip": "chips.csv"}})
    spec = load_dict({**tiny_model(), "datasets": {"chips": "../datasets/chips.csv"}})
    again = load_dict(spec.model.model_dump())
    assert again.model.chips == spec.model.chips
    assert again.model.datasets == {"chips": "../datasets/chips.csv"}


def test_load_dict_takes_a_table_given_by_an_override() -> None:
    """The rows of a table named in ``datasets`` may come from an override (review)."""
    no_rows = {k: v for k, v in tiny_model().items() if k != "chips"}
    data = {**no_rows, "datasets": {"chips": "../datasets/chips.csv"}}
    spec = load_dict(data, overrides=[("chips", tiny_model()["chips"])])
    assert spec.model.chips.keys() == tiny_model()["chips"].keys()
