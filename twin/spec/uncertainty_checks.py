"""Checks of the ``uncertainty:`` section against the whole model (run with the other checks).

Every uncertain path must exist in the validated model (rows included) and end on a field; every
outcome value and every finite end of a distribution's support must pass that field's own schema
(type and bounds) and the checks every schema makes (:class:`twin.spec.base.Frozen`); every
``known`` date must lie strictly inside the horizon.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel as _PydanticModel
from pydantic import TypeAdapter, ValidationError

from twin.spec.errors import SpecError, did_you_mean
from twin.spec.spec import Spec
from twin.spec.tree_options import unread_options, unread_problem
from twin.spec.uncertainty import UncertainInput, frozen_distribution

#: Keys an uncertain path may not be or point into, and what they are instead of an input the
#: world reveals: labels, the plan's structure, solver settings. A tree refused some of them only
#: at solve time (``twin validate`` passed them); a sampled sweep solved members over horizons of
#: different lengths or starts, and ``horizon.buffer_years`` without a buffer or
#: ``economics.base_year`` gave members that differ in nothing but the label.
NOT_INPUTS: dict[str, str] = {
    "name": "the model's name",
    "description": "the model's description",
    "datasets": "where a table's rows are read from",
    "scenarios": "the model's scenarios",
    "uncertainty": "the uncertainty section itself",
    "solver": "a setting of the solver",
    "horizon": "the plan's time structure (its start, length, periods, end buffer and hours)",
    "economics.base_year": "the year the report's money is counted in (a label)",
}

#: The kinds of path an uncertain input may take, for the error refusing another.
INPUT_PATHS = (
    "expected a path to a value of the model's data: a table row's field "
    "(tenants.<name>.demand_k_h100e, sites.<name>.capex_musd_per_mw) or a number of economics, "
    "policy, roadmap, traffic or orbit (economics.discount_rate)"
)


#: The quantile of a distribution checked as a typical draw (any fraction inside (0, 1) that is
#: not a round share, so the value it gives is not a whole number by accident).
INSIDE = 0.3719


def not_an_input(path: str) -> str | None:
    """Why ``path`` cannot be an uncertain input (it is or lies under a key of
    :data:`NOT_INPUTS`), or None."""
    for key, what in NOT_INPUTS.items():
        if path == key or path.startswith(key + "."):
            return f"'{path}' is {what}, not an input whose value can become known; {INPUT_PATHS}"
    return None


def field_at(model: _PydanticModel, path: str) -> tuple[_PydanticModel, str]:
    """The validated object (a row, a section) and field name a dotted path ends on.

    Raises ``KeyError`` with a message naming the first step that does not exist.
    """
    node: Any = model
    parts = path.split(".")
    for i, part in enumerate(parts):
        where = ".".join(parts[: i + 1])
        if isinstance(node, _PydanticModel):
            fields = type(node).model_fields
            if part not in fields:
                raise KeyError(f"unknown key '{where}'{did_you_mean(part, fields)}")
            if i == len(parts) - 1:
                return node, part
            node = getattr(node, part)
        elif isinstance(node, dict):
            if part not in node:
                raise KeyError(f"unknown name '{where}'{did_you_mean(part, node)}")
            if i == len(parts) - 1:
                raise KeyError(f"'{where}' is a whole row; expected a path to one of its fields")
            node = node[part]
        else:
            raise KeyError(f"'{'.'.join(parts[:i])}' has no keys")
    raise KeyError("empty path")


def _adapter(owner: type[_PydanticModel], name: str) -> TypeAdapter[Any]:
    """A validator of one field's values: its annotation with its constraints (bounds)."""
    return TypeAdapter(owner.model_fields[name].rebuild_annotation())


def _check_value(adapter: TypeAdapter[Any], value: Any) -> str | None:
    try:
        adapter.validate_python(value)
    except ValidationError as exc:
        return "; ".join(e["msg"] for e in exc.errors())
    return None


def _check_set(owner: _PydanticModel, name: str, value: Any) -> str | None:
    """Problems of ``value`` set at ``owner.name`` as a file or ``--set`` would set it: the
    field's type and bounds and every schema's own checks (no true/false for a number, finite,
    within its unit's sane range), on a copy (``owner`` is left as it was)."""
    copy = owner.model_copy()
    try:
        copy.__pydantic_validator__.validate_assignment(copy, name, value)
    except ValidationError as exc:
        return "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
    return None


