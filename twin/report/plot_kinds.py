"""The chart kinds of ``twin plot``: a light module, so the command's help text needs no
plotting library."""

#: every chart kind of ``twin plot``, with what it reads
KINDS: dict[str, str] = {
    "capacity": "a report: IT and facility capacity by site [MW]",
    "allocation": "a report: compute served by tenant, internal vs external [million H100e]",
    "waterfall": "a report: discounted cash flows adding up to the NPV [$B]",
    "marginal": "a report: marginal value of an H100e-hour [$/H100e-h] and a MW [$M/MW-yr]",
    "power": "a report: power drawn by source against its firm limit [MW]",
    "routes": "a report: compute acquired by route, bought per generation or made [million H100e]",
    "map": "a model file (sites, stations, ground tracks) or a report (sites)",
    "breakeven": "a sweep: fab capacity and NPV against the swept value",
    "tornado": "a sweep: NPV range over each swept path [$B]",
    "fan": "a sweep: quantiles of a variable over the member reports",
    "compare": "two reports: B minus A (capacity by site [MW], net cash [$M], NPV)",
}
