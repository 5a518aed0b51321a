"""Provisional column numbers of the LP the hand-off assembles (:mod:`twin.plan.standard_form`):
variables are numbered a component at a time, in the order the compiler numbers them."""

from __future__ import annotations

from typing import Any

import numpy as np
from pyomo.core.base import SortComponents
from pyomo.core.base.var import VarData

#: The compiler's default order: members of ordered index sets as declared, others sorted.
_ORDER = SortComponents.ORDERED_INDICES


class Columns:
    """Provisional column numbers, given on first sight of a variable to every unfixed member of
    its component at once (members in the compiler's order): components are numbered in the
    order first met, as the compiler numbers them."""

    def __init__(self) -> None:
        self.of: dict[int, int] = {}  # id(variable) -> provisional column
        self.members: list[VarData] = []
        self.numbered: dict[int, np.ndarray] = {}  # id(component) -> column per member, -1 fixed
        self._scanned: dict[int, tuple[list[VarData], np.ndarray]] = {}
        self._unmapped: set[int] = set()  # numbered in bulk, not yet in ``of``

    def add(self, v: VarData) -> int:
        """Number the component of ``v``; return the column of ``v``."""
        comp = v.parent_component()
        if id(comp) in self._unmapped:  # numbered by matrix rows, now met in an expression
            self._unmapped.discard(id(comp))
            members, _ = self.scan(comp)
            cols = self.numbered[id(comp)]
            live = np.flatnonzero(cols >= 0).tolist()
            self.of.update(zip((id(members[i]) for i in live), cols[live].tolist(), strict=True))
        else:
            self.number(comp)
        return self.of[id(v)]

    def scan(self, comp: Any) -> tuple[list[VarData], np.ndarray]:
        """The members of ``comp`` in the compiler's order and which are fixed."""
        got = self._scanned.get(id(comp))
        if got is None:
            members = list(comp.values(_ORDER))
            fixed = np.fromiter((w.fixed for w in members), dtype=bool, count=len(members))
            got = self._scanned[id(comp)] = (members, fixed)
        return got

    def number(self, comp: Any, bulk: bool = False) -> np.ndarray:
        """Number every unfixed member of ``comp`` (once); its column per member (-1: fixed).
        ``bulk``: for matrix rows, which read columns by position; the ``id -> column`` map
        the expressions use is made only if an expression meets the component."""
        cols = self.numbered.get(id(comp))
        if cols is None:
            members, fixed = self.scan(comp)
            live = np.flatnonzero(~fixed)
            n0 = len(self.members)
            cols = np.full(len(members), -1, dtype=np.int64)
            cols[live] = np.arange(n0, n0 + len(live))
            new = [members[i] for i in live.tolist()]
            if bulk:
                self._unmapped.add(id(comp))
            else:
                self.of.update(zip(map(id, new), range(n0, n0 + len(new)), strict=True))
            self.members.extend(new)
            self.numbered[id(comp)] = cols
        return cols
