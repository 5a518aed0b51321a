"""How every run of ``twin`` ends: the exit codes, in one table, and the errors that map to them.

======  ===========================================================================
code    meaning
======  ===========================================================================
0       success: the command did what it was asked (a solve reached an optimum)
1       the plan failed: infeasible (the conflict named by family, key and period),
        unbounded, or the solver ended without any feasible plan
2       bad input: a model file, dataset, ``--set``, option or report that cannot be
        used; the message names the file, the key and what was expected
3       a feasible plan that is not proven optimal (time limit, iteration limit);
        its report is written and marked ``optimal = 0``, ``twin show`` says so
130     interrupted by SIGINT (Ctrl-C): 128 + 2
143     terminated by SIGTERM: 128 + 15
======  ===========================================================================

No path prints a Python traceback for these; an unexpected internal error (a bug) exits 70
(``EX_SOFTWARE``) with a one-line message and the traceback only if ``TWIN_DEBUG=1``.

Every error the package raises on purpose is a :class:`TwinError` carrying its exit code and the
label the command line prints before it; the command line and the Python API classify errors by
this type alone (``except TwinError``), never by module or class name.
"""

from __future__ import annotations

import os
import signal
from enum import IntEnum
from typing import ClassVar

#: The values ``TWIN_DEBUG`` takes (white space around them aside): unset (or empty) and 0 are
#: off, 1 is on; :func:`twin.cli.startup.check_environment` refuses any other.
DEBUG_VALUES = ("", "0", "1")


def debug() -> bool:
    """``TWIN_DEBUG`` is on (``1``, white space around it aside): the one reading of the
    variable, wherever twin asks (an internal error's traceback, Dask's log records)."""
    return os.environ.get("TWIN_DEBUG", "").strip() == "1"


class ExitCode(IntEnum):
    """The exit codes of the ``twin`` command (see the module docstring and the README)."""

    OK = 0
    PLAN_FAILED = 1
    BAD_INPUT = 2
    NOT_OPTIMAL = 3
    INTERNAL = 70
    SIGINT = 128 + signal.SIGINT
    SIGTERM = 128 + signal.SIGTERM


class TwinError(Exception):
    """The base of every error twin raises on purpose: ``exit_code`` is the command's exit status
    and ``label`` the word printed before the message (``error: ...``)."""

    exit_code: ClassVar[int] = ExitCode.INTERNAL
    label: ClassVar[str] = "error"


class BadInput(TwinError, ValueError):
    """Input that cannot be used (a file, a key, an option, an argument of the Python API): exit 2.

    Subclasses name the file and key (:class:`twin.spec.errors.SpecError`) or the report
    (:class:`twin.report.io.ReportError`).
    """

    exit_code: ClassVar[int] = ExitCode.BAD_INPUT


class PlanError(TwinError, RuntimeError):
    """The plan failed: infeasible, unbounded, or no feasible plan found (exit 1)."""

    exit_code: ClassVar[int] = ExitCode.PLAN_FAILED
    label: ClassVar[str] = "plan failed"


class Interrupted(BaseException):
    """The run was stopped by a signal (SIGINT or SIGTERM); ``exit_code`` is 128 + signal.

    A ``BaseException`` so that ``except Exception`` in library code does not swallow it.
    """

    def __init__(self, signum: int) -> None:
        self.signum = int(signum)
        self.exit_code = 128 + self.signum
        super().__init__(f"interrupted by {signal.Signals(self.signum).name}")


class NotOptimal(TwinError):
    """A feasible plan was written, but the solver did not prove it optimal (``status``)."""

    exit_code: ClassVar[int] = ExitCode.NOT_OPTIMAL
    label: ClassVar[str] = "not optimal"

    def __init__(self, status: str, written: str) -> None:
        self.status = status
        super().__init__(
            f"the solver stopped with status '{status}': {written} holds a feasible plan that is "
            "not proven optimal (raise solver.time_limit_s or loosen solver.mip_gap)"
        )
