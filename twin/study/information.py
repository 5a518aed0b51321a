"""Information in its time: a leaf's plan data, each uncertain input in force from its date.

A leaf of a scenario tree assigns each uncertain input an outcome, revealed at the input's
``known`` date ``tau``. Before ``tau`` the world is the one the model file states (the value of
the path in the spec, after its scenario and ``--set``); from ``tau`` on it is the outcome's.
Period ``p`` (start ``s_p``) takes the outcome iff ``s_p >= tau`` (the periods whose decisions the
tree's stage rule, :meth:`~twin.study.tree.ScenarioTree.stage_of`, puts after the information).

A growth or decline RATE (a path ending in ``growth_per_year``, ``decline_per_year`` or
``change_per_year``) compounds from ``tau`` with the model's rate ``g0`` before it: a quantity
that grows as ``x0 (1 + g)^t`` becomes ``x0 (1 + g0)^tau (1 + g)^(t - tau)`` (``t`` years from
the horizon start, ``tau`` likewise; a decline uses ``1 - g``). Period ``p`` is given the
effective rate ``g_p`` with ``(1 + g_p)^(t_p) = (1 + g0)^tau (1 + g)^(t_p - tau)`` at its middle
``t_p`` (where twin takes growth and value decline), which is exact for every path compounding
from the horizon start at mid-period (tenant demand and value) and a close approximation for a
price that compounds from another date.

:func:`leaf_data` builds one :class:`~twin.plan.PlanData` per distinct set of values in force and
splices them period by period (:func:`splice`): an entry indexed by a period (a dict key that is,
or ends in, a period number; a list with one entry per period) is taken from the data in force in
that period; a field of :data:`AT_THE_END` (a rate carried past the horizon end) is the one in
force in the last period. An input that changes another coefficient that is not per period (one
number for the whole horizon) cannot keep the model's value before ``tau``; it is refused
(:class:`SpecError`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from twin.dates import years_between
from twin.plan import PlanData, plan_data
from twin.spec.errors import SpecError
from twin.spec.load import load_dict
from twin.spec.spec import Spec
from twin.spec.uncertainty_checks import uncertainty_place
from twin.study.tree import Assignment, ScenarioTree

Revelation = tuple[str, Any, dt.date]
"""An uncertain path, the value it takes, and the date it is known from."""

#: A path whose value compounds over time (growth or decline rates, fractions per year).
RATE = re.compile(r"(growth|decline|change)_per_year$")

#: Plan data that describe the world after the horizon (the value decline carried past the
#: end by ``continued_use``): taken from the data in force in the last period.
AT_THE_END = frozenset({"value_decline"})

#: Plan data that are not the world but how long building it took (the orbit geometry's wall
#: time): the first period's data's, whatever differs (it differs between any two builds).
TIMINGS = frozenset({"geometry_s"})

_CACHE: dict[int, tuple[Spec, dict[tuple[Assignment, ...], PlanData]]] = {}
_CACHE_SPECS = 4


def scenario_spec(spec: Spec, overrides: Iterable[Assignment]) -> Spec:
    """``spec`` with ``overrides`` applied after its own scenario and ``--set`` values.

    Each ``(path, value)`` is validated with the rest of the model once (every check runs, so a
    leaf that takes a bad value fails as any ``--set`` would; :func:`_alone`), and cached; a
    leaf then takes its values by copying the validated model along each path, without
    re-validating the whole model per leaf and per period. A path whose value changes more of
    the validated model than that one field (e.g. something the loader derives from it) is
    validated whole with all the leaf's values, as before. Provenance (path, scenario, file
    hashes) is kept.
    """
    overrides = list(overrides)
    if not overrides:
        return spec
    model: Any = spec.model.model_copy(update={"uncertainty": None})  # as a validated leaf's
    for path, value in overrides:
        parsed = _alone(spec, path, value)
        if parsed is _NOT_LOCAL:
            return _validated(spec, overrides)
        model = _set_at(model, path.split("."), parsed)
    return dataclasses.replace(
        spec, model=model, overrides=tuple(spec.overrides) + tuple(overrides)
    )


def _validated(spec: Spec, overrides: list[Assignment]) -> Spec:
    """``spec`` with ``overrides``, the whole model re-validated."""
    data = spec.model.model_dump(exclude={"uncertainty"})
    leaf = load_dict(data, name=str(spec.path), overrides=overrides)
    return dataclasses.replace(
        leaf,
        path=spec.path,
        scenario=spec.scenario,
        overrides=tuple(spec.overrides) + tuple(overrides),
        files=spec.files,
    )


_NOT_LOCAL = object()
_ALONE: dict[int, tuple[Spec, dict[tuple[str, Any], Any]]] = {}


def _alone(spec: Spec, path: str, value: Any) -> Any:
    """The validated value of ``path`` when ``spec`` takes ``value`` there alone, or
    ``_NOT_LOCAL`` when validation changed more than that field; cached per spec."""
    hit = _ALONE.get(id(spec))
    if hit is None or hit[0] is not spec:
        while len(_ALONE) >= _CACHE_SPECS:
            _ALONE.pop(next(iter(_ALONE)))
        hit = _ALONE[id(spec)] = (spec, {})
    key = (path, tuple(value) if isinstance(value, list) else value)
    if key not in hit[1]:
        one = _validated(spec, [(path, value)])
        parsed = model_value(one, path)
        local = _set_at(
            spec.model.model_copy(update={"uncertainty": None}), path.split("."), parsed
        )
        same = local == one.model.model_copy(update={"uncertainty": None})
        hit[1][key] = parsed if same else _NOT_LOCAL
    return hit[1][key]


def _set_at(node: Any, parts: list[str], value: Any) -> Any:
    """A copy of ``node`` (a pydantic model, dict or sequence) with ``value`` at ``parts``."""
    head, rest = parts[0], parts[1:]
    if isinstance(node, dict):
        return {**node, head: _set_at(node[head], rest, value) if rest else value}
    if isinstance(node, list | tuple):
        items = list(node)
        i = int(head)
        items[i] = _set_at(items[i], rest, value) if rest else value
        return type(node)(items)
    child = getattr(node, head)
    return node.model_copy(update={head: _set_at(child, rest, value) if rest else value})


def revelations(tree: ScenarioTree, leaf: str) -> list[Revelation]:
    """The ``(path, value, known)`` of every input along the path to ``leaf``."""
    scen = next(s for s in tree.scenarios if s.name == leaf)
    return [(p, v, tree.nodes[n].date) for n in scen.nodes for p, v in tree.nodes[n].revealed]


def known_dates(tree: ScenarioTree) -> dict[str, dt.date]:
    """``{path: known date}`` of every uncertain path of the tree."""
    return {p: n.date for n in tree.nodes.values() for p, _ in n.revealed}


def model_value(spec: Spec, path: str) -> Any:
    """The value of dotted ``path`` in ``spec``'s model (after its scenario and ``--set``)."""
    node: Any = spec.model
    for part in path.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return node


