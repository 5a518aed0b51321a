"""The traffic views on a solved report: ``twin show``'s tables and ``twin plot --kind network``.

The plan is tests/plan/test_traffic.py's binding link: 15 Gbit/s wanted from r1, 10 carried on
r1-s1 to s1 (full, worth 0.438 $M per Gbit/s-year), the other 5 over r1-r2-s2 to s2.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from rich.console import Console
from traffic_model import traffic_model

from twin.plan import plan
from twin.report import plots, to_dataset, write
from twin.report.network_plot import MAX_WIDTH
from twin.report.summary import show
from twin.spec import load_dict


@pytest.fixture(scope="module")
def report() -> object:
    return to_dataset(plan(load_dict(traffic_model())))


def test_show_prints_traffic_by_site_links_and_latency(report: object) -> None:
    console = Console(record=True, width=160)
    show(report, console)  # type: ignore[arg-type]
    text = console.export_text()
    flat = " ".join(text.split())  # titles wrap to their table's width
    assert "Inference traffic served by edge by site [Gbit/s]" in flat
    served = text.split("Inference traffic", 1)[1]
    row = next(line for line in served.splitlines() if line.startswith("│ 2030"))
    assert [c.strip() for c in row.strip("│ ").split("│")][1:3] == ["10.0", "5.0"]
    links = text.split("Links, top 10 by peak utilisation", 1)[1]
    first = links.splitlines()[4]  # (title end), rule, header row, rule, the busiest link
    assert "r1_s1" in first and "100%" in first and "0.4380" in first
    assert "Latency served, one-way [ms]: p50 / p95" in flat
    lat = report["path_latency_ms"].to_series()  # type: ignore[index]
    p50, p95 = lat["r1>s1#1"], lat["r1>s2#1"]  # 10 of 15 Gbit/s on the first: 2/3 >= 0.5
    assert f"2030 │ {p50:.1f} / {p95:.1f} │" in flat  # one period label in every table


def test_network_plot_draws_width_by_traffic_and_colour_by_utilisation(report: object) -> None:
    """r1-s1 carries the most (10 Gbit/s): width 0.6 + 7 points, the top of the colour map
    (full); r1-r2 carries 5 of 1000: width 0.6 + 3.5, colour near the bottom."""
    fig = plots.plot_network(report)
    ax = fig.axes[0]
    links = [ln for ln in ax.lines if ln.get_zorder() == 2]
    widths = sorted(ln.get_linewidth() for ln in links)
    np.testing.assert_allclose(widths, [0.6 + MAX_WIDTH / 2, 0.6 + MAX_WIDTH / 2,
                                        0.6 + MAX_WIDTH], rtol=1e-9)  # fmt: skip
    cmap = plt.get_cmap("plasma")
    widest = max(links, key=lambda ln: ln.get_linewidth())
    np.testing.assert_allclose(widest.get_color(), cmap(1.0))
    plt.close(fig)


def test_network_plot_of_a_plan_without_traffic_says_so() -> None:
    model = traffic_model(traffic={"enabled": False})
    fig = plots.plot_network(to_dataset(plan(load_dict(model))))
    assert any("no routed traffic" in t.get_text() for t in fig.axes[0].texts)
    plt.close(fig)


def test_twin_plot_network_writes_a_png(report: object, tmp_path: Path) -> None:
    nc, png = tmp_path / "r.nc", tmp_path / "net.png"
    write(report, nc)  # type: ignore[arg-type]
    run = subprocess.run(
        [sys.executable, "-m", "twin", "plot", str(nc), "--kind", "network", "--out", str(png)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_baseline_report_and_show_have_its_routed_inference() -> None:
    """The baseline routes all of xai_inference (inference_share 1) at 2 Gbit/s per 1000 H100e:
    in every period its flows add up to 2 x the kH100e it is allocated, its flow-weighted p50
    and p95 latency lie within its 40 ms SLA, and ``twin show`` prints the three tables."""
    from conftest import PERIOD_FORM, ROOT

    from twin.spec import load_model

    ds = to_dataset(plan(load_model(ROOT / "models" / "baseline.yaml", overrides=PERIOD_FORM)))
    flow = ds["flow_gbps"].sel(tenant="xai_inference").sum("path").values
    served = ds["allocation_h100e"].sel(tenant="xai_inference").sum("site").values / 1e3
    assert (served > 0).all()
    np.testing.assert_allclose(flow, 2.0 * served, rtol=1e-6)
    for q in ("latency_p50_ms", "latency_p95_ms"):
        lat = ds[q].sel(tenant="xai_inference").values
        assert np.isfinite(lat).all() and (lat > 0).all() and (lat <= 40.0).all(), q
    console = Console(record=True, width=200)
    show(ds, console)
    flat = " ".join(console.export_text().split())
    assert "Inference traffic served by xai_inference by site [Gbit/s]" in flat
    assert "Links, top 10 by peak utilisation" in flat
    assert "Latency served, one-way [ms]: p50 / p95" in flat
