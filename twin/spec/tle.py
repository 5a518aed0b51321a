"""Two-line element sets (TLE) read and validated, for shells given by a real constellation.

A file holds two-line or three-line (a name line, then lines 1 and 2) element sets, in the
NORAD/CelesTrak format: each element line is 69 characters, starts with its line number ("1 "
or "2 "), carries the same catalogue number on both lines, and ends with a modulo-10 checksum
(the sum of its digits, a minus sign counting 1, over columns 1-68). Every error names the file
and the line. The file is read by the one reader of every input (:func:`twin.spec.files.read_text`:
a regular file, at most the size limit, UTF-8 with a bad byte's line and column named); the
element lines are ASCII; a shell's file names each satellite once. The model also checks each
epoch against the planning horizon (``tle_epoch_years``, :func:`twin.spec.checks.check_tle_epochs`).

The elements keep their own epochs: SGP4 propagates each satellite from its epoch, so positions
are good for days to weeks around it (in LEO they drift by ~1-3 km per day away from it).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from pathlib import Path

from twin.spec.errors import SpecError

#: Earth's gravitational parameter [km^3/s^2] and equatorial radius [km], WGS72 (as SGP4)
MU_KM3_S2 = 398600.8
EARTH_RADIUS_KM = 6378.135
LINE_LENGTH = 69
#: The lowest perigee accepted [km]: the Karman line; lower orbits decay within hours.
MIN_PERIGEE_KM = 100.0


@dataclass(frozen=True)
class ElementSet:
    """One satellite's elements: name, the two lines, the file line of line 1, and the values a
    shell is checked against."""

    name: str
    line1: str
    line2: str
    line_no: int
    catalog: int
    epoch: dt.datetime
    inclination_deg: float
    mean_motion_rev_day: float

    @property
    def altitude_km(self) -> float:
        """Mean altitude [km] above the WGS72 equatorial radius, from the mean motion ``n``:
        ``a = (mu / n^2)^(1/3)`` (Kepler's third law)."""
        n = self.mean_motion_rev_day * 2 * math.pi / 86400.0
        return (MU_KM3_S2 / n**2) ** (1 / 3) - EARTH_RADIUS_KM


def epoch_gap_years(es: ElementSet, start: dt.date, end: dt.date) -> float:
    """How far the epoch of ``es`` lies outside ``[start, end]`` [years of 365.25 days]; 0
    inside."""
    day = es.epoch.date()
    return max((start - day).days, (day - end).days, 0) / 365.25


def checksum(line: str) -> int:
    """The TLE checksum of ``line``: digits summed, each '-' counting 1, over columns 1-68,
    modulo 10."""
    return sum(int(c) if c.isdigit() else c == "-" for c in line[:68]) % 10


def _check_line(path: Path, n: int, line: str, number: str) -> None:
    if not line.isascii():
        raise SpecError(path, f"line {n}", f"expected TLE line {number} in ASCII characters")
    if not line.startswith(f"{number} "):
        raise SpecError(path, f"line {n}", f"expected TLE line {number} (starting '{number} ')")
    if len(line) != LINE_LENGTH:
        raise SpecError(path, f"line {n}", f"expected {LINE_LENGTH} characters, found {len(line)}")
    if not line[68].isdigit() or checksum(line) != int(line[68]):
        raise SpecError(
            path, f"line {n}", f"checksum {line[68]!r} does not match the line ({checksum(line)})"
        )


def _epoch(path: Path, n: int, field: str) -> dt.datetime:
    """Epoch field 'YYDDD.DDDDDDDD' (two-digit year: 57-99 -> 19xx, 00-56 -> 20xx)."""
    try:
        yy, day = int(field[:2]), float(field[2:])
    except ValueError:
        raise SpecError(
            path, f"line {n}", f"expected an epoch YYDDD.DDDDDDDD, got {field!r}"
        ) from None
    if not 1.0 <= day < 367.0:
        raise SpecError(path, f"line {n}", f"expected an epoch day of year in [1, 367), got {day}")
    year = 1900 + yy if yy >= 57 else 2000 + yy
    return dt.datetime(year, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=day - 1.0)


def _element_set(path: Path, name: str, n1: int, l1: str, n2: int, l2: str) -> ElementSet:
    _check_line(path, n1, l1, "1")
    _check_line(path, n2, l2, "2")
    if l1[2:7] != l2[2:7]:
        raise SpecError(
            path, f"line {n2}", f"expected catalogue number {l1[2:7]} of line 1, got {l2[2:7]}"
        )
    try:
        catalog = int(l1[2:7])
    except ValueError:
        raise SpecError(
            path, f"line {n1}", f"expected a numeric catalogue number, got {l1[2:7]!r}"
        ) from None
    try:
        incl, mm = float(l2[8:16]), float(l2[52:63])
    except ValueError:
        raise SpecError(
            path, f"line {n2}", "expected numeric inclination and mean motion"
        ) from None
    if not (0 <= incl <= 180 and 0 < mm < 20):
        raise SpecError(
            path,
            f"line {n2}",
            f"expected an inclination in [0, 180] deg and a mean motion in (0, 20) rev/day, "
            f"got {incl:g} and {mm:g}",
        )
    es = ElementSet(name, l1, l2, n1, catalog, _epoch(path, n1, l1[18:32]), incl, mm)
    _check_perigee(path, n2, es)
    return es


def _check_perigee(path: Path, n: int, es: ElementSet) -> None:
    """Refuse an orbit whose perigee ``a (1 - e) - R`` lies below :data:`MIN_PERIGEE_KM`: inside
    the Earth, or in air that brings it down within hours (the geometry would be nonsense)."""
    field = es.line2[26:33]
    if not field.isdigit():
        raise SpecError(path, f"line {n}", f"expected an eccentricity of 7 digits, got {field!r}")
    e = int(field) / 1e7
    a = es.altitude_km + EARTH_RADIUS_KM
    perigee = a * (1 - e) - EARTH_RADIUS_KM
    if perigee < MIN_PERIGEE_KM:
        raise SpecError(
            path,
            f"line {n}",
            f"eccentricity {e:g} puts the perigee of {es.name} at {perigee:.0f} km "
            f"({'inside the Earth' if perigee < 0 else 'in the atmosphere'}); expected a perigee "
            f"of at least {MIN_PERIGEE_KM:g} km",
        )


def read_tle(path: str | Path) -> tuple[ElementSet, ...]:
    """The element sets in ``path`` (two- or three-line format; blank lines and lines starting
    with '#' skipped), validated; raises :class:`SpecError` naming the file and line.

    Cached per path, modification time and size, as profiles are: a file edited in a running
    session (a notebook) is read again (it was cached by path alone, so the old elements were
    used while the model's provenance hashed the new file)."""
    import os

    try:
        st = os.stat(path)
    except OSError:
        st = None  # read_text names the missing file
    mtime, size = (st.st_mtime_ns, st.st_size) if st else (0, -1)
    return _read_tle(str(path), mtime, size)


@functools.lru_cache(maxsize=32)
def _read_tle(path_text: str, mtime: int, size: int) -> tuple[ElementSet, ...]:
    """:func:`read_tle` of the file as it was at ``mtime`` with ``size`` bytes."""
    from twin.spec.files import read_text

    path = Path(path_text)
    rows = [
        (n, line.rstrip("\r\n").rstrip())
        for n, line in enumerate(read_text(path, "<file>", "TLE file").splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    out, i = [], 0
    while i < len(rows):
        name = ""
        if not rows[i][1].startswith(("1 ", "2 ")):
            name, i = rows[i][1].strip(), i + 1
        if i + 1 >= len(rows):
            n = rows[-1][0]
            raise SpecError(path, f"line {n}", "expected TLE lines 1 and 2 after it; file ends")
        (n1, l1), (n2, l2) = rows[i], rows[i + 1]
        out.append(_element_set(path, name or l1[2:7].strip(), n1, l1, n2, l2))
        i += 2
    if not out:
        raise SpecError(path, "<file>", "expected at least one element set; found none")
    return tuple(out)


def resolve_tle_files(
    data: dict, model_path: Path, files: dict[str, str], roots: list[Path] | None = None
) -> None:
    """Make each shell's ``tle_file`` absolute (it is given relative to the model file and must
    resolve inside ``roots``, the model's data folders), read and validate it, and record its
    SHA-256 in ``files``."""
    import hashlib

    from twin.spec.files import confine, data_roots

    roots = roots if roots is not None else data_roots(model_path)
    shells = (data.get("orbit") or {}).get("shells") or {}
    for name, sh in shells.items() if isinstance(shells, dict) else ():
        key = f"orbit.shells.{name}.tle_file"
        given = sh.get("tle_file") if isinstance(sh, dict) else None
        if isinstance(given, str) and not given.strip():  # '' would read the model's folder
            raise SpecError(
                model_path, key, f"expected a non-empty path (relative to the model file) to a "
                f"file of two-line element sets, got {given!r}",
            )  # fmt: skip
        if isinstance(sh, dict) and sh.get("tle_file"):
            p = confine(model_path.parent / str(sh["tle_file"]), roots, model_path, key)
            try:
                read_tle(p)
            except SpecError as exc:  # the whole file: blamed on the key that names it
                if exc.key != "<file>":
                    raise
                raise SpecError(model_path, key, f"'{p}': {exc.expected}") from None
            files[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
            sh["tle_file"] = str(p)


#: how far a TLE shell's elements may stray from the shell's stated altitude and inclination
ALTITUDE_TOLERANCE_KM = 50.0
INCLINATION_TOLERANCE_DEG = 1.0


def check_shell(tle_file: str, size: int, altitude_km: float, inclination_deg: float) -> None:
    """A TLE shell holds ``size`` satellites near its stated altitude and inclination; raises
    ``ValueError`` saying which element set strays."""
    sets = read_tle(tle_file)
    if len(sets) != size:
        raise ValueError(
            f"{tle_file}: expected planes x sats_per_plane = {size} element sets, found {len(sets)}"
        )
    seen: dict[int, int] = {}
    for s in sets:
        if s.catalog in seen:
            raise ValueError(
                f"{tle_file}:{s.line_no}: catalogue number {s.catalog} again (first on line "
                f"{seen[s.catalog]}); expected each satellite of the shell once"
            )
        seen[s.catalog] = s.line_no
        if abs(s.altitude_km - altitude_km) > ALTITUDE_TOLERANCE_KM:
            raise ValueError(
                f"{tle_file}:{s.line_no}: {s.name} is at {s.altitude_km:.0f} km, expected "
                f"altitude_km {altitude_km:g} +- {ALTITUDE_TOLERANCE_KM:g}"
            )
        if abs(s.inclination_deg - inclination_deg) > INCLINATION_TOLERANCE_DEG:
            raise ValueError(
                f"{tle_file}:{s.line_no}: {s.name} is inclined {s.inclination_deg:g} deg, "
                f"expected inclination {inclination_deg:g} +- {INCLINATION_TOLERANCE_DEG:g}"
            )
