"""The chart kinds of ``twin plot`` and which kind of file each draws: a light module, so the
command's help text needs no plotting library."""

from typing import Any

#: every chart kind of ``twin plot``, with what it reads
KINDS: dict[str, str] = {
    "capacity": "a report: IT and facility capacity by site [MW]",
    "allocation": "a report: compute served by tenant, internal vs external [million H100e]",
    "waterfall": "a report: discounted cash flows adding up to the NPV [$B]",
    "marginal": "a report: marginal value of an H100e-hour [$/H100e-h] and a MW [$M/MW-yr]",
    "power": "a report: power drawn by technology against load [MW]",
    "dispatch": "a report with representative days: one day's hourly dispatch against load "
    "(--period, --day) [MW]",
    "routes": "a report: compute acquired by route, bought or made [million H100e]",
    "map": "a model file (sites, stations, ground tracks) or a report (sites)",
    "network": "a report: links by traffic (width) and utilisation (colour), peak period",
    "npv": "a stochastic report: the NPV distribution over the leaves [$M]",
    "breakeven": "a sweep: fab capacity and NPV against the swept value, crossing interpolated",
    "tornado": "a sweep: inputs ranked by sensitivity index, swing or range [$B]",
    "fan": "a sweep or stochastic report: quantile bands of a variable over members or leaves",
    "ranges": "alternatives (alternatives.nc): range of each metric near the optimum",
    "compare": "two reports: B minus A (capacity by site [MW], net cash [$M], NPV)",
}

#: the chart kinds of a plan; a stochastic report draws them as its expected plan or one leaf
PLAN_KINDS = (
    "capacity", "allocation", "waterfall", "marginal", "power", "dispatch", "routes", "map",
    "network",
)

#: which kinds fit each kind of file twin writes (see :func:`twin.cli.plot.file_kind`)
FITS: dict[str, tuple[str, ...]] = {
    "report": (*PLAN_KINDS, "compare"),
    "stochastic report": (*PLAN_KINDS, "npv", "fan", "compare"),
    "sweep": ("breakeven", "tornado", "fan"),
    "sampled sweep": ("tornado", "fan"),
    "alternatives": ("ranges",),
    "model": ("map",),
}


def register(kind: str, description: str, fits: tuple[str, ...] = ("report",)) -> None:
    """Add a chart kind (e.g. another module's ``dispatch``) to :data:`KINDS` and the files of
    :data:`FITS` it fits (a report kind also fits a stochastic report)."""
    KINDS[kind] = description
    for f in fits:
        FITS[f] = (*FITS[f], kind)
    if "report" in fits and "stochastic report" not in fits:
        FITS["stochastic report"] = (*FITS["stochastic report"], kind)


def file_kind(ds: Any) -> str:
    """What a netCDF file twin wrote holds: a key of :data:`FITS`, or a
    description of a file no chart draws (an orbit geometry, a clause value)."""
    a = ds.attrs
    if "member" in ds.dims:
        return "sampled sweep" if "input" in ds.dims else "sweep"
    if "alternative" in ds.dims:
        return "alternatives"
    if a.get("stochastic") and "scenario" in ds.dims:
        return "stochastic report"
    if str(a.get("schema_version", "")).startswith("orbit"):
        return "orbit geometry"
    if "clause" in a:
        return "clause value"
    plan = "schema_version" in a or "capacity_mw" in ds  # a plan report (maybe incomplete)
    return "report" if plan else "netCDF file"


def a_kind(what: str) -> str:
    """A :func:`file_kind` with its article, as a sentence says it: ``a sweep``, ``an orbit
    geometry``, ``a summary of alternatives`` (not 'a alternatives')."""
    if what == "alternatives":
        return "a summary of alternatives (alternatives.nc)"
    return f"{'an' if what[:1].lower() in 'aeiou' else 'a'} {what}"