def effective_rate(g0: float, g: float, sign: int, tau: float, t: float) -> float:
    """The constant rate whose factor over ``t`` years equals ``g0`` for ``tau`` years then ``g``:
    ``(1 + s g_e)^t = (1 + s g0)^tau (1 + s g)^(t - tau)``, ``s`` = +1 (growth) or -1 (decline)."""
    if t <= 0:
        return g
    log = tau * math.log1p(sign * g0) + (t - tau) * math.log1p(sign * g)
    return sign * math.expm1(log / t)


def in_force(
    spec: Spec, d: PlanData, revealed: Sequence[Revelation]
) -> list[tuple[Assignment, ...]]:
    """Per period, the assignments in force (module docstring): none before a path's date."""
    out = []
    for p, s_p in enumerate(d.periods):
        now = []
        for path, value, known in revealed:
            if s_p < known:
                continue
            name = path.rsplit(".", 1)[-1]
            if RATE.search(name) and isinstance(value, int | float) and not isinstance(value, bool):
                g0 = float(model_value(spec, path))
                sign = -1 if "decline" in name else 1
                tau, t = _years_to(d, known), d.t[p] + d.dt / 2
                now.append((path, effective_rate(g0, float(value), sign, tau, t)))
                continue
            now.append((path, value))
        out.append(tuple(now))
    return out


def _years_to(d: PlanData, when: dt.date) -> float:
    """Years from the horizon start to ``when`` on the periods' clock (``t_p`` of the first
    period starting on or after it, less the days between)."""
    q = next(p for p, s in enumerate(d.periods) if s >= when)
    return d.t[q] - years_between(when, d.periods[q])


def timed_data(spec: Spec, revealed: Sequence[Revelation]) -> tuple[Spec, PlanData]:
    """The spec with every revealed value (for reports) and plan data with each in its time."""
    full = scenario_spec(spec, [(p, v) for p, v, _ in revealed])
    cache = _data_cache(spec)
    base = _cached(spec, (), cache)
    per_period = [_cached(spec, a, cache) for a in in_force(spec, base, revealed)]
    if all(x is base for x in per_period):
        return full, base
    try:
        return full, splice(base, per_period)
    except _Unsplittable as e:
        raise _not_per_period(spec, {p for p, _, _ in revealed}, e.args[0]) from None


