"""Progress of long work as it happens: stage timings, the solver's progress, sweep members.

Code that does long work reports to the :class:`Progress` made current with :func:`reporting`
(a context variable, so nothing is passed through every call; with none current, nothing is
reported and nothing costs). Stages are ``load``, ``geometry``, ``build``, ``hand-off``,
``solve`` and ``report``. During a solve, HiGHS's interrupt callbacks give the elapsed time, the
objective, the best bound and the relative gap ``|bound - objective| / |objective|``; its raw log
goes to :meth:`Progress.solver_log` only when the reporter asks for it (``verbose``).

:class:`ConsoleProgress` prints all of this to a terminal, at most once a second for the solver,
in lines shorter than 80 columns.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

STAGES = ("load", "geometry", "build", "hand-off", "solve", "report")


class Progress:
    """Receives progress events; this base class ignores them all."""

    #: whether the solver's raw log is wanted (see :meth:`solver_log`)
    verbose: bool = False

    def stage(self, name: str, seconds: float) -> None:
        """Stage ``name`` finished after ``seconds``."""

    def solver(
        self,
        elapsed_s: float,
        objective: float,
        bound: float,
        gap: float,
        count: int = 0,
        final: bool = False,
    ) -> None:
        """The solver's state after ``elapsed_s`` seconds: objective, best bound, relative gap
        (NaN where unknown) and ``count`` iterations (LP) or branch-and-bound nodes (MIP);
        ``final``: the state HiGHS ended in, always shown."""

    def solver_log(self, line: str) -> None:
        """One line of the solver's raw log."""

    def members(self, done: int, failed: int, total: int, elapsed_s: float) -> None:
        """``done`` of ``total`` sweep members finished (``failed`` of them without a plan)."""

    def note(self, text: str) -> None:
        """A one-line message, e.g. where the Dask dashboard is."""


def report_note(text: str) -> None:
    """Tell the current reporter ``text``."""
    p = _current.get()
    if p is not None:
        p.note(text)


def report_members(done: int, failed: int, total: int, elapsed_s: float) -> None:
    """Tell the current reporter how far a sweep has got."""
    p = _current.get()
    if p is not None:
        p.members(done, failed, total, elapsed_s)


_current: contextvars.ContextVar[Progress | None] = contextvars.ContextVar(
    "twin_progress", default=None
)


def current() -> Progress | None:
    """The reporter in effect, or None."""
    return _current.get()


@contextlib.contextmanager
def reporting(progress: Progress | None) -> Iterator[Progress | None]:
    """Make ``progress`` the current reporter inside the ``with`` block."""
    token = _current.set(progress)
    try:
        yield progress
    finally:
        _current.reset(token)


def report_stage(name: str, seconds: float) -> None:
    """Tell the current reporter that stage ``name`` took ``seconds`` (named inside the current
    :func:`phase`, e.g. ``wait-and-see 3/27: solve``)."""
    p = _current.get()
    if p is not None:
        outer = _phase.get()
        p.stage(f"{outer}: {name}" if outer else name, seconds)


#: the study phase the stages now reported belong to ("" outside any)
_phase: contextvars.ContextVar[str] = contextvars.ContextVar("twin_phase", default="")


@contextlib.contextmanager
def phase(name: str) -> Iterator[None]:
    """A named part of a study (``extensive form``, ``wait-and-see 3/27``, ``EEV``,
    ``alternative 2/5``...): the stages inside are reported as ``name: stage``, and the phase
    itself as a stage with its total time [s] when it ends. Phases nest (``a / b``)."""
    outer = _phase.get()
    token = _phase.set(f"{outer} / {name}" if outer else name)
    t0 = time.perf_counter()
    try:
        yield
    finally:
        _phase.reset(token)
    report_stage(name, time.perf_counter() - t0)


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    """Time the ``with`` block and report it as stage ``name`` when it ends."""
    t0 = time.perf_counter()
    yield
    report_stage(name, time.perf_counter() - t0)


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Silence file descriptor 1 (C libraries' prints, e.g. HiGHS's banner) inside the block."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (some notebook kernels): nothing to silence
        yield
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


