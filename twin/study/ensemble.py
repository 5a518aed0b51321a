"""Ensembles on Dask that lose nothing and resume.

A member is a scenario plus overrides (path, value). Its identity is the sha256 of its whole
input, :func:`input_key`: the validated model of its scenario (every table row, every option) and
its overrides, and twin's version; not its name. A member whose result is already on disk for
that key is kept, not recomputed, so a sweep killed part-way and run again solves only what is
missing; a member that fails is recorded with its error while the others go on.

Members run on a ``distributed.LocalCluster`` of single-threaded worker processes by default (a
member's memory is freed when its task ends; a worker keeps its imports and the orbit geometry
of :mod:`twin.orbit.memo` between members), or on a running scheduler given by address; with
``n_workers=0`` they run one after another in this process. What a member does (solve, write
a report) is the caller's :class:`MemberTask`: the study never imports the report layer.

Rebuilding each member is the measured choice: on the baseline a member's load, build and
hand-off take 0.06 s of its 0.24 s (the report's netCDF write takes half), so keeping one built
model per worker and changing coefficients would save at most a quarter, for much code
(benchmarks/README.md, "Sampled ensembles").
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import itertools
import json
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from twin.progress import report_members, report_note
from twin.spec.base_scenario import scenario_or_none
from twin.spec.errors import SpecError
from twin.spec.load import load_model
from twin.spec.profiles import profiles_digest


@dataclass(frozen=True)
class Member:
    """One ensemble member: a name, a scenario (or none) and overrides (path, value)."""

    name: str
    scenario: str | None
    overrides: tuple[tuple[str, Any], ...] = ()
    option: str = "--set"  # what a bad override is blamed on: --vary, --samples


class MemberTask(Protocol):
    """What to do with one member, in a worker; and how to find it done, in the client."""

    def __call__(self, model: str, member: Member, key: str, out_dir: str) -> dict[str, Any]:
        """Solve ``member`` and store its result under ``out_dir``; return its summary row
        (``member``, ``status``, ``npv_musd``, ``file``, ``message`` and any figures)."""
        ...

    def done(self, member: Member, key: str, out_dir: str) -> dict[str, Any] | None:
        """The summary row of ``member`` if its result for input ``key`` is on disk, else None."""
        ...


@dataclass
class Progress:
    """Where an ensemble stands: members finished (solved now or kept), failed, and an ETA [s]."""

    total: int
    completed: int = 0
    failed: int = 0
    kept: int = 0
    elapsed_s: float = 0.0
    eta_s: float = float("nan")


#: The most members of one ensemble (each is a solve, and a report unless --no-reports).
MAX_MEMBERS = 10_000


def check_members(n: int, option: str, typed: str) -> None:
    """An ensemble of ``n`` members is within :data:`MAX_MEMBERS`; else a SpecError naming the
    option that asked for it (checked before anything is built or solved)."""
    if n > MAX_MEMBERS:
        raise SpecError(
            option,
            typed,
            f"asks for {n:,} members; expected at most {MAX_MEMBERS:,} (split the study into "
            "several sweeps into one --out-dir: members already solved are kept)",
        )


def file_safe(value: Any) -> str:
    """``value`` as a part of a member's file name: ``%``, ``/`` and ``\\`` percent-encoded, so
    that a swept path (``datasets.sites=../datasets/a.csv``) or a scenario ``a/b`` names a file
    in the sweep's folder and distinct values keep distinct names."""
    text = str(value)
    for char in "%/\\":
        text = text.replace(char, f"%{ord(char):02X}")
    return text


def grid(scenarios: list[str | None], sweeps: dict[str, list[Any]] | None = None) -> list[Member]:
    """Members for every scenario x every combination of swept values (a full factorial), at
    most :data:`MAX_MEMBERS` (counted before any is made)."""
    sweeps = sweeps or {}
    paths = list(sweeps)
    n = len(scenarios) * math.prod(len(v) for v in sweeps.values())
    typed = " ".join(f"{p}={len(v)} values" for p, v in sweeps.items()) or "scenarios"
    check_members(n, "--vary", f"{len(scenarios)} scenarios x {typed}")
    out = []
    for scenario in map(scenario_or_none, scenarios):  # 'base' is the model without one
        for values in itertools.product(*(sweeps[p] for p in paths)) if paths else [()]:
            over = tuple(zip(paths, values, strict=True))
            label = ",".join(f"{p.split('.')[-1]}={file_safe(v)}" for p, v in over)
            name = "_".join(x for x in (file_safe(scenario or "base"), label) if x)
            out.append(Member(name=name, scenario=scenario, overrides=over, option="--vary"))
    return out


def _version() -> str:
    try:
        return importlib.metadata.version("twin")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - source checkout
        return "unknown"


