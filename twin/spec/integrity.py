"""Consistency checks of the tables' integrity (registered in :data:`twin.spec.checks.CHECKS`).

Each rule closes a way a bad table was silently accepted: a cycle of ``value_ref`` (no price
path to follow), the same item twice in a ``;``-list cell, two rows with one natural key (a
region's tranche), dates out of order (a chip sold until before it is sold from, chips installed
before the site has the MW to hold them, retired before they were installed), a site's ceiling
below what is already online there, a module larger than the most that may be built, orbital
sites without a launch price (free launches), a field the row's kind or form ignores, two sites
at one point with two climates. Every error names where the value came from
(:mod:`twin.spec.blame`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from twin.constants import DAYS_PER_YEAR
from twin.spec.blame import blame, blame_path, source
from twin.spec.errors import SpecError

if TYPE_CHECKING:
    from twin.spec.schema import Model
    from twin.spec.spec import Spec


def _tables(m: Model) -> dict[str, dict]:
    """Every table's rows by table name: any may carry a ``;``-list column of names."""
    return {
        "sites": m.sites, "chips": m.chips, "tenants": m.tenants,
        "power_sources": m.power_sources, "contracts": m.contracts, "offers": m.offers,
        "events": m.events, "fabs": m.fabs, "power_projects": m.power_projects,
        "power_markets": m.power_markets, "regions": m.regions,
        "user_regions": m.user_regions, "links": m.links,
        "ground_stations": m.orbit.ground_stations,
    }  # fmt: skip


def _error(spec: Spec, table: str, name: str, key: str | None, expected: str) -> SpecError:
    file, where = blame(spec, table, name, key)
    return SpecError(file, where, expected)


def _also(spec: Spec, table: str, name: str, key: str, blamed_key: str) -> str:
    """Where a second value of the row came from, if another file than the blamed one's."""
    return source(spec, table, name, key, blame(spec, table, name, blamed_key)[0])


def check_value_refs(spec: Spec) -> list[SpecError]:
    """Following ``value_ref`` from any tenant ends at a tenant with its own price path."""
    tenants = spec.model.tenants
    out = []
    for name, t in tenants.items():
        seen, at = [name], t.value_ref
        while at is not None and at in tenants and at not in seen:
            seen.append(at)
            at = tenants[at].value_ref
        if at == name:  # a member of the cycle (a tenant leading into one is not named)
            chain = " -> ".join([*seen, at])
            out.append(
                _error(
                    spec,
                    "tenants",
                    name,
                    "value_ref",
                    f"a cycle of value references ({chain}); expected a chain ending at a "
                    "tenant valued by its own price (empty value_ref)",
                )
            )
    return out


def check_list_duplicates(spec: Spec) -> list[SpecError]:
    """No ``;``-list cell of names (sites, technologies) names one item twice."""
    m, out = spec.model, []
    for table, rows in _tables(m).items():
        for name, row in rows.items():
            for key in type(row).model_fields:
                items = getattr(row, key)
                if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
                    continue
                twice = sorted({x for x in items if items.count(x) > 1})
                if twice:
                    out.append(
                        _error(
                            spec,
                            table,
                            name,
                            key,
                            f"'{twice[0]}' is listed twice in {';'.join(items)}; expected "
                            "each item once",
                        )
                    )
    return out


def check_natural_keys(spec: Spec) -> list[SpecError]:
    """A region's tranches are numbered once each: two rows of one (region, tranche) pair
    would be two sites where the supply curve has one."""
    first: dict[tuple[str, int], str] = {}
    out = []
    for name, r in spec.model.regions.items():
        other = first.setdefault((r.region, r.tranche), name)
        if other != name:
            out.append(
                _error(
                    spec,
                    "regions",
                    name,
                    "tranche",
                    f"region '{r.region}' tranche {r.tranche} again (row '{other}' has it); "
                    "expected each (region, tranche) once",
                )
            )
    return out


def check_date_order(spec: Spec) -> list[SpecError]:
    """A chip is sold until on or after it is sold from; chips are installed at a site only
    when the MW online there by that date (its ``site_online`` events) can hold their IT load.
    An install before the chip's ``available_from`` is taken: that is its market date for new
    purchases, and early deliveries precede it (tests/plan/test_site_timing.py builds one)."""
    m, out = spec.model, []
    for name, c in m.chips.items():
        if c.available_until is not None and c.available_until < c.available_from:
            out.append(
                _error(
                    spec,
                    "chips",
                    name,
                    "available_until",
                    f"{c.available_until} is before available_from {c.available_from}"
                    f"{_also(spec, 'chips', name, 'available_from', 'available_until')}; "
                    "expected a date on or after it",
                )
            )
    events = sorted(m.events.items(), key=lambda kv: (kv[1].date, kv[0]))
    short: set[str] = set()  # sites named already: their later installs repeat it
    for name, e in events:
        if e.kind != "chips_installed" or e.site is None or e.chip not in m.chips:
            continue
        if e.site in short:
            continue
        load, online = _fleet_at(m, e.site, e.date)
        if load > online + 1e-6:
            out.append(
                _error(
                    spec,
                    "events",
                    name,
                    "date",
                    f"chips installed at '{e.site}' on {e.date} draw {load:.4g} MW of IT "
                    f"power, but its site_online events bring only {online:.4g} MW online by "
                    "then; expected the site's MW online on or before its chips' date",
                )
            )
            short.add(e.site)
    return out