def watch_highs(h: Any) -> None:
    """Subscribe the current reporter to HiGHS's progress callbacks (simplex, IPM, MIP) and, if
    it is verbose, to its log; without a reporter, do nothing."""
    p = _current.get()
    if p is None:
        return

    from highspy import cb

    mip = int(cb.HighsCallbackType.kCallbackMipInterrupt)
    t0 = time.perf_counter()

    def progress(e: Any) -> None:
        try:  # an exception escaping a callback would end the solve with an error
            o = e.data_out
            if int(e.callback_type) == mip:
                obj, bound, gap = o.mip_primal_bound, o.mip_dual_bound, o.mip_gap
            else:  # LP interrupts carry iteration counts; elapsed time is ours
                obj, bound, gap = o.objective_function_value, math.nan, math.nan
            if int(e.callback_type) == mip:  # nodes; -1 (not yet known) stays unknown
                its = int(o.mip_node_count)
            else:
                its = max(int(o.simplex_iteration_count), int(o.ipm_iteration_count))
            elapsed = o.running_time if o.running_time >= 0 else time.perf_counter() - t0
            p.solver(float(elapsed), _finite(obj), _finite(bound), _finite(gap), int(its))
        except Exception as exc:
            p.solver_log(f"progress callback failed: {exc}")

    h.cbSimplexInterrupt.subscribe(progress)
    h.cbIpmInterrupt.subscribe(progress)
    h.cbMipInterrupt.subscribe(progress)
    if p.verbose:
        h.setOptionValue("output_flag", True)
        h.setOptionValue("log_to_console", False)
        h.cbLogging.subscribe(lambda e: p.solver_log(e.message.rstrip("\n")))


def report_highs_done(h: Any) -> None:
    """Tell the current reporter the state HiGHS ended in (its callbacks fire only while it works:
    a fast solve's one callback comes at iteration 0): run time, iterations (LP: simplex or
    interior point; MIP: nodes), objective and, for a MIP, bound and gap."""
    p = _current.get()
    if p is None:
        return
    info = h.getInfo()
    mip = int(info.mip_node_count) >= 0  # -1 after an LP
    obj = _finite(info.objective_function_value)
    if mip:
        bound, gap, its = _finite(info.mip_dual_bound), _finite(info.mip_gap), info.mip_node_count
    else:
        bound, gap = math.nan, math.nan
        its = max(int(info.simplex_iteration_count), int(info.ipm_iteration_count))
    p.solver(float(h.getRunTime()), obj, bound, gap, int(its), final=True)


def _finite(x: float) -> float:
    return float(x) if math.isfinite(x) and abs(x) < 1e30 else math.nan


#: Seconds between two lines of sweep progress when the output is a file or a pipe.
PIPE_INTERVAL_S = 5.0


class ConsoleProgress(Progress):
    """Progress on a terminal (a ``rich`` Console): one line per stage, the solver's state at
    most every ``interval_s`` seconds, sweep members with an ETA. To a file or a pipe, sweep
    progress is a line at most every :data:`PIPE_INTERVAL_S` seconds (and the last), not one per
    member."""

    def __init__(self, console: Any, verbose: bool = False, interval_s: float = 1.0) -> None:
        self.console = console
        self.verbose = verbose
        self.interval_s = interval_s
        self._last = -math.inf
        self._last_members = -math.inf

    def stage(self, name: str, seconds: float) -> None:
        """Print the stage and its time [s] on one line; the name as written (it holds users'
        names: a contract, an orbit shell, a metric), not read as markup."""
        self.console.print(f"  {name:<10} {seconds:8.2f} s", highlight=False, markup=False)

    def solver(
        self,
        elapsed_s: float,
        objective: float,
        bound: float,
        gap: float,
        count: int = 0,
        final: bool = False,
    ) -> None:
        """Print the solver's state, at most once per ``interval_s``; NaN fields and a negative
        (unknown) count are left out. A MIP (a bound is known) counts nodes, an LP iterations."""
        now = time.monotonic()
        if now - self._last < self.interval_s and not final:
            return
        self._last = now
        text = f"  HiGHS {elapsed_s:6.1f} s"
        if count >= 0:
            text += f" {count:>9,} {'iterations' if math.isnan(bound) else 'nodes'}"
        if not math.isnan(objective):
            text += f"  obj {objective:11.5g}"
        if not math.isnan(bound):
            text += f"  bound {bound:11.5g}"
        if not math.isnan(gap):
            text += f"  gap {gap:7.2%}"
        self.console.print(text, highlight=False)

    def solver_log(self, line: str) -> None:
        """Print the raw log line as is (no markup, no wrapping)."""
        self.console.print(line, highlight=False, markup=False, soft_wrap=True)

    def note(self, text: str) -> None:
        """Print the message, indented like the stages."""
        self.console.print(f"  {text}", highlight=False, markup=False)

    def members(self, done: int, failed: int, total: int, elapsed_s: float) -> None:
        """Print a progress bar of sweep members with the ETA [s], assuming the members left take
        as long on average as those done."""
        now = time.monotonic()
        piped = not getattr(self.console, "is_terminal", True)
        if piped and done < total and now - self._last_members < PIPE_INTERVAL_S:
            return
        self._last_members = now
        eta = elapsed_s / done * (total - done) if done else math.nan
        eta_text = "?" if math.isnan(eta) else f"{eta:.0f} s"
        width = 20
        bar = "#" * (width * done // max(total, 1))
        self.console.print(
            f"  [{bar:<{width}}] {done}/{total} done, {failed} failed, "
            f"{elapsed_s:.0f} s, ETA {eta_text}",
            highlight=False,
            markup=False,
        )
