"""Fleet watts per H100e (issue 18, "Done when": W per H100e per year is in the report).

``fleet_w_per_h100e[p] = 1e3 x sum active x kW / sum active x h100e`` (twin.plan.chip_results).
For a fleet of one generation it is that chip's own figure: a chip of 1.4 kW and 2.5 H100e is
``1e3 x 1.4 / 2.5 = 560`` W per H100e in every period it is in service, whatever the number of
chips. The chip table's W per H100e of a chip is the report's ``chip_w_per_h100e``.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import tiny_model
from rich.console import Console

from twin.plan import plan
from twin.report import to_dataset
from twin.report.summary import show
from twin.spec import load_dict

W_BY_HAND = 1e3 * 1.4 / 2.5  # 560 W per H100e


def test_one_generation_fleet_has_its_chip_watts_per_h100e() -> None:
    data = tiny_model(
        horizon={"years": 3},
        sites={"s1": {"lead_months": 0}},
        chips={"c1": {"h100e": 2.5, "kw": 1.4}},
    )
    ds = to_dataset(plan(load_dict(data)))
    chips = (ds["chips_active"] * ds["chip_h100e"]).sum(["site", "chip"]).values
    assert np.all(chips > 0)  # chips in service in every period: the figure is defined
    assert W_BY_HAND == pytest.approx(560.0)
    assert float(ds["chip_w_per_h100e"].sel(chip="c1")) == pytest.approx(W_BY_HAND, rel=1e-12)
    np.testing.assert_allclose(ds["fleet_w_per_h100e"].values, W_BY_HAND, rtol=1e-12)
    assert ds["fleet_w_per_h100e"].attrs["units"] == "W"
    console = Console(record=True, width=120)
    show(ds, console)
    text = " ".join(console.export_text().split())  # titles wrap at the table's width
    assert "Fleet IT power per H100e [W/H100e] " in text and "│ 2031 │ 560 │" in text
