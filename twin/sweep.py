"""Scenario ensembles on Dask: each member is solved in its own worker process.

A member is a scenario plus overrides. Members run on a ``distributed.LocalCluster`` of worker
processes by default (one thread each, so a member's memory is freed when its task ends and
nothing leaks across the loop), or on an existing scheduler given by address to scale out. Every
member writes its own report; the sweep returns (and can write) a summary Dataset over the
``member`` dimension. All members are validated before any is dispatched, so bad input fails fast.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from twin.progress import report_members, report_note
from twin.spec.load import load_model


@dataclass(frozen=True)
class Member:
    """One ensemble member: a name, a scenario (or none) and overrides (path, value)."""

    name: str
    scenario: str | None
    overrides: tuple[tuple[str, Any], ...] = ()


def grid(scenarios: list[str | None], sweeps: dict[str, list[Any]] | None = None) -> list[Member]:
    """Members for every scenario x every combination of swept values (a full factorial)."""
    sweeps = sweeps or {}
    paths = list(sweeps)
    out = []
    for scenario in scenarios:
        for values in itertools.product(*(sweeps[p] for p in paths)) if paths else [()]:
            over = tuple(zip(paths, values, strict=True))
            label = ",".join(f"{p.split('.')[-1]}={v}" for p, v in over)
            name = "_".join(x for x in (scenario or "base", label) if x)
            out.append(Member(name=name, scenario=scenario, overrides=over))
    return out


def run_member(model: str, member: Member, out_dir: str) -> dict[str, Any]:
    """Solve one member and write its report; runs inside a worker. Returns a summary row."""
    from twin.plan import PlanFailed, plan
    from twin.report import to_dataset, write

    spec = load_model(model, scenario=member.scenario, overrides=list(member.overrides))
    path = Path(out_dir) / f"{member.name}.nc"
    try:
        ds = to_dataset(plan(spec))
    except PlanFailed as exc:
        return {
            "member": member.name,
            "status": "failed",
            "npv_musd": np.nan,
            "file": "",
            "message": str(exc),
        }
    import dask

    with dask.config.set(scheduler="synchronous"):  # no distributed lock for a local file
        write(ds, path)
    return {
        "member": member.name,
        "status": ds.attrs["termination_condition"],
        "npv_musd": ds.attrs["npv_musd"],
        "file": path.name,  # relative to the sweep's directory: no machine paths in results
        "message": "",
        "capex_musd": float(ds["capex_musd"].sum()),
        "revenue_musd": float(ds["revenue_musd"].sum()),
        "fab_kwspm": float(ds["fab_build_kwspm"].sum()) if ds.sizes.get("fab") else 0.0,
        "chips_made": float(ds["chips_made"].sum()),
        "chips_bought": float(ds["chips_bought"].sum()),
    }


def run_sweep(
    model: str | Path,
    members: list[Member],
    out_dir: str | Path,
    n_workers: int = 2,
    scheduler: str | None = None,
) -> xr.Dataset:
    """Solve ``members`` on Dask and return the summary (dims ``member``).

    ``scheduler`` is the address of a running Dask scheduler; without it a LocalCluster of
    ``n_workers`` single-threaded processes is started and closed.
    """
    from dask.distributed import Client, LocalCluster

    model, out_dir = str(model), Path(out_dir)
    for m in members:  # fail fast on bad input, before any worker starts
        load_model(model, scenario=m.scenario, overrides=list(m.overrides))
    out_dir.mkdir(parents=True, exist_ok=True)
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        client = Client(cluster)
    else:
        cluster, client = None, Client(scheduler)
    try:
        report_note(f"Dask dashboard: {client.dashboard_link}")
        futures = [client.submit(run_member, model, m, str(out_dir), pure=False) for m in members]
        rows = _gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return summary(rows, members)


def _gather(futures: list[Any]) -> list[dict[str, Any]]:
    """The futures' results in submission order, reporting progress as each completes."""
    from dask.distributed import as_completed

    t0 = time.perf_counter()
    done = failed = 0
    report_members(0, 0, len(futures), 0.0)
    for fut in as_completed(futures):
        done += 1
        failed += fut.result()["status"] == "failed"
        report_members(done, failed, len(futures), time.perf_counter() - t0)
    return [f.result() for f in futures]


