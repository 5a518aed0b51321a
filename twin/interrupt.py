"""SIGINT and SIGTERM stop a run promptly and cleanly.

:func:`install` makes both signals raise :class:`twin.errors.Interrupted` in the main thread, at
the next Python bytecode: loading, the Pyomo build and report writing stop there (the report
writer removes its temporary file and never touches an existing report; see
:func:`twin.report.io.write`). A HiGHS solve runs in C++; :func:`wait_solve` runs it in a
worker thread through highspy and, when a signal arrives, asks HiGHS to stop through its
interrupt callbacks (simplex, IPM, MIP), waits for it (HiGHS checks them every few
milliseconds), then re-raises. :func:`requested` tells whether a signal has arrived.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from twin.errors import Interrupted

_received: list[int] = []


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
        while True:  # HiGHS polls the callbacks often; further signals are ignored meanwhile
            try:
                if h.wait(poll_s)[0]:
                    break
            except Interrupted:
                continue
        thread.join()
        raise
    thread.join()
