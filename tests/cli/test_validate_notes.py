"""Inputs that are legal but do nothing: ``twin validate`` exits 0 and prints a yellow note
naming the file and key (:mod:`twin.inert`); the same model without the input gets no note."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
import yaml
from traffic_model import traffic_model

from tests.cli.runner import Run, twin_main  # noqa: F401 - the fixture; tests take it as a parameter
from tests.conftest import FULL_SITE_EVENTS, lease_of_s1, lessee, tiny_model


def _write(folder: Path, data: dict[str, Any], tables: tuple[str, ...] = ()) -> Path:
    """``data`` as ``m.yaml`` in the project ``folder``, each of ``tables`` as ``<table>.csv``
    beside it."""
    (folder / ".twin-project").touch()
    for table in tables:
        rows = [{"name": n, **row} for n, row in data.pop(table).items()]
        with (folder / f"{table}.csv").open("w", newline="") as f:
            keys = list(dict.fromkeys(k for row in rows for k in row))  # every row's columns
            w = csv.DictWriter(f, fieldnames=keys, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        data.setdefault("datasets", {})[table] = f"{table}.csv"
    model = folder / "m.yaml"
    model.write_text(yaml.safe_dump(data, allow_unicode=True))
    return model


def _notes(res: Run) -> str:
    """The notes of a ``twin validate`` that exited 0, as one line."""
    assert res.code == 0, (res.code, res.out, res.err)
    return " ".join(res.out.split())


@pytest.mark.parametrize("enabled", [False, True])
def test_a_contract_of_a_disabled_tenant_gets_a_note(
    twin_main, tmp_path: Path, enabled: bool
) -> None:
    """A signed contract in contracts.csv whose tenant has ``enabled: false`` validated without a
    word, and the plan left it out. Now a note names contracts.csv, the contract and the tenant
    (twin solve prints it too, before solving); with the tenant enabled there is no note."""
    data = tiny_model(
        horizon={"years": 3},
        tenants={"lessee": {**lessee(1.0), "enabled": enabled}},
        events=FULL_SITE_EVENTS,
        contracts={"lease": lease_of_s1()},
    )
    model = _write(tmp_path, data, ("contracts",))
    text = _notes(twin_main("validate", model))
    note = "contracts.csv: contract lease: its tenant lessee is disabled (enabled: false)"
    assert (note in text) is not enabled, text
    assert ("so the plan leaves the contract out" in text) is not enabled
    if not enabled:
        assert note in _notes(twin_main("solve", model, "--out", tmp_path / "r.nc"))


@pytest.mark.parametrize("enabled", [False, True])
def test_an_event_on_a_disabled_site_gets_a_note(twin_main, tmp_path: Path, enabled: bool) -> None:
    """An as-built event on a site with ``enabled: false`` validated and did nothing. Now a note
    names the model file, the event and the site; with the site enabled there is none."""
    s2 = tiny_model()["sites"]["s1"]  # an enabled site, so the tenant has one to use
    g2 = {**tiny_model()["power_sources"]["g1"], "site": "s2"}
    data = tiny_model(horizon={"years": 3}, sites={"s1": {"enabled": enabled}, "s2": s2},
                      power_sources={"g2": g2}, events=FULL_SITE_EVENTS)  # fmt: skip
    model = _write(tmp_path, data)
    text = _notes(twin_main("validate", model))
    note = f"{model}: event online: its site s1 is disabled (enabled: false)"
    assert (note in text) is not enabled, text


@pytest.mark.parametrize(("start", "renew", "noted"), [("2025-01-01", False, True),
                                                       ("2025-01-01", True, False),
                                                       ("2029-06-01", False, False)])  # fmt: skip
def test_a_contract_over_before_the_horizon_gets_a_note(
    twin_main, tmp_path: Path, start: str, renew: bool, noted: bool
) -> None:
    """A year's lease from 2025-01-01, without renewals, ends 2026-01-01, four years before the
    horizon starts (2030-01-01): it validated and did nothing. Now a note names contracts.csv,
    the contract, its end and the horizon start; renewing (it runs into the horizon) or from
    2029-06-01 (it ends 2030-06-01) there is no note."""
    data = tiny_model(
        horizon={"years": 3},
        tenants={"lessee": lessee(1.0)},
        events=FULL_SITE_EVENTS,
        contracts={"lease": lease_of_s1(start=start, renew=renew)},
    )
    text = _notes(twin_main("validate", _write(tmp_path, data, ("contracts",))))
    assert ("contracts.csv: contract lease: its term (start 2025-01-01, 12 months, with any "
            "renewals and notice) ends 2026-01-01, before the horizon starts (2030-01-01)"
            in text) is noted, text  # fmt: skip
    assert ("so the contract does nothing" in text) is noted


@pytest.mark.parametrize(("km", "noted"), [(500.0, True), (1000.0, False), (None, False)])
def test_a_link_shorter_than_the_great_circle_gets_a_note(
    twin_main, tmp_path: Path, km: float | None, noted: bool
) -> None:
    """Link r1_r2 of links.csv joins regions about 1,035 km apart (haversine); ``km: 500``,
    faster than light in fibre or a typo, validated without a word. Now a note names links.csv,
    the link's key, both lengths and both ends; 1000 km (3.4% short, within the 5% allowed for
    rounding) or no km (the great circle) get none."""
    data = traffic_model()
    if km is not None:
        data["links"]["r1_r2"]["km"] = km
    text = _notes(twin_main("validate", _write(tmp_path, data, ("links",))))
    assert ("links.csv: links.r1_r2.km: 500 km is 52% shorter than the great circle between "
            "region:r1 and region:r2 (1035 km)" in text) is noted, text  # fmt: skip
    assert ("faster than light in fibre" in text) is noted


@pytest.mark.parametrize("outcomes", [1, 2])
def test_an_uncertain_input_with_one_outcome_gets_a_note(
    twin_main, tmp_path: Path, outcomes: int
) -> None:
    """An uncertain input whose one outcome has probability 1 validated as a stochastic program
    of one leaf: nothing is uncertain. Now a note names the model file, the input's key and one
    leaf; with two outcomes there is none."""
    values = [{"value": 1.0 + i, "probability": 1.0 / outcomes} for i in range(outcomes)]
    data = tiny_model(horizon={"years": 3})
    v = {"path": "tenants.own.value_usd_per_h100e_hour", "known": "2031-01-01",
         "outcomes": values}  # fmt: skip
    data["uncertainty"] = {"inputs": {"v": v}}
    model = _write(tmp_path, data)
    text = _notes(twin_main("validate", model))
    note = (f"{model}: uncertainty.inputs.v.outcomes: a single outcome (probability 1), so the "
            "input is not uncertain: the scenario tree has one leaf")  # fmt: skip
    assert (note in text) is (outcomes == 1), text


def test_a_scenario_s_note_names_the_scenario_and_a_rank_above_0_prints_none(
    twin_main, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scenario ``gone`` disabling the tenant of a signed contract: ``twin validate`` checks
    every scenario and printed the note without saying which one set it; now it begins
    ``scenario gone:``, and the base model gets no such note. Under ``mpiexec`` every rank of
    ``twin solve`` printed the notes; a rank above 0 now prints none (rank 0 speaks for all)."""
    data = tiny_model(
        horizon={"years": 3},
        tenants={"lessee": lessee(1.0)},
        events=FULL_SITE_EVENTS,
        contracts={"lease": lease_of_s1()},
    )
    data["scenarios"] = {"gone": {"set": {"tenants.lessee.enabled": False}}}
    model = _write(tmp_path, data, ("contracts",))
    text = _notes(twin_main("validate", model))
    note = "contracts.csv: contract lease: its tenant lessee is disabled (enabled: false)"
    assert f"scenario gone: {tmp_path / 'contracts.csv'}: contract lease" in text, text
    assert text.count(note) == 1
    assert note in _notes(twin_main("solve", model, "-s", "gone", "--out", tmp_path / "a.nc"))
    monkeypatch.setenv("PMI_RANK", "1")
    res = twin_main("solve", model, "-s", "gone", "--out", tmp_path / "b.nc")
    assert res.code == 0 and note not in " ".join(res.out.split()), res.out


