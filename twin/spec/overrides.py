"""The ``overrides`` and ``data_root`` arguments of the Python API (:func:`twin.load_model`,
:func:`twin.load_dict`, :func:`twin.solve`), checked before they are used.

``overrides`` is a mapping ``{"dotted.path": value}`` or a list whose items are ``(PATH, VALUE)``
pairs, ``(PATH, VALUE, OPTION)`` triples (an override blamed on its own option, as the command
line passes a clause's settings) or ``"PATH=VALUE"`` texts as ``--set`` takes. Anything else --
a text, a set, a mapping given where pairs were meant and iterated as its keys, an item of
another length, a PATH that is no text -- is a :class:`SpecError` naming ``overrides`` (it was
read letter by letter, or failed with a TypeError, before). A PATH given twice (or inside
another given PATH) is refused as ``--set`` refuses it: one of them would silently win.

The command line's ``--set PATH=VALUE`` texts are parsed here too (:func:`parse_assignments`,
:func:`parse_value`), for ``--set``, ``--vary`` and the texts of ``overrides``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, TypeGuard

from twin.spec.errors import SpecError
from twin.spec.validation import Origin
from twin.spec.yamlfile import parse

#: Paths (``*``: any name) whose values are text labels, with what each is: they name or document
#: a thing and no value of one reaches the plan, so a sweep over one solves one plan again and
#: again under different words.
LABEL_PATHS = (
    ("name", "the model's name"),
    ("description", "the model's description"),
    ("*.description", "a description"),
    ("*.source", "a value's source"),
    ("orbit.ground_stations.*.name", "a ground station's display name"),
)


def label_path(path: str) -> str | None:
    """What ``path`` is if its values are text labels (:data:`LABEL_PATHS`), else None."""
    return next((what for pattern, what in LABEL_PATHS if fnmatchcase(path, pattern)), None)


EXPECTED = (
    "expected a mapping {'dotted.path': value} or a list of (path, value) pairs or "
    "'PATH=VALUE' texts"
)


def _is_list(value: object) -> TypeGuard[Sequence[Any]]:
    """A sequence that is not text (a list or tuple of items)."""
    return isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray)


def _item(item: object, name: str) -> tuple[Any, ...]:
    """One override as a tuple ``(PATH, VALUE)`` or ``(PATH, VALUE, OPTION)``."""
    if isinstance(item, str):
        return parse_assignment(item)
    if _is_list(item) and len(item) == 2:
        return (item[0], item[1])
    if _is_list(item) and len(item) == 3 and isinstance(item[2], str):
        return (item[0], item[1], item[2])
    raise SpecError(name, repr(item)[:80], EXPECTED)


def check_overrides(overrides: object, name: str = "overrides") -> list[tuple[Any, ...]]:
    """``overrides`` as a list of ``(PATH, VALUE)`` and ``(PATH, VALUE, OPTION)`` tuples, each
    PATH stripped text; a bad form, or a PATH set twice among those without their own OPTION,
    is a :class:`SpecError` naming ``name``."""
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        items: list[tuple[Any, ...]] = list(overrides.items())
    elif _is_list(overrides):
        items = [_item(item, name) for item in overrides]
    else:
        raise SpecError(name, repr(overrides)[:80], EXPECTED)
    for item in items:
        if not isinstance(item[0], str) or not item[0].strip():
            raise SpecError(name, repr(item[0])[:80], "expected a dotted path (text)")
    found = [(item[0].strip(), *item[1:]) for item in items]
    distinct_paths([(o[0], o[1]) for o in found if len(o) == 2], name)
    return found


def check_data_root(data_root: object, name: str = "data_root") -> list[str | Path]:
    """``data_root``: None or a list of existing folders (text or paths); a single text or path
    would be read letter by letter (``"/tmp"`` allowing ``/``), an empty text is the working
    folder and a missing folder allows nothing: each is refused, naming ``name``."""
    if data_root is None:
        return []
    expected = "expected a list of folders (text or pathlib.Path), e.g. ['data']"
    one = isinstance(data_root, str | bytes | bytearray | os.PathLike)
    if one or not isinstance(data_root, Iterable) or isinstance(data_root, Mapping):
        raise SpecError(name, repr(data_root)[:80], expected)
    roots: list[str | Path] = []
    for given in data_root:  # any iterable of folders: a list, a tuple, a set, a generator
        # py.path.local, a PurePath and the like, as text
        root = (
            os.fspath(given)
            if isinstance(given, os.PathLike) and not isinstance(given, Path)
            else given
        )
        if not isinstance(root, str | Path) or not str(root).strip():
            raise SpecError(name, repr(root)[:80], "expected a folder (a non-empty path)")
        if not Path(root).expanduser().is_dir():
            raise SpecError(name, str(root), "expected an existing folder of dataset files")
        roots.append(root)
    return roots


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse a ``--set PATH=VALUE`` string; VALUE is read as YAML (numbers, bools, null, lists)."""
    if "=" not in text:
        raise SpecError("--set", text, "expected PATH=VALUE, e.g. policy.internal_share_min=0.8")
    path, value = text.split("=", 1)
    if not path.strip():
        raise SpecError("--set", text, "expected a non-empty PATH before '='")
    if path != path.strip():  # as a step inside the path (twin.spec.load._set_path)
        raise SpecError(
            "--set",
            text,
            f"the key '{path}' has white space at an end; expected '{path.strip()}' (keys have "
            "none)",
        )
    return path, parse_value(value, "--set", text)


