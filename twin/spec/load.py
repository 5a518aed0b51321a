"""Read a model file and its dataset tables, apply a scenario's overrides, validate.

The loader keeps, for every value, where it came from (a YAML file, a CSV file's row and column,
a scenario's ``set`` entry, or a command-line ``--set``), so that an error names the file and key
that hold the bad value. Nothing is downloaded and nothing is written.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from twin.spec.base_scenario import BASE_SCENARIO, scenario_or_none
from twin.spec.blame import blame, blame_path
from twin.spec.candidates import expand
from twin.spec.errors import SpecError, did_you_mean
from twin.spec.files import data_roots, decode, read_bytes
from twin.spec.horizon import ENERGY_ONLY, is_none_word
from twin.spec.names import name_problem, twin_key, twins
from twin.spec.overrides import (  # noqa: F401 - parse_* and distinct_paths: public here too
    check_data_root,
    check_overrides,
    distinct_paths,
    override_sets,
    parse_assignment,
    parse_assignments,
    parse_value,
)
from twin.spec.schema import TABLES, Model
from twin.spec.spec import Spec
from twin.spec.tables import TABLE_PATHS, dataset_sets, load_tables, refuse_case_twins
from twin.spec.tle import resolve_tle_files
from twin.spec.validation import Origin, translate
from twin.spec.yamlfile import parse


def _read_yaml(path: Path) -> tuple[dict[str, Any], bytes]:
    """The top-level mapping of the model file and its bytes (for the provenance hash)."""
    data = read_bytes(path, "<file>", "model file (YAML)")
    tree = parse(decode(data, path), path)
    if not isinstance(tree, dict):
        raise SpecError(path, "<file>", "expected a mapping of keys at the top level")
    bad = [k for k in tree if not isinstance(k, str)]
    if bad:
        raise SpecError(path, str(bad[0]), "expected a text key at the top level")
    return tree, data


def _get(tree: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = tree
    for part in path:
        node = node[part]
    return node


def _set_path(tree: dict[str, Any], dotted: str, value: Any, origin: Origin) -> None:
    """Set ``a.b.c = value`` in the raw model; every step but the last must already exist, and
    a step not found with white space at an end is named as such (a name has none).
    An error names the key as written: a scenario's ``scenarios.S.set.a.b.c``, else ``a.b.c``."""
    written = origin.where or ""
    where = written if written.startswith("scenarios.") else dotted
    parts = dotted.split(".")
    node: Any = tree
    for i, part in enumerate(parts):
        if isinstance(node, dict) and part not in node and part != part.strip():
            raise SpecError(
                origin.file,
                where,
                f"the key '{part}' has white space at an end; expected '{part.strip()}' (names "
                "and keys have none: a CSV cell is read without the white space around it)",
            )
        if i == len(parts) - 1:
            break
        if not isinstance(node, dict):
            raise SpecError(origin.file, where, f"'{'.'.join(parts[:i])}' is not a mapping")
        if part not in node:
            if i == 0 and part not in Model.model_fields:
                raise SpecError(
                    origin.file,
                    where,
                    f"unknown key '{part}'{did_you_mean(part, Model.model_fields)}; expected one "
                    f"of {sorted(Model.model_fields)}",
                )
            row_table = (i == 1 and parts[0] in TABLES) or (
                i == 2 and parts[:2] == ["orbit", "shells"]
            )
            if row_table or parts[0] == "scenarios":
                what = "shell" if i == 2 else parts[0].rstrip("s") if i == 1 else "key"
                raise SpecError(
                    origin.file,
                    where,
                    f"unknown {what} '{part}'{did_you_mean(part, node)}; "
                    f"expected one of {sorted(node)}",
                )
            node[part] = {}
        node = node[part]
    if not isinstance(node, dict):
        raise SpecError(origin.file, where, "expected a path into a mapping")
    node[parts[-1]] = value


