"""Tables whose text is printed as given: every table twin prints is a :class:`Table`.

A rich table reads a ``str`` cell, header or title as console markup: a site named
``[bold]x[/bold]`` was printed bold as ``x``, ``a[/]b`` raised a MarkupError and ``:x:`` could
become an emoji. Names come from users (sites, scenarios, technologies, members, decisions,
titles), so a table's text is never markup: :class:`Table` turns each ``str`` into a
:class:`rich.text.Text` as it is added, the one place cells enter a table, and a cell that
should be styled is given as a ``Text`` with its style. The text of messages printed with
markup is escaped where it is interpolated (:func:`rich.markup.escape`).
"""

from __future__ import annotations

from typing import Any

from rich import table
from rich.console import RenderableType
from rich.text import Text


def literal(cell: RenderableType | None) -> Any:
    """``cell`` as printed text: a ``str`` as a :class:`Text` holding it unparsed (no markup,
    no emoji codes); anything else (a number's ``Text``, a renderable, None) unchanged."""
    return Text(cell) if isinstance(cell, str) else cell


class Table(table.Table):
    """A :class:`rich.table.Table` that prints its title, headers and cells as given (see the
    module docstring): ``str`` values become :class:`Text`, the title keeping its style."""

    def __init__(self, *headers: Any, title: Any = None, **kwargs: Any) -> None:
        if isinstance(title, str):
            title = Text(title, style=kwargs.get("title_style") or "table.title")
        super().__init__(*(literal(h) for h in headers), title=title, **kwargs)

    def add_column(self, header: Any = "", footer: Any = "", **kwargs: Any) -> None:
        """Add a column whose header (and footer) text is printed as given."""
        super().add_column(literal(header), literal(footer), **kwargs)

    def add_row(self, *renderables: RenderableType | None, **kwargs: Any) -> None:
        """Add a row whose ``str`` cells are printed as given."""
        super().add_row(*(literal(r) for r in renderables), **kwargs)
