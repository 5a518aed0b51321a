"""Faults a fuzzing pass found in reading TLE and profile files: each is now refused, naming
the file (or the model key that names it), the line or column, and the text as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from twin.spec import SpecError, load_model
from twin.spec.tle import checksum


def _data(model: Path) -> Path:
    return model.parent.parent / "datasets"


def _refused(model: Path, *needles: str, **kw: object) -> str:
    with pytest.raises(SpecError) as e:
        load_model(model, **kw)  # type: ignore[arg-type]
    for needle in needles:
        assert needle in str(e.value), (needle, str(e.value))
    return str(e.value)


def test_tle_with_its_perigee_inside_the_earth_is_refused(model_copy: Path) -> None:
    tle = _data(model_copy) / "iridium_next_plane4.tle"
    lines = tle.read_text().splitlines()
    line = lines[2][:26] + "9990000" + lines[2][33:68]
    lines[2] = line + str(checksum(line))
    tle.write_text("\n".join(lines) + "\n")
    _refused(model_copy, "iridium_next_plane4.tle: line 3", "perigee", "inside the Earth")


def test_missing_tle_file_names_the_model_key(model_copy: Path) -> None:
    text = model_copy.read_text().replace("iridium_next_plane4.tle", "nope.tle", 1)
    model_copy.write_text(text)
    msg = _refused(model_copy, "orbit.shells.iridium_next_plane4.tle_file", "nope.tle")
    assert msg.startswith(str(model_copy)) and "<file>" not in msg


def _profile(model: Path, name: str) -> Path:
    return _data(model) / "profiles" / name


@pytest.mark.parametrize("column", ["colossus1", "hour"])
def test_duplicate_profile_column_is_refused(model_copy: Path, column: str) -> None:
    path = _profile(model_copy, "solar.csv")
    head, rest = path.read_text().split("\n", 1)
    path.write_text(f"{head},{column}\n" + rest.replace("\n", ",0.5\n"))
    _refused(model_copy, "solar.csv", "header", f"duplicate column '{column}'")


def test_profile_header_short_of_a_site_names_the_cell_count(model_copy: Path) -> None:
    path = _profile(model_copy, "solar.csv")
    head, rest = path.read_text().split("\n", 1)
    cols = head.split(",")
    path.write_text(",".join(cols[:1] + cols[2:]) + "\n" + rest)
    _refused(model_copy, "solar.csv: line 2", f"{len(cols)} cells", f"{len(cols) - 1} columns")


def test_profile_cell_is_quoted_as_written(model_copy: Path) -> None:
    path = _profile(model_copy, "wind.csv")
    lines = path.read_text().split("\n")
    cells = lines[5].split(",")
    cells[2] = "1e09989"
    lines[5] = ",".join(cells)
    path.write_text("\n".join(lines))
    _refused(model_copy, "wind.csv", "found '1e09989'")
