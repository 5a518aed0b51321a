"""The decisions of a stochastic report in a strategist's figures: LP decision labels such as
``power_build[abilene, gas_sc, 2026-07-01]`` summed by what they decide (IT MW built per site,
chips bought per generation, power built per technology, link capacity added); the operating
variables (allocations, flows, dispatch) are left to ``--all`` and ``--csv``."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

#: What a decision family decides, its units, and which key inside the brackets names it.
FAMILIES = {
    "build": ("IT built", "MW IT", 0),
    "modules": ("modules built", "modules", 0),
    "buy": ("chips bought", "thousand chips", 0),
    "make": ("chips made", "thousand chips", 0),
    "install": ("chips installed", "thousand chips", 0),
    "power_build": ("power built", "MW nameplate", 1),
    "fab_build": ("fab built", "1e3 wafer/month", 0),
    "fab_modules": ("fab modules", "modules", 0),
    "link_expand": ("link capacity added", "Gbit/s", 0),
}


def _parts(label: str) -> tuple[str, list[str]]:
    family, _, rest = label.partition("[")
    return family.strip(), [p.strip() for p in rest.split("]", 1)[0].split(",")]


def summarise(labels: Iterable[object], values: Iterable[float]) -> dict[tuple[str, str], float]:
    """The decisions summed by (what, name), e.g. ``("power built", "gas_sc")``, for the
    families of :data:`FAMILIES`; other variables are not counted (:func:`operating`)."""
    out: dict[tuple[str, str], float] = {}
    for label, v in zip(labels, values, strict=True):
        family, keys = _parts(str(label))
        if family not in FAMILIES or not np.isfinite(v):
            continue
        what, _, k = FAMILIES[family]
        key = (what, keys[k] if k < len(keys) else "")
        out[key] = out.get(key, 0.0) + float(v)
    return {k: v for k, v in out.items() if abs(v) > 1e-6}


def units(what: str) -> str:
    """The units of a summary row (``power built``: ``MW nameplate``)."""
    return next(u for w, u, _ in FAMILIES.values() if w == what)


def operating(labels: Iterable[object]) -> list[str]:
    """The families of the labels that are operating variables, not summarised."""
    seen: dict[str, None] = {}
    for label in labels:
        family = _parts(str(label))[0]
        if family not in FAMILIES and family not in ("lease_keep", "offer_take"):
            seen[family] = None
    return list(seen)
