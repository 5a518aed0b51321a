"""Expand a validated model: region tranches into candidate sites, the roadmap into chips.

Both run after validation and before the consistency checks, so every later layer (state,
graph, plan, report) sees candidate sites and extrapolated chips as ordinary rows.
"""

from __future__ import annotations

import datetime as dt
import math

from pydantic import ValidationError

from twin.spec.errors import SpecError
from twin.spec.names import twin_key
from twin.spec.ranges import DATE_RANGE, UNIT_RANGES
from twin.spec.regions import RegionTranche
from twin.spec.roadmap import Roadmap
from twin.spec.schema import Chip, Model, Site


def solved_end(model: Model) -> dt.date:
    """First day after the solved horizon (``years`` plus any buffer), or a :class:`SpecError`
    (file unset: the loader blames the key) when it would pass the last date twin reads."""
    h = model.horizon
    y, mo = divmod(h.start.month - 1 + 12 * h.solved_years, 12)
    year = h.start.year + y
    if year > DATE_RANGE[1].year:
        raise SpecError(
            None,
            "horizon.start",
            f"{h.start} plus {h.solved_years} solved years (horizon.years and "
            f"horizon.buffer_years) ends in {year}, past {DATE_RANGE[1]}; expected an earlier "
            "start or a shorter horizon",
        )
    return dt.date(year, mo + 1, 1)


def expand(model: Model) -> Model:
    """``model`` with its region tranches as sites and its roadmap's generations as chips.

    Raises :class:`SpecError` with no file (the loader names where the key was set): a
    tranche named like a site (one would replace the other), a horizon past twin's dates, or a
    generation the roadmap's rates push out of a chip's bounds."""
    end = solved_end(model)
    if not model.regions and model.roadmap.after is None:
        return model
    candidates = candidate_sites(model.regions)
    keys = {twin_key(n): n for n in model.sites}
    for name in model.regions:  # a site that is this tranche's own candidate: expanded before
        if twin_key(name) in keys and model.sites[keys[twin_key(name)]] != candidates[name]:
            raise SpecError(
                None,
                f"regions.{name}",
                f"the tranche is named like the site '{keys[twin_key(name)]}'; expected a name "
                "no site has (a tranche is a candidate site: one would replace the other)",
            )
    sites = {**model.sites, **candidates}
    chips = {**model.chips, **extrapolated_chips(model.chips, model.roadmap, end)}
    return model.model_copy(update={"sites": sites, "chips": chips})


#: The build module of a candidate tranche's site [MW].
CANDIDATE_MODULE_MW = 100.0


def tranche_module_mw(max_mw: float) -> float | None:
    """The module of a tranche of ``max_mw`` [MW]: ``max_mw / ceil(max_mw / 100)``, None for a
    closed tranche (``max_mw`` 0)."""
    if max_mw <= 0:
        return None
    return max_mw / max(1, math.ceil(max_mw / CANDIDATE_MODULE_MW - 1e-9))


def candidate_sites(regions: dict[str, RegionTranche]) -> dict[str, Site]:
    """One terrestrial :class:`Site` per tranche, named after its row (availability 0.97,
    14-year life and modules of at most 100 MW as the named greenfield sites: the tranche in
    ``n = ceil(max_mw / 100)`` equal modules of ``max_mw / n`` MW, so whole modules can build
    the whole tranche, and the MW they can build never falls as a tranche grows)."""
    return {
        name: Site(
            kind="terrestrial",
            lat_deg=r.lat_deg,
            lon_deg=r.lon_deg,
            max_mw=r.max_mw,
            lead_months=r.lead_months,
            capex_musd_per_mw=r.capex_musd_per_mw,
            opex_musd_per_mw_year=r.opex_musd_per_mw_year,
            pue=r.pue,
            wue_l_per_kwh=r.wue_l_per_kwh,
            earliest=r.earliest,
            module_mw=tranche_module_mw(r.max_mw),
            life_years=14.0,
            region=r.region,
            enabled=r.enabled,
            source=f"candidate tranche {r.tranche} of region {r.region}: {r.source}",
        )
        for name, r in regions.items()
    }


