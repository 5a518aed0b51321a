"""Chart style helpers on their own: tick labels, colours by name."""

from __future__ import annotations

import numpy as np
import pytest

from twin.report.chart_style import Thousands


@pytest.mark.parametrize(
    ("ticks", "want"),
    [
        ([0, 2.5, 5, 7.5, 10], ["0.0", "2.5", "5.0", "7.5", "10.0"]),
        ([0, 0.25, 0.5, 0.75, 1.0], ["0.00", "0.25", "0.50", "0.75", "1.00"]),
        ([0, 25, 50, 75, 100], ["0", "25", "50", "75", "100"]),
        ([0, 2.5e5, 5e5, 7.5e5, 1e6], ["0", "250,000", "500,000", "750,000", "1,000,000"]),
        ([0, 0.2, 0.4, 0.6], ["0.0", "0.2", "0.4", "0.6"]),
        ([-0.0, 2500.0, 5000.0], ["0", "2,500", "5,000"]),
    ],
)
def test_tick_labels_print_where_the_ticks_sit(ticks: list[float], want: list[str]) -> None:
    """Every label reads as the value of its tick (2.5 printed "2", 7.5 "8", 0.25 "0.2")."""
    labels = Thousands().format_ticks(ticks)
    assert labels == want
    for v, s in zip(ticks, labels, strict=True):
        assert float(s.replace(",", "")) == pytest.approx(v, abs=1e-12)


def test_tick_labels_of_floats_off_by_rounding_error() -> None:
    """Ticks a locator computes carry float noise (0.30000000000000004): no extra decimals."""
    ticks = list(np.arange(0, 1.01, 0.1))
    assert Thousands().format_ticks(ticks)[3] == "0.3"