def summary(rows: list[dict[str, Any]], members: list[Member]) -> xr.Dataset:
    """The sweep's results as a Dataset over ``member``, with each override as a coordinate."""
    names = [r["member"] for r in rows]
    ds = xr.Dataset(
        {
            "npv_musd": ("member", np.array([r["npv_musd"] for r in rows], dtype=float)),
            "capex_musd": ("member", np.array([r.get("capex_musd", np.nan) for r in rows])),
            "revenue_musd": ("member", np.array([r.get("revenue_musd", np.nan) for r in rows])),
            "fab_kwspm": ("member", np.array([r.get("fab_kwspm", np.nan) for r in rows])),
            "chips_made": ("member", np.array([r.get("chips_made", np.nan) for r in rows])),
            "chips_bought": ("member", np.array([r.get("chips_bought", np.nan) for r in rows])),
            "status": ("member", np.array([r["status"] for r in rows], dtype=object)),
            "file": ("member", np.array([r["file"] for r in rows], dtype=object)),
            "message": ("member", np.array([r["message"] for r in rows], dtype=object)),
        },
        coords={
            "member": np.array(names, dtype=object),
            "scenario": ("member", np.array([m.scenario or "" for m in members], dtype=object)),
        },
    )
    paths = sorted({p for m in members for p, _ in m.overrides})
    for p in paths:
        vals = [dict(m.overrides).get(p, np.nan) for m in members]
        try:
            arr = np.array(vals, dtype=float)
        except (TypeError, ValueError):
            arr = np.array([str(v) for v in vals], dtype=object)
        attrs = {"swept_path": p, "long_name": f"swept value of {p}", "units": "1"}
        ds = ds.assign_coords({variable_name(p): ("member", arr, attrs)})
    ds.attrs["swept_paths"] = json.dumps(paths)
    ds["npv_musd"].attrs.update(units="1e6 USD", long_name="net present value of the member")
    ds["capex_musd"].attrs.update(units="1e6 USD", long_name="undiscounted capex over horizon")
    ds["revenue_musd"].attrs.update(units="1e6 USD", long_name="undiscounted revenue")
    ds["status"].attrs.update(long_name="termination condition of the member's solve")
    ds["file"].attrs.update(long_name="member report, relative to the sweep file's directory")
    ds["message"].attrs.update(long_name="why the member failed (empty: it did not)")
    ds["fab_kwspm"].attrs.update(units="1e3 wafer/month", long_name="fab capacity built")
    ds["chips_made"].attrs.update(units="1", long_name="chips made in own fabs over the horizon")
    ds["chips_bought"].attrs.update(units="1", long_name="chips bought over the horizon")
    ds.attrs.update(title="twin sweep", n_members=len(members))
    return ds


def variable_name(path: str) -> str:
    """The CF-legal name of the coordinate holding a swept ``path`` (letters, digits and
    underscores, starting with a letter): ``vendor.markup`` -> ``vendor_markup``. The path
    itself is kept in the coordinate's ``swept_path`` attribute."""
    out = re.sub(r"[^A-Za-z0-9_]", "_", path)
    return out if out[:1].isalpha() else f"v_{out}"


def swept(ds: xr.Dataset, path: str) -> xr.DataArray:
    """The values of the swept ``path`` per member (the coordinate whose ``swept_path`` is
    ``path``)."""
    for name, c in ds.coords.items():
        if c.attrs.get("swept_path") == path:
            return ds[name]
    raise KeyError(f"{path!r} is not swept in this sweep; swept: {ds.attrs.get('swept_paths')}")


def break_even(ds: xr.Dataset, path: str, variable: str = "fab_kwspm") -> float | None:
    """The smallest swept value of ``path`` at which ``variable`` becomes positive (e.g. the
    vendor markup at which the fab is first built), or None if it never does. Its precision is
    the sweep's step: sweep finer around it to narrow it."""
    x = np.asarray(swept(ds, path).values, dtype=float)
    y = np.asarray(ds[variable].values, dtype=float)
    order = np.argsort(x)
    for xi, yi in zip(x[order], y[order], strict=True):
        if yi > 1e-9:
            return float(xi)
    return None