#: The schema's bound on compute per chip (:class:`~twin.spec.schema.Chip`) [H100e].
H100E_PER_CHIP_MAX = 1000.0
#: The least power of a chip the sane ranges take (``kW``, :mod:`twin.spec.ranges`) [kW]: past
#: it a generation's compute per watt saturates (1 W for a chip of 1,000 H100e).
KW_PER_CHIP_MIN = UNIT_RANGES["kW"][0]
#: Which roadmap rate drives a generated chip's field out of its bounds (for the error).
RATE_OF = {
    "kw": "perf_per_watt_growth_per_year",
    "h100e": "perf_per_watt_growth_per_year",
    "price_usd": "perf_per_usd_doubling_years",
    "vendor_alloc_k_per_year": "vendor_alloc_growth",
}


def _add_years(d: dt.date, years: float) -> dt.date:
    return d + dt.timedelta(days=round(years * 365.25))


def extrapolated_chips(
    chips: dict[str, Chip], roadmap: Roadmap, horizon_end: dt.date
) -> dict[str, Chip]:
    """Generations after ``roadmap.after`` up to ``until`` (or ``horizon_end``), by the formulas
    of the module docstring; each sold for ``step_years`` and marked extrapolated."""
    if roadmap.after is None:
        return {}
    a = chips[roadmap.after]
    until = roadmap.until or horizon_end
    out: dict[str, Chip] = {}
    i = 1
    while True:
        years = i * roadmap.step_years
        start = _add_years(a.available_from, years)
        if start >= until:
            return out
        kw = min(a.kw * (1 + roadmap.kw_growth_per_year) ** years, roadmap.kw_max)
        w_per_h = a.kw / a.h100e * (1 + roadmap.perf_per_watt_growth_per_year) ** -years
        usd_per_h = a.price_usd / a.h100e * 2 ** (-years / roadmap.perf_per_usd_doubling_years)
        h = kw / w_per_h
        saturated = h > H100E_PER_CHIP_MAX
        if saturated:  # the package saturates, not the trend (module docstring of roadmap)
            h, kw = H100E_PER_CHIP_MAX, H100E_PER_CHIP_MAX * w_per_h
        per_watt = kw < KW_PER_CHIP_MIN  # and past it, compute per watt: 1 W per H100e
        if per_watt:
            kw = KW_PER_CHIP_MIN
        name = f"{roadmap.after}_x{i}"
        price = usd_per_h * h
        out[name] = _generation(name, a, roadmap, i, (h, kw, price), start, (saturated, per_watt))
        i += 1


def _generation(
    name: str,
    a: Chip,
    roadmap: Roadmap,
    i: int,
    size: tuple[float, float, float],
    start: dt.date,
    limits: tuple[bool, bool],
) -> Chip:
    """Generation ``i`` after ``a`` as a :class:`Chip`, or a :class:`SpecError` naming the
    roadmap rate that put one of its fields out of bounds (a chip 0.0 $ or allocations past any
    market: no saturation is physical there, the rate is)."""
    (h, kw, price), (saturated, per_watt) = size, limits
    years = i * roadmap.step_years
    alloc = a.vendor_alloc_k_per_year
    try:
        return Chip(
            h100e=h,
            kw=kw,
            price_usd=price,
            price_decline_per_year=a.price_decline_per_year,
            vendor_markup=a.vendor_markup,
            available_from=start,
            available_until=None,
            life_years=a.life_years,
            vendor_alloc_k_per_year=(
                None if alloc is None else alloc * roadmap.vendor_alloc_growth**i
            ),
            extrapolated=True,
            source=(
                f"extrapolation: {years:g} years after {roadmap.after} at "
                f"{roadmap.perf_per_watt_growth_per_year:.0%}/yr compute per watt, "
                f"{roadmap.perf_per_usd_doubling_years:g}-year doubling of compute per $ and "
                f"{roadmap.kw_growth_per_year:.0%}/yr power per chip"
                + (f" (saturated at {H100E_PER_CHIP_MAX:g} H100e per chip)" if saturated else "")
                + (f" (compute per watt held at {KW_PER_CHIP_MIN:g} kW a chip)" if per_watt else "")
                + f" ({roadmap.source})"
            ),
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "chip"
        rate = RATE_OF.get(field, "after")
        raise SpecError(
            None,
            f"roadmap.{rate}",
            f"generation {name}, {years:g} years after {roadmap.after}, would have {field} "
            f"{err.get('input')!r} ({err['msg']}); expected a rate that keeps every generation "
            "up to the solved horizon's end in bounds (or an earlier roadmap.until)",
        ) from None
