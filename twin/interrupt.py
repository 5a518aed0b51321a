"""SIGINT and SIGTERM stop a run promptly and cleanly.

:func:`install` makes both signals raise :class:`twin.errors.Interrupted` in the main thread, at
the next Python bytecode: loading, the Pyomo build and report writing stop there (the report
writer removes its temporary file and never touches an existing report; see
:func:`twin.report.io.write`). A HiGHS solve runs in C++; :func:`wait_solve` runs it in a
worker thread through highspy and, when a signal arrives, asks HiGHS to stop through its
interrupt callbacks (simplex, IPM, MIP), waits for it, then re-raises. HiGHS checks the
callbacks often in simplex and IPM, but a MIP can run for seconds between checks (heuristics,
long node LPs): after :data:`GRACE_S` the solver thread is abandoned (:func:`abandoned` is true)
and the command line ends the process at once with ``os._exit`` once its message is printed.
Nothing is written during a solve, so nothing is left half-written. :func:`requested` tells
whether a signal has arrived.
"""

from __future__ import annotations

import signal
import threading
import time
from types import FrameType
from typing import Any

from twin.errors import Interrupted

#: Longest wait for HiGHS to honour an interrupt before its thread is abandoned [s].
GRACE_S = 1.5

_received: list[int] = []
_abandoned: list[Any] = []


def _handler(signum: int, frame: FrameType | None) -> None:
    _received.append(signum)
    raise Interrupted(signum)


def install() -> None:
    """Make SIGINT and SIGTERM raise :class:`Interrupted` (main thread only; else a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _handler)


def requested() -> int | None:
    """The first signal received since :func:`install`, or ``None``."""
    return _received[0] if _received else None


def abandoned() -> bool:
    """Whether a solver thread was left running after an interrupt (exit with ``os._exit``)."""
    return bool(_abandoned)


def wait_solve(h: Any, poll_s: float = 0.05) -> None:
    """Run ``h`` (a :class:`highspy.Highs`) to completion in a worker thread, cancelling it
    through HiGHS's interrupt callbacks if :class:`Interrupted` is raised meanwhile."""
    h.HandleUserInterrupt = True  # registers the simplex/IPM/MIP interrupt callbacks
    thread = h.startSolve()
    try:
        while not h.wait(poll_s)[0]:
            pass
    except Interrupted:
        h.cancelSolve()
        deadline, done = time.monotonic() + GRACE_S, False
        while not done and time.monotonic() < deadline:  # further signals are ignored meanwhile
            try:
                done = h.wait(poll_s)[0]
            except Interrupted:
                continue
        if done:
            thread.join()
        else:
            _abandoned.append(thread)
        raise
    thread.join()