def check_per_period(spec: Spec, tree: ScenarioTree) -> None:
    """Refuse, before any solve, an uncertain input of ``tree`` that changes plan data that are
    not per period (:func:`timed_data` would refuse it in the leaf that reveals it): each value a
    node reveals, alone and in force from the first period starting on or after its date, must
    splice into the model's data.
    One plan-data build per value tried: a path's least and greatest value (each value of a
    path that takes words or lists), a rate's raw value, not its per-period effective rates (what
    it changes is the same); ``twin validate`` runs it on every scenario with an
    ``uncertainty:`` section."""
    values: dict[str, list[Any]] = {}
    known: dict[str, dt.date] = {}
    for node in tree.nodes.values():
        for path, value in node.revealed:
            known[path] = min(known.get(path, node.date), node.date)
            if value not in values.setdefault(path, []):
                values[path].append(value)
    cache = _data_cache(spec)
    base = _cached(spec, (), cache)
    for path, seen in values.items():
        # in force from the first period that starts on or after its date, as in timed_data
        after = [s_p >= known[path] for s_p in base.periods]
        if all(after) or not any(after):
            continue  # one value over the whole horizon: nothing to splice
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in seen)
        for value in [min(seen), max(seen)] if numbers else seen:
            other = _cached(spec, ((path, value),), cache)
            try:
                splice(base, [other if a else base for a in after])
            except _Unsplittable as e:
                raise _not_per_period(spec, {path}, e.args[0]) from None


def _not_per_period(spec: Spec, paths: set[str], what: str) -> SpecError:
    return SpecError(
        *uncertainty_place(spec, "inputs"),
        f"an uncertain input ({', '.join(sorted(paths))}) changes {what}, which is not per "
        "period (one number for the whole horizon, or which decisions exist), so it cannot keep "
        "the model's value before its known date; expected inputs that change per-period data",
    )


def _data_cache(spec: Spec) -> dict[tuple[Assignment, ...], PlanData]:
    hit = _CACHE.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    while len(_CACHE) >= _CACHE_SPECS:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(spec)] = (spec, {})
    return _CACHE[id(spec)][1]


def _cached(
    spec: Spec, assigned: tuple[Assignment, ...], cache: dict[tuple[Assignment, ...], PlanData]
) -> PlanData:
    key = tuple((p, tuple(v) if isinstance(v, list) else v) for p, v in assigned)
    if key not in cache:
        cache[key] = plan_data(scenario_spec(spec, assigned))
    return cache[key]


class _Unsplittable(Exception):
    """A coefficient that differs between periods' data but is not indexed by period."""


def splice(base: PlanData, per_period: list[PlanData]) -> PlanData:
    """``base`` with every period-indexed entry taken from ``per_period[p]`` (module docstring)."""
    return _pick(per_period, None, len(per_period), "plan data")


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(a, b))
    try:
        return bool(a == b)
    except (ValueError, TypeError):
        return False


def _period_of(key: Any, n: int) -> int | None:
    last = key[-1] if isinstance(key, tuple) and key else key
    if isinstance(last, int) and not isinstance(last, bool) and 0 <= last < n:
        return last
    return None


def _pick(values: list[Any], period: int | None, n: int, where: str) -> Any:
    """The object whose period-``q`` parts come from ``values[q]`` (``period`` fixes them all)."""
    if period is not None:
        return values[period]
    first = values[0]
    if all(_same(first, v) for v in values[1:]):
        return first
    if dataclasses.is_dataclass(first) and not isinstance(first, type):
        changes = {
            f.name: _pick(
                [getattr(v, f.name) for v in values],
                n - 1 if f.name in AT_THE_END else 0 if f.name in TIMINGS else None,
                n,
                f"{where}.{f.name}",
            )
            for f in dataclasses.fields(first)
        }
        return dataclasses.replace(first, **changes)
    if isinstance(first, dict) and all(v.keys() == first.keys() for v in values):
        return {
            k: _pick([v[k] for v in values], _period_of(k, n), n, f"{where}[{k!r}]") for k in first
        }
    if isinstance(first, list | tuple) and all(len(v) == len(first) for v in values):
        by_period = len(first) == n
        out = [
            _pick([v[i] for v in values], i if by_period else None, n, f"{where}[{i}]")
            for i in range(len(first))
        ]
        return type(first)(out)
    raise _Unsplittable(where)
