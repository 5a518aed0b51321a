"""What the command-line process imports: nothing heavy before a command runs, no Dask (and no
pint arrays) outside ``twin sweep``; global options in any position; the types of a usage error."""

from __future__ import annotations

import sys
import warnings
from typing import Any

from twin.spec.errors import SpecError


def without_dask() -> list[str]:
    """Make this process one without Dask (and pint arrays), as if they were not installed.

    xarray imports ``dask.array`` when it makes its first Dataset and ``dask.distributed`` when it
    writes netCDF, only to check whether the data are Dask arrays (they never are in a report):
    about 0.6 s of a ``twin solve`` on the baseline. It imports pint for the same check, and pint
    imports SciPy, which makes Pyomo import ``scipy.stats`` and ``scipy.sparse`` (about 1 s).
    ``sys.modules[name] = None`` makes ``import name`` raise ImportError, which xarray treats as
    "not installed". Only for the console entry point (the process ends with the command), never
    inside a library call; :func:`twin.units.registry` lifts the pint block if it needs pint.
    Nothing is blocked once xarray is imported (its checks are cached by then). Returns the
    names blocked.
    """
    if "xarray" in sys.modules:  # xarray already looked (a run inside another program): keep
        return []
    blocked = [name for name in ("dask", "pint") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    return blocked


def unblock(names: list[str]) -> None:
    """Undo :func:`without_dask` (for a command run inside another Python program)."""
    for name in names:
        if name in sys.modules and sys.modules[name] is None:
            del sys.modules[name]


#: The only command whose process runs Dask.
WITH_DASK = frozenset({"sweep"})

#: The options of ``twin`` itself (given before or after the command), and those taking a value.
GLOBAL_FLAGS = frozenset({"--quiet", "-q", "--verbose", "-v", "--version"})
GLOBAL_VALUED = frozenset({"--data-root"})


def command_name(argv: list[str]) -> str | None:
    """The command of a ``twin`` command line: its first word that is neither an option of
    ``twin`` itself nor the value of one (``twin --data-root D --quiet sweep ...`` is a sweep)."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in GLOBAL_VALUED:
            i += 2
            continue
        if word == "--" or not word.startswith("-"):
            return argv[i + 1] if word == "--" and i + 1 < len(argv) else word
        i += 1
    return None


def needs_dask(argv: list[str]) -> bool:
    """The command line runs a command that needs Dask (whatever global options precede it)."""
    return command_name(argv) in WITH_DASK


def global_options_first(argv: list[str], valued: frozenset[str]) -> list[str]:
    """``argv`` with ``twin``'s own options moved before the command, so that they work in any
    position (``twin solve M --out r.nc --quiet``). ``valued`` are the command's options that take
    a value: a global option's name given as such a value stays where it is, as does all after
    ``--``."""
    name = command_name(argv)
    if name is None or name not in argv:
        return argv
    at = argv.index(name)
    head, moved, rest = argv[:at], [], []
    i = at + 1
    while i < len(argv):
        word = argv[i]
        if word == "--":
            rest += argv[i:]
            break
        if word in valued and i + 1 < len(argv):
            rest += argv[i : i + 2]
            i += 2
            continue
        if word in GLOBAL_FLAGS:
            moved.append(word)
        elif word in GLOBAL_VALUED and i + 1 < len(argv):
            moved += argv[i : i + 2]
            i += 1
        elif word.split("=", 1)[0] in GLOBAL_VALUED:
            moved.append(word)
        else:
            rest.append(word)
        i += 1
    return [*head, *moved, name, *rest]


def valued_options(group: object, name: str | None) -> frozenset[str]:
    """The options of command ``name`` that take a value (``--out``, ``-s``), as typed."""
    command = getattr(group, "commands", {}).get(name)
    return frozenset(
        opt
        for param in getattr(command, "params", [])
        if getattr(param, "param_type_name", "") == "option" and not getattr(param, "is_flag", True)
        for opt in param.opts
    )


def once_options(group: object, name: str | None) -> dict[str, str]:
    """Every spelling of the options of command ``name`` that may be given only once (not
    repeatable), mapped to the option's main name: ``-s`` and ``--scenario``, ``--reports`` and
    ``--no-reports`` count as one."""
    command = getattr(group, "commands", {}).get(name)
    once: dict[str, str] = {}
    for param in getattr(command, "params", []):
        if getattr(param, "param_type_name", "") != "option" or getattr(param, "multiple", True):
            continue
        spellings = [*param.opts, *getattr(param, "secondary_opts", [])]
        once.update(dict.fromkeys(spellings, max(param.opts, key=len)))
    return once


def check_repeats(argv: list[str], once: dict[str, str], valued: frozenset[str]) -> None:
    """An option that takes one value given twice (``-s a -s b``), or a flag and its negation,
    is a contradiction: refused naming the option and both as typed, never "the last wins"; an
    option's value is never empty text (``--csv ''`` wrote into the working folder, ``--engine
    ''`` took the default)."""
    seen: dict[str, str] = {}
    i = 0
    while i < len(argv) and argv[i] != "--":
        word = argv[i].split("=", 1)[0] if argv[i].startswith("--") else argv[i]
        takes = word in valued and "=" not in argv[i] and i + 1 < len(argv)
        typed = f"{argv[i]} {argv[i + 1]}" if takes else argv[i]
        given = argv[i + 1] if takes else argv[i].split("=", 1)[1] if "=" in argv[i] else None
        if word in valued and given is not None and not given.strip():
            raise SpecError(word, repr(given), "expected a non-empty value")
        if word in once:
            if once[word] in seen:
                raise SpecError(
                    once[word], f"'{seen[once[word]]}' and '{typed}'", "given twice; expected once"
                )
            seen[once[word]] = typed
        i += 2 if takes else 1


#: The global flags, each under its two spellings (``twin -q validate M --quiet`` is a repeat).
SPELLINGS: tuple[tuple[str, ...], ...] = (("-q", "--quiet"), ("-v", "--verbose"), ("--version",))


def check_global_repeats(argv: list[str]) -> list[str]:
    """``argv``, unless a global flag is given twice, in any position or spelling: refused as
    any other option given twice (``show --all --all`` is), never silently one."""
    words = argv[: argv.index("--")] if "--" in argv else argv
    for spellings in SPELLINGS:
        typed = [w for w in words if w in spellings]
        if len(typed) > 1:
            raise SpecError(
                spellings[-1], f"'{typed[0]}' and '{typed[1]}'", "given twice; expected once"
            )
    return argv


def usage_errors() -> tuple[type[Exception], ...]:
    """The exception types of a usage error (unknown command or option, missing or mistyped
    value): Click's, and Typer's own where Typer bundles its Click (typer >= 0.22)."""
    import typer

    found: list[type[Exception]] = []
    bundled = getattr(typer, "TyperException", None)
    if isinstance(bundled, type) and issubclass(bundled, Exception):
        found.append(bundled)
    try:
        import click
    except ImportError:  # pragma: no cover - a Typer without Click
        return tuple(found)
    found.append(click.ClickException)
    return tuple(found)


def asks_help(argv: list[str]) -> bool:
    """The command line asks for help (``--help`` before any ``--``): the command does not run,
    so the environment it would read is not checked (``TWIN_DEBUG=true twin solve --help``
    prints the help)."""
    words = argv[: argv.index("--")] if "--" in argv else argv
    return "--help" in words


def check_environment() -> None:
    """The environment variables twin reads hold what they should, before a command runs:
    ``TWIN_DEBUG`` 0 or 1 (``true`` printed no traceback, without a word), ``TWIN_MAX_INPUT_MB``
    a size and ``TWIN_DATA_ROOT`` existing folders (each was silently replaced by its default,
    or allowed nothing); else a :class:`SpecError` naming the variable (exit 2)."""
    import os

    from twin.errors import DEBUG_VALUES
    from twin.spec.files import env_roots, max_input_bytes

    debug = os.environ.get("TWIN_DEBUG", "")
    if debug.strip() not in DEBUG_VALUES:
        raise SpecError(
            "TWIN_DEBUG", debug, "expected 1 (an internal error prints its traceback) or 0"
        )
    max_input_bytes()
    env_roots()


def show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """``warnings.showwarning`` of the command line: twin's own warnings (a units check) as one
    ``note:`` line, without Python's source line; a library's only under ``TWIN_DEBUG=1``
    (README: a successful command prints no library noise)."""
    from rich.markup import escape

    from twin.cli.app import err
    from twin.errors import debug

    if category.__module__.split(".")[0] == "twin":
        err.print(f"[yellow]note[/yellow]: {escape(str(message))}", highlight=False, soft_wrap=True)
    elif debug():
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def install_warnings() -> None:
    """Show warnings as :func:`show_warning` does, for this process (the command line's)."""
    warnings.showwarning = show_warning