def _check_input(model: Any, name: str, u: UncertainInput) -> list[tuple[str, str]]:
    """Problems of one input as ``(key under the input, expected)`` pairs."""
    refused = not_an_input(u.path)
    if refused:
        return [("path", refused)]
    try:
        owner, fname = field_at(model, u.path)
    except KeyError as exc:
        return [("path", f"{exc.args[0]}; expected a path --set accepts")]
    out = []
    h = model.horizon
    end = dt.date(h.start.year + h.years, h.start.month, h.start.day)
    if not h.start < u.known < end:
        out.append(
            (
                "known",
                f"{u.known} is outside the horizon; expected a date after "
                f"{h.start} and before {end}",
            )
        )
    adapter = _adapter(type(owner), fname)
    if u.outcomes is not None:
        for i, o in enumerate(u.outcomes):
            bad = _check_set(owner, fname, o.value)
            if bad:
                got = "" if "got" in bad else f", got {o.value!r}"
                out.append((f"outcomes.{i}.value", f"{bad}{got} for {u.path}"))
        return out
    law = u.distribution
    if law is None:  # _one_law: outcomes or a distribution
        return out
    frozen = frozen_distribution(law)
    lo, hi = frozen.support()
    for end_name, x in (("low", lo), ("high", hi)):
        if math.isfinite(x):
            bad = _check_set(owner, fname, float(x))
        else:
            bad = _check_value(adapter, float(np.sign(x)) * 1e300)
            bad = bad and f"an unbounded {law.kind} reaches {x}; give '{end_name}'"
        if bad:
            out.append((f"distribution.{end_name}", f"{bad} (support end of {u.path})"))
    if not out:  # a draw inside the support: a whole-number field refuses its fractions
        inside = float(frozen.ppf(INSIDE))
        bad = _check_set(owner, fname, inside)
        if bad:
            out.append(
                (
                    "distribution",
                    f"{bad}: a {law.kind} draws values such as {inside:.6g}, which {u.path} does "
                    "not take; expected outcomes (each value given) for a field of whole numbers",
                )
            )
    return out


def check_uncertainty(spec: Spec) -> list[SpecError]:
    """Every uncertain path exists and takes the values given; every ``known`` date is inside.

    Paths are checked against the validated model (rows must exist, the last step must be a field),
    outcome values and distribution support ends against that field's schema (type and bounds).
    """
    m = spec.model
    section = m.uncertainty
    if section is None:
        return []
    out = []
    first: dict[str, str] = {}
    for name, u in section.inputs.items():
        for key, expected in _check_input(m, name, u):
            out.append(SpecError(*uncertainty_place(spec, f"inputs.{name}.{key}"), expected))
        if u.path in first:
            out.append(
                SpecError(
                    *uncertainty_place(spec, f"inputs.{name}.path"),
                    f"inputs '{first[u.path]}' and '{name}' both set {u.path}: the later would "
                    "silently win and the leaf labels would lie; expected one input per path",
                )
            )
        first.setdefault(u.path, name)
    return out + check_tree(spec)


def check_tree(spec: Spec) -> list[SpecError]:
    """An option of ``uncertainty.tree`` its method does not read, at a value other than its
    default, is refused (:func:`twin.spec.tree_options.unread_options`); the error names the
    ``--set`` (or ``--vary``) that set the method or the option if one did, else where the
    section was written (the model file's ``uncertainty.tree`` or a scenario's key)."""
    section = spec.model.uncertainty
    given = unread_options(section.tree) if section is not None else []
    if section is None or not given:
        return []
    expected = unread_problem(section.tree, given)
    for key in ("method", *given):
        file, where = uncertainty_place(spec, f"tree.{key}")
        if str(file).startswith("--"):
            return [SpecError(file, where, expected)]
    return [SpecError(*uncertainty_place(spec, "tree"), expected)]


def uncertainty_place(spec: Spec, key: str) -> tuple[str | Path, str]:
    """``(file, key)`` naming where ``uncertainty.<key>`` was written: the model file, a
    scenario's ``set`` or a ``--set`` (:func:`twin.spec.blame.blame_path`)."""
    from twin.spec.blame import blame_path  # blame reads the spec module's helpers

    return blame_path(spec, f"uncertainty.{key}")