def load_model(
    path: str | Path,
    scenario: str | None = None,
    overrides: list[tuple[str, Any]] | list[tuple[str, Any, str]] | None = None,
    data_root: list[str | Path] | None = None,
    option: str = "--set",
) -> Spec:
    """Load ``path`` (YAML), its dataset tables, apply ``scenario`` then ``overrides``; validate.

    ``option`` is what a bad override is blamed on (``--set``, or ``--vary`` for a sweep member);
    an override ``(PATH, VALUE, OPTION)`` names its own (``--clause`` for a clause's settings).

    Dataset paths must resolve inside the model's folder tree or one of ``data_root`` (see
    :mod:`twin.spec.files`). Raises :class:`SpecError` for any bad input, naming the file and key
    and what was expected.
    """
    if not isinstance(path, str | Path) or not str(path).strip():
        raise SpecError("model", repr(path)[:80], "expected a YAML model file")
    if scenario is not None and not isinstance(scenario, str):
        raise SpecError("scenario", repr(scenario)[:80], "expected a scenario name (text) or None")
    scenario = scenario_or_none(scenario)  # 'base': the model without a scenario
    overrides = check_overrides(overrides)
    extra = check_data_root(data_root)
    path = Path(path)
    raw, raw_bytes = _read_yaml(path)
    files = {str(path): hashlib.sha256(raw_bytes).hexdigest()}
    roots = data_roots(path, extra)
    sets = _scenario_sets(raw, path, scenario)
    sets += override_sets(overrides, option)
    data, origins, sets = load_tables(raw, path, roots, sets, files)
    resolve_tle_files(data, path, files, roots)  # shells given by real element sets
    return _finish(data, path, scenario, sets, origins, files, overrides)


#: The name of the model without a scenario: no scenario may take it.
RESERVED_SCENARIO = BASE_SCENARIO


def _check_scenario_names(names: list[str], path: Path) -> None:
    """Each scenario name is a name (:func:`twin.spec.names.name_problem`: ``''`` was listed as
    a second 'base') and no two, nor one and ``base``, print alike (``a`` and ``A``)."""
    seen = {twin_key(RESERVED_SCENARIO): RESERVED_SCENARIO}
    for name in names:
        problem = name_problem(name)
        if problem:
            raise SpecError(path, f"scenarios.{name}", problem)
        other = seen.setdefault(twin_key(name), name)
        if other == RESERVED_SCENARIO and name != other:
            raise SpecError(
                path, f"scenarios.{name}", f"'{name}' prints as '{RESERVED_SCENARIO}', the model "
                "without a scenario; expected another scenario name",
            )  # fmt: skip
        if other != name:
            raise SpecError(
                path, f"scenarios.{other} and scenarios.{name}", twins(other, name, "scenarios")
            )


def _scenario_sets(
    raw: dict[str, Any], path: Path, scenario: str | None
) -> list[tuple[str, Any, Origin]]:
    """The ``set`` entries of ``scenario`` (none for the base model), each with its origin."""
    scenarios = raw.get("scenarios") or {}
    if isinstance(scenarios, dict) and RESERVED_SCENARIO in scenarios:
        raise SpecError(
            path,
            f"scenarios.{RESERVED_SCENARIO}",
            f"'{RESERVED_SCENARIO}' names the model without a scenario (reports, sweeps and "
            "twin validate call it so); expected another scenario name",
        )
    if isinstance(scenarios, dict):
        _check_scenario_names([n for n in scenarios if isinstance(n, str)], path)
    sets: list[tuple[str, Any, Origin]] = []
    if scenario is not None:
        if not isinstance(scenarios, dict) or scenario not in scenarios:
            names = sorted(scenarios) if isinstance(scenarios, dict) else []
            raise SpecError(
                path,
                f"scenarios.{scenario}",
                f"unknown scenario{did_you_mean(scenario, [RESERVED_SCENARIO, *names])}; expected "
                f"'{RESERVED_SCENARIO}' (the model without a scenario) or one of {names}",
            )
        body = scenarios[scenario] or {}
        if not isinstance(body, dict):
            raise SpecError(path, f"scenarios.{scenario}", "expected a mapping (description, set)")
        for key in body:
            if key not in ("description", "set"):
                raise SpecError(
                    path,
                    f"scenarios.{scenario}.{key}",
                    f"unknown key{did_you_mean(key, ['description', 'set'])}; "
                    "expected 'description' or 'set'",
                )
        body_set = body.get("set") or {}
        if not isinstance(body_set, dict):
            raise SpecError(path, f"scenarios.{scenario}.set", "expected a mapping PATH: VALUE")
        for dotted, value in body_set.items():
            if not isinstance(dotted, str):
                raise SpecError(path, f"scenarios.{scenario}.set.{dotted}", "expected a text PATH")
            if dotted.split(".")[0] == "scenarios":  # read before any scenario applies: no effect
                raise SpecError(
                    path,
                    f"scenarios.{scenario}.set.{dotted}",
                    "a scenario sets the model, not the scenarios (they are read before any "
                    "applies); expected a path outside 'scenarios'",
                )
            sets.append((dotted, value, Origin(str(path), f"scenarios.{scenario}.set.{dotted}")))
        try:
            distinct_paths([(d, v) for d, v, _ in sets])
        except SpecError as exc:  # a key and a key inside it: one would silently win
            raise SpecError(path, f"scenarios.{scenario}.set: {exc.key}", exc.expected) from None
    return sets