@pytest.mark.parametrize(("link", "km", "noted"), [("r1_r2", 500.0, True), ("r1_s1", 1.0, False)])
def test_a_short_link_is_noted_only_when_it_is_more_than_25_km_short(
    twin_main, tmp_path: Path, link: str, km: float, noted: bool
) -> None:
    """Region and station coordinates are city centres: r1_s1 joins points ~11 km apart, and a
    1 km route is no typo (before, 91% short, it got a note); r1_r2 at 500 of 1,035 km is."""
    data = traffic_model()
    data["links"][link]["km"] = km
    text = _notes(twin_main("validate", _write(tmp_path, data, ("links",))))
    assert (f"links.{link}.km: {km:g} km is" in text) is noted, text


@pytest.mark.parametrize("price", [0.0, 0.001])
def test_an_expansion_limit_without_a_lease_price_gets_a_note(
    twin_main, tmp_path: Path, price: float
) -> None:
    """``expand_max_gbps`` on a link without a lease price is not read (the plan expands only
    priced links): a note naming the price's file and key, not a refusal, since a price of 0
    is how a sweep or --set says "never expand"; with a price there is none."""
    data = traffic_model()
    data["links"]["r1_s1"] |= {"expand_max_gbps": 500.0, "expand_musd_per_gbps_year": price}
    text = _notes(twin_main("validate", _write(tmp_path, data, ("links",))))
    note = (f"{tmp_path / 'links.csv'}: row 2 ('r1_s1'), column 'expand_musd_per_gbps_year' "
            "(links.r1_s1.expand_musd_per_gbps_year): 0, so the link is never expanded and its "
            "expand_max_gbps (500 Gbit/s) is not read")  # fmt: skip
    assert (note in text) is (price == 0), text
