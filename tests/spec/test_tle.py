"""Real element sets: the shipped Iridium NEXT plane parses and matches the constellation's
published orbit; bad TLE input is refused naming file and line; a model shell given by a TLE file
propagates those elements at their own epochs."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest

from twin.spec import SpecError, load_model
from twin.spec.tle import checksum, read_tle

ROOT = Path(__file__).resolve().parents[2]
IRIDIUM = ROOT / "datasets" / "iridium_next_plane4.tle"
ISS = ROOT / "datasets" / "satellites.tle"
MODEL = "models/baseline.yaml"
SHELL = "iridium_next_plane4"


def test_shipped_iridium_plane_matches_the_published_orbit() -> None:
    """Iridium NEXT: 780 km circular orbits at 86.4 deg, 11 satellites a plane (Iridium)."""
    sets = read_tle(IRIDIUM)
    assert len(sets) == 11 and sets[0].name == "IRIDIUM 128"
    assert {s.catalog for s in sets} == {42811, *range(42955, 42965)}
    for s in sets:
        assert s.altitude_km == pytest.approx(780.0, abs=5.0)
        assert s.inclination_deg == pytest.approx(86.4, abs=0.05)
        assert (
            dt.datetime(2025, 8, 6, tzinfo=dt.UTC)
            < s.epoch
            < dt.datetime(2025, 8, 7, tzinfo=dt.UTC)
        )


def test_checksum_is_the_digit_sum_with_minus_as_one() -> None:
    line = ISS.read_text().splitlines()[1]
    assert checksum(line) == int(line[68]) == 3
    assert checksum("1 -" + "0" * 66) == 2  # the '1' and the '-'
    assert checksum("9" * 68 + "X") == (9 * 68) % 10  # column 69 is not summed


def _write(tmp_path: Path, lines: list[str], name: str = "bad") -> Path:
    p = tmp_path / f"{name}.tle"
    p.write_text("\n".join(lines) + "\n")
    return p


def _iss() -> list[str]:
    return ISS.read_text().splitlines()


def test_a_wrong_checksum_names_file_and_line(tmp_path: Path) -> None:
    name, l1, l2 = _iss()
    bad = l1[:68] + str((int(l1[68]) + 1) % 10)
    with pytest.raises(SpecError, match=r"bad\.tle: line 2: checksum"):
        read_tle(_write(tmp_path, [name, bad, l2]))


def test_line_numbers_lengths_and_catalogue_numbers_are_checked(tmp_path: Path) -> None:
    name, l1, l2 = _iss()
    with pytest.raises(SpecError, match="line 3: expected TLE line 2"):
        read_tle(_write(tmp_path, [name, l1, "3" + l2[1:]], "a"))
    with pytest.raises(SpecError, match="line 2: expected 69 characters, found 68"):
        read_tle(_write(tmp_path, [name, l1[:68], l2], "b"))
    other = l2[:2] + "25545" + l2[7:68]
    other += str(checksum(other))
    with pytest.raises(SpecError, match="line 3: expected catalogue number 25544"):
        read_tle(_write(tmp_path, [name, l1, other], "c"))
    with pytest.raises(SpecError, match="line 2: expected TLE lines 1 and 2 after it"):
        read_tle(_write(tmp_path, [name, l1], "d"))


def test_a_shell_whose_file_does_not_match_it_is_refused() -> None:
    with pytest.raises(SpecError, match="expected planes x sats_per_plane = 10 element sets"):
        load_model(MODEL, overrides=[(f"orbit.shells.{SHELL}.sats_per_plane", 10)])
    with pytest.raises(SpecError, match=r"IRIDIUM 128 is inclined 86.4029 deg"):
        load_model(MODEL, overrides=[(f"orbit.shells.{SHELL}.inclination_deg", 80.0)])


def test_tle_shell_propagates_its_elements_at_their_epochs() -> None:
    """The shell's SGP4 records are the file's elements (own epochs), and their positions at
    epoch lie at the orbit's radius: |r| - R = 780 +- 20 km."""
    from twin.orbit.geometry import propagate_teme_km
    from twin.orbit.shells import shell_satrecs

    spec = load_model(MODEL)
    shell = spec.model.orbit.shells[SHELL]
    assert Path(shell.tle_file).is_absolute()
    assert str(IRIDIUM.resolve()) in spec.files  # hashed with the other inputs
    recs = shell_satrecs(shell)
    sets = read_tle(shell.tle_file)
    for rec, s in zip(recs, sets, strict=True):
        jd = rec.jdsatepoch + rec.jdsatepochF
        epoch = dt.datetime(2000, 1, 1, 12, tzinfo=dt.UTC) + dt.timedelta(days=jd - 2451545.0)
        assert abs((epoch - s.epoch).total_seconds()) < 1e-3
        assert rec.satnum == s.catalog
    jd = np.array([recs[0].jdsatepoch]), np.array([recs[0].jdsatepochF])
    r = propagate_teme_km(recs[:1], jd)[0, 0]
    assert float(np.linalg.norm(r)) - 6378.135 == pytest.approx(780.0, abs=20.0)


@pytest.mark.slow
def test_the_orbital_iridium_scenario_plans_compute_on_the_real_shell() -> None:
    """Sunlight of a circular orbit at h = 780 km is at least 1 - asin(R / (R + h)) / pi = 0.65
    (the Sun in the orbit plane) and at most 1; the capped ground makes orbit worth building."""
    from twin.plan import plan
    from twin.report import to_dataset

    ds = to_dataset(plan(load_model(MODEL, scenario="orbital_iridium")))
    site = ds.sel(site="orbital_iridium")
    floor = 1 - math.asin(6378.135 / (6378.135 + 780.0)) / math.pi
    assert floor <= float(site["sunlit_fraction"]) < 1.0
    assert float(site["capacity_mw"].max()) > 0
    assert float(site["downlink_gbps"]) > 0