def check_retirements(spec: Spec) -> list[SpecError]:
    """A ``chips_retired`` event retires no more chips of its kind than its site has installed
    by its date (installs of the same day first): the rest were silently dropped."""
    m, out = spec.model, []
    held: dict[tuple[str | None, str | None], float] = defaultdict(float)
    order = sorted(m.events.items(), key=lambda kv: (kv[1].date, kv[1].kind != "chips_installed"))
    for name, e in order:
        key = (e.site, e.chip)
        if e.kind == "chips_installed" and e.chips is not None:
            held[key] += e.chips
        elif e.kind == "chips_retired" and e.chips is not None:
            if e.chips > held[key] + 1e-9:
                out.append(
                    _error(
                        spec,
                        "events",
                        name,
                        "chips",
                        f"retires {e.chips:g} {e.chip} chips at '{e.site}' on {e.date}, but "
                        f"only {held[key]:g} are installed there by then; expected its "
                        "chips_installed events on or before it",
                    )
                )
            held[key] -= min(e.chips, held[key])
    return out


def _fleet_at(m: Model, site: str, day: dt.date) -> tuple[float, float]:
    """The IT MW the chips at ``site`` draw on ``day`` (installed, less those retired oldest
    first, within their life) and the MW its ``site_online`` events bring online by then: the
    replay of :func:`twin.state.replay`, for one site."""
    online = 0.0
    vintages: list[tuple[dt.date, str]] = []  # (installed, chip), with counts[i] chips
    counts: list[float] = []
    for e in sorted(m.events.values(), key=lambda e: e.date):
        if e.date > day or e.site != site:
            continue
        if e.kind == "site_online" and e.mw is not None:
            online += e.mw
        elif e.kind == "chips_installed" and e.chip in m.chips and e.chips is not None:
            vintages.append((e.date, e.chip))
            counts.append(e.chips)
        elif e.kind == "chips_retired" and e.chips is not None:
            left = e.chips
            for i, (_, chip) in enumerate(vintages):
                take = min(counts[i], left) if chip == e.chip else 0.0
                counts[i], left = counts[i] - take, left - take
    life = {c: dt.timedelta(days=round(x.life_years * DAYS_PER_YEAR)) for c, x in m.chips.items()}
    alive = zip(vintages, counts, strict=True)
    load = sum(n * m.chips[c].kw for (d, c), n in alive if d + life[c] > day) / 1e3
    return load, online


def check_ceilings(spec: Spec) -> list[SpecError]:
    """A site's ``max_mw`` holds the MW its ``site_online`` events bring online; a build module
    is no larger than the site's ``max_mw`` (a fab's ``max_kwspm``)."""
    m, out = spec.model, []
    online: dict[str, float] = defaultdict(float)
    for e in m.events.values():
        if e.kind == "site_online" and e.site is not None and e.mw is not None:
            online[e.site] += e.mw
    for name, s in m.sites.items():
        if online.get(name, 0.0) > s.max_mw + 1e-6:
            out.append(
                _error(
                    spec,
                    "sites",
                    name,
                    "max_mw",
                    f"{s.max_mw:g} MW, below the {online[name]:g} MW its site_online events "
                    "bring online; expected at least that",
                )
            )
        shut = s.max_mw <= 0  # a candidate closed by max_mw 0 builds nothing (site_timing)
        if s.module_mw is not None and s.region is None and not shut and s.module_mw > s.max_mw:
            out.append(
                _error(
                    spec,
                    "sites",
                    name,
                    "module_mw",
                    f"{s.module_mw:g} MW, larger than max_mw {s.max_mw:g}"
                    f"{_also(spec, 'sites', name, 'max_mw', 'module_mw')}; expected "
                    "at most max_mw",
                )
            )
    for name, f in m.fabs.items():
        if f.module_kwspm is not None and f.module_kwspm > f.max_kwspm:
            out.append(
                _error(
                    spec,
                    "fabs",
                    name,
                    "module_kwspm",
                    f"{f.module_kwspm:g}, larger than max_kwspm {f.max_kwspm:g}; expected at "
                    "most max_kwspm",
                )
            )
    return out