def input_key(model_json: str, member: Member) -> str:
    """sha256 of a member's whole input: its scenario's validated model (JSON, with the digest
    of the hourly profiles it would read), its overrides (type and value) and twin's version."""
    doc = {
        "model": hashlib.sha256(model_json.encode()).hexdigest(),
        "overrides": [[p, type(v).__name__, repr(v)] for p, v in member.overrides],
        "twin": _version(),
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


#: Up to this many members every one is validated before any is dispatched (0.04 s each here);
#: beyond it, one member per distinct (scenario, override paths) and every value of a --vary
#: grid on its own (their sum, not their product), so a 1,000-member sample starts at once; a
#: bad sampled value, or values bad only together, fail their member alone, with its error.
VALIDATE_ALL = 20


def member_keys(model: str, members: list[Member]) -> list[str]:
    """Validate members (bad input fails fast, before any worker starts) and key each one."""
    names = [m.name for m in members]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise ValueError(f"member names must be unique; '{dup}' repeats")
    base = {}
    for s in {m.scenario for m in members}:
        spec = load_model(model, scenario=s)
        base[s] = spec.model.model_dump_json() + profiles_digest(spec)  # profiles: not in it
    seen: set[tuple] = set()
    values: set[tuple] = set()  # (scenario, path, value) of --vary grids, each checked once
    for m in members:
        shape = (m.scenario, tuple(p for p, _ in m.overrides))
        if len(members) <= VALIDATE_ALL or shape not in seen:
            load_model(model, scenario=m.scenario, overrides=list(m.overrides), option=m.option)
            seen.add(shape)
        elif m.option == "--vary":  # a grid's values are few (sum, not product): check each
            for p, v in m.overrides:
                if (m.scenario, p, repr(v)) not in values:
                    load_model(model, scenario=m.scenario, overrides=[(p, v)], option=m.option)
                    values.add((m.scenario, p, repr(v)))
    return [input_key(base[m.scenario], m) for m in members]


def failed_row(member: Member, message: str) -> dict[str, Any]:
    """The summary row of a member that failed."""
    return {"member": member.name, "status": "failed", "npv_musd": float("nan"), "file": "",
            "message": message}  # fmt: skip


def _tick(progress: Progress, row: dict[str, Any], t0: float, todo: int) -> None:
    progress.completed += 1
    progress.failed += row["status"] == "failed"
    progress.elapsed_s = time.perf_counter() - t0
    run = progress.completed - progress.kept
    progress.eta_s = progress.elapsed_s / run * (todo - run) if run else float("nan")


def run_ensemble(
    model: str | Path,
    members: list[Member],
    out_dir: str | Path,
    task: MemberTask,
    n_workers: int = 2,
    scheduler: str | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> list[dict[str, Any]]:
    """Run ``task`` on every member not already done; rows in the order of ``members``.

    A row gains ``kept`` (True if found on disk) and ``input_sha256``. A member whose task
    raises is recorded as failed with the error; the rest go on.
    """
    model, out_dir = str(model), Path(out_dir)
    keys = member_keys(model, members)
    created = not out_dir.exists()  # removed again if the run ends with nothing in it
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any] | None] = [None] * len(members)
    progress = Progress(total=len(members))
    for i, (m, key) in enumerate(zip(members, keys, strict=True)):
        row = task.done(m, key, str(out_dir))
        if row is not None:
            rows[i] = {**row, "kept": True}
            progress.kept += 1
            progress.completed += 1
    todo = [i for i, r in enumerate(rows) if r is None]
    t0 = time.perf_counter()
    if progress.kept:
        report_note(f"{progress.kept} members kept from an earlier run with the same inputs")
    report_members(0, 0, len(todo), 0.0)
    if on_progress is not None:
        on_progress(progress)

    def finish(i: int, row: dict[str, Any]) -> None:
        rows[i] = {**row, "kept": False}
        _tick(progress, row, t0, len(todo))
        run = progress.completed - progress.kept
        report_members(run, progress.failed, len(todo), progress.elapsed_s)
        if on_progress is not None:
            on_progress(progress)

    try:
        if n_workers == 0 and scheduler is None:
            for i in todo:
                for j, row in run_chunk(task, model, [(i, members[i], keys[i])], str(out_dir)):
                    finish(j, row)
        else:
            _on_dask(model, members, keys, todo, out_dir, task, n_workers, scheduler, finish)
    except BaseException:  # a refused scheduler, a signal: no empty folder of this run's left
        if created and not any(out_dir.iterdir()):
            out_dir.rmdir()
        raise
    for r, key in zip(rows, keys, strict=True):
        r["input_sha256"] = key  # type: ignore[index]
    return rows  # type: ignore[return-value]


#: Most members one Dask task runs: a task's round trip through the scheduler costs ~0.1 s on a
#: loaded machine, more than a baseline member's 0.06 s of CPU, so members travel in chunks.
CHUNK = 16


