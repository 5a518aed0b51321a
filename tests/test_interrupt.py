"""Signals become :class:`twin.errors.Interrupted` with the shell's exit code 128 + signal."""

from __future__ import annotations

import os
import signal
import time

import pytest

from twin import interrupt
from twin.errors import ExitCode, Interrupted


@pytest.fixture
def handlers():
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    interrupt.install()
    yield
    for s, h in saved.items():
        signal.signal(s, h)


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_raises_interrupted_at_once(handlers, sig: int, code: int) -> None:
    t0 = time.monotonic()
    with pytest.raises(Interrupted) as e:
        os.kill(os.getpid(), sig)
        while time.monotonic() - t0 < 5:  # Python work, as in loading or building
            sum(range(1000))
    assert time.monotonic() - t0 < 1.0
    assert e.value.exit_code == code and interrupt.requested() is not None
    assert not isinstance(e.value, Exception)  # `except Exception` in libraries cannot eat it


def test_exit_code_table_follows_the_shell_convention() -> None:
    assert (ExitCode.SIGINT, ExitCode.SIGTERM) == (130, 143)
    assert len({int(c) for c in ExitCode}) == len(ExitCode)  # every ending is distinct


def test_interrupted_report_write_leaves_old_file_and_no_temporary(
    handlers,
    tmp_path,
) -> None:
    """A real SIGINT while netCDF is being written: the temporary file is finished (HDF5 must not
    be broken into), then deleted; Interrupted comes out of write(), the earlier file is
    byte-identical, no temporary file is left."""
    import threading

    import numpy as np
    import xarray as xr

    from twin.report import write

    rng = np.random.default_rng(0)
    ds = xr.Dataset({f"v{i}": ("x", rng.random(1_000_000)) for i in range(10)})
    for v in ds.data_vars:
        ds[v].encoding.update(zlib=True, complevel=1)
    out = tmp_path / "r.nc"
    out.write_bytes(b"old report")
    timer = threading.Timer(0.1, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(Interrupted):
        write(ds, out)
    timer.join()
    assert out.read_bytes() == b"old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.nc"]


def test_a_signal_after_the_output_is_committed_ends_nothing(handlers) -> None:
    """A SIGINT just after ``twin solve`` renamed its report over the old one ended in 130 with
    the new file in place (and, during shutdown, a traceback from an atexit callback): once
    :func:`interrupt.committed` is called a signal is recorded only; the next command's
    :func:`interrupt.install` arms the handler again."""
    interrupt.committed()
    os.kill(os.getpid(), signal.SIGINT)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 0.3:  # Python work, where the signal would have raised
        sum(range(1000))
    assert interrupt.requested() is not None
    interrupt.install()
    with pytest.raises(Interrupted):
        os.kill(os.getpid(), signal.SIGINT)
        while time.monotonic() - t0 < 5:
            sum(range(1000))


def test_a_command_that_has_ended_ignores_signals_through_shutdown(handlers) -> None:
    """Interpreter shutdown gives a Python handler back to the default action, so a SIGINT
    while ``twin solve`` flushed its output at exit ended in 130 with the report written:
    :func:`interrupt.ended` leaves both signals ignored, which shutdown keeps."""
    interrupt.ended()
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