def check_launch_prices(spec: Spec) -> list[SpecError]:
    """Enabled orbital sites need a launch price path (an empty one made launches free)."""
    m = spec.model
    orbital = [n for n, s in m.sites.items() if s.kind == "orbital" and s.enabled]
    if not orbital or m.orbit.launch_usd_per_kg:
        return []
    return [
        SpecError(
            *blame_path(spec, "orbit.launch_usd_per_kg"),
            f"an empty launch price path with orbital site(s) {', '.join(orbital)} enabled; "
            "expected at least one year: price [$/kg]",
        )
    ]


#: Fields of a row only some kinds (forms) use: kind -> the fields it uses, None: all of them.
_EVENT_USES: dict[str, tuple[str, ...]] = {
    "site_online": ("site", "mw"),
    "chips_installed": ("site", "chip", "chips"),
    "chips_retired": ("site", "chip", "chips"),
    "power_limit": ("power_source", "mw"),
    "contract_signed": ("contract",),
    "note": ("site", "chip", "power_source", "contract"),  # what the note is about
}


def _unused(
    spec: Spec, table: str, name: str, row: object, fields: tuple[str, ...], why: str
) -> list[SpecError]:
    """Errors for the ``fields`` of ``row`` given (not empty) although ``why`` does not use
    them: they would be silently ignored."""
    return [
        _error(spec, table, name, f, f"given, but {why} does not use it; expected it empty")
        for f in fields
        if getattr(row, f) is not None
    ]


def check_unused_fields(spec: Spec) -> list[SpecError]:
    """A row gives no field its kind or form ignores: an event's fields other than its kind's,
    a whole-site lease's quantity, a terrestrial site's shell, an orbital site's position."""
    m, out = spec.model, []
    for name, e in m.events.items():
        unused = tuple(f for f in ("site", "chip", "power_source", "contract", "mw", "chips")
                       if f not in _EVENT_USES[e.kind])  # fmt: skip
        out += _unused(spec, "events", name, e, unused, f"a '{e.kind}' event")
    leases = [("contracts", n, c) for n, c in m.contracts.items()]
    for table, name, lease in [*leases, *(("offers", n, o) for n, o in m.offers.items())]:
        if lease.form == "whole_site":
            out += _unused(spec, table, name, lease, ("quantity_k_h100e",), "form whole_site")
    for name, s in m.sites.items():
        fields = ("shell",) if s.kind == "terrestrial" else ("lat_deg", "lon_deg")
        out += _unused(spec, "sites", name, s, fields, f"a {s.kind} site")
    return out


def check_climate(spec: Spec) -> list[SpecError]:
    """Terrestrial sites at the same point (to 0.01 deg, ~1 km) share one climate: the same PUE
    and water use per IT kWh. A candidate tranche's row is in the regions table. The row whose
    value is a default (its cell or key missing) is named, else the later row."""
    m = spec.model
    first: dict[tuple[float, float], str] = {}
    out = []
    for name, s in m.sites.items():
        if s.kind != "terrestrial" or s.lat_deg is None or s.lon_deg is None:
            continue
        at = (round(s.lat_deg, 2), round(s.lon_deg, 2))
        other = first.setdefault(at, name)
        for key in ("pue", "wue_l_per_kwh"):
            if getattr(s, key) != getattr(m.sites[other], key):
                a, b = (name, other) if _given(m, other, key) else (other, name)
                value, was = getattr(m.sites[a], key), "" if _given(m, a, key) else " (a default)"
                file, where = blame(spec, _table(m, a), a, key)
                also = source(spec, _table(m, b), b, key, file)
                out.append(
                    SpecError(
                        file,
                        where,
                        f"{value:g}{was}, but site '{b}' at the same point ({at[0]}, {at[1]}) "
                        f"has {getattr(m.sites[b], key):g}{also}; expected one climate per point",
                    )
                )
    return out


def _table(m: Model, site: str) -> str:
    """The table a site's row is in: ``regions`` for a candidate tranche, else ``sites``."""
    return "regions" if m.sites[site].region else "sites"


def _given(m: Model, site: str, key: str) -> bool:
    """Whether the row of ``site`` gives ``key`` (not the schema's default)."""
    row = m.regions[site] if m.sites[site].region else m.sites[site]
    return key in row.model_fields_set


def check_integrity(spec: Spec) -> list[SpecError]:
    """All checks of this module (module docstring)."""
    out = check_value_refs(spec) + check_list_duplicates(spec) + check_natural_keys(spec)
    out += check_date_order(spec) + check_ceilings(spec) + check_launch_prices(spec)
    return out + check_retirements(spec) + check_unused_fields(spec)
