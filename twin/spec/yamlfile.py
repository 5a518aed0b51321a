"""Strict YAML: safe tags only, duplicate keys are errors, dates must exist, size is bounded.

PyYAML's ``safe_load`` keeps the last of two equal keys silently (so a value written twice
changes the plan without a word), raises a bare ``ValueError`` on 2026-13-01, and recurses without
bound on deep nesting. :func:`parse` fixes each: a duplicate key names both lines, an impossible
date names its line and column, and a document deeper than :data:`MAX_DEPTH` or with more than
:data:`MAX_NODES` values after alias expansion (a "billion laughs" file) is refused.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Generator
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from twin.spec.errors import SpecError
from twin.spec.ranges import TINY, underflows

#: Deepest nesting of mappings and lists accepted (a model file needs 5).
MAX_DEPTH = 64
#: Most values (scalars, mappings, lists) in a document, counting each alias use [-].
MAX_NODES = 1_000_000


class QuotedNumber(str):
    """A quoted scalar that reads as a number (``'12'``, ``"1e3"``): text the writer chose, so
    that a schema field taking a number refuses it (:mod:`twin.spec.base`) where pydantic's lax
    reading would take it as 12. A plain ``12`` is a number, a plain ``1e3`` text read as one
    (YAML 1.1 wants a dot in a float), as the same cell of a CSV table."""

    __slots__ = ()


def _reads_as_number(text: str) -> bool:
    """Whether ``text`` is a decimal number as Python and pydantic read it (``12``, ``1e3``,
    ``1_000``), not a word (``nan``, ``inf``)."""
    try:
        float(text)
    except ValueError:
        return False
    return any(c.isdigit() for c in text)


class DuplicateKey(ConstructorError):
    """Two equal keys in one mapping; the message names both lines."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with duplicate-key and calendar-date checks."""

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):  # PyYAML's own error for a non-mapping
            kind = type(node).__name__.removesuffix("Node").lower()
            raise ConstructorError(
                None, None, f"expected a mapping node, but found {kind}", node.start_mark
            )
        own = {id(k) for k, _ in node.value}
        if any(k.tag == _MERGE for k, _ in node.value):
            self.flatten_mapping(node)  # the merged keys join the check: each key once
        seen: dict[Any, tuple[int, bool, Any]] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key) or seen.get(_as_text(key))
            except TypeError:
                continue  # unhashable: the base class raises a ConstructorError
            line = key_node.start_mark.line + 1
            if first is not None and first[1] and id(key_node) in own:
                a, b = repr(first[2]), repr(key)
                also = "" if a == b else f" ({a} and {b} are one key once read)"
                raise DuplicateKey(
                    None,
                    None,
                    f"duplicate key '{key}' at lines {first[0]} and {line}{also}; expected each "
                    "key once (YAML would silently keep one of them)",
                    key_node.start_mark,
                )
            # a key written beside a merge key '<<' overrides the merged one: YAML's stated rule
            seen[key] = seen[_as_text(key)] = (line, id(key_node) in own, key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_map(self, node: MappingNode) -> Generator[dict[Any, Any], None, None]:
        """PyYAML's two-step map (the dict first, for recursive aliases), through the
        duplicate-key check of :meth:`construct_mapping`."""
        yield from super().construct_yaml_map(node)

    def construct_yaml_timestamp(self, node: ScalarNode) -> dt.date | dt.datetime:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise ConstructorError(
                None,
                None,
                f"'{node.value}' is not a calendar date ({exc}); expected YYYY-MM-DD",
                node.start_mark,
            ) from None

    def construct_yaml_str(self, node: ScalarNode) -> str:
        """A scalar left as text; one quoted that reads as a number is a :class:`QuotedNumber`."""
        value: str = super().construct_yaml_str(node)
        if node.style in ("'", '"') and _reads_as_number(value):
            return QuotedNumber(value)
        return value

    def construct_yaml_int(self, node: ScalarNode) -> int:
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # Python refuses integers of more than 4300 digits
            raise ConstructorError(
                None,
                None,
                f"an integer of {len(node.value):,} characters; expected a number",
                node.start_mark,
            ) from None

    def construct_yaml_float(self, node: ScalarNode) -> float:
        value: float = super().construct_yaml_float(node)
        if underflows(node.value.replace("_", "")):  # 1.0e-400 would be an exact 0
            raise ConstructorError(
                None,
                None,
                f"'{node.value}' is below the smallest float (it would be read as 0); expected "
                f"0 or a number at least {TINY:g} in magnitude",
                node.start_mark,
            )
        return value


_MERGE = "tag:yaml.org,2002:merge"


#: A key written as whole digits (``2026``, ``'01'``, ``-3``): a number in a table by number.
_DIGITS = re.compile(r"[-+]?[0-9]+")


def _as_text(key: Any) -> tuple[str, Any]:
    """A key as the schema reads it, to compare: a key that reads as a whole number (an int, a
    float of integral value, text of digits with or without leading zeros) by its value --
    ``2026``, ``2026.0`` and ``'2026'``, or ``1`` and ``'01'``, are one key of a table by year
    (``orbit.launch_usd_per_kg``), where the later would silently win -- and any other key by
    its text."""
    if isinstance(key, float) and math.isfinite(key) and key.is_integer():
        return ("number", int(key))
    if isinstance(key, int) and not isinstance(key, bool):
        return ("number", key)
    if isinstance(key, str) and _DIGITS.fullmatch(key.strip()) and len(key) <= 4000:
        return ("number", int(key))
    return ("text", str(key))


#: YAML 1.1's implicit types, narrowed: booleans are true/false only (not yes/no/on/off), and
#: numbers decimal only (not 0x10, 010 (octal), 0b1 or the sexagesimal 1:00 = 60): any other
#: spelling stays text, which the schema then refuses where a number or a boolean is expected.
_NARROWED = {
    "tag:yaml.org,2002:bool": (re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    "tag:yaml.org,2002:int": (re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), "-+0123456789"),
    "tag:yaml.org,2002:float": (
        re.compile(
            r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        "-+0123456789.",
    ),
}
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _NARROWED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _tag, (_rx, _first) in _NARROWED.items():
    _StrictLoader.add_implicit_resolver(_tag, _rx, list(_first))
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp)
_StrictLoader.add_constructor("tag:yaml.org,2002:str", _StrictLoader.construct_yaml_str)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _StrictLoader.construct_yaml_float)
_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_yaml_map)


