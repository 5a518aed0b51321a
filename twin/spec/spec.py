"""The validated spec: a model with its scenario applied, and the provenance of its inputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twin.spec.schema import Model


@dataclass(frozen=True)
class Spec:
    """A validated model with the scenario applied, plus provenance.

    ``model`` is the frozen pydantic :class:`~twin.spec.schema.Model`; ``files`` maps each input
    file to its sha256, for the report's provenance; ``origins`` maps a key path (``("sites",
    "colossus1", "max_mw")``) to where its value came from (a CSV row, a scenario's ``set``, a
    ``--set``), for errors (:mod:`twin.spec.blame`).
    """

    model: Model
    path: Path
    scenario: str | None
    overrides: tuple[tuple[str, Any], ...]
    files: dict[str, str] = field(default_factory=dict)
    origins: dict[tuple[str, ...], Any] = field(default_factory=dict, compare=False, repr=False)


def table_file(spec: Spec, table: str) -> str | Path:
    """The file a table's rows came from: its dataset CSV (resolved like the loader does), else
    the model file."""
    rel = spec.model.datasets.get(table)
    return (spec.path.parent / rel).resolve() if rel else spec.path
