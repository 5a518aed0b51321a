"""The strict reading rules themselves: YAML, files, sane ranges, dates in the horizon."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
from conftest import tiny_model

from twin.plan.data import plan_data
from twin.spec import SpecError, load_dict, load_model
from twin.spec.files import confine, decode
from twin.spec.ranges import ANY_NUMBER, unit_of
from twin.spec.schema import Model
from twin.spec.yamlfile import MAX_DEPTH, parse

F = Path("m.yaml")


def _numeric_fields(cls: type, seen: set[type] | None = None) -> list[tuple[str, str, str]]:
    """(class, field, description) of every int/float field reachable from ``cls``."""
    seen = set() if seen is None else seen
    if cls in seen:
        return []
    seen.add(cls)
    out = []
    for name, fld in cls.model_fields.items():
        if "float" in str(fld.annotation) or "int" in str(fld.annotation):
            out.append((cls.__name__, name, fld.description or ""))
        for arg in [fld.annotation, *typing.get_args(fld.annotation)]:
            for sub in [arg, *typing.get_args(arg)]:
                if hasattr(sub, "model_fields"):
                    out += _numeric_fields(sub, seen)
    return out


def test_every_number_of_every_schema_has_a_stated_sane_range() -> None:
    """No physical quantity, price, count or year falls back to the generic +-1e12 fence."""
    fields = _numeric_fields(Model)
    assert len(fields) > 60  # the walk reaches the nested schemas (sites, chips, shells...)
    generic = [(c, n) for c, n, d in fields if unit_of(n, d)[1] == ANY_NUMBER]
    assert generic == []


def test_units_map_to_their_ranges() -> None:
    assert unit_of("max_mw", "Largest IT capacity [MW]") == ("MW", (0, 1e6))
    assert unit_of("base_year", "Year of money [year]") == ("year", (1950, 2200))
    assert unit_of("altitude_km", "Altitude, km; >= 160.") == ("km", (0, 1e6))


def test_duplicate_keys_in_a_list_of_mappings_name_both_lines() -> None:
    with pytest.raises(SpecError) as e:
        parse("rows:\n  - a: 1\n    b: 2\n    a: 3\n", F)
    assert "duplicate key 'a' at lines 2 and 4" in str(e.value) and e.value.key.startswith("line 4")


def test_merge_keys_may_be_overridden() -> None:
    """YAML merge keys (<<) are defaults: a key written beside one overrides it (YAML's stated
    rule, not a duplicate); merged keys are added."""
    tree = parse("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  x: 5\n", F)
    assert tree["use"] == {"x": 5, "y": 2}
    with pytest.raises(SpecError, match=r"duplicate key 'x' at lines 3 and 4"):
        parse("base: &b {x: 1}\nuse:\n  x: 4\n  x: 5\n  <<: *b\n", F)  # written twice


def test_nesting_limit_is_exact() -> None:
    ok = "a: " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2)
    assert parse(ok, F) is not None
    with pytest.raises(SpecError, match="nesting"):
        parse("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH, F)


def test_bad_byte_column_counts_characters_not_bytes() -> None:
    """'é' is two bytes in UTF-8 but one column: the bad byte after 'aé' is at column 3."""
    with pytest.raises(SpecError) as e:
        decode("x\naé".encode() + b"\xff\n", F)
    assert e.value.key == "line 2, column 3"


def test_utf8_byte_order_mark_is_dropped() -> None:
    assert decode(b"\xef\xbb\xbfname,a\n", F) == "name,a\n"


def test_confine_follows_symlinks(tmp_path: Path) -> None:
    inside, outside = tmp_path / "in", tmp_path / "out"
    inside.mkdir()
    outside.mkdir()
    (outside / "t.csv").write_text("secret")
    (inside / "t.csv").symlink_to(outside / "t.csv")
    with pytest.raises(SpecError) as e:
        confine(inside / "t.csv", [inside], F, "datasets.sites")
    assert str(outside / "t.csv") in str(e.value) and "secret" not in str(e.value)
    assert confine(inside / ".." / "in", [inside], F, "k") == inside


@pytest.mark.parametrize(
    ("over", "key"),
    [
        (
            {
                "horizon": {"start": "2030-01-01", "years": 8},
                "events": {
                    "late": {"date": "2038-01-01", "kind": "note", "source": "assumption: a test"}
                },
            },
            "events.late.date",
        ),
    ],
)
def test_dates_on_or_after_the_horizon_end_are_refused(over: dict, key: str) -> None:
    """The tiny model's horizon is 2030-01-01 plus 8 years: it ends on 2038-01-01 (exclusive)."""
    with pytest.raises(SpecError) as e:
        load_dict(tiny_model(**over))
    assert e.value.key == key and "2038-01-01" in str(e.value)
    load_dict(tiny_model(**_day_before(over)))  # the last day inside the horizon is fine


def test_a_site_opening_after_the_horizon_takes_no_part() -> None:
    """A site is an option for every horizon: one whose earliest date lies past a short horizon
    is accepted (not refused) and no build of it is indexed."""
    spec = load_dict(tiny_model(sites={"s1": {"earliest": "2039-01-01"}}))
    assert [s for s, _ in plan_data(spec).build_idx] == []


def _day_before(tree: object) -> object:
    """``tree`` with every 2038-01-01 moved to 2037-12-31."""
    if isinstance(tree, dict):
        return {k: _day_before(v) for k, v in tree.items()}
    return "2037-12-31" if tree == "2038-01-01" else tree


def test_notice_before_the_contract_starts_is_refused() -> None:
    contract = {
        "tenant": "own",
        "site": "s1",
        "form": "whole_site",
        "start": "2031-01-01",
        "term_months": 12,
        "notice_months": 3,
        "notice_given": "2030-06-01",
        "price_usd_per_mw_month": 1.0,
        "source": "assumption: a test",
    }
    with pytest.raises(SpecError, match="before the contract starts"):
        load_dict(tiny_model(contracts={"c": contract}))


def test_an_integer_python_refuses_to_read_is_an_error_not_a_crash() -> None:
    """Python will not convert more than 4300 digits; YAML's int constructor would raise."""
    with pytest.raises(SpecError) as e:
        parse("a: 1\nb: " + "9" * 5000 + "\n", F)
    assert e.value.key == "line 2, column 4" and "5,000 characters" in str(e.value)


def test_sites_at_one_point_share_one_climate() -> None:
    """Two sites at the same coordinates with different PUE are refused, naming the second
    site's key and the first site; the shipped data pass (abilene and texas_1 agree)."""
    s2 = {**tiny_model()["sites"]["s1"], "pue": 1.3}
    with pytest.raises(SpecError) as e:
        load_dict(tiny_model(sites={"s2": s2}))
    assert "sites.s2.pue: 1.3, but site 's1' at the same point" in str(e.value)
    m = load_model("models/baseline.yaml").model
    assert (m.sites["abilene"].pue, m.sites["abilene"].wue_l_per_kwh) == (
        m.sites["texas_1"].pue,
        m.sites["texas_1"].wue_l_per_kwh,
    )
