"""Numbers on the command line pass the rule numbers in a model file pass.

Typer reads ``--discount-rate nan`` as NaN, ``inf`` as infinity and ``1e-400`` as an exact 0;
a model file refuses all three, and a nonzero number closer to 0 than 1e-12 (a lost exponent
sign). :func:`check_numbers` walks the command tree once, before it runs (as
:func:`twin.cli.help_text.tidy` does), and gives every option or argument that takes numbers
(``float``, ``int``, or a list of them; today's and any added later) the check of
:func:`twin.spec.ranges.number_expected` on the text as typed: an error naming the option and
the value (``--discount-rate: nan: expected a finite number``), exit 2, before the command
starts. Text that is no number at all is left to the option's type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: The type names of numeric parameters: Typer's annotations, Click's type names.
NUMERIC = frozenset({"float", "int", "integer"})


def takes_numbers(param: Any) -> bool:
    """Whether ``param`` takes a number or a list of numbers (Typer's annotation, else Click's
    type)."""
    if hasattr(param, "bare_type"):
        bare = str(param.bare_type())
    else:  # a Typer whose parameters are Click's own
        bare = str(getattr(getattr(param, "type", None), "name", ""))
    return bare.removeprefix("list[").removesuffix("]") in NUMERIC


def _checked(param: Any, process: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def process_value(ctx: Any, value: Any) -> Any:
        from twin.spec.ranges import number_expected

        for item in value if isinstance(value, list | tuple) else [value]:
            problem = number_expected(item) if isinstance(item, str) else None
            if problem:
                from twin.spec.errors import SpecError

                opts = getattr(param, "opts", None) or [str(param.name)]
                raise SpecError(max(opts, key=len), item.strip(), problem)
        return process(ctx, value)

    process_value.checks_numbers = True  # type: ignore[attr-defined]
    return process_value


def check_numbers(cmd: Any) -> Any:
    """``cmd`` with every numeric parameter of it and its subcommands checked (module
    docstring)."""
    todo = [cmd]
    while todo:
        c = todo.pop()
        for p in c.params:
            if takes_numbers(p) and not getattr(p.process_value, "checks_numbers", False):
                p.process_value = _checked(p, p.process_value)
        todo.extend(getattr(c, "commands", {}).values())
    return cmd
