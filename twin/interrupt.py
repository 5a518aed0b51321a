"""SIGINT and SIGTERM stop a run promptly and cleanly.

:func:`install` makes both signals raise :class:`twin.errors.Interrupted` in the main thread, at
the next Python bytecode: loading and the Pyomo build stop there. A HiGHS solve runs in C++;
:func:`wait_solve` runs it in a worker thread through highspy and, when a signal arrives, asks
HiGHS to stop through its interrupt callbacks (simplex, IPM, MIP), waits for it, then raises.
HiGHS checks the callbacks often in simplex and IPM, but a MIP can run for seconds between
checks (heuristics, long node LPs): after :data:`GRACE_S` (1 s) the solver thread is abandoned
(:func:`abandoned` is true) and the command line ends the process at once with ``os._exit``
once its message is printed.
Nothing is written during a solve, so nothing is left half-written. :func:`requested` tells
whether a signal has arrived.

Inside :func:`deferred` a signal is only recorded, and raised when the block ends: the report
writer finishes its temporary netCDF file that way (HDF5 holds locks a signal must not break
into; a report takes well under a second), then deletes it instead of renaming it. After
:func:`committed` (the command's output is in place) a signal is only recorded.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from twin.errors import Interrupted

#: Longest wait for HiGHS to honour an interrupt before its thread is abandoned [s].
GRACE_S = 1.0

_received: list[int] = []
_abandoned: list[Any] = []
_deferring: list[int] = [0]  # depth of nested deferred() blocks
_pending: list[int] = []
_committed: list[bool] = []  # the command's output is committed (:func:`committed`)


def _handler(signum: int, frame: FrameType | None) -> None:
    _received.append(signum)
    if _committed:  # the command's output is in place: it ends as it was going to
        return
    if _deferring[0]:
        _pending.append(signum)
        return
    raise Interrupted(signum)


def install() -> None:
    """Make SIGINT and SIGTERM raise :class:`Interrupted` (main thread only; else a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        return
    _committed.clear()  # a new command (the tests run several in one process)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _handler)


def committed() -> None:
    """The command's output is in place (its report renamed over the old one): a signal from
    now on is recorded and ends nothing, so the command exits as it would have (0, or 3 for a
    plan not proven optimal) instead of 130 with the new file written, and interpreter shutdown
    (atexit callbacks) is never broken into with a traceback."""
    _committed.append(True)


def ended() -> None:
    """The command has ended: SIGINT and SIGTERM are ignored from here on. Interpreter shutdown
    gives a Python handler back to the default action (a SIGINT then ended the process in 130,
    or raised in an atexit callback with a traceback); an ignored signal stays ignored."""
    _committed.append(True)
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)


def requested() -> int | None:
    """The first signal received since :func:`install`, or ``None``."""
    return _received[0] if _received else None


def abandoned() -> bool:
    """Whether a solver thread was left running after an interrupt (exit with ``os._exit``)."""
    return bool(_abandoned)


@contextmanager
def deferred() -> Iterator[None]:
    """A block a signal does not break into (C libraries holding locks: HDF5, HiGHS's wait):
    a signal is recorded, and :class:`Interrupted` is raised when the block ends."""
    _deferring[0] += 1
    try:
        yield
    finally:
        _deferring[0] -= 1
    if not _deferring[0] and _pending:
        signum = _pending[0]
        _pending.clear()
        raise Interrupted(signum)


def wait_solve(h: Any, poll_s: float = 0.05) -> None:
    """Run ``h`` (a :class:`highspy.Highs`) to completion in a worker thread; on a signal, ask
    HiGHS to stop through its interrupt callbacks, wait up to :data:`GRACE_S` for it (else
    abandon the thread), then raise :class:`Interrupted`."""
    h.HandleUserInterrupt = True  # registers the simplex/IPM/MIP interrupt callbacks
    thread = h.startSolve()
    with deferred():  # signals are recorded while we wait, then raised at the end
        deadline = None
        while not h.wait(poll_s)[0]:
            if _pending and deadline is None:
                h.cancelSolve()
                deadline = time.monotonic() + GRACE_S
            if deadline is not None and time.monotonic() > deadline:
                _abandoned.append(thread)
                break
        else:
            thread.join()
