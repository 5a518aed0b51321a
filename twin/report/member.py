"""An ensemble member's work in a worker: solve, write the report, return the summary row.

:class:`ReportTask` is the :class:`~twin.study.ensemble.MemberTask` of ``twin sweep``. The report
carries the member's input key (``member_input_sha256``) and its summary row (``member_row``,
JSON), so a later run finds a finished member by reading two attributes, without loading the
data; a file whose key differs (other inputs under the same name) is recomputed.

With ``reports=False`` a member leaves only ``<member>.json`` (its key and row): the netCDF write
is half of a baseline member's time, and a 1,000-member sample is read from its summary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

from twin.study.ensemble import Member, failed_row
from twin.study.metrics import leased_share_terms, ratio

if TYPE_CHECKING:
    from twin.report.run import Handoff


def member_row(ds: xr.Dataset, member: Member, path: Path) -> dict[str, Any]:
    """The member's figures (:data:`twin.study.outcomes.FIGURES` and ``SERIES``) from its report."""
    return {
        "member": member.name,
        "status": ds.attrs["termination_condition"],
        "npv_musd": float(ds.attrs["npv_musd"]),
        "file": path.name,  # relative to the sweep's directory: no machine paths in results
        "message": "",
        "capex_musd": float(ds["capex_musd"].sum()),
        "revenue_musd": float(ds["revenue_musd"].sum()),
        "build_mw": float(ds["build_mw"].sum()),
        "leased_share": leased_share(ds),
        "unmet_h100e": float(ds["unmet_h100e"].sum()),
        "fab_kwspm": float(ds["fab_build_kwspm"].sum()) if ds.sizes.get("fab") else 0.0,
        "chips_made": float(ds["chips_made"].sum()),
        "chips_bought": float(ds["chips_bought"].sum()),
        "period": [str(np.datetime_as_string(p, unit="D")) for p in ds["period"].values],
        "capacity_mw": [float(v) for v in ds["capacity_mw"].sum("site").values],
        "net_cash_musd": [float(v) for v in ds["net_cash_musd"].values],
    }


def leased_share(ds: xr.Dataset) -> float:
    """The report's leased share (:func:`twin.study.metrics.leased_share_terms`, the metric's own
    definition) of its solved allocations ``allocation_h100e`` [-]; NaN if nothing is allocated."""
    tenants = [str(j) for j in ds["tenant"].values]
    kinds = ds["tenant_kind"].values
    internal = {j for j, k in zip(tenants, kinds, strict=True) if k != "external"}
    alloc = map(float, ds["allocation_h100e"].sum(["site", "period"]).values)
    return ratio(*leased_share_terms(zip(tenants, alloc, strict=True), internal))


@dataclass(frozen=True)
class ReportTask:
    """Solve a member as one future (:func:`twin.report.run.run` with ``uncertainty="ignore"``:
    under its foresight, a sampled member's uncertainty section not made a tree) and write
    ``<out_dir>/<member>.nc``."""

    handoff: Handoff = "matrix"
    reports: bool = True

    def __call__(self, model: str, member: Member, key: str, out_dir: str) -> dict[str, Any]:
        """Load, solve and report one member (in a worker); bad input or a failed solve gives
        a failed row naming the error."""
        import dask

        from twin.plan import PlanFailed
        from twin.report.io import write
        from twin.report.run import run
        from twin.spec.errors import SpecError
        from twin.spec.load import load_model

        path = Path(out_dir) / f"{member.name}.{'nc' if self.reports else 'json'}"
        try:
            spec = load_model(
                model, scenario=member.scenario, overrides=list(member.overrides),
                option=member.option,
            )  # fmt: skip
            ds = run(spec, handoff=self.handoff, uncertainty="ignore").dataset
        except (PlanFailed, SpecError) as exc:
            return failed_row(member, f"{type(exc).__name__}: {exc}")
        assert ds is not None  # a plan's run always has its report (only PH ranks have none)
        row = member_row(ds, member, path if self.reports else Path(""))
        if not self.reports:
            _write_json(path, {"member_input_sha256": key, "member_row": row})
            return row
        ds.attrs.update(member=member.name, member_input_sha256=key, member_row=json.dumps(row))
        with dask.config.set(scheduler="synchronous"):  # no distributed lock for a local file
            write(ds, path)
        return row

    def done(self, member: Member, key: str, out_dir: str) -> dict[str, Any] | None:
        """The row stored in ``<out_dir>/<member>.nc`` if it was written for input ``key``."""
        import netCDF4

        if not self.reports:
            return _read_json(Path(out_dir) / f"{member.name}.json", key)
        path = Path(out_dir) / f"{member.name}.nc"
        if not path.exists():
            return None
        try:
            with netCDF4.Dataset(path) as nc:
                attrs = nc.__dict__
                if attrs.get("member_input_sha256") != key or "member_row" not in attrs:
                    return None
                return usable_row(json.loads(attrs["member_row"]))
        except (OSError, ValueError):
            return None


def _numbers(values: object) -> bool:
    """A number (NaN included), or a list of them."""
    items = values if isinstance(values, list) else [values]
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in items)


def usable_row(row: object) -> dict[str, Any] | None:
    """A stored summary row with the types :func:`member_row` writes (figures numbers, series
    lists of numbers, periods dates, text text); else None, and the member is solved again as
    for changed inputs (a stored row that does not read is no resume point)."""
    from twin.study.outcomes import FIGURES, SERIES

    if not isinstance(row, dict) or not isinstance(row.get("member"), str):
        return None
    if not all(_numbers(row[k]) for k in FIGURES if k in row):
        return None
    series = [row[k] for k in SERIES if row.get(k) is not None]
    if not all(isinstance(s, list) and _numbers(s) for s in series):
        return None
    if not all(isinstance(row[k], str) for k in ("status", "file", "message") if k in row):
        return None
    try:
        np.array(row.get("period") or [], dtype="datetime64[ns]")
    except (TypeError, ValueError):
        return None
    return row


def _write_json(path: Path, doc: dict[str, Any]) -> None:
    """Write ``doc`` to ``path`` atomically (:func:`twin.atomic.write_atomic`); a file that
    cannot be written is a :class:`ReportError` naming it."""
    from twin.atomic import write_atomic
    from twin.report.io import ReportError

    def fail(why: str) -> ReportError:
        return ReportError(path, f"expected a file that can be written: {why}")

    write_atomic(path, lambda tmp: tmp.write_text(json.dumps(doc)), fail)


def _read_json(path: Path, key: str) -> dict[str, Any] | None:
    """The row in ``path`` if it was written for input ``key``."""
    if not path.exists():
        return None
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("member_input_sha256") != key:
        return None
    return usable_row(doc.get("member_row"))