def _hours_off(data: dict[str, Any], dotted: str, value: Any) -> None:
    """A scenario, ``--set`` or ``--vary`` that sets ``horizon.hours.representative_days`` to
    none switches the hours off whole: the segments and extreme days set before it (the
    baseline's) go with the days, so one override gives the period form. Set after it, they are
    refused as in a file that never names the days (``HoursSpec``)."""
    if dotted == ENERGY_ONLY[0] and is_none_word(value):
        hours = data["horizon"]["hours"]
        for key in ("segments", "extreme_days"):
            hours.pop(key, None)


def _finish(
    data: dict[str, Any],
    path: Path,
    scenario: str | None,
    sets: list[tuple[str, Any, Origin]],
    origins: dict[tuple[str, ...], Origin],
    files: dict[str, str],
    overrides: list[tuple[str, Any]] | list[tuple[str, Any, str]] | None,
) -> Spec:
    """Apply the overrides, validate, check; the common tail of the two loaders."""
    data = copy.deepcopy(data)
    for dotted, value, origin in sets:
        _set_path(data, dotted, value, origin)
        _hours_off(data, dotted, value)
        origins[tuple(dotted.split("."))] = origin
    _refuse_case_twins(data, path, origins)
    try:
        model = Model.model_validate(data)
    except ValidationError as exc:
        raise translate(exc, path, origins) from None
    if not model.chips:  # before anything that names a chip blames the wrong key
        table = (data.get("datasets") or {}).get("chips")
        raise SpecError(
            path,
            "datasets.chips" if table else "chips",
            f"expected at least one chip; the table '{table}' has no rows"
            if table
            else "expected at least one chip; found none",
        )
    if model.roadmap.after is not None and model.roadmap.after not in model.chips:
        raise SpecError(
            path,
            "roadmap.after",
            f"unknown chip '{model.roadmap.after}'{did_you_mean(model.roadmap.after, model.chips)}"
            f"; expected one of {sorted(model.chips)}",
        )
    try:
        model = expand(model)
    except SpecError as exc:  # names a model key: blame where it was set (file, row or --set)
        pre = Spec(model, path, scenario, (), files=files, origins=origins)
        table, _, rest = exc.key.partition(".")
        if table == "regions":
            raise SpecError(*blame(pre, "regions", rest), exc.expected) from None
        raise SpecError(*blame_path(pre, exc.key), exc.expected) from None
    spec = Spec(
        model=model,
        path=path,
        scenario=scenario,
        overrides=tuple((o[0], o[1]) for o in (overrides or [])),
        files=files,
        origins=origins,
    )
    from twin.spec.checks import run_checks  # checks need the whole spec

    run_checks(spec)
    return spec


