"""Inputs that are legal but do nothing: the yellow notes ``twin validate`` prints (exit 0) and
``twin solve`` prints before solving.

Each check names the file and key of an input the plan will not act on as the user likely
meant, and why; none refuses the model (each input is legal, and may be meant: a disabled tenant
kept with its contracts to switch it back on later).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twin.dates import add_months
from twin.spec.spec import table_file
from twin.state import contract_end

if TYPE_CHECKING:
    from twin.spec.spec import Spec


def inert_inputs(spec: Spec) -> list[str]:
    """Notes on every input of ``spec`` (one model and scenario) that does nothing."""
    return [*_disabled_owners(spec), *_ended_contracts(spec)]


def _disabled_owners(spec: Spec) -> list[str]:
    """A signed contract whose tenant or site, or an as-built event whose site, has ``enabled:
    false``: the plan drops the contract or event without a word."""
    m = spec.model
    out = []
    for name, c in m.contracts.items():
        tenant = m.tenants.get(c.tenant)
        site = m.sites.get(c.site) if c.site is not None else None
        owners = [("tenant", c.tenant, tenant is not None and not tenant.enabled),
                  ("site", c.site, site is not None and not site.enabled)]  # fmt: skip
        for what, who, disabled in owners:
            if disabled:
                out.append(
                    f"{table_file(spec, 'contracts')}: contract {name}: its {what} {who} is "
                    "disabled (enabled: false), so the plan leaves the contract out"
                )
    for name, e in m.events.items():
        site = m.sites.get(e.site) if e.site is not None else None
        if site is not None and not site.enabled:
            out.append(
                f"{table_file(spec, 'events')}: event {name}: its site {e.site} is disabled "
                "(enabled: false), so the plan leaves the event out"
            )
    return out


def _ended_contracts(spec: Spec) -> list[str]:
    """A signed contract whose whole term (``start`` plus ``term_months``, with its renewals
    and any notice given, as :func:`twin.state.contract_end` counts them) is over by the day the
    horizon starts: it validates and plays no part in the plan."""
    m = spec.model
    first = m.horizon.start
    last = add_months(first, 12 * m.horizon.years)
    out = []
    for name, c in m.contracts.items():
        end = contract_end(m, name, last)  # renewals carry a renewing lease to the horizon end
        if end <= first:
            out.append(
                f"{table_file(spec, 'contracts')}: contract {name}: its term (start {c.start}, "
                f"{c.term_months} months, with any renewals and notice) ends {end}, before the "
                f"horizon starts ({first}), so the contract does nothing"
            )
    return out
