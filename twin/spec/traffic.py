"""Schemas of traffic on the graph: user regions, capacitated links and the ``traffic:`` section.

Inference demand of a routed tenant (one with an ``inference_share``) comes from user regions --
metro areas with coordinates and a share of the traffic (their population share unless given) --
and travels to the serving site over candidate paths of fiber links and, for an orbital site, a
ground station's downlink (:mod:`twin.network`, :mod:`twin.plan.traffic`). A link joins two nodes
named ``<kind>:<name>`` with kind ``region``, ``site`` or ``station`` (a ground station of
``orbit.ground_stations``); its latency is its route length over the speed of light in fiber,
``km x n / c`` with n = 1.468 (about 4.9 us per km), the route length being the row's ``km`` or
else the great-circle distance x the 1.5 route factor of :mod:`twin.constants`. With
``training_gb_per_h100e_hour`` > 0 a training tenant's data-set and checkpoint transfer enters
its site over the site's links too (:mod:`twin.plan.traffic`).
"""

from __future__ import annotations

from pydantic import Field

from twin.spec.base import Frozen, Source

NODE_KINDS = ("region", "site", "station")


class UserRegion(Frozen):
    """A metro region where inference users are."""

    lat_deg: float = Field(ge=-90, le=90, description="Latitude of the region's centre [deg]")
    lon_deg: float = Field(ge=-180, le=180, description="Longitude of the region's centre [deg]")
    population: float = Field(ge=0, description="Resident population [persons]")
    share: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Share of routed inference traffic from the region; empty: its share of the "
        "regions' population [-]",
    )
    enabled: bool = Field(True, description="Whether the region sends traffic [-]")
    source: str = Source


class Link(Frozen):
    """A capacitated link between two nodes (fiber between regions, sites and stations)."""

    from_node: str = Field(description="One end: region:<name>, site:<name> or station:<name> [-]")
    to_node: str = Field(description="The other end, named as from_node [-]")
    capacity_gbps: float = Field(ge=0, description="Capacity available today [Gbit/s]")
    km: float | None = Field(
        None,
        gt=0,
        description="Route length; empty: great-circle distance x 1.5 route factor [km]",
    )
    expand_musd_per_gbps_year: float = Field(
        0.0, ge=0, description="Cost of leasing one more Gbit/s for a year [$M/Gbit/s-year]"
    )
    expand_lead_months: int = Field(
        0, ge=0, le=120, description="Order to service of an expansion [months]"
    )
    expand_max_gbps: float | None = Field(
        None, ge=0, description="Largest expansion of the link; empty: unlimited [Gbit/s]"
    )
    source: str = Source


class Traffic(Frozen):
    """Traffic on the graph: whether inference is routed, and the settings of its routing."""

    enabled: bool = Field(
        False, description="Route routed tenants' inference from user regions over links [-]"
    )
    gbps_per_k_h100e: float = Field(
        2.0,
        gt=0,
        le=1000,
        description="Traffic of 1000 H100e of inference (the tenants' own 2 Gbit/s) [Gbit/s]",
    )
    training_gb_per_h100e_hour: float = Field(
        0.0,
        ge=0,
        le=10,
        description="Data-set and checkpoint transfer into a training site per H100e-hour of "
        "training, over the links into the site (with the routed inference); 0: off "
        "[GB/H100e-hour]",
    )
    peak_to_mean: float = Field(
        4 / 3,
        ge=1,
        le=3,
        description="Peak-hour over daily-mean routed traffic of a user region, with the hourly "
        "model only (horizon.hours): a cosine of local solar time peaking at peak_hour_local; "
        "default 4/3, a trough at half the peak (Arbor Networks, 'The Internet After Dark', "
        "2009: North American traffic at 6am 50% of its 11pm peak) [-]",
    )
    peak_hour_local: float = Field(
        23.0,
        ge=0,
        lt=24,
        description="Local solar time of a region's traffic peak (Arbor Networks 2009: 11pm) [h]",
    )
    paths_k: int = Field(
        3, ge=1, le=50, description="Candidate paths per region and site, lowest latency [-]"
    )
    station_capex_musd: float = Field(
        20.0,
        ge=0,
        description="Cost of one more ground-station antenna (one more link in contact) [$M]",
    )
    station_lead_months: int = Field(
        12, ge=0, le=120, description="Order to service of a ground-station antenna [months]"
    )
    station_max_antennas: int = Field(
        8, ge=0, le=1000, description="Most antennas added at one station [-]"
    )
