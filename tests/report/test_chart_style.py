"""Chart style helpers on their own: tick labels, colours by name."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest
import xarray as xr
from matplotlib.figure import Figure

from twin.report import plots
from twin.report.chart_style import POWER_COLORS, Thousands
from twin.report.plot_dispatch import plot_dispatch
from twin.report.timeline import period_labels, years


@pytest.fixture(autouse=True)
def _close_figures() -> object:
    yield
    plt.close("all")


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


PERIODS = np.array(["2026-07-01", "2027-07-01"], dtype="datetime64[ns]")


def _plan(built: dict[str, float], drawn: dict[str, float]) -> xr.Dataset:
    """A plan of sites a, b, c over two yearly periods with IT ``built`` [MW] by site, and
    power ``drawn`` [MW] by source kind (``existing K``) or project technology (``new T``)."""
    sites, kinds, techs = ["a", "b", "c"], ["grid", "turbine"], ["grid", "nuclear_ppa"]
    src = [[drawn.get(f"existing {k}", 0.0)] * 2 for k in kinds]
    prj = [[[drawn.get(f"new {t}", 0.0) / 3] * 2 for t in techs]] * 3
    cap = [[built.get(s, 0.0)] * 2 for s in sites]
    return xr.Dataset(
        {
            "capacity_mw": (("site", "period"), cap),
            "power_mw": (("source", "period"), src),
            "source_kind": ("source", kinds),
            "power_draw_mw": (("site", "project", "period"), prj),
            "project_technology": ("project", techs),
            "facility_mw": (("site", "period"), cap),
            "firm_capacity_mw": (("site", "period"), cap),
        },
        coords={"site": sites, "period": PERIODS},
        attrs={"horizon_end": "2028-07-01", "scenario": "test"},
    )


def _colours(fig: Figure) -> dict[str, tuple]:
    """Label -> RGB face colour of every filled area of the figure's first axes."""
    ax = fig.axes[0]
    return {
        str(c.get_label()): tuple(c.get_facecolor()[0][:3])
        for c in ax.collections
        if len(c.get_facecolor()) and not str(c.get_label()).startswith("_")
    }


def test_a_site_keeps_its_colour_whatever_else_is_built() -> None:
    """Site b has one colour in a plan that built a, b and c and in one that built b and c only
    (its colour was its position among the sites drawn)."""
    one = _colours(plots.plot_capacity(_plan({"a": 5, "b": 3, "c": 2}, {})))
    two = _colours(plots.plot_capacity(_plan({"b": 3, "c": 2}, {})))
    assert "a" not in two and one["b"] == two["b"] and one["c"] == two["c"]
    assert one["a"] != one["b"] != one["c"]


def test_power_and_dispatch_agree_on_a_technologys_colour() -> None:
    """A technology has one colour in --kind power and --kind dispatch, whatever is at zero."""
    drawn = {"existing turbine": 4.0, "new nuclear_ppa": 6.0}
    power = _colours(plots.plot_power(_plan({"a": 5}, drawn)))
    dispatch = _colours(plot_dispatch(_plan({"a": 5}, drawn)))
    for label in drawn:
        assert power[label] == dispatch[label] == mcolors.to_rgb(POWER_COLORS[label])
    more = _colours(plots.plot_power(_plan({"a": 5}, drawn | {"existing grid": 1.0})))
    assert more["new nuclear_ppa"] == power["new nuclear_ppa"]


def test_periods_are_named_as_the_tables_name_them() -> None:
    """The period from 2026-07-01 is "2026" (the tables' name), not the "2027" tick it was
    drawn under; quarters by their start month; no decimal years."""
    yearly = years(np.array(["2026-07-01", "2027-07-01", "2028-07-01"], dtype="datetime64[D]"))
    assert period_labels(yearly) == ["2026", "2027"]
    quarters = years(np.array(["2026-07-01", "2026-10-01", "2027-01-01"], dtype="datetime64[D]"))
    assert period_labels(quarters) == ["2026-07", "2026-10"]
    fig = plots.plot_capacity(_plan({"a": 1}, {}))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2026", "2027"]
    assert ax.get_xlabel() == "period (each from 1 Jul)"


def test_map_labels_a_shared_spot_once_and_draws_unbuilt_sites_hollow() -> None:
    """Two sites at one spot printed two labels on top of each other; an unbuilt site looked
    like the largest."""
    sites = {"abilene": (32.45, -99.73), "texas_1": (32.45, -99.73), "texas_3": (33.6, -101.9)}
    fig = plots.plot_map(sites=sites, site_mw={"abilene": 1500.0, "texas_1": 200.0})
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["abilene, texas_1", "texas_3"]
    marks = {(round(x, 2), round(y, 2)): ln for ln in ax.lines for x, y in ln.get_xydata()}
    assert marks[(-101.9, 33.6)].get_markerfacecolor() == "none"
    spot = [
        ln for ln in ax.lines
        if len(ln.get_xydata()) == 1 and np.allclose(ln.get_xydata(), [[-99.73, 32.45]])
    ]  # fmt: skip
    assert len({ln.get_markersize() for ln in spot}) == 2  # sized by IT MW built
