"""Pydantic's validation errors as :class:`SpecError`, naming the file and key of each bad value.

A value's origin (a YAML key, a CSV file's row and column, a scenario's ``set`` entry or a
command-line ``--set``) is looked up from the most specific recorded origin of its location.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, Tag, ValidationError

from twin.spec.errors import SpecError, SpecErrors, did_you_mean
from twin.spec.schema import Model


@dataclass(frozen=True)
class Origin:
    """Where a value came from: ``file`` and a human ``where`` (row/column or YAML key)."""

    file: str
    where: str | None = None


def _tagged(ann: Any) -> dict[str, Any]:
    """``{tag: model}`` of the tagged-union members (``Annotated[M, Tag(t)]``) inside ``ann``."""
    out: dict[str, Any] = {}
    if get_origin(ann) is Annotated:
        model, *meta = get_args(ann)
        out |= {m.tag: model for m in meta if isinstance(m, Tag)}
    for arg in get_args(ann):
        out |= _tagged(arg)
    return out


def _model(ann: Any) -> Any:
    """The model class ``ann`` names, directly or as ``M | None``; else ``ann`` itself."""
    models = [a for a in (ann, *get_args(ann)) if isinstance(a, type) and issubclass(a, BaseModel)]
    return models[0] if models else ann


def _walk(loc: tuple[str, ...]) -> tuple[tuple[str, ...], type[BaseModel] | None]:
    """``loc`` without the tags pydantic puts after a tagged union's field (a distribution's
    kind: the key as the user wrote it), and the model that owns its last key (for
    did-you-mean; None if the walk leaves the schema)."""
    cls: Any = Model
    out: list[str] = []
    i = 0
    while i < len(loc) - 1:
        fld = cls.model_fields.get(loc[i]) if hasattr(cls, "model_fields") else None
        if fld is None:
            return (*out, *loc[i:]), None
        ann = fld.annotation
        members = _tagged(ann)
        if get_origin(ann) is dict:
            out += loc[i : i + 2]
            cls, i = _model(get_args(ann)[1]), i + 2
        elif loc[i + 1] in members:
            out.append(loc[i])
            cls, i = members[loc[i + 1]], i + 2
        else:
            out.append(loc[i])
            cls, i = _model(ann), i + 1
    out += loc[i:]
    return tuple(out), cls if hasattr(cls, "model_fields") else None


def translate(
    exc: ValidationError, path: Path, origins: dict[tuple[str, ...], Origin]
) -> SpecError:
    """Turn pydantic's errors for the spec at ``path`` into one :class:`SpecError` naming file,
    line (from ``origins``), key and what was expected, with the valid choices for unknown keys."""
    errors: list[SpecError] = []
    for err in exc.errors():
        loc, owner = _walk(tuple(str(x) for x in err["loc"]))
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            choices = list(owner.model_fields) if owner else []
            msg = f"unknown key{did_you_mean(loc[-1], choices)}; expected some of {choices}"
        elif "input" in err and not isinstance(err["input"], dict | list) and "got" not in msg:
            got = repr(err["input"])
            msg = f"{msg}, got {got if len(got) <= 80 else got[:77] + '...'}"
            if err["input"] is None and err["type"] == "string_type":  # 'key=' or 'key:' bare
                msg += " (an empty value is YAML's null; write '' for empty text)"
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        origin = None
        for n in range(len(loc), 0, -1):  # the most specific recorded origin
            origin = origins.get(loc[:n])
            if origin is not None:
                break
        dotted = ".".join(loc)
        if origin is not None and origin.file == str(path):
            # a scenario's set entry (its uncertainty section too): the full key the user wrote,
            # not the model file's own key of that name (which holds a valid value)
            where = origin.where or ""
            if where.startswith("scenarios."):
                dotted = ".".join([where, *loc[n:]])
        if origin is None:  # origins recorded below loc (--set into a dict's entries)
            below = [o for k, o in origins.items() if k[: len(loc)] == loc]
            files = {o.file for o in below}
            if len(below) == 1 or (len(files) == 1 and next(iter(files)).startswith("--")):
                origin = below[0]  # one entry, or all from one option
                if origin.file == str(path) and (origin.where or "").startswith("scenarios."):
                    dotted = str(origin.where)  # the scenario's key as written, below loc
        if origin is not None and origin.file.startswith("--"):  # an option: --set, --vary
            errors.append(SpecError(origin.file, ".".join(loc), msg))
        elif origin is not None and origin.file != str(path) and origin.where is not None:
            table_row = origin.where
            column = loc[len(loc) - 1] if len(loc) > 2 else ""
            key = f"{table_row}, column '{column}' ({dotted})" if column else table_row
            errors.append(SpecError(origin.file, key, msg))
        else:
            errors.append(SpecError(origin.file if origin else path, dotted, msg))
    return errors[0] if len(errors) == 1 else SpecErrors(errors)
