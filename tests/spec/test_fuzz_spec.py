"""Faults a fuzzing pass found in input validation: each is now refused, naming the file and key
(a :class:`SpecError`, which the command line turns into exit 2)."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PERIOD_FORM, tiny_model

from tests.cli.runner import twin_main  # noqa: F401 - the fixture; tests take it as a parameter
from twin.spec import SpecError, load_dict, load_model


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in the file at ``path`` (it must be there)."""
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, count))


def _refused(model: Path, *needles: str, **kw: object) -> SpecError:
    """Load ``model`` (period form): a SpecError whose message holds every needle."""
    overrides = [*PERIOD_FORM, *kw.pop("overrides", [])]  # type: ignore[misc]
    with pytest.raises(SpecError) as e:
        load_model(model, overrides=overrides, **kw)  # type: ignore[arg-type]
    for needle in needles:
        assert needle in str(e.value), (needle, str(e.value))
    return e.value


# --- YAML: numbers decimal, booleans true/false, merge keys overridden as YAML says ---------


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("years: ", "years: 0x0c #", "horizon.years"),
        ("years: ", "years: 0b1100 #", "horizon.years"),  # YAML 1.1 binary: 12
        ("base_year: 2026", "base_year: 33:46", "economics.base_year"),  # sexagesimal: 2026
    ],
)
def test_numbers_in_the_model_file_are_decimal(
    model_copy: Path, old: str, new: str, key: str
) -> None:
    _edit(model_copy, old, new)
    _refused(model_copy, str(model_copy), key)


@pytest.mark.parametrize("value", ['"no"', "1", '"false"', "no", "on"])
def test_booleans_are_true_or_false(value: str) -> None:
    with pytest.raises(SpecError) as e:
        load_dict(tiny_model(), overrides=[("policy.allow_external", _yaml(value))])
    assert "policy.allow_external" in str(e.value) and "expected true or false" in str(e.value)


def _yaml(text: str) -> object:
    from twin.spec.load import parse_value

    return parse_value(text, "--set", text)


def test_set_value_in_hex_is_refused(twin_main, model_copy: Path) -> None:
    res = twin_main("validate", model_copy, "--set", "horizon.years=0xc")
    assert res.code == 2 and "--set" in res.err and "horizon.years" in res.err, res.err


def test_csv_booleans_stay_true_false(model_copy: Path) -> None:
    sites = model_copy.parent.parent / "datasets" / "sites.csv"
    _edit(sites, ",1.8,true,", ",1.8,yes,")
    _refused(model_copy, "sites.csv", "enabled", "expected true or false")


def test_a_key_beside_a_merge_key_overrides_it(model_copy: Path) -> None:
    """YAML's merge rule: the key written wins over the merged one (not a silent last-wins:
    which one wins is the rule, whatever the order)."""
    from twin.spec import load_model

    _edit(model_copy, "economics:\n", "economics:\n  <<: {discount_rate: 0.2}\n")
    assert load_model(model_copy).model.economics.discount_rate == 0.10


# --- scenarios ------------------------------------------------------------------------------


def test_scenario_named_base_is_refused(model_copy: Path) -> None:
    _edit(model_copy, "scenarios:\n", "scenarios:\n  base:\n    set: {vendor.markup: 2}\n")
    _refused(model_copy, str(model_copy), "scenarios.base", "expected another scenario name")


def test_scenario_set_with_a_key_and_a_key_inside_it_is_refused(model_copy: Path) -> None:
    _edit(
        model_copy,
        "scenarios:\n",
        "scenarios:\n  twice:\n    set:\n      policy: {allow_external: true}\n"
        "      policy.allow_external: false\n",
    )
    _refused(
        model_copy,
        str(model_copy),
        "scenarios.twice.set",
        "policy.allow_external",
        scenario="twice",
    )


# --- dataset overrides ----------------------------------------------------------------------


def test_set_datasets_table_loads_the_given_file(model_copy: Path) -> None:
    """``--set datasets.sites=PATH`` (relative to the model file) replaces the table's rows."""
    data = model_copy.parent.parent / "datasets"
    (data / "sites2.csv").write_text((data / "sites.csv").read_text())
    _edit(
        data / "sites2.csv",
        "colossus1,terrestrial,35.0598,-90.1530,500,",
        "colossus1,terrestrial,35.0598,-90.1530,450,",
    )
    spec = load_model(model_copy, overrides=[("datasets.sites", "../datasets/sites2.csv")])
    assert spec.model.sites["colossus1"].max_mw == 450
    assert str((data / "sites2.csv").resolve()) in spec.files


@pytest.mark.parametrize(
    ("value", "needles"),
    [
        ("datasets.bogus=x.csv", ("--set", "datasets.bogus", "unknown table 'bogus'")),
        ("datasets.sites=/nonexistent.csv", ("--set", "datasets.sites", "/nonexistent.csv")),
        ("datasets.sites=../datasets/nope.csv", ("nope.csv", "datasets.sites (--set)")),
    ],
)
def test_bad_dataset_overrides_are_named(
    twin_main, model_copy: Path, value: str, needles: tuple[str, ...]
) -> None:
    res = twin_main("validate", model_copy, "--set", value)
    assert res.code == 2, res.err
    for needle in needles:
        assert needle in res.err, (needle, res.err)
    assert "horizon.hours.profiles" not in res.err


def test_scenario_dataset_override_of_an_unknown_table_is_named(model_copy: Path) -> None:
    _edit(
        model_copy,
        "scenarios:\n",
        "scenarios:\n  other_sites:\n    set: {datasets.bogus: x.csv}\n",
    )
    _refused(
        model_copy,
        str(model_copy),
        "scenarios.other_sites.set.datasets.bogus",
        scenario="other_sites",
    )


def test_load_dict_refuses_a_dataset_override() -> None:
    with pytest.raises(SpecError, match=r"--set: datasets\.sites: expected the table's rows"):
        load_dict(tiny_model(), overrides=[("datasets.sites", "sites.csv")])