def _check_shape(node: Node | None, path: Path) -> None:
    """Refuse documents nested deeper than MAX_DEPTH or expanding to more than MAX_NODES nodes."""
    count = 0
    stack: list[tuple[Node, int]] = [(node, 1)] if node is not None else []
    while stack:
        n, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise SpecError(
                path,
                "<file>",
                f"expected at most {MAX_NODES:,} values (aliases counted each time they are used)",
            )
        if depth > MAX_DEPTH:
            line = n.start_mark.line + 1
            raise SpecError(
                path, f"line {line}", f"expected nesting at most {MAX_DEPTH} levels deep"
            )
        if isinstance(n, SequenceNode):
            stack.extend((c, depth + 1) for c in n.value)
        elif isinstance(n, MappingNode):
            for k, v in n.value:
                stack.append((k, depth + 1))
                stack.append((v, depth + 1))


def _where(exc: yaml.YAMLError, text: str) -> str:
    """``line L, column C`` (1-based) of a YAML error, from its mark or its reader position."""
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return f"line {mark.line + 1}, column {mark.column + 1}"
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        return f"line {before.count(chr(10)) + 1}, column {len(before.rsplit(chr(10), 1)[-1]) + 1}"
    return "<file>"


def parse(text: str, path: Path) -> Any:
    """The Python value of the YAML ``text`` read from ``path``; every problem is a
    :class:`SpecError` naming ``path`` and the line (and column) where it is."""
    loader = None
    try:
        loader = _StrictLoader(text)
        node = loader.get_single_node()
        _check_shape(node, path)
        return loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:
        raise SpecError(
            path,
            _where(exc, text),
            f"expected printable text, found character #x{exc.character:04x}",
        ) from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        msg = f"{context}, {problem}" if context and not isinstance(exc, DuplicateKey) else problem
        raise SpecError(path, _where(exc, text), f"expected valid YAML: {msg}") from None
    except RecursionError:
        raise SpecError(
            path, "<file>", f"expected nesting at most {MAX_DEPTH} levels deep"
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
