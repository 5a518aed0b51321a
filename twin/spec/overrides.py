"""The ``overrides`` and ``data_root`` arguments of the Python API (:func:`twin.load_model`,
:func:`twin.load_dict`, :func:`twin.solve`), checked before they are used.

``overrides`` is a mapping ``{"dotted.path": value}`` or a list whose items are ``(PATH, VALUE)``
pairs, ``(PATH, VALUE, OPTION)`` triples (an override blamed on its own option, as the command
line passes a clause's settings) or ``"PATH=VALUE"`` texts as ``--set`` takes. Anything else --
a text, a set, a mapping given where pairs were meant and iterated as its keys, an item of
another length, a PATH that is no text -- is a :class:`SpecError` naming ``overrides`` (it was
read letter by letter, or failed with a TypeError, before). A PATH given twice (or inside
another given PATH) is refused as ``--set`` refuses it: one of them would silently win.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeGuard

from twin.spec.errors import SpecError

EXPECTED = (
    "expected a mapping {'dotted.path': value} or a list of (path, value) pairs or "
    "'PATH=VALUE' texts"
)


def _is_list(value: object) -> TypeGuard[Sequence[Any]]:
    """A sequence that is not text (a list or tuple of items)."""
    return isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray)


def _item(item: object, name: str) -> tuple[Any, ...]:
    """One override as a tuple ``(PATH, VALUE)`` or ``(PATH, VALUE, OPTION)``."""
    from twin.spec.load import parse_assignment

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
    from twin.spec.load import distinct_paths

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


def check_data_root(data_root: object) -> list[str | Path]:
    """``data_root``: None or a list of folders (text or paths); a single text or path would be
    read letter by letter (``"/tmp"`` allowing ``/``), so it is refused like any other type."""
    if data_root is None:
        return []
    expected = "expected a list of folders (text or pathlib.Path), e.g. ['data']"
    if not _is_list(data_root):
        raise SpecError("data_root", repr(data_root)[:80], expected)
    for root in data_root:
        if not isinstance(root, str | Path) or not str(root).strip():
            raise SpecError("data_root", repr(root)[:80], expected)
    return list(data_root)
