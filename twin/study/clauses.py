"""The value of a contract clause: the optimal (expected) NPV with the clause minus without it.

A clause is priced on a contract whose notice the plan decides (:mod:`twin.plan.leases`); both
sides of the difference leave every other choice to the plan:

- ``notice``: the mutual cancellation (notice ends the lease ``notice_months`` later, at any
  date). With: ``renew: decide, cancellation: mutual``; without: ``cancellation: at_term_end``
  (the lease ends only at the end of a term).
- ``renewal``: the right to renew. With: ``renew: decide``; without: ``renew: false,
  notice_given: decide`` (the lease ends after its first term at the latest).

``value = NPV*(with) - NPV*(without)`` [$M], where ``NPV*`` is whatever ``solve`` returns for a
spec: by default :func:`optimal_npv`, the stochastic program's optimum over the tree of the
model's ``uncertainty:`` section, or the plan's NPV for a model without one; pass
``lambda s: expected_npv(s, tree)`` (:func:`twin.study.risk.expected_npv`) to price it over a few
enumerated futures (:func:`twin.study.tree.futures_tree`). This is twin's one clause-value
function (``twin clause`` and notebook 04 call it).
With a deterministic plan the value of a flexibility clause is >= 0 up to the
solver's tolerance (the without-side's choices are open to the with-side, the LP form).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from twin.progress import phase
from twin.spec import SpecError, load_dict, load_model
from twin.spec.spec import Spec

#: clause -> (sets with it, sets without it), on ``contracts.<name>.``
CLAUSES: dict[str, tuple[dict[str, object], dict[str, object]]] = {
    "notice": (
        {"renew": "decide", "cancellation": "mutual"},
        {"renew": "decide", "cancellation": "at_term_end"},
    ),
    "renewal": ({"renew": "decide"}, {"renew": False, "notice_given": "decide"}),
}


@dataclass(frozen=True)
class ClauseValue:
    """``value = with_npv - without_npv`` [$M] of ``clause`` on ``contract``."""

    contract: str
    clause: str
    with_npv: float
    without_npv: float

    @property
    def value(self) -> float:
        """Optimal (expected) NPV with the clause minus without it [$M]."""
        return self.with_npv - self.without_npv


def optimal_npv(spec: Spec) -> float:
    """The optimal (expected) NPV of ``spec`` [$M] by :func:`twin.study.risk.expected_npv`,
    twin's one NPV solve: over its scenario tree, or its plan's NPV without one."""
    from twin.study.risk import expected_npv  # mpi-sppy loads only when a clause is priced

    return expected_npv(spec)


def npv_basis(spec: Spec) -> str:
    """The basis :func:`optimal_npv` prices a clause of ``spec`` on, in words."""
    if spec.model.uncertainty is not None:
        return "expected NPV over the scenario tree"
    return "NPV of the plan"


def clause_sets(contract: str, clause: str) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """The ``--set`` overrides of the with- and without-sides of ``clause`` on ``contract``."""
    if clause not in CLAUSES:
        raise ValueError(f"unknown clause {clause!r}; expected one of {sorted(CLAUSES)}")
    return tuple(  # type: ignore[return-value]
        [(f"contracts.{contract}.{k}", v) for k, v in side.items()] for side in CLAUSES[clause]
    )


def check_no_clash(overrides: list[tuple[str, Any]], keys: set[str], clause: str) -> None:
    """Refuse an override of one of ``keys`` (the clause's settings), or of a key above or
    inside one, naming the ``--set`` and the clause."""
    for path, _ in overrides:
        for key in sorted(keys):
            if path == key or key.startswith(f"{path}.") or path.startswith(f"{key}."):
                raise SpecError(
                    "--set", path, f"the {clause} clause sets {key} to price itself; "
                    "expected no --set of it (set the contract's other keys, or price the model "
                    "as it is with twin solve)",
                )  # fmt: skip


def clause_value(
    model: str | Path | Mapping[str, Any],
    contract: str,
    clause: str,
    *,
    scenario: str | None = None,
    overrides: list[tuple[str, Any]] | None = None,
    solve: Callable[[Spec], float] = optimal_npv,
) -> ClauseValue:
    """Price ``clause`` on ``contract`` of ``model`` (a model file, or a dict as ``load_dict``).

    An override of a key the clause sets (or a key above or inside it) is refused: the clause's
    settings would silently win. The model file's and the scenario's values of those keys are
    what the clause replaces on both sides, as pricing it means. A bad value of the clause's
    own is blamed on ``--clause``."""
    both = clause_sets(contract, clause)
    check_no_clash(overrides or [], {k for side in both for k, _ in side}, clause)
    sides = []
    for side, sets in zip(("with", "without"), both, strict=True):
        over = [
            *((k, v, "--set") for k, v in overrides or []),
            *((k, v, "--clause") for k, v in sets),
        ]
        if isinstance(model, Mapping):
            spec = load_dict(dict(model), overrides=over)
        else:
            spec = load_model(model, scenario=scenario, overrides=over)
        with phase(f"{contract} {side} its {clause} clause"):
            sides.append(solve(spec))
    return ClauseValue(contract, clause, sides[0], sides[1])
