"""Sampled-ensemble throughput: members per second, parallel efficiency, 1,000 members.

Members are draws of the baseline's ``sampled_market`` scenario (four uncertain inputs, Latin
hypercube), each solved and written as a report by :class:`twin.report.member.ReportTask`, on a
Dask ``LocalCluster`` of single-threaded worker processes.

* ``efficiency``: for 1 and 2 workers, a cluster is started, warmed with 2 members per worker
  (imports, first build), then N fresh members are timed from submission to the last result:
  members per second ``N / T_w``; parallel efficiency ``T_1 / (2 T_2)``.
* ``--full 1000``: one cold run of 1,000 members on 2 workers, cluster start included, with a
  resume check (a second run keeps all 1,000); wall time.

Run: ``python benchmarks/ensemble.py --members 40`` (a few minutes here), and
``python benchmarks/ensemble.py --full 1000 > benchmarks/results/ensemble_1000.log``.
The machine is shared (2 cores, several users): times are upper bounds; the CPU time of the
workers is reported next to the wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

from twin.report.member import ReportTask
from twin.spec.load import load_model
from twin.study.ensemble import run_ensemble
from twin.study.sampling import sample_members, uncertain_inputs, unit_design

ROOT = Path(__file__).resolve().parents[1]
MODEL = str(ROOT / "models" / "baseline.yaml")
SCENARIO = "sampled_market"


def members(n: int, seed: int, prefix: str) -> list:
    spec = load_model(MODEL, scenario=SCENARIO)
    u = unit_design(n, len(uncertain_inputs(spec)), "lhs", seed)
    return sample_members(spec, u, prefix=prefix)


def timed_on_cluster(n: int, workers: int, out: Path, reports: bool = True) -> dict:
    """Members per second on a warm cluster of ``workers`` processes."""
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    client = Client(cluster)
    try:
        run_ensemble(MODEL, members(2 * workers, 99, "warm"), out / "warm", ReportTask(),
                     scheduler=cluster.scheduler_address)  # fmt: skip
        cpu0 = sum(client.run(lambda: time.process_time()).values())
        t0 = time.perf_counter()
        rows = run_ensemble(MODEL, members(n, 1, "m"), out / "timed", ReportTask(reports=reports),
                            scheduler=cluster.scheduler_address)  # fmt: skip
        wall = time.perf_counter() - t0
        cpu = sum(client.run(lambda: time.process_time()).values()) - cpu0
    finally:
        client.close()
        cluster.close()
    failed = sum(r["status"] == "failed" for r in rows)
    return {"workers": workers, "members": n, "wall_s": wall, "worker_cpu_s": cpu,
            "members_per_s": n / wall, "failed": failed}  # fmt: skip


def efficiency(n: int, reports: bool = True) -> dict:
    out = Path(tempfile.mkdtemp(prefix="twin_ens_"))
    try:
        one = timed_on_cluster(n, 1, out / "w1", reports)
        two = timed_on_cluster(n, 2, out / "w2", reports)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {"one": one, "two": two, "efficiency": one["wall_s"] / (2 * two["wall_s"])}


def _log_every(k: int):
    def log(p) -> None:
        if p.completed % k == 0 and p.completed:
            print(f"{p.completed}/{p.total} done, {p.failed} failed, {p.elapsed_s:.0f} s, "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip

    return log


def full(n: int, reports: bool = True) -> dict:
    out = Path(tempfile.mkdtemp(prefix="twin_ens_full_"))
    try:
        ms = members(n, 7, "full")
        t0 = time.perf_counter()
        rows = run_ensemble(MODEL, ms, out, ReportTask(reports=reports), n_workers=2,
                            on_progress=_log_every(100))  # fmt: skip
        cold = time.perf_counter() - t0
        t1 = time.perf_counter()
        again = run_ensemble(MODEL, ms, out, ReportTask(reports=reports), n_workers=2)
        resume = time.perf_counter() - t1
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {"members": n, "wall_s": cold, "members_per_s": n / cold,
            "failed": sum(r["status"] == "failed" for r in rows),
            "rerun_kept": sum(r["kept"] for r in again), "rerun_s": resume}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=40, help="members per efficiency run")
    ap.add_argument("--full", type=int, default=0, help="also time a cold run of this many")
    ap.add_argument("--no-reports", action="store_true", help="members leave rows only")
    args = ap.parse_args()
    reports = not args.no_reports
    mode = "reports" if reports else "no reports"
    print(f"# ensemble benchmark ({mode}), {platform.node()}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
    if args.full:
        res = full(args.full, reports)
        print(json.dumps(res), flush=True)
        print(f"{res['members']} members on 2 workers: {res['wall_s']:.0f} s "
              f"({res['members_per_s']:.2f}/s), {res['failed']} failed; re-run kept "
              f"{res['rerun_kept']} in {res['rerun_s']:.1f} s")  # fmt: skip
        return
    res = efficiency(args.members, reports)
    print(json.dumps(res), flush=True)
    print("| workers | members | wall s | worker CPU s | members/s |")
    print("|---:|---:|---:|---:|---:|")
    for r in (res["one"], res["two"]):
        print(f"| {r['workers']} | {r['members']} | {r['wall_s']:.1f} | {r['worker_cpu_s']:.1f} "
              f"| {r['members_per_s']:.2f} |")  # fmt: skip
    print(f"\nparallel efficiency T1 / (2 T2) = {res['efficiency']:.2f}")


if __name__ == "__main__":
    main()
