"""A fixture that runs ``twin.cli.main`` in this process, as ``python -m twin`` would; test
modules import it (``from tests.cli.runner import twin_main``)."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Run:
    """How one ``twin`` run ended: exit code, standard output and standard error."""

    code: int
    out: str
    err: str


@pytest.fixture
def twin_main(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Run]]:
    """``twin_main("validate", path)`` -> :class:`Run`. The real entry point runs (no mocks);
    the signal handlers it installs are restored afterwards. Any exception other than
    ``SystemExit`` (a traceback a user would see) fails the test."""
    from twin.cli import main

    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}

    def run(*args: object) -> Run:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["twin", *(str(a) for a in args)])
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        else:
            code = 0
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    yield run
    for s, h in handlers.items():
        signal.signal(s, h)


def bad_input(res: Run, *needles: str) -> str:
    """A run that ended in exit 2 with one error line holding every needle, no traceback."""
    text = " ".join(res.err.split())
    assert res.code == 2, (res.code, res.out, res.err)
    assert "Traceback (most recent" not in res.err and "internal error (a bug" not in res.err
    for needle in needles:
        assert needle in text, (needle, text)
    return text


#: The commands that write one file at ``--out``, with a file name of the kind each writes.
OUTPUTS = [("solve", "r.nc"), ("export", "r.mps"), ("plot", "r.png")]


def out_args(command: str, model: Path, out: Path) -> tuple[object, ...]:
    """The arguments of ``command`` (of :data:`OUTPUTS`) writing ``out`` from ``model``."""
    if command == "plot":
        return ("plot", model, "--kind", "map", "--out", out)
    return (command, model, "--out", out)
