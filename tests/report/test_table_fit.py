"""`twin show`'s tables as a strategist reads them (review findings 3, 4, 8, 13, 15): headers
break only at ``_``, a space or ``[``, numbers and titles never break, zero columns are hidden
with a note, the CSV holds every column as data under a stable name."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import xarray as xr
from rich.console import Console

from tests.cli.runner import twin_main  # noqa: F401 - the fixture
from twin.report.file_summary import members_table
from twin.report.period_tables import _table
from twin.report.tables import csv_value, header_lines, table_options, write_csv


def _text(renderable: object, width: int = 80) -> str:
    console = Console(file=io.StringIO(), width=width, record=True)
    console.print(renderable)
    return console.export_text()


def _periods(n: int) -> np.ndarray:
    return np.array([f"{2026 + i}-07-01" for i in range(n)], dtype="datetime64[ns]")


def _wide() -> xr.DataArray:
    names = ["battery", "gas_simple_cycle", "grid", "solar_storage_ppa", "wind_storage_ppa",
             "nuclear_ppa", "zero_one"]  # fmt: skip
    values = np.tile([1238.5, 11148.0, 433.0, 1116.0, 18.0, 7.0, 0.0], (3, 1))
    values[0, 3] = np.nan
    coords = {"period": _periods(3), "tech": names}
    return xr.DataArray(values, dims=("period", "tech"), coords=coords, name="power_online_mw")


def test_headers_break_only_at_underscores_spaces_and_brackets() -> None:
    """Before: rich folded `gas_simple_cycle` as `gas_simple / _cycle` and `[Gbit/s]` mid-unit."""
    assert header_lines("gas_simple_cycle", 10) == "gas_\nsimple_\ncycle"
    assert header_lines("capacity [Gbit/s]", 9) == "capacity\n[Gbit/s]"
    assert header_lines("built [MW IT]", 8) == "built\n[MW IT]"


def test_numbers_and_titles_never_wrap_and_the_table_fits() -> None:
    """Before: `1,238. / 5` in the links table and titles wrapped to the table's width."""
    title = "New power online by technology, a long title [MW nameplate]"
    text = _text(_table(title, _wide(), "tech", fmt="{:,.1f}"))
    lines = text.splitlines()
    assert lines[0] == title
    assert all(len(line) <= 80 for line in lines), text
    assert "11,148.0" in text and "1,238.5" in text
    for piece in ("gas_", "simple_", "cycle"):  # whole pieces, never `gas_simple_cyc / le`
        assert any(cell.strip() == piece for line in lines for cell in line.split("┃")), text


def test_zero_columns_are_hidden_with_a_note_and_kept_with_all() -> None:
    """Before: an all-zero tenant or route printed a column of zeros."""
    text = _text(_table("t [MW]", _wide(), "tech"))
    assert "zero_one" not in text.split("\n  ")[0] and "1 column zero throughout" in text
    with table_options(all_columns=True):
        assert "zero_one" in _text(_table("t [MW]", _wide(), "tech"), width=200)


def test_csv_holds_every_column_as_data_under_a_stable_name(tmp_path: Path) -> None:
    """Before: `others (8)`, `-` for missing, `77%`, numbers rounded, names numbered by order."""
    with table_options(csv_dir=tmp_path):
        path = write_csv(_table("New power [MW nameplate]", _wide(), "tech"), tmp_path)
    assert path.name == "new_power_mw_nameplate.csv"
    rows = list(csv.reader(path.read_text().splitlines()))
    assert rows[0] == ["period", *(str(n) for n in _wide()["tech"].values)]
    assert rows[1][0] == "2026" and rows[1][1] == "1238.5" and rows[1][4] == ""
    assert [csv_value(c) for c in ("77%", "-", "1,238.5", "abc")] == [0.77, "", "1238.5", "abc"]


def test_a_sweep_lists_the_swept_value_not_a_cut_member_name() -> None:
    """Before: the members table was cropped at 80 columns mid-header and a one-value path
    (years=4) took a column; `twin sweep` cut the member name to `terafab_…`."""
    ds = xr.Dataset(
        {
            "status": ("member", ["optimal"] * 3),
            "npv_musd": ("member", [503337.0, 359395.0, 325018.0]),
            "build_mw": ("member", [6908.0, 4590.0, 5668.0]),
            "fab_kwspm": ("member", [0.0, 14.24, 20.0]),
            "chips_made": ("member", [0.0, 153763.0, 216000.0]),
            "chips_bought": ("member", [1895222.0, 572927.0, 290145.0]),
        },
        coords={
            "member": [f"terafab_years=4,markup={m}" for m in ("0.5", "1.5", "3")],
            "horizon_years": ("member", [4, 4, 4], {"swept_path": "horizon.years"}),
            "vendor_markup": ("member", [0.5, 1.5, 3.0], {"swept_path": "vendor.markup"}),
        },
    )
    text = _text(members_table(ds))
    assert all(len(line) <= 80 for line in text.splitlines()), text
    header = text.split("┡")[0]
    assert "markup" in header and "years" not in header and "…" not in text
    assert "1.5" in text and "359,395" in text and "bought" in header


def test_show_of_a_missing_file_says_no_such_file(tmp_path: Path, twin_main) -> None:  # noqa: F811
    """Before: 'expected a netCDF file twin wrote ...; none found'."""
    run = twin_main("show", tmp_path / "missing.nc")
    assert run.code == 2 and "no such file" in run.err


def test_stochastic_decisions_are_summed_in_strategist_figures() -> None:
    """Before: `twin show` listed 1,400 lines of LP variables (alloc[...], flow[...]) with empty
    units; now decisions are summed per site, chip and technology, operating variables named."""
    from twin.report.decisions import operating, summarise, units

    labels = ["build[abilene, 2026-07-01]", "build[abilene, 2027-07-01]",
              "power_build[abilene, gas_sc, 2026-07-01]", "power_build[ohio_1, gas_sc, 2026-07-01]",
              "alloc[colossus1, anthropic, 2026-07-01]", "flow[a>b#1, x, 2026-07-01]"]  # fmt: skip
    rows = summarise(labels, [100.0, 50.0, 300.0, 200.0, 7.0, 9.0])
    assert rows == {("IT built", "abilene"): 150.0, ("power built", "gas_sc"): 500.0}
    assert units("power built") == "MW nameplate" and operating(labels) == ["alloc", "flow"]