def _refuse_case_twins(
    data: dict[str, Any], path: Path, origins: dict[tuple[str, ...], Origin]
) -> None:
    """Every table's rows have names (not blank, no space at an end, no invisible character)
    and no two print alike (differing only by letter case or Unicode form), wherever the rows
    come from (a CSV file, the model file's inline rows, a dictionary): each is named by its CSV
    row and line, else by its key in the model file."""
    for dest in TABLE_PATHS.values():
        node: Any = data
        for part in dest:
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            continue  # none, or not a mapping: the schema says so

        def where(name: str, dest: tuple[str, ...] = dest) -> tuple[str | Path, str]:
            origin = origins.get((*dest, name))
            if origin is not None and (origin.where or "").startswith("row "):
                return origin.file, str(origin.where)
            return path, ".".join([*dest, name])

        refuse_case_twins([str(k) for k in node], where)


def load_dict(
    data: dict[str, Any],
    name: str = "<dict>",
    overrides: list[tuple[str, Any]] | list[tuple[str, Any, str]] | None = None,
) -> Spec:
    """Validate a model given as a Python dictionary (tables inline, no CSV files).

    For notebooks and tests that build models in code; errors name ``name`` as the file
    (an override as :func:`load_model`'s).
    """
    if not isinstance(data, dict):
        raise SpecError(
            "data", repr(data)[:80], "expected a model as a dict of keys (name, horizon, ...)"
        )
    overrides = check_overrides(overrides)
    path = Path(str(name))
    sets = override_sets(overrides, "--set")
    tables, _ = dataset_sets(sets)
    for table, (_, origin) in tables.items():  # no files here: a path would be ignored
        raise SpecError(
            origin.file, f"datasets.{table}", "expected the table's rows inline (load_dict reads "
            "no CSV files); load the model file with load_model to replace a table's file",
        )  # fmt: skip
    _check_inline(data, path, [dotted for dotted, _, _ in sets])
    return _finish(dict(data), path, None, sets, {}, {}, overrides)


def _check_inline(data: dict[str, Any], path: Path, overrides: list[str]) -> None:
    """A ``datasets`` entry of a dictionary model names a known table whose rows are given
    inline too, in ``data`` or by an override of the table (or of a key above it), as
    ``Model.model_dump()`` holds them, the paths kept as provenance: a table given only by its
    CSV path would be silently left out, as load_dict reads no files."""
    named = data.get("datasets") if isinstance(data, dict) else None
    if not isinstance(named, dict):
        return  # the schema names a datasets that is not a mapping
    for table in named:
        if table not in TABLES:
            raise SpecError(
                path, f"datasets.{table}",
                f"unknown table '{table}'{did_you_mean(str(table), TABLES)}; "
                f"expected one of {sorted(TABLES)}",
            )  # fmt: skip
        node: Any = data
        for part in TABLE_PATHS[table]:
            node = node.get(part) if isinstance(node, dict) else None
        dotted = ".".join(TABLE_PATHS[table])
        if any(dotted == o or dotted.startswith(f"{o}.") for o in overrides):
            continue
        if node is None:
            raise SpecError(
                path, f"datasets.{table}",
                f"the table's rows are not given inline (load_dict reads no CSV files, so "
                f"'{named[table]}' would be left out); expected '{'.'.join(TABLE_PATHS[table])}' "
                "rows in the dictionary, or load the model file with load_model",
            )  # fmt: skip


#: A date as twin writes and reads it (Python also reads 20260601 and 2026-W23-1 as dates).
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def as_date(value: dt.date | str) -> dt.date:
    """A date from an ISO string or a date, with a :class:`SpecError` on a bad string."""
    if isinstance(value, dt.datetime):  # a time of day would be dropped without a word
        raise SpecError("--at", repr(value)[:80], "expected a date (datetime.date), not a time")
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise SpecError("--at", repr(value)[:80], "expected an ISO date YYYY-MM-DD")
    if not _ISO_DAY.fullmatch(value):  # Python reads 20260601 and 2026-W23-1 as dates too
        raise SpecError("--at", value, "expected an ISO date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SpecError("--at", value, "expected an ISO date YYYY-MM-DD") from None
