"""Sets and coefficients of the fab family, computed from the spec before the build.

A fab build of ``x`` kwspm started in p' makes its first wafer ``L_f`` periods later; in period q,
``a`` years after its first wafer, it can make ``x * 12 dt * dies_per_wafer * ramp(a) * yield(a)``
thousand good chips, with ramp and yield read by whole years since first wafer (the last value
holds).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from twin.spec.schema import Fab


@dataclass(frozen=True)
class FabData:
    """Sets and coefficients of the fab family (units in the module docstring)."""

    fabs: list[str] = field(default_factory=list)
    chip: dict[str, str] = field(default_factory=dict)
    lead: dict[str, int] = field(default_factory=dict)
    build_idx: list[tuple[str, int]] = field(default_factory=list)
    make_idx: list[tuple[str, int]] = field(default_factory=list)
    output: dict[tuple[str, int, int], float] = field(default_factory=dict)
    capex: dict[str, float] = field(default_factory=dict)
    opex_year: dict[str, float] = field(default_factory=dict)
    variable_musd_per_k: dict[str, float] = field(default_factory=dict)
    max_kwspm: dict[str, float] = field(default_factory=dict)
    module: dict[str, float] = field(default_factory=dict)
    life_years: dict[str, float] = field(default_factory=dict)

    def made_of(self) -> dict[tuple[str, int], list[str]]:
        """Fabs making each chip generation k in period p: ``(k, p) -> [f, ...]``."""
        out: dict[tuple[str, int], list[str]] = {}
        for f, p in self.make_idx:
            out.setdefault((self.chip[f], p), []).append(f)
        return out


def curve_at(values: list[float], years: float) -> float:
    """A yearly curve read at whole years since its start (the last value holds) [-]."""
    return values[min(len(values) - 1, max(0, math.floor(years + 1e-9)))]


def fab_data(
    fabs: dict[str, Fab],
    chips: list[str],
    bounds: list[dt.date],
    dt_years: float,
) -> FabData:
    """Index sets and output coefficients of the enabled fabs; ``bounds`` are the period starts
    followed by the horizon end."""
    out = FabData()
    n = len(bounds) - 1
    t = [p * dt_years for p in range(n)]
    step_months = round(dt_years * 12)
    for name, f in fabs.items():
        if not f.enabled or f.chip not in chips:
            continue
        out.fabs.append(name)
        out.chip[name] = f.chip
        lead = math.ceil(f.lead_months / step_months)
        out.lead[name] = lead
        out.capex[name] = f.capex_musd_per_kwspm
        out.opex_year[name] = f.opex_musd_per_kwspm_year
        out.variable_musd_per_k[name] = f.variable_usd_per_chip / 1e3
        out.max_kwspm[name] = f.max_kwspm
        out.life_years[name] = f.life_years
        if f.module_kwspm:
            out.module[name] = f.module_kwspm
        for p in range(n):
            if bounds[p + 1] <= f.earliest or p + lead >= n:
                continue
            out.build_idx.append((name, p))
            for q in range(p + lead, n):
                age = t[q] - t[p + lead]
                coef = 12 * dt_years * f.dies_per_wafer
                coef *= curve_at(f.ramp, age) * curve_at(f.yield_curve, age)
                if coef > 0:
                    out.output[name, p, q] = coef
        firsts = sorted({q for (b, _, q) in out.output if b == name})
        out.make_idx.extend((name, q) for q in firsts)
    return out
