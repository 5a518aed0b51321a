"""Help that reads as written: units in square brackets survive Rich markup, metavars are plain
words, and ``--scenario`` lists the model's scenarios when a model file is on the command line.

Typer renders help text as Rich markup, where ``[kW/t]`` or ``[years]`` is a style tag and
vanishes. :func:`tidy` walks the click command tree once, before it runs, and escapes every
``[`` of the help texts; it replaces type metavars such as ``<bool>`` (none for a flag) and
``<list[str]>`` (the option's name) by plain ones.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

_BRACKET = re.compile(r"(?<!\\)\[")


def escape_brackets(text: str | None) -> str | None:
    """``text`` with every unescaped ``[`` escaped for Rich (``\\[``)."""
    return None if text is None else _BRACKET.sub(r"\\[", text)


def _metavar(param: Any) -> str | None:
    if getattr(param, "metavar", None) is not None:
        return str(param.metavar)
    bare = param.bare_type() if hasattr(param, "bare_type") else "str"
    name = str(getattr(param, "name", None) or "value").strip("_").upper()
    if name == "DATA_ROOT":
        return "DIR"
    if bare == "bool":
        return ""
    if getattr(param, "param_type_name", "") == "argument":
        return name
    if bare == "Path":
        return "PATH"
    return {"int": "INT", "float": "NUMBER"}.get(bare, name)


def scenarios_of(argv: list[str]) -> list[str]:
    """The scenario names of the first model file (.yaml) on the command line, read cheaply
    (its top-level ``scenarios:`` keys); empty when there is none or it does not parse."""
    for arg in argv:
        path = Path(arg)
        if path.suffix in (".yaml", ".yml") and path.is_file():
            import yaml

            try:
                data = yaml.safe_load(path.read_text())
            except (OSError, yaml.YAMLError):
                return []
            scen = data.get("scenarios") if isinstance(data, dict) else None
            return [str(k) for k in scen] if isinstance(scen, dict) else []
    return []


def tidy(cmd: Any, argv: list[str] | None = None) -> Any:
    """Escape the help texts of ``cmd`` and its subcommands, set plain metavars, and name the
    scenarios in ``--scenario``'s help when ``--help`` is asked with a model (module docstring)."""
    argv = sys.argv[1:] if argv is None else argv
    names = scenarios_of(argv) if "--help" in argv else []
    todo = [cmd]
    while todo:
        c = todo.pop()
        c.help = escape_brackets(c.help)
        c.short_help = escape_brackets(c.short_help)
        for p in c.params:
            if getattr(p, "help", None):
                p.help = escape_brackets(p.help)
            p.metavar = _metavar(p)
            if p.param_type_name == "argument":  # its name says it; no <path> type column
                p.display_type_rich = lambda ctx: None
            if names and "--scenario" in getattr(p, "opts", ()):
                p.help = f"{p.help}: {', '.join(names)}"
        c.get_help_option = _flag_help(c.get_help_option)
        todo.extend(getattr(c, "commands", {}).values())
    return cmd


def _flag_help(get: Any) -> Any:
    """``get_help_option`` whose option (``--help``, made when help is printed) shows no metavar."""

    def wrapped(ctx: Any) -> Any:
        opt = get(ctx)
        if opt is not None:
            opt.metavar = ""
        return opt

    return wrapped