def run_chunk(
    task: MemberTask, model: str, chunk: list[tuple[int, Member, str]], out_dir: str
) -> list[tuple[int, dict[str, Any]]]:
    """Run ``task`` on each member of ``chunk`` (in a worker); a member that raises gives a
    failed row and the next one goes on."""
    out = []
    for i, member, key in chunk:
        try:
            row = task(model, member, key, out_dir)
        except Exception as exc:  # a member's failure must not stop the ensemble
            row = failed_row(member, f"{type(exc).__name__}: {exc}")
        out.append((i, row))
    return out


def chunk_size(n_todo: int, n_workers: int) -> int:
    """Members per task: about four tasks per worker, at most :data:`CHUNK`."""
    return max(1, min(CHUNK, n_todo // (4 * max(1, n_workers))))


def _on_dask(
    model: str,
    members: list[Member],
    keys: list[str],
    todo: list[int],
    out_dir: Path,
    task: MemberTask,
    n_workers: int,
    scheduler: str | None,
    finish: Callable[[int, dict[str, Any]], None],
) -> None:
    """Submit the members ``todo`` to Dask in chunks and ``finish`` each as its chunk completes."""
    from dask.distributed import Client, LocalCluster

    if not todo:
        return
    with quiet_dask() as level:
        if scheduler is None:
            cluster = LocalCluster(
                n_workers=max(1, n_workers), threads_per_worker=1, processes=True,
                dashboard_address=":0", silence_logs=level,
            )  # fmt: skip
            client = Client(cluster)
        else:
            cluster, client = None, _client(Client, scheduler)
        try:
            _submit(client, n_workers, model, members, keys, todo, out_dir, task, finish)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


#: Seconds a scheduler has to answer Dask's handshake (its own default waits 30 s).
HANDSHAKE_S = 5


def _client(client: Callable[..., Any], scheduler: str) -> Any:
    """A Dask client of the scheduler at ``scheduler``. One that does not answer the handshake
    in :data:`HANDSHAKE_S` s, or answers as no Dask scheduler does (an HTTP server's reply read
    as a frame length asked 3 EiB: MemoryError), is bad input naming ``--scheduler``."""
    import threading

    from twin.spec.errors import SpecError

    got: list[Any] = []  # the client, or the exception its construction raised

    def connect() -> None:
        try:
            got.append(client(scheduler, timeout=f"{HANDSHAKE_S}s"))
        except BaseException as exc:  # handed to the caller's thread
            got.append(exc)

    # Dask's own timeout does not cover a peer that accepts and then sends no Dask frame (an
    # HTTP server): the handshake then waits for ever, so it runs in a daemon thread, given up on
    thread = threading.Thread(target=connect, name="twin-dask-connect", daemon=True)
    thread.start()
    thread.join(HANDSHAKE_S + 5)
    if not got:
        why = f"no Dask handshake in {HANDSHAKE_S + 5} s (a server that is not Dask's?)"
    elif isinstance(got[0], BaseException):
        exc = got[0]
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise exc
        why = " ".join(str(exc).split())[:200] or type(exc).__name__
    else:
        return got[0]
    raise SpecError("--scheduler", scheduler, f"expected a running Dask scheduler; {why}")


#: Loggers whose records a successful sweep keeps off stderr (worker shutdown notes, a
#: connection closed while the cluster stops); TWIN_DEBUG=1 lets them through.
DASK_LOGGERS = ("distributed", "asyncio", "tornado")


@contextlib.contextmanager
def quiet_dask() -> Iterator[int]:
    """Within the block Dask's and asyncio's loggers print only CRITICAL records (yields that
    level, for the cluster's processes): a member that fails is a failed row of the summary,
    a run that fails raises, so the library's notes are noise on a successful run."""
    import logging

    from twin.errors import debug

    if debug():
        yield logging.WARNING
        return
    loggers = [logging.getLogger(n) for n in DASK_LOGGERS]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield logging.CRITICAL
    finally:
        for lg, lv in zip(loggers, levels, strict=True):
            lg.setLevel(lv)


def _submit(
    client: Any,
    n_workers: int,
    model: str,
    members: list[Member],
    keys: list[str],
    todo: list[int],
    out_dir: Path,
    task: MemberTask,
    finish: Callable[[int, dict[str, Any]], None],
) -> None:
    """Run the chunks of ``todo`` on ``client``'s workers; ``finish`` each member's row."""
    from dask.distributed import as_completed

    report_note(f"Dask dashboard: {client.dashboard_link}")
    size = chunk_size(len(todo), len(client.scheduler_info()["workers"]) or n_workers)
    chunks = [
        [(i, members[i], keys[i]) for i in todo[k : k + size]] for k in range(0, len(todo), size)
    ]
    futures = {
        client.submit(run_chunk, task, model, c, str(out_dir), pure=False, retries=0): c
        for c in chunks
    }
    for fut in as_completed(futures):
        try:
            done = fut.result()
        except Exception as exc:  # the worker died: every member of the chunk failed
            done = [(i, failed_row(m, f"{type(exc).__name__}: {exc}")) for i, m, _ in futures[fut]]
        for i, row in done:
            finish(i, row)
