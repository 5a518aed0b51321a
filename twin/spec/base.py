"""The base of every schema: frozen, unknown keys are errors, every number in a sane range."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from types import UnionType
from typing import Any, Literal, Self, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from twin.spec.ranges import check_value, tiny_expected, underflows
from twin.spec.yamlfile import QuotedNumber

_GENERIC = ("_sane", "_no_bool_numbers")


@cache
def _own_checks(cls: type[BaseModel]) -> frozenset[str]:
    """Fields a schema validates itself (its own ``field_validator``s): their specific messages
    come first, and the sane-range check runs after them, on the whole model."""
    return frozenset(
        f
        for name, dec in cls.__pydantic_decorators__.field_validators.items()
        if name not in _GENERIC
        for f in dec.info.fields
    )


def _takes_bool(ann: Any) -> bool:
    """Whether ``ann`` is ``bool`` or a union with ``bool`` as a member."""
    return ann is bool or bool in get_args(ann)


def _members(ann: Any) -> tuple[Any, ...]:
    """The types a union stands for (``float | None`` -> ``float``); ``ann`` itself if not one."""
    args = get_args(ann)
    if get_origin(ann) in (Union, UnionType):
        return tuple(a for a in args if a is not type(None))
    return (ann,)


def _bool_inside(value: Any, ann: Any) -> str | None:
    """Where a list or mapping ``value`` holds ``true``/``false`` (an item, a key or a value, at
    any depth) that ``ann`` takes as a number, which pydantic would read as 1/0 (``item 2``,
    ``key true``, ``value of 2026``); None if nowhere."""
    for member in _members(ann):
        origin, args = get_origin(member), get_args(member)
        if origin is list and isinstance(value, list) and args:
            for i, v in enumerate(value, start=1):
                inner = _bool_inside(v, args[0])
                if inner or _is_bool_number(v, args[0]):
                    return f"item {i}" + (f", {inner}" if inner else "")
        elif origin is dict and isinstance(value, dict) and len(args) == 2:
            for k, v in value.items():
                if _is_bool_number(k, args[0]):
                    return f"key {str(k).lower()}"
                inner = _bool_inside(v, args[1])
                if inner or _is_bool_number(v, args[1]):
                    return f"value of {k}" + (f", {inner}" if inner else "")
    return None


def _underflowing(value: Any, ann: Any) -> tuple[str, str] | None:
    """``(text, where)``: the text in ``value`` (a cell, an item of a list cell or a value of a
    mapping) that writes a nonzero number reading as 0 (:func:`twin.spec.ranges.underflows`)
    where ``ann`` takes a number, and where it is (``""``, ``" (value of 2026)"``); else None."""
    for member in _members(ann):
        if member in (int, float) and isinstance(value, str) and underflows(value):
            return value.strip(), ""
        args = get_args(member)
        if get_origin(member) is list and isinstance(value, list) and args:
            found = (_underflowing(v, args[0]) for v in value)
            bad = next((b for b in found if b), None)
            if bad:
                return bad
        if get_origin(member) is dict and isinstance(value, dict) and len(args) == 2:
            for k, v in value.items():
                bad = _underflowing(v, args[1])
                if bad:
                    return bad[0], f" (value of {k})"
    return None


def _is_bool_number(value: Any, ann: Any) -> bool:
    """``true``/``false`` where ``ann`` takes numbers only (``int``, ``float``, optional)."""
    members = _members(ann)
    return isinstance(value, bool) and all(m in (int, float) for m in members)


#: A number written as text: pydantic reads it as seconds since 1970 where a date is expected.
_NUMBER_TEXT = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def _number_for_date(value: Any, ann: Any) -> bool:
    """A number (or a number written as text: ``0``, ``86400``, ``20260701``) where ``ann``
    takes a date or a date and time: pydantic would read it as a Unix timestamp (0 is
    1970-01-01)."""
    if not any(m in (dt.date, dt.datetime) for m in _members(ann)) or isinstance(value, bool):
        return False
    return isinstance(value, int | float) or (
        isinstance(value, str) and _NUMBER_TEXT.fullmatch(value) is not None
    )


def _text_kind(name: str, description: str | None) -> str:
    """What a text field holds, as a message names it: a path (``tle_file``, ``profiles``:
    ``[path]``), a source, else a name."""
    if "[path]" in (description or "") or name.endswith("_file") or name == "profiles":
        return "path (relative to the model file)"
    return "source (publisher and date, or 'assumption: <why>')" if name == "source" else "name"


def _blank_text(value: Any, ann: Any) -> tuple[str, str] | None:
    """``(where, text)``: the empty or blank text in ``value`` that ``ann`` takes as text
    (``str``, an item of a ``list[str]``, a value of a ``dict[str, str]``) and where it is
    (``""``, ``" (item 2)"``); else None."""
    for member in _members(ann):
        if member is str and isinstance(value, str) and not value.strip():
            return "", value
        args = get_args(member)
        if get_origin(member) is list and isinstance(value, list) and args == (str,):
            for i, v in enumerate(value, start=1):
                if isinstance(v, str) and not v.strip():
                    return f" (item {i})", v
        if get_origin(member) is dict and isinstance(value, dict) and args[1:] == (str,):
            for k, v in value.items():
                if isinstance(v, str) and not v.strip():
                    return f" (value of {k})", v
    return None


def _refuse_blank(name: str, fld: Any, value: Any) -> None:
    """Empty or blank text where a field takes a path, a name or a source is refused (``''``
    would read the model's folder as a file, or silently mean the default); free text whose
    default is ``''`` (a description) may be empty."""
    if fld is None or fld.default == "":
        return
    blank = _blank_text(value, fld.annotation)
    if blank is not None:
        kind = _text_kind(name, fld.description)
        raise ValueError(f"expected a non-empty {kind}{blank[0]}, got {blank[1]!r}")


def _quoted_number(value: Any, ann: Any) -> tuple[str, str] | None:
    """``(text, where)``: a number quoted in YAML (:class:`twin.spec.yamlfile.QuotedNumber`)
    where ``ann`` takes a number and no text (the value, an item of a list, a value of a
    mapping: ``""``, ``" (item 2)"``, ``" (value of 2026)"``); else None."""
    members = _members(ann)
    if isinstance(value, QuotedNumber):
        takes_number = any(m in (int, float) for m in members) and str not in members
        return (str(value), "") if takes_number else None
    for member in members:
        args = get_args(member)
        if get_origin(member) is list and isinstance(value, list) and args:
            for i, v in enumerate(value, start=1):
                if _quoted_number(v, args[0]):
                    return str(v), f" (item {i})"
        if get_origin(member) is dict and isinstance(value, dict) and len(args) == 2:
            for k, v in value.items():
                if _quoted_number(v, args[1]):
                    return str(v), f" (value of {k})"
    return None


#: A date followed by a time of day (``2026-07-01T00:00``, ``2026-07-01 12:00:00``).
_DATE_AND_TIME = re.compile(r"\s*\d{4}-\d{2}-\d{2}[T ]\d")


def _timed_date(value: Any, ann: Any) -> str | None:
    """A date and time (a YAML timestamp, or text ``2026-07-01T00:00`` as a CSV cell holds it)
    where ``ann`` takes a date and no time: pydantic drops a time of 00:00 without a word.
    Returns the value as written, else None."""
    members = _members(ann)
    if dt.date not in members or dt.datetime in members:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str) and _DATE_AND_TIME.match(value):
        return value.strip()
    return None


def _not_a_year_key(value: Any, ann: Any) -> Any:
    """A key of ``value`` that is no year where ``ann`` is a table by year (``dict[int, ...]``):
    a date (``2026-01-01:``) or a word; pydantic would name it as ``datetime.date(2026, 1,
    1).[key]``. A year written as text (``'2026'``) is a year. Returns the key, else None."""
    for member in _members(ann):
        args = get_args(member)
        if get_origin(member) is dict and args[:1] == (int,) and isinstance(value, dict):
            for key in value:
                if isinstance(key, bool):
                    continue  # true/false: refused as a boolean for a number
                if not isinstance(key, int | str):
                    return key
                if isinstance(key, str) and not key.strip().lstrip("+-").isdigit():
                    return key
    return None


def _refuse_bad_dates(value: Any, ann: Any) -> None:
    """A date with a time of day where a date is expected, or a key that is no year in a
    table by year, is refused (a ValueError naming it and what was expected)."""
    timed = _timed_date(value, ann)
    if timed:
        raise ValueError(
            f"expected a date YYYY-MM-DD, got the date and time {timed} (its time of day would "
            "be dropped)"
        )
    key = _not_a_year_key(value, ann)
    if key is not None:
        shown = key.isoformat() if isinstance(key, dt.date) else repr(key)
        what = "the date" if isinstance(key, dt.date) else "the key"
        raise ValueError(f"expected a year as each key (e.g. 2026), got {what} {shown}")


def _literals(ann: Any) -> tuple[Any, ...]:
    """The values of the ``Literal[...]`` members of ``ann`` (``bool | Literal['decide']``)."""
    if get_origin(ann) is Literal:
        return get_args(ann)
    return tuple(v for arg in get_args(ann) for v in _literals(arg))


class Frozen(BaseModel):
    """A frozen pydantic model that rejects unknown keys (``extra='forbid'``), non-finite floats
    (``allow_inf_nan=False``), ``true``/``false`` for numbers, and numbers or dates outside
    their unit's sane range (:mod:`twin.spec.ranges`), for every field of every schema."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=False, allow_inf_nan=False
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        """``true``/``false`` where a number is expected is an error, not 1/0; and where a
        boolean is expected only ``true``/``false`` are (not 1, "no" or "false"); a number
        where a date is expected is an error, not seconds since 1970."""
        fld = cls.model_fields.get(info.field_name or "")
        _refuse_blank(info.field_name or "", fld, value)
        if fld is not None:
            _refuse_bad_dates(value, fld.annotation)
        quoted = _quoted_number(value, fld.annotation) if fld is not None else None
        if quoted:
            raise ValueError(
                f"expected a number, got the text '{quoted[0]}'{quoted[1]} (quoted in YAML: "
                f"write {quoted[0].strip()} without quotes)"
            )
        if isinstance(value, bool):
            ann = str(fld.annotation) if fld else ""
            if ("int" in ann or "float" in ann) and "bool" not in ann and "object" not in ann:
                raise ValueError(f"expected a number, got {str(value).lower()}")
        elif (
            value is not None
            and fld is not None
            and _takes_bool(fld.annotation)
            and value not in _literals(fld.annotation)
        ):
            words = " or ".join(["true", "false", *map(repr, _literals(fld.annotation))])
            raise ValueError(f"expected {words}, got {value!r}")
        if fld is not None and _number_for_date(value, fld.annotation):
            timed = dt.datetime in _members(fld.annotation)
            form = "a date and time YYYY-MM-DDTHH:MM:SSZ" if timed else "a date YYYY-MM-DD"
            raise ValueError(
                f"expected {form}, got the number {str(value).strip()} (it would be read as "
                "seconds since 1970-01-01)"
            )
        tiny = _underflowing(value, fld.annotation) if fld is not None else None
        if tiny:
            raise ValueError(f"{tiny_expected(tiny[0])}{tiny[1]}")
        where = _bool_inside(value, fld.annotation) if fld is not None else None
        if where:
            raise ValueError(f"expected a number, got true or false ({where})")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _sane(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name or ""
        if name in _own_checks(cls):
            return value  # checked by _sane_after, once the field's own validator has run
        fld = cls.model_fields.get(name)
        return check_value(name, fld.description if fld else None, value)

    @model_validator(mode="after")
    def _sane_after(self) -> Self:
        for name in sorted(_own_checks(type(self))):
            fld = type(self).model_fields[name]
            try:
                check_value(name, fld.description, getattr(self, name))
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from None
        return self


#: The ``source`` field every dataset row carries.
Source = Field(min_length=3, description="Publisher and date, or 'assumption: <why>' [text]")