def parse_assignments(texts: list[str] | None, option: str = "--set") -> list[tuple[str, Any]]:
    """Parse every ``--set PATH=VALUE``; a PATH given twice, or a PATH inside another given
    PATH (``--set a=1 --set a.b=2``), is a contradiction: refused, naming both."""
    return distinct_paths([parse_assignment(t) for t in texts or []], option)


def distinct_paths(found: list[tuple[str, Any]], option: str = "--set") -> list[tuple[str, Any]]:
    """``found`` (PATH, VALUE) pairs, unless a PATH is given twice or inside another given PATH:
    then a SpecError naming ``option`` and both paths."""
    for i, (path, _) in enumerate(found):
        for other, _ in found[:i]:
            if path == other or path.startswith(other + ".") or other.startswith(path + "."):
                raise SpecError(
                    option,
                    f"{other}, {path}",
                    "sets the same key twice; expected each PATH once",
                )
    return found


def parse_value(value: str, option: str, text: str) -> Any:
    """A command-line VALUE read as strict YAML; text that is not YAML stays a string, but an
    impossible date, a duplicate key or absurd nesting is an error naming ``option``."""
    try:
        return parse(value, Path(option))
    except SpecError as exc:
        if "expected valid YAML" in exc.expected and not any(
            w in exc.expected for w in ("calendar date", "duplicate key")
        ):
            return value
        short = text if len(text) <= 80 else text[:77] + "..."
        raise SpecError(option, short, exc.expected) from None


def override_sets(
    overrides: list[tuple[str, Any]] | list[tuple[str, Any, str]] | None, option: str
) -> list[tuple[str, Any, Origin]]:
    """``(PATH, VALUE, origin)`` of each override: ``(PATH, VALUE)`` blamed on ``option``,
    ``(PATH, VALUE, OPTION)`` on its own ``OPTION``. A PATH into ``scenarios`` is refused: the
    scenario's own ``set`` is read before any override applies, so it would do nothing."""
    out = [
        (o[0], o[1], Origin(str(o[2]) if len(o) > 2 else option, o[0])) for o in overrides or []
    ]
    for dotted, _, origin in out:
        if str(dotted).split(".")[0] == "scenarios":
            raise SpecError(
                origin.file,
                str(dotted),
                "an override sets the model, not its scenarios (a scenario is read before any "
                "override applies); expected a path outside 'scenarios' (choose one with -s)",
            )
    return out
