"""Replaying dated events into the as-built fleet."""

from __future__ import annotations

import datetime as dt

from twin.dates import add_months
from twin.spec import load_model
from twin.state import contract_end, replay


def test_colossus1_as_reported_before_and_after_its_build() -> None:
    m = load_model("models/baseline.yaml").model
    before = replay(m, dt.date(2024, 6, 1))
    assert before.online_mw.get("colossus1", 0) == 0
    july = replay(m, dt.date(2024, 8, 1))
    assert july.chips("colossus1", "h100") == 100_000  # ~100k H100 in July 2024 (FACTS)
    mid_2026 = replay(m, dt.date(2026, 6, 1))
    assert mid_2026.online_mw["colossus1"] == 300  # ~300 MW with the second substation
    total = sum(mid_2026.chips("colossus1", k) for k in m.chips)
    assert total == 220_000  # 220k+ GPUs at the lease (FACTS)
    assert mid_2026.contracts == ["colossus1_anthropic"]


def test_chips_leave_at_end_of_life() -> None:
    m = load_model("models/baseline.yaml").model  # H100 life 5 years, installed 2024-07-22
    assert replay(m, dt.date(2029, 7, 21)).chips("colossus1", "h100") == 150_000
    assert replay(m, dt.date(2029, 7, 23)).chips("colossus1", "h100") == 50_000


def test_lease_ends_after_its_180_day_term_without_renewal() -> None:
    m = load_model("models/baseline.yaml").model
    end = contract_end(m, "colossus1_anthropic", dt.date(2038, 7, 1))
    assert end == dt.date(2026, 11, 6)
    assert replay(m, dt.date(2026, 11, 10)).contracts == []


def test_reclaim_ends_the_lease_90_days_after_notice() -> None:
    m = load_model("models/baseline.yaml", scenario="reclaim_2027").model
    assert contract_end(m, "colossus1_anthropic", dt.date(2038, 7, 1)) == dt.date(2027, 1, 1)


def test_add_months_clips_to_month_end() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 6), 14) == dt.date(2028, 1, 6)


def test_contract_signed_and_note_events_are_replayed() -> None:
    """datasets/events.csv: Anthropic signed for Colossus 1 on 2026-05-06 (TechCrunch), and a note
    that xAI moved its training to Colossus 2 the same day; neither is in the state before it."""
    m = load_model("models/baseline.yaml").model
    before, after = replay(m, dt.date(2026, 5, 5)), replay(m, dt.date(2026, 5, 6))
    assert "colossus1_anthropic" not in before.signed
    assert after.signed["colossus1_anthropic"] == dt.date(2026, 5, 6)
    assert (dt.date(2026, 5, 6), "xAI moved its training to Colossus 2") in after.notes
    assert not any(when == dt.date(2026, 5, 6) for when, _ in before.notes)
