"""Faults a review of the name rule and the YAML reader found (mends)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import tiny_model

import twin
from twin.spec.names import name_problem, twin_key

PERSIAN = "نیم\u200cروز"  # noon: the non-joiner keeps the two halves apart
CODER = "\U0001f469\u200d\U0001f4bblab"  # woman technologist (an emoji ZWJ sequence), then lab


@pytest.mark.parametrize("name", [PERSIAN, CODER, "क्\u200dष", "a\u200cb"])
def test_a_joiner_inside_a_word_is_a_name(name: str) -> None:
    """Every Unicode format character was refused, the two joiners too: a Persian word with its
    non-joiner, an emoji sequence. Now one between two visible characters passes (UAX #31)."""
    assert name_problem(name) is None


@pytest.mark.parametrize(
    "name",
    ["\u200cab", "ab\u200d", "a \u200cb", "a\u200c b", "a\u200c\u200cb", "a\u200b\u200cb"],
)
def test_a_joiner_at_an_end_or_beside_space_is_refused(name: str) -> None:
    """A joiner that joins nothing visible changes nothing the eye sees: still refused."""
    problem = name_problem(name)
    assert problem is not None and "expected" in problem


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("a\u200bb", "ZERO WIDTH SPACE"),
        ("a\u200eb", "LEFT-TO-RIGHT MARK"),
        ("a\u0378b", "an unassigned code point"),
        ("a\ue000b", "a private-use character"),
        ("a\x07b", "a control character"),
    ],
)
def test_other_invisible_characters_are_named_right(name: str, what: str) -> None:
    """An unassigned code point was called 'a control character'; the rest of Cf is refused."""
    problem = name_problem(name)
    assert problem is not None and f"({what})" in problem


def test_the_look_alike_key_keeps_the_joiners() -> None:
    """A word with and without its non-joiner prints differently: two names, not twins."""
    assert twin_key(PERSIAN) != twin_key(PERSIAN.replace("\u200c", ""))
    assert twin_key("Ab\u200dc") == twin_key("ab\u200dc")


def test_a_model_with_persian_and_emoji_names_loads(tmp_path: Path) -> None:
    """A site, a tenant and a scenario named with joiners load and can be referred to."""
    data = tiny_model(horizon={"years": 3})
    data["sites"] = {PERSIAN: data["sites"].pop("s1")}
    data["power_sources"]["g1"]["site"] = PERSIAN
    data["tenants"] = {CODER: data["tenants"].pop("own")}
    data["scenarios"] = {PERSIAN: {"set": {f"tenants.{CODER}.demand_k_h100e": 5.0}}}
    (tmp_path / ".twin-project").touch()
    model = tmp_path / "m.yaml"
    model.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    spec = twin.load_model(model, scenario=PERSIAN, overrides=[(f"sites.{PERSIAN}.max_mw", 5.0)])
    assert list(spec.model.sites) == [PERSIAN] and list(spec.model.tenants) == [CODER]
    assert spec.model.sites[PERSIAN].max_mw == 5.0
    assert spec.model.tenants[CODER].demand_k_h100e == 5.0


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("launch: {'2026': 1, 2026.0: 2}", "'2026' and 2026.0 are one key"),
        ("launch: {1: 1, '01': 2}", "1 and '01' are one key"),
        ("launch: {1: 1, 01: 2}", "1 and '01' are one key"),
        ("launch: {2026.0: 1, 2026: 2}", "2026.0 and 2026 are one key"),
    ],
)
def test_keys_that_read_as_one_number_are_one_key(text: str, shown: str) -> None:
    """Keys were compared as text: ``'2026'`` and ``2026.0``, ``1`` and ``'01'`` passed, and in a
    table by year the later silently won. Now keys that read as a whole number compare by value."""
    from twin.spec.errors import SpecError
    from twin.spec.yamlfile import parse

    with pytest.raises(SpecError, match="duplicate key") as info:
        parse(text, Path("m.yaml"))
    assert shown in str(info.value)


@pytest.mark.parametrize("text", ["a: {1: 1, 2: 2}", "a: {x: 1, X: 2}", "a: {1.5: 1, 2.5: 2}"])
def test_distinct_keys_still_pass(text: str) -> None:
    from twin.spec.yamlfile import parse

    assert len(parse(text, Path("m.yaml"))["a"]) == 2
