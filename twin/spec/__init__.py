"""Model files: schemas, loading with scenarios and overrides, consistency checks.

``twin.spec.errors`` (what the command line needs before any command runs) imports only the
standard library; the loader (pydantic, YAML) is imported on first use of its names.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from twin.spec.errors import SpecError, SpecErrors

__all__ = [
    "Spec",
    "SpecError",
    "SpecErrors",
    "load_dict",
    "load_model",
    "parse_assignment",
    "parse_assignments",
]

if TYPE_CHECKING:
    from twin.spec.load import Spec, load_dict, load_model, parse_assignment, parse_assignments


def __getattr__(name: str) -> object:
    """The loader's public names, imported on first access (PEP 562)."""
    if name not in ("Spec", "load_dict", "load_model", "parse_assignment", "parse_assignments"):
        raise AttributeError(f"module 'twin.spec' has no attribute {name!r}")
    value = getattr(importlib.import_module("twin.spec.load"), name)
    globals()[name] = value
    return value
