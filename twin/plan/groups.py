"""Groupings of the sparse index sets that several families share, computed once.

Each maps a key to the indices of the decisions that enter a sum under that key, so a family
writes ``sum(x[i] for i in group[key])`` without scanning an index set, and every family that sums
the same decisions uses the same grouping.
"""

from __future__ import annotations

from dataclasses import dataclass

from twin.plan.fab_data import FabData


@dataclass(frozen=True)
class Groups:
    """Shared groupings of the plan's index sets (periods are integers ``0..P-1``).

    - ``builds_of[s]``: periods with a build at site s;
    - ``online_builds[s, p]``: ``(q, a)``, build periods q whose capacity is online in p with the
      share a of p it is online (terrestrial: :mod:`twin.plan.site_timing`; orbital: 1 where
      ``q + L_s <= p < q + L_s + n_s``, ``n_s`` the satellites' life);
    - ``active_installs[s, k, p]``: install periods q of chip k at s active in p
      (``p - n < q <= p``, ``n`` the chip life capped by the site's capacity life);
    - ``installs_at[k, p]``: sites installing chip k in p;
    - ``allocs_at[s, p]`` / ``allocs_to[j, p]``: tenants served from s / sites serving j in p;
    - ``made_of[k, p]``: fabs making chip k in p; ``sources_at[s]``: power sources at s.
    """

    builds_of: dict[str, list[int]]
    online_builds: dict[tuple[str, int], list[tuple[int, float]]]
    active_installs: dict[tuple[str, str, int], list[int]]
    installs_at: dict[tuple[str, int], list[str]]
    allocs_at: dict[tuple[str, int], list[str]]
    allocs_to: dict[tuple[str, int], list[str]]
    made_of: dict[tuple[str, int], list[str]]
    sources_at: dict[str, list[str]]


def chip_life(life: dict[str, int], capacity_life: dict[str, int], s: str, k: str) -> int:
    """Periods a chip of k installed at s serves (capped by the site's capacity life)."""
    return min(life[k], capacity_life.get(s, life[k]))


def group(
    sites: list[str],
    build_idx: list[tuple[str, int]],
    install_idx: list[tuple[str, str, int]],
    alloc_idx: list[tuple[str, str, int]],
    fd: FabData,
    lead: dict[str, int],
    site_shares: dict[tuple[str, int], tuple[tuple[int, float], ...]],
    life: dict[str, int],
    capacity_life: dict[str, int],
    sources: list[str],
    source_site: dict[str, str],
    n: int,
) -> Groups:
    """Build every grouping from the index sets (see :class:`Groups`)."""
    builds_of: dict[str, list[int]] = {s: [] for s in sites}
    online: dict[tuple[str, int], list[tuple[int, float]]] = {}
    for s, q in build_idx:
        builds_of[s].append(q)
        end = n if s not in capacity_life else min(n, q + lead[s] + capacity_life[s])
        shares = site_shares.get((s, q), tuple((p, 1.0) for p in range(q + lead[s], end)))
        for p, a in shares:
            online.setdefault((s, p), []).append((q, a))
    active: dict[tuple[str, str, int], list[int]] = {}
    installs_at: dict[tuple[str, int], list[str]] = {}
    for s, k, q in install_idx:
        installs_at.setdefault((k, q), []).append(s)
        for p in range(q, min(n, q + chip_life(life, capacity_life, s, k))):
            active.setdefault((s, k, p), []).append(q)
    allocs_at: dict[tuple[str, int], list[str]] = {}
    allocs_to: dict[tuple[str, int], list[str]] = {}
    for s, j, p in alloc_idx:
        allocs_at.setdefault((s, p), []).append(j)
        allocs_to.setdefault((j, p), []).append(s)
    sources_at: dict[str, list[str]] = {}
    for g in sources:
        sources_at.setdefault(source_site[g], []).append(g)
    return Groups(
        builds_of=builds_of,
        online_builds=online,
        active_installs=active,
        installs_at=installs_at,
        allocs_at=allocs_at,
        allocs_to=allocs_to,
        made_of=fd.made_of(),
        sources_at=sources_at,
    )
