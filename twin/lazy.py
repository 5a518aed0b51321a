"""Public names imported on first use: the loader behind a package's PEP 562 ``__getattr__``.

``twin``, ``twin.orbit`` and ``twin.report`` keep ``import`` light (``twin --help`` loads no
modelling, solver or array library) by naming each public attribute's module in a table and
importing it when the attribute is first read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_loader(
    package: str, modules: dict[str, str], namespace: dict[str, Any]
) -> Callable[[str], object]:
    """``load(name)``: the attribute ``name`` of the module ``modules[name]``, imported now and
    stored in ``namespace`` (the package's globals) so later reads skip the loader; an unknown
    name raises ``AttributeError`` as a module does."""

    def load(name: str) -> object:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return load
